"""``reader list`` and ``reader export``: the articles, or their highlights, picked by tag,
date and coder. Loaded by :mod:`reader.cli` only when one of them is run.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Iterable
from pathlib import Path

import click

from annotations.formats.registry import FORMATS
from annotations.formats.selection import Filters
from annotations.model import parse_time
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from reader.cli_common import (
    article_ids,
    echo,
    open_store,
    resolve_workspace,
    rows_json,
    workspace_option,
    write_data,
)


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


@click.command("list")
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


@click.command("export")
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
