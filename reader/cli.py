"""The ``reader`` command line: open the app, import articles, annotate, list and export.
``reader tags`` (:mod:`reader.cli_tags`) and ``reader search`` and ``reader code``
(:mod:`reader.cli_search`) live in their own modules and are added to the group here.

Every command takes ``--workspace DIR`` (also accepted before the command name); without it the
``READER_WORKSPACE`` environment variable, then the user data directory, name the workspace.
Errors are one line on stderr naming the file or item, with exit status 1.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotations.formats.registry import FORMATS
from annotations.formats.selection import Filters
from annotations.model import parse_time
from annotations.storage import StoreError
from annotations.store import AnnotationStore, DuplicateHighlight
from corpus.article import ArticleFormatError, parse_article
from corpus.library import ArticleNotFound, Library
from corpus.terminal_safe import terminal_safe
from corpus.workspace import Workspace
from reader import launch
from reader.cli_articles import COMMANDS as ARTICLE_COMMANDS
from reader.cli_common import (
    article_ids,
    echo,
    ensure_workspace,
    open_store,
    os_error,
    progress_bar,
    resolve_workspace,
    rows_json,
    workspace_option,
    write_data,
)
from reader.cli_highlights import highlights_group
from reader.cli_history import delete_command as delete_highlights_command
from reader.cli_merge import merge_command
from reader.cli_search import code_command, search_command
from reader.cli_serve import serve_command
from reader.cli_tags import tags_group
from reader.cli_team import agree_command, init_git_command, merge_driver_command
from reader.command_line import COMMANDS, CommandLine, read_command_line
from reader.gc_policy import resume_gc
from reader.wording import count

if TYPE_CHECKING:  # rich.progress is imported only for an import in a terminal
    from rich.progress import Progress


class ReaderGroup(click.Group):
    """A group that treats an unknown first word as a PATH to open: ``reader article.md``,
    and whose commands' error lines are made safe for a terminal, as their other lines are.

    Every error is one line, ``Error: …``, with exit status 1: click's own usage errors (an
    unknown option, a bad ``--format``, a missing argument) too, which click would show with
    the usage text and status 2 (:func:`_one_line`)."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc, ctx.meta.get(_COMMAND_LINE)) from None
        except click.ClickException as exc:
            # Errors quote file names, ids, tags and titles: shown, never obeyed (echo()).
            # click types ``message`` Final (set once, in __init__); it is rewritten here, once,
            # before click shows it, because a new exception would lose the subclass and its
            # context and parameter (a UsageError prints the usage line, BadParameter the name).
            exc.message = terminal_safe(exc.message)  # type: ignore[misc]
            raise

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        command_line = read_command_line(args)
        ctx.meta[_COMMAND_LINE] = command_line
        try:
            return super().parse_args(ctx, command_line.for_click())
        except click.UsageError as exc:
            raise _one_line(exc, command_line) from None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """After the commands: where the app keeps its settings (worked out when the help is
        shown, as the file depends on the user and on ``READER_CONFIG``)."""
        from reader.settings import ENV_VAR, config_path

        formatter.write_paragraph()
        formatter.write_text(
            f"Settings (the theme chosen in the app) are kept in {config_path()}; "
            f"set {ENV_VAR} to use another file."
        )
        super().format_epilog(ctx, formatter)


# Where ReaderGroup keeps the first look at the arguments, for its error lines.
_COMMAND_LINE = "reader.command_line"


def _one_line(exc: click.UsageError, command_line: CommandLine | None) -> click.ClickException:
    """A usage error as the one line every other error is (``Error: …``, status 1), naming
    where the options are listed instead of printing the usage text. A first word that is no
    command and comes with more words (``reader rm x``) was not meant as a PATH to open: the
    line says it is no command."""
    if command_line is not None and command_line.word is not None:
        word = command_line.args[command_line.word]
        others = [a for a in command_line.args[command_line.word + 1 :] if not a.startswith("-")]
        if word not in COMMANDS and others and not os.path.lexists(word):
            return click.ClickException(
                terminal_safe(
                    f"{word}: no command, article or file of that name "
                    f"(commands: {', '.join(sorted(COMMANDS))})"
                )
            )
    where = exc.ctx.command_path if exc.ctx is not None else "reader"
    message = exc.format_message().rstrip(".")
    return click.ClickException(terminal_safe(f"{message} (see {where} --help)"))


@click.group(cls=ReaderGroup, invoke_without_command=True)
@workspace_option
@click.option(
    "--coder",
    help="Who is coding: recorded on every new highlight "
    "[default: $READER_CODER, else coder in the config file, else the login name].",
)
@click.version_option(package_name="reader")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None, coder: str | None) -> None:
    """Read articles and annotate them in the terminal.

    With no command, opens the app where you left off. `reader PATH` imports PATH if needed
    and opens it.
    """
    from reader import coders

    coders.option = coder
    launch.log_to_stderr()
    if ctx.invoked_subcommand not in (None, "open"):
        resume_gc()  # only the app's start-up runs without the garbage collector
    if ctx.invoked_subcommand is None:
        ctx.invoke(open_command, path=None, workspace=workspace)


@main.command("open")
@click.argument("path", required=False)
@workspace_option
@click.pass_context
def open_command(ctx: click.Context, path: str | None, workspace: Path | None) -> None:
    """Open the app; with PATH (a file or an article id), open that article."""
    try:
        store, article_id = launch.prepare(resolve_workspace(ctx, workspace).root, path)
    except launch.LaunchError as exc:
        raise click.ClickException(str(exc)) from None
    launch.run(store, article_id)


@main.command("import")
@click.argument("sources", nargs=-1, required=True)
@click.option(
    "--fetch-full",
    is_flag=True,
    help="For feed entries that hold only a summary, fetch the linked page.",
)
@workspace_option
@click.pass_context
def import_command(
    ctx: click.Context, sources: tuple[str, ...], fetch_full: bool, workspace: Path | None
) -> None:
    """Import articles from files, folders, URLs and RSS/Atom feeds.

    Markdown, plain text and HTML files; folders are searched for those and for feeds.
    PDF, EPUB and Word (.docx) files too.
    Reading-list exports (Pocket HTML or CSV, Instapaper CSV, Readwise CSV) and OPML feed
    lists: every link or feed in them is fetched and imported, its tags kept.
    Prints one line per article; a failure is one line on stderr and the rest still import.
    """
    from annotations.article_import import import_articles
    from corpus.sources import count_items

    ws = resolve_workspace(ctx, workspace)
    ensure_workspace(ws)
    store = open_store(ws)
    failed = 0
    total = count_items(list(sources))  # a reading list counts as its links
    progress = progress_bar(total)
    task = progress.add_task("importing", total=total) if progress else None

    def advance(done: int, _total: int) -> None:
        if progress is not None and task is not None:
            progress.update(task, completed=done, total=_total)

    with progress if progress is not None else _nothing():
        for outcome in import_articles(
            store, list(sources), fetch_full=fetch_full, on_item=advance
        ):
            if outcome.failed:
                failed += 1
                _echo(progress, f"Error: {outcome.line()}", err=True)
            else:
                _echo(progress, outcome.line())
    if failed:
        sys.exit(1)


def _echo(progress: Progress | None, line: str, err: bool = False) -> None:
    if progress is not None:
        line = terminal_safe(line)  # as echo() does
        progress.console.print(line, markup=False, highlight=False, style="red" if err else None)
    else:
        echo(line, err=err)


@main.command("import-annotations")
@click.argument("path", type=click.Path(path_type=Path))
@workspace_option
@click.pass_context
def import_annotations_command(ctx: click.Context, path: Path, workspace: Path | None) -> None:
    """Merge highlights from native JSON, W3C JSON-LD, doccano JSONL, a REFI-QDA project
    (.qdpx) or Hypothesis JSON into the workspace.

    Articles are matched by id, then URL, then (doccano) text; a doccano text the workspace
    does not hold becomes a new article. Highlights already present (the same id, or the same
    span with the same tags) are skipped; quotes are found again on the local text. The
    summary counts what could not be placed; when nothing could be, the exit status is 1.
    A bad file changes nothing.
    """
    from annotations.formats.importing import merge, read_annotations

    store = open_store(resolve_workspace(ctx, workspace))
    try:
        incoming = read_annotations(path)
        report = merge(store, incoming)
    except (StoreError, ArticleFormatError, ArticleNotFound) as exc:
        message = str(exc)  # the file, and the field or the workspace file at fault
        if str(path) not in message:
            message = f"{path}: not imported: {message}"
        raise click.ClickException(message) from None
    except OSError as exc:
        raise click.ClickException(f"{path}: not imported: {os_error(exc)}") from None
    for article_id in report.articles_created:
        echo(f"created article {article_id}")
    summary = (
        f"imported {count(report.added, 'highlight')} from {path} ({incoming.format}); "
        f"{report.already_there} already there"
    )
    if report.skipped:
        reasons = []
        if report.unknown_articles:
            articles = count(len(report.unknown_articles), "article")
            reasons.append(f"{report.unknown_highlights} in {articles} not in the workspace")
        if report.unanchored:
            reasons.append(f"{count(len(report.unanchored), 'quote')} not found")
        summary += f"; {report.skipped} skipped ({', '.join(reasons)})"
    memos = report.memo_phrase()
    echo(summary + (f"; {memos}" if memos else ""))
    for joined in report.memos_joined:
        echo(f"joined: {path}: the memo of {joined} is below the different one it had", err=True)
    for remark in incoming.remarks:
        echo(f"skipped: {path}: {remark}", err=True)
    for article in report.unknown_articles:
        echo(f"skipped: {path}: article {article} is not in the workspace", err=True)
    for article_id, quote in report.unanchored:
        excerpt = quote if len(quote) <= 60 else quote[:59] + "…"
        echo(f"skipped: {path}: quote not found in {article_id}: {excerpt!r}", err=True)
    if report.placed_nothing:
        why = (
            f"none of its {count(report.skipped, 'highlight')} could be placed"
            if report.skipped
            else "none of its articles is in the workspace"
        )
        raise click.ClickException(f"{path}: nothing imported: {why}")


@main.command("doctor")
@click.option("--repair", is_flag=True, help="Fix what is safe to fix, and say what was done.")
@click.option(
    "--backups",
    "list_backups",
    is_flag=True,
    help="List the backups of article texts that imports replaced (backups/articles).",
)
@click.option(
    "--restore",
    metavar="ID|BACKUP",
    help="Put back an article's text: its newest backup, or the backup file named.",
)
@workspace_option
@click.pass_context
def doctor_command(
    ctx: click.Context,
    repair: bool,
    list_backups: bool,
    restore: str | None,
    workspace: Path | None,
) -> None:
    """Check every file of the workspace: articles, annotations, orphans, leftovers.

    Exit status 1 when a problem remains; orphans (highlights whose quote is no longer in the
    text) are listed but are not problems: they are kept until you re-attach them.
    With --backups or --restore, only lists or restores article backups. A restore backs up
    the text it replaces first (so restoring the same article again undoes it) and moves
    the article's highlights onto the restored text.
    """
    from annotations.backups import backups
    from annotations.doctor import check

    ws = resolve_workspace(ctx, workspace)
    if not ws.exists():
        raise click.ClickException(f"{ws.root}: not a workspace (no articles folder)")
    if list_backups or restore:
        _article_backups(ws, list_backups, restore)
        return
    result = check(ws, repair=repair)
    remaining = 0
    for finding in result.findings:
        if finding.kind == "orphan":
            echo(f"orphan: {finding.message}")
            continue
        fixed = repair and finding.repairable
        remaining += not fixed
        note = " (repaired)" if fixed else " (--repair fixes this)" if finding.repairable else ""
        echo(f"problem: {finding.message}{note}", err=not fixed)
    for line in result.repaired:
        echo(f"repaired: {line}")
    archives = backups(ws)
    newest = archives[-1].name if archives else "none"
    echo(
        f"checked {count(result.articles, 'article')} and {count(result.highlights, 'highlight')}: "
        f"{count(remaining, 'problem')} left; {count(len(archives), 'backup')} "
        f"(newest: {newest})"
    )
    if remaining:
        sys.exit(1)


def _article_backups(ws: Workspace, list_them: bool, restore: str | None) -> None:
    """``reader doctor --backups`` and ``--restore``."""
    from annotations.article_import import restore_article
    from corpus.article_backups import article_backups

    if list_them:
        found = article_backups(ws)
        for backup in found:
            try:
                title = parse_article(backup.article_id, backup.path.read_text("utf-8")).title
            except (OSError, UnicodeDecodeError, ArticleFormatError) as exc:
                title = f"(unreadable: {exc})"
            echo(f"{backup.name}  {backup.time}  {backup.article_id}: {title}")
        echo(f"{count(len(found), 'article backup')} in {ws.article_backups_dir}")
    if restore:
        try:
            restored = restore_article(open_store(ws), restore)
        except StoreError as exc:
            raise click.ClickException(str(exc)) from None
        echo(restored.line())


@main.command("samples")
@workspace_option
@click.pass_context
def samples_command(ctx: click.Context, workspace: Path | None) -> None:
    """Copy the bundled sample articles into the workspace."""
    ws = resolve_workspace(ctx, workspace)
    ensure_workspace(ws, samples=True)
    try:
        from corpus.sample_corpus import install_samples

        results = install_samples(Library(ws))
    except (OSError, ArticleFormatError) as exc:
        raise click.ClickException(os_error(exc)) from None
    for result in results:
        # As `reader import` says it: the id to type, and the title that says which it is.
        echo(f"{result.status} {result.article.id}: {result.article.title}")


def _date_bound(value: str | None) -> str | None:
    from annotations.filtering import check_date

    try:
        return None if value is None else check_date(value)
    except ValueError as exc:
        raise click.ClickException(str(exc)) from None


def _known_tags(store: AnnotationStore, wanted: Iterable[str]) -> None:
    """Refuse a tag filter that no tag answers to (a typo would list or export nothing)."""
    from annotations.filtering import tag_matches

    try:
        names: set[str] = store.tag_names()
        for tag in wanted:
            if not any(tag_matches(name, tag) for name in names):
                names |= store.tag_counts().keys()  # the highlights' own, read only now
                if not any(tag_matches(name, tag) for name in names):
                    raise click.ClickException(f"no tag {tag!r} (reader tags lists them)")
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None


@main.command("list")
@click.option("--json", "as_json", is_flag=True, help="One JSON array of articles.")
@click.option("--tag", help="Only articles with a highlight tagged TAG (or a tag nested in it).")
@click.option("--unread", is_flag=True, help="Only articles not opened yet.")
@click.option("--annotated", is_flag=True, help="Only articles with highlights.")
@click.option("--source", help="Only articles from this site (or author, when there is no site).")
@click.option("--since", help="Only articles published on or after YYYY[-MM[-DD]].")
@click.option("--until", help="Only articles published on or before YYYY[-MM[-DD]].")
@click.option(
    "--coder",
    "coders",
    multiple=True,
    help="Only articles with a highlight this coder made (repeatable).",
)
@click.option("--archived", is_flag=True, help="Only archived articles (hidden otherwise).")
@click.option("--with-archived", is_flag=True, help="Archived articles too.")
@workspace_option
@click.pass_context
def list_command(
    ctx: click.Context,
    as_json: bool,
    tag: str | None,
    unread: bool,
    annotated: bool,
    source: str | None,
    since: str | None,
    until: str | None,
    coders: tuple[str, ...],
    archived: bool,
    with_archived: bool,
    workspace: Path | None,
) -> None:
    """List the articles: id, highlight count, title. Archived articles are left out unless
    --archived (only them) or --with-archived (them too) is given."""
    from annotations.filtering import ArticleFilter, ListedArticle, filter_articles, tags_by_article

    wanted = ArticleFilter(
        tag=tag,
        unread=unread,
        annotated=annotated,
        source=source,
        since=_date_bound(since),
        until=_date_bound(until),
        archived="only" if archived else "shown" if with_archived else "hidden",
    )
    store = open_store(resolve_workspace(ctx, workspace))
    if tag is not None:
        _known_tags(store, [tag])
    # The whole list, unfiltered, is kept as printed (annotations.list_cache), with what it was
    # made from taken before any file is read: reader.startup gives it while that is unchanged.
    made_from = None
    if as_json and not (wanted.active or coders):
        from annotations.list_cache import taken

        made_from = taken(str(store.workspace.root))
    unreadable: list[str] = []
    try:
        # The caches the app's list reads: front matter and highlight counts kept by file
        # stamp, so 10,000 articles are not parsed again (issue 22).
        from annotations.counts import highlight_counts

        counts = highlight_counts(store)
        states = store.states()
        tags = tags_by_article(store) if wanted.needs_tags else None
        summaries = store.library.summaries(unreadable, log_problems=False)
        readable = {s.id: s for s in sorted(summaries, key=lambda s: s.id)}
    except (StoreError, ArticleFormatError) as exc:
        raise click.ClickException(str(exc)) from None
    listed = [
        ListedArticle(
            id=a.id,
            source=a.source,
            published=a.published or "",
            read=states[a.id].read if a.id in states else False,
            highlights=counts.get(a.id, 0),
            archived=states[a.id].archived if a.id in states else False,
        )
        for a in readable.values()
    ]
    articles = [readable[row.id] for row in filter_articles(listed, wanted, tags)]
    if coders:
        coded = {
            article_id
            for article_id, highlights in store.stored_by_article()
            if any(h.coder in coders for h in highlights)
        }
        articles = [a for a in articles if a.id in coded]
    if as_json:
        rows = [
            {
                "id": a.id,
                "title": a.title,
                "author": a.author,
                "site": a.site,
                "url": a.url,
                "published": a.published,
                "highlights": counts.get(a.id, 0),
                "read": states[a.id].read if a.id in states else False,
                "archived": states[a.id].archived if a.id in states else False,
            }
            for a in articles
        ]
        text = rows_json(rows)
        if made_from is not None and made_from[1] and not unreadable:
            from annotations.list_cache import save

            with contextlib.suppress(UnicodeEncodeError):  # never for escape_json's text
                save(str(store.workspace.root), made_from[0], f"{text}\n".encode())
        click.echo(text)
    else:
        width = max((len(a.id) for a in articles), default=2)
        for a in articles:
            echo(f"{a.id:<{width}}  {counts.get(a.id, 0):>4}  {a.title}")
    # The readable articles are listed; each unreadable one is an error line, and status 1.
    for error in unreadable:
        echo(f"Error: {error}", err=True)
    if unreadable:
        sys.exit(1)


@main.command("annotate")
@click.argument("article_id", callback=article_ids)
@click.option(
    "--quote",
    required=True,
    help="Text to highlight, as it reads (curly and straight quote marks and apostrophes, "
    "and any white space, are alike).",
)
@click.option(
    "--occurrence",
    type=click.IntRange(min=1),
    help="Which occurrence of the quote to highlight [default: the first, and if there are "
    "more, stderr says so].",
)
@click.option("--tag", "tags", multiple=True, help="Tag to add (repeatable).")
@click.option("--note", default="", help="A note on the highlight.")
@workspace_option
@click.pass_context
def annotate_command(
    ctx: click.Context,
    article_id: str,
    quote: str,
    occurrence: int | None,
    tags: tuple[str, ...],
    note: str,
    workspace: Path | None,
) -> None:
    """Highlight a quote in an article; prints the new highlight's id (or, when the quote is
    already highlighted with these tags, the existing one's, and says so on stderr)."""
    from corpus.quotes import find_quote

    if not quote.strip():
        raise click.ClickException("the quote is empty")
    store = open_store(resolve_workspace(ctx, workspace))
    try:
        text = store.library.display(article_id).text
    except (ArticleNotFound, ArticleFormatError) as exc:
        raise click.ClickException(str(exc)) from None
    found = find_quote(text, quote)
    if not found:
        raise click.ClickException(f"quote not found in {article_id}: {quote[:60]!r}")
    if occurrence is not None and occurrence > len(found):
        raise click.ClickException(
            f"quote occurs {count(len(found), 'time')} in {article_id}, not {occurrence}"
        )
    start, end = found[(occurrence or 1) - 1]
    if occurrence is None and len(found) > 1:
        echo(
            f"quote occurs {count(len(found), 'time')} in {article_id}; took the first "
            f"(characters {start}-{end}); --occurrence N takes another",
            err=True,
        )
    try:
        highlight = store.add_highlight(article_id, start, end, tags=tags, note=note)
    except DuplicateHighlight as exc:
        # Exit 0 with the existing id: what was asked for holds, and a script run again
        # (or a `set -e` one) gets the id it would have got the first time.
        echo(str(exc), err=True)
        highlight = exc.existing
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    echo(highlight.id)


@main.command("screenshot")
@click.argument("output", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--size", default="120x36", show_default=True, help="Terminal size, WIDTHxHEIGHT.")
@click.option(
    "--demo/--no-demo",
    default=True,
    show_default=True,
    help="Use a throwaway workspace with the sample corpus (else --workspace's).",
)
@workspace_option
@click.pass_context
def screenshot_command(
    ctx: click.Context, output: Path, size: str, demo: bool, workspace: Path | None
) -> None:
    """Save an SVG screenshot of the main screen, taken by the app."""
    try:
        width, height = (int(n) for n in size.lower().split("x"))
    except ValueError:
        raise click.BadParameter(f"{size!r} is not WIDTHxHEIGHT", param_hint="--size") from None
    from reader.screenshot import take_screenshot

    # The workspace's store is opened here, so a broken workspace is the one-line error every
    # command gives, not a traceback from inside the app.
    store = None if demo else open_store(resolve_workspace(ctx, workspace))
    take_screenshot(output, (width, height), store)
    echo(f"wrote {output}")


def _nothing() -> contextlib.nullcontext[None]:
    return contextlib.nullcontext()


def _since(value: str | None) -> dt.datetime | None:
    if value is None:
        return None
    try:
        return parse_time(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date (use YYYY-MM-DD)") from None


def _until(value: str | None) -> dt.datetime | None:
    from annotations.formats.selection import date_bound

    if value is None:
        return None
    try:
        return date_bound(value, end=True)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(FORMATS)),
    help="The format [default: the one the extension of -o names (.csv, .jsonld, .md…), "
    "else json].",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(path_type=Path),
    help="File to write (default: standard output). An existing file is not replaced.",
)
@click.option("--force", is_flag=True, help="Replace the -o file if it exists.")
@click.option(
    "--article",
    "articles",
    multiple=True,
    callback=article_ids,
    help="Only this article (repeatable).",
)
@click.option("--tag", "tags", multiple=True, help="Only highlights with this tag (repeatable).")
@click.option("--since", help="Only highlights changed on or after this date.")
@click.option(
    "--until", help="Only highlights changed on or before this date (YYYY[-MM[-DD]]: all of it)."
)
@click.option(
    "--coder",
    "coders",
    multiple=True,
    help='Only highlights this coder made (repeatable; "" for those with no coder).',
)
@workspace_option
@click.pass_context
def export_command(
    ctx: click.Context,
    fmt: str | None,
    output: Path | None,
    force: bool,
    articles: tuple[str, ...],
    tags: tuple[str, ...],
    since: str | None,
    until: str | None,
    coders: tuple[str, ...],
    workspace: Path | None,
) -> None:
    """Export highlights, tags, notes and memos.

    With -o and no --format, the file's extension picks the format (.json native, .jsonld W3C,
    .md Markdown, .csv, .jsonl doccano, .qdc, .qdpx, .html); an extension of another format than
    --format's is an error. An existing file is replaced only with --force. --format obsidian
    writes a folder (an Obsidian vault), updating reader's part of its notes in place.
    """
    from annotations.formats.export import check, export

    # The checks that need no workspace come first: a mistyped name opens nothing.
    refused = check(output, fmt) if output is not None else None
    if refused is None:
        store = open_store(resolve_workspace(ctx, workspace))
        _known_tags(store, tags)
        filters = Filters(
            articles=articles,
            tags=tags,
            since=_since(since),
            until=_until(until),
            coders=coders,
        )
        result = export(store, output, fmt, filters, replace=force)
    else:
        result = refused
    if result.refused is not None:
        hint = _EXPORT_HINTS.get(result.refusal or "", "")
        raise click.ClickException(result.refused + hint)
    if output is None:
        assert result.data is not None
        try:
            write_data(result.data)
        except OSError as exc:
            raise click.ClickException(
                f"standard output: cannot write ({exc.strerror or exc})"
            ) from None
    else:
        echo(result.line(), err=True)
    # The rest is exported; what could not be read is named, and the status says so.
    if result.left_out is not None:
        echo(result.left_out, err=True)
        sys.exit(1)


# What the command line adds to an export's refusal: how to get past it here.
_EXPORT_HINTS = {"format": " or leave out --format", "exists": " (--force replaces it)"}


main.add_command(tags_group)
main.add_command(search_command)
main.add_command(code_command)
main.add_command(init_git_command)
main.add_command(merge_driver_command)
main.add_command(agree_command)
main.add_command(merge_command)
main.add_command(serve_command)
for _command in ARTICLE_COMMANDS:
    main.add_command(_command)
highlights_group.add_command(delete_highlights_command)
main.add_command(highlights_group)
