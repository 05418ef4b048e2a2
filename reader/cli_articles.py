"""Article management from the command line: ``reader show``, ``delete`` (to the trash),
``restore``, ``archive`` / ``unarchive``, ``mark`` (read or unread), ``memo`` and ``details``.

Each command checks every id it is given first: an id with no article (or, for ``restore``,
with nothing in the trash) stops it with one line, exit 1, before anything is changed.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from corpus.terminal_safe import terminal_safe
from reader.cli_common import (
    article_ids,
    echo,
    echo_json,
    open_store,
    os_error,
    resolve_workspace,
    workspace_option,
    write_data,
)

if TYPE_CHECKING:
    from annotations.trash import TrashResult


def _store(ctx: click.Context, workspace: Path | None) -> AnnotationStore:
    return open_store(resolve_workspace(ctx, workspace))


def _known(store: AnnotationStore, ids: tuple[str, ...]) -> None:
    """Stop, changing nothing, when any id names no article."""
    for article_id in ids:
        if article_id not in store.library:
            raise click.ClickException(f"{ArticleNotFound(article_id)}; nothing changed")


def _title(store: AnnotationStore, article_id: str) -> str:
    try:
        return store.library.get(article_id).title
    except (ArticleNotFound, ArticleFormatError):
        return article_id


def _write_text(text: str) -> None:
    """Write an article's text as it is: byte for byte into a file or a pipe, with no line
    break added (offsets index into it); on a terminal, made safe to show and ended by a line
    break, as every export is (:func:`reader.cli_common.write_data`)."""
    terminal = sys.stdout.isatty()
    write_data((text + ("\n" if terminal and not text.endswith("\n") else "")).encode("utf-8"))


@click.command("show")
@click.argument("article_id", callback=article_ids)
@click.option("--markdown", is_flag=True, help="The stored Markdown body instead.")
@click.option("--highlights", "marked", is_flag=True, help="Mark highlights inline: [[…]]{#tag}.")
@workspace_option
@click.pass_context
def show_command(
    ctx: click.Context, article_id: str, markdown: bool, marked: bool, workspace: Path | None
) -> None:
    """Print an article's display text exactly: the text every export's start and end index
    into (nothing is added in a file or a pipe). --markdown prints its Markdown body instead;
    --highlights marks each highlight as [[passage]]{#tag #tag}."""
    from annotations.article_text import marked_text

    if markdown and marked:
        raise click.ClickException("--markdown and --highlights cannot be used together")
    store = _store(ctx, workspace)
    try:
        if markdown:
            text = store.library.get(article_id).body
        else:
            text = store.library.display(article_id).text
            if marked:
                text = marked_text(text, store.highlights(article_id))
    except (ArticleNotFound, ArticleFormatError, StoreError) as exc:
        raise click.ClickException(str(exc)) from None
    _write_text(text)


@click.command("delete")
@click.argument("ids", nargs=-1, required=True, callback=article_ids)
@workspace_option
@click.pass_context
def delete_command(ctx: click.Context, ids: tuple[str, ...], workspace: Path | None) -> None:
    """Move articles to the trash, with their highlights, state and memo (reader restore
    brings them back)."""
    from annotations.trash import delete_articles

    store = _store(ctx, workspace)
    _known(store, ids)
    _report(_trash_call(lambda: delete_articles(store, ids)))


def _trash_call(call: Callable[[], TrashResult]) -> TrashResult:
    """Run a trash operation; what the store or the file system refuses is one line."""
    try:
        return call()
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    except OSError as exc:  # os_error names the file
        raise click.ClickException(os_error(exc)) from None


def _report(result: TrashResult) -> None:
    lines, problems = result.lines(), result.problems
    for line in lines:
        echo(line)
    if problems:
        for problem in problems[:-1]:
            echo(f"Error: {problem}", err=True)
        raise click.ClickException(problems[-1])


@click.command("restore")
@click.argument("ids", nargs=-1, callback=article_ids)
@click.option("--list", "list_them", is_flag=True, help="List the trash instead, newest first.")
@click.option("--json", "as_json", is_flag=True, help="With --list: one JSON array.")
@workspace_option
@click.pass_context
def restore_command(
    ctx: click.Context,
    ids: tuple[str, ...],
    list_them: bool,
    as_json: bool,
    workspace: Path | None,
) -> None:
    """Bring deleted articles back from the trash (the newest copy of each), with their
    highlights where they were. --list shows what the trash holds."""
    from annotations.trash import restore_articles, trashed

    if list_them == bool(ids):
        raise click.ClickException("give article ids to restore, or --list (not both)")
    store = _store(ctx, workspace)
    entries = trashed(store)
    if list_them:
        if as_json:
            echo_json([e.to_json() for e in entries], indent=2)
            return
        width = max((len(e.article_id) for e in entries), default=2)
        for e in entries:
            echo(f"{e.article_id:<{width}}  {e.deleted}  {e.highlights:>4}  {e.title}")
        return
    held = {e.article_id for e in entries}
    for article_id in ids:
        if article_id not in held:
            raise click.ClickException(
                f"{article_id!r} is not in the trash (reader restore --list shows it); "
                "nothing changed"
            )
    _report(_trash_call(lambda: restore_articles(store, ids)))


def _set_archived(
    ctx: click.Context, ids: tuple[str, ...], archived: bool, ws: Path | None
) -> None:
    store = _store(ctx, ws)
    _known(store, ids)
    try:
        store.set_archived(ids, archived)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for article_id in dict.fromkeys(ids):
        echo(
            f"{'archived' if archived else 'unarchived'} {article_id}: {_title(store, article_id)}"
        )


@click.command("archive")
@click.argument("ids", nargs=-1, required=True, callback=article_ids)
@click.option("--undo", is_flag=True, help="Unarchive them: listed and searched again.")
@workspace_option
@click.pass_context
def archive_command(
    ctx: click.Context, ids: tuple[str, ...], undo: bool, workspace: Path | None
) -> None:
    """Archive articles: left out of reader list, search and the app's list unless asked for
    (reader list --archived)."""
    _set_archived(ctx, ids, not undo, workspace)


@click.command("unarchive")
@click.argument("ids", nargs=-1, required=True, callback=article_ids)
@workspace_option
@click.pass_context
def unarchive_command(ctx: click.Context, ids: tuple[str, ...], workspace: Path | None) -> None:
    """Bring archived articles back into the list and search (reader archive --undo)."""
    _set_archived(ctx, ids, False, workspace)


@click.command("mark")
@click.argument("ids", nargs=-1, required=True, callback=article_ids)
@click.option("--read/--unread", "read", default=None, help="Mark them read, or unread.")
@workspace_option
@click.pass_context
def mark_command(
    ctx: click.Context, ids: tuple[str, ...], read: bool | None, workspace: Path | None
) -> None:
    """Mark articles read (--read) or unread (--unread)."""
    if read is None:
        raise click.ClickException("say --read or --unread")
    store = _store(ctx, workspace)
    _known(store, ids)
    try:
        store.set_read(ids, read)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for article_id in dict.fromkeys(ids):
        echo(f"{'read' if read else 'unread'} {article_id}: {_title(store, article_id)}")


@click.command("memo")
@click.argument("article_id", callback=article_ids)
@click.argument("text", required=False)
@click.option("--clear", is_flag=True, help="Remove the memo.")
@click.option("--json", "as_json", is_flag=True, help="Show it as JSON: id, title, memo.")
@workspace_option
@click.pass_context
def memo_command(
    ctx: click.Context,
    article_id: str,
    text: str | None,
    clear: bool,
    as_json: bool,
    workspace: Path | None,
) -> None:
    """Show an article's memo, or set it to TEXT ("-" reads it from standard input).
    --clear removes it."""
    if clear and text is not None:
        raise click.ClickException("give TEXT or --clear, not both")
    store = _store(ctx, workspace)
    _known(store, (article_id,))
    if text is None and not clear:
        memo = store.state(article_id).memo
        if as_json:
            echo_json({"id": article_id, "title": _title(store, article_id), "memo": memo})
        elif memo:
            # Its lines are the memo's: shown as lines, each made safe for a terminal.
            click.echo(terminal_safe(memo, multiline=True))
        return
    if text == "-":
        text = sys.stdin.read()
    try:
        store.set_memo(article_id, "" if clear else (text or "").rstrip("\n"))
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    lines = 0 if clear else len((text or "").rstrip("\n").splitlines())
    if lines:
        echo(f"memo of {article_id} set ({lines} line{'s' * (lines != 1)})")
    else:
        echo(f"memo of {article_id} cleared")


@click.command("details")
@click.argument("article_id", callback=article_ids)
@click.option("--title", help="A new title (it cannot be empty).")
@click.option("--author", help='The author ("" removes it).')
@click.option("--site", help='The site or publication: the list\'s source ("" removes it).')
@click.option("--published", help='The date: YYYY, YYYY-MM or YYYY-MM-DD ("" removes it).')
@click.option("--json", "as_json", is_flag=True, help="Show the details as one JSON object.")
@workspace_option
@click.pass_context
def details_command(
    ctx: click.Context,
    article_id: str,
    title: str | None,
    author: str | None,
    site: str | None,
    published: str | None,
    as_json: bool,
    workspace: Path | None,
) -> None:
    """Show an article's details (title, author, site, publication date, URL), or change
    them; the text and its highlights stay as they are, and u in the app undoes a change."""
    from annotations.article_details import FIELDS, Details, DetailsError
    from annotations.history import edit_details

    store = _store(ctx, workspace)
    _known(store, (article_id,))
    asked = {"title": title, "author": author, "site": site, "published": published}
    changes = {name: value for name, value in asked.items() if value is not None}
    if not changes:
        try:
            article = store.library.get(article_id)
        except ArticleFormatError as exc:
            raise click.ClickException(str(exc)) from None
        details = Details.of(article)
        if as_json:
            echo_json({"id": article_id} | details.to_dict() | {"url": article.url})
            return
        for name in FIELDS:
            echo(f"{name}: {details.get(name) or ''}".rstrip())
        echo(f"url: {article.url or ''}".rstrip())
        if details.edited:
            echo(f"set by hand, kept when an import updates it: {', '.join(details.edited)}")
        return
    try:
        done = edit_details(store, article_id, changes)
    except (DetailsError, ArticleFormatError) as exc:
        raise click.ClickException(f"{exc}; nothing changed") from None
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    if as_json:
        echo_json({"id": article_id} | done.after.to_dict())
    elif done.changed:
        echo(f"{article_id}: changed the {done.what}")
    else:
        echo(f"{article_id}: nothing to change")
    if done.not_recorded:
        echo(f"not kept in the undo history: {done.not_recorded}", err=True)
