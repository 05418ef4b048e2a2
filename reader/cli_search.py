"""``reader search`` and ``reader code``: find words, phrases or patterns across the
workspace, and highlight and tag every match at once."""

from __future__ import annotations

import json
import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotations.storage import StoreError
from corpus.library import Library
from corpus.terminal_safe import escape_json, terminal_safe
from corpus.workspace import Workspace
from reader.cli_common import (
    echo,
    echo_json,
    open_store,
    progress_bar,
    resolve_workspace,
    workspace_option,
)
from reader.wording import matches_in_articles

if TYPE_CHECKING:
    from rich.progress import Progress

    from corpus.search import Match, SearchIndex, Sort


def _search_index(ws: Workspace) -> SearchIndex:
    """The workspace's search index, brought up to date (with a progress bar on stderr when
    a terminal shows it and many articles need indexing)."""
    import sqlite3

    from corpus.search import SearchIndex

    if not ws.exists():
        raise click.ClickException(f"{ws.root}: not a workspace (no articles folder)")
    # Refreshed here, once: the search that follows does not stat every file again.
    index = SearchIndex(Library(ws), recheck_after=float("inf"))
    progress: Progress | None = None
    task = None
    asked = False

    def show(done: int, total: int) -> None:
        nonlocal progress, task, asked
        if not asked:
            asked = True
            progress = progress_bar(total)
            if progress is not None:
                progress.start()
                task = progress.add_task("indexing", total=total)
        if progress is not None and task is not None:
            progress.update(task, completed=done)

    try:
        index.refresh(show)
    except sqlite3.Error as exc:
        raise click.ClickException(f"{index.path}: search index unusable ({exc})") from None
    finally:
        if progress is not None:
            progress.stop()
    return index


def _marked(context: str, start: int, end: int) -> str:
    """The context line with the match in bold in a terminal, else between « », each part
    made safe for a terminal (the bold is the only escape sequence in it): print it with
    ``click.echo``, not :func:`echo`, which would show the bold's escape sequence."""
    if terminal_safe(context) is context:  # nothing to show differently: cut it as it is
        before, match, after = context[:start], context[start:end], context[end:]
    else:
        before, match, after = (
            terminal_safe(part) for part in (context[:start], context[start:end], context[end:])
        )
    matched = click.style(match, bold=True, fg="yellow") if sys.stdout.isatty() else f"«{match}»"
    return before + matched + after


@click.command("search")
@click.argument("query")
@click.option("--regex", is_flag=True, help="QUERY is a Python regular expression.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per match, per line.")
@click.option("--notes", is_flag=True, help="Search highlights' quotes and notes instead.")
@click.option("--limit", type=click.IntRange(min=1), help="Print at most N matches.")
@click.option("--archived", is_flag=True, help="Search archived articles too.")
@click.option(
    "--coder",
    "coders",
    multiple=True,
    help="With --notes: only highlights this coder made (repeatable).",
)
@click.option(
    "--stem", is_flag=True, help="A word also finds its other forms (likeness: likenesses)."
)
@click.option(
    "--sort",
    type=click.Choice(["article", "count"]),  # corpus.search.SORTS, not imported at start-up
    default="article",
    show_default=True,
    help="List articles by id, or those with the most matches first.",
)
@workspace_option
@click.pass_context
def search_command(
    ctx: click.Context,
    query: str,
    regex: bool,
    as_json: bool,
    notes: bool,
    limit: int | None,
    archived: bool,
    coders: tuple[str, ...],
    stem: bool,
    sort: Sort,
    workspace: Path | None,
) -> None:
    """Find QUERY in every article: words and "quoted phrases", whole words, case and accents
    ignored. Several words find each of them, in the articles that hold them all; word* finds
    the words starting so; with --stem, a word finds its forms (Snowball English); a quoted
    phrase is matched as written."""
    import sqlite3

    from annotations.search import search_articles
    from corpus.text_match import QueryError

    ws = resolve_workspace(ctx, workspace)
    _check_stem(stem, regex)
    if coders and not notes:
        raise click.UsageError("--coder picks highlights: use it with --notes")
    try:
        if notes:
            _search_notes(ws, query, regex, as_json, limit, archived, stem, sort, coders)
            return
        index = _search_index(ws)
        hidden = set() if archived else _archived(ws)
        found = search_articles(
            index,
            query,
            regex=regex,
            limit=limit,
            count=not as_json,
            hidden=hidden,
            stem=stem,
            sort=sort,
        )
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.Error as exc:
        raise click.ClickException(f"search index: {exc}") from None
    matches = found.rows
    _print_matches(matches, as_json)
    if not as_json and found.total is not None:
        shown = f"showing {len(matches)} of " if len(matches) < found.total[0] else ""
        echo(shown + matches_in_articles(*found.total))


PRINT_BATCH = 2000  # lines joined into one write: click.echo per line cost ~20 µs each


def _print_matches(matches: list[Match], as_json: bool) -> None:
    """Print each match as :func:`echo` / :func:`echo_json` and ``click.echo`` would, line
    by line, but a batch of lines at a time (a common word prints tens of thousands)."""
    lines: list[str] = []
    heading: tuple[str, str, str] = ("", "", "")  # the last article's id, title and line
    for m in matches:
        if as_json:
            row = {
                "article_id": m.article_id,
                "title": m.title,
                "start": m.start,
                "end": m.end,
                "context": m.context,
            }
            lines.append(escape_json(json.dumps(row, ensure_ascii=False)))
        else:
            if heading[:2] != (m.article_id, m.title):
                heading = (m.article_id, m.title, terminal_safe(f"{m.article_id}  {m.title}"))
            lines.append(heading[2])
            lines.append(f"  {_marked(m.context, m.context_start, m.context_end)}\n")
        if len(lines) >= PRINT_BATCH:
            click.echo("\n".join(lines))
            lines.clear()
    if lines:
        click.echo("\n".join(lines))


def _archived(ws: Workspace) -> set[str]:
    """The archived articles' ids, which a search leaves out unless --archived."""
    from annotations.search import archived_ids

    try:
        return archived_ids(open_store(ws))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


def _check_stem(stem: bool, regex: bool) -> None:
    if stem and regex:
        raise click.UsageError("--stem finds the forms of words, not of a regular expression")


def _search_notes(
    ws: Workspace,
    query: str,
    regex: bool,
    as_json: bool,
    limit: int | None,
    archived: bool,
    stem: bool,
    sort: Sort,
    coders: tuple[str, ...] = (),
) -> None:
    from annotations.search import archived_ids, search_notes

    store = open_store(ws)
    problems: list[str] = []
    try:
        hidden = set() if archived else archived_ids(store)
        found = search_notes(
            store,
            query,
            regex=regex,
            limit=limit,
            problems=problems,
            hidden=hidden,
            stem=stem,
            sort=sort,
            coders=coders,
        )
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for m in found.rows:
        if as_json:
            row = {
                "article_id": m.article_id,
                "title": m.title,
                "highlight_id": m.highlight.id,
                "field": m.field,
                "start": m.start,
                "end": m.end,
                "context": m.context,
            }
            echo_json(row)
        else:
            echo(f"{m.article_id}  {m.title}")
            line = _marked(m.context, m.context_start, m.context_end)
            click.echo(f"  {m.field} of {terminal_safe(m.highlight.id)}: {line}\n")
    if not as_json and found.total is not None:
        shown = f"showing {len(found.rows)} of " if len(found.rows) < found.total[0] else ""
        echo(shown + matches_in_articles(*found.total))
    for problem in problems:
        echo(f"Error: {problem}", err=True)
    if problems:
        sys.exit(1)


@click.command("code")
@click.argument("query")
@click.option("--tag", "tags", multiple=True, required=True, help="Tag to add (repeatable).")
@click.option("--regex", is_flag=True, help="QUERY is a Python regular expression.")
@click.option("--stem", is_flag=True, help="A word also finds its other forms, as in search.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
@workspace_option
@click.pass_context
def code_command(
    ctx: click.Context,
    query: str,
    tags: tuple[str, ...],
    regex: bool,
    stem: bool,
    yes: bool,
    workspace: Path | None,
) -> None:
    """Highlight every match of QUERY and tag it (an existing highlight over exactly a match
    gets the tags). Shows the count first and asks before writing. A match whose article
    changed since the search is skipped, named on stderr, and the exit status is 1."""
    import sqlite3

    from annotations.bulk import code_matches, find_matches
    from corpus.text_match import QueryError

    ws = resolve_workspace(ctx, workspace)
    _check_stem(stem, regex)
    try:
        matches = find_matches(_search_index(ws), query, regex=regex, stem=stem)
    except QueryError as exc:
        raise click.ClickException(str(exc)) from None
    except sqlite3.Error as exc:
        raise click.ClickException(f"search index: {exc}") from None
    echo(matches.preview(tags))
    if matches.found and matches.phrase is not None:
        quoted = shlex.quote(matches.phrase)  # as typed in a shell: '"health plan"'
        echo(f"each word is coded on its own; for the phrase, quote it: {quoted}", err=True)
    if not matches.found:
        return
    if not yes:
        if not sys.stdin.isatty():
            raise click.ClickException("not coding without confirmation: add --yes")
        click.confirm("Code them?", abort=True)
    # The matches shown are the ones coded; any whose article changed since is skipped.
    try:
        result = code_matches(open_store(ws), matches, tags)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    echo(result.line())
    for line in result.skipped_lines():
        echo(line, err=True)
    if result.skipped:
        sys.exit(1)  # not everything that was confirmed is coded: a script should know
