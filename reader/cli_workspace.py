"""``reader open``, ``import``, ``import-annotations``, ``doctor``, ``samples`` and
``screenshot``: the commands that open, fill, check or picture a workspace. Loaded by
:mod:`reader.cli` only when one of them is run (or its help is asked for).
"""

from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import click

from annotations.storage import StoreError
from corpus.article import ArticleFormatError, parse_article
from corpus.library import ArticleNotFound, Library
from corpus.terminal_safe import terminal_safe
from corpus.workspace import Workspace
from reader import launch
from reader.cli_common import (
    echo,
    ensure_workspace,
    open_store,
    os_error,
    progress_bar,
    resolve_workspace,
    workspace_option,
)
from reader.wording import count

if TYPE_CHECKING:  # rich.progress is imported only for an import in a terminal
    from rich.progress import Progress


@click.command("open")
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


@click.command("import")
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


@click.command("import-annotations")
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


@click.command("doctor")
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


@click.command("samples")
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


@click.command("screenshot")
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
