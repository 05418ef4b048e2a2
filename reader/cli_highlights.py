"""``reader highlights``: every highlight of the workspace (or of some articles or tags), one
per line or as JSON Lines; a group, so commands on highlights can be added under it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotations.filtering import tag_matches
from annotations.highlights_view import highlights_view
from annotations.model import Highlight
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from reader.cli_common import (
    article_ids,
    echo,
    echo_json,
    open_store,
    resolve_workspace,
    workspace_option,
)
from reader.cli_history import delete_command

# The keys of each JSON line, in this order: a stable interface for scripts (docs/cli.md).
JSON_KEYS = ("id", "article_id", "start", "end", "quote", "tags", "note", "created")
QUOTE_SHOWN = 60  # characters of a quote on a plain line


def json_record(highlight: Highlight) -> dict[str, Any]:
    """A highlight as one line of ``reader highlights --json`` holds it."""
    return {key: getattr(highlight, key) for key in JSON_KEYS}


def plain_line(highlight: Highlight) -> str:
    """``id  article:start-end  “quote”  #tags  note``: one line, the quote shortened."""
    quote = " ".join(highlight.quote.split())
    if len(quote) > QUOTE_SHOWN:
        quote = quote[: QUOTE_SHOWN - 1] + "…"
    parts = [
        highlight.id,
        f"{highlight.article_id}:{highlight.start}-{highlight.end}",
        f"“{quote}”",
    ]
    if highlight.tags:
        parts.append(" ".join(f"#{name}" for name in highlight.tags))
    if highlight.note:
        parts.append(" ".join(highlight.note.split()))
    if highlight.orphaned:
        parts.append("(orphaned: not in the text)")
    return "  ".join(parts)


def _check_tags(store: AnnotationStore, wanted: tuple[str, ...]) -> None:
    """Refuse a tag no tag answers to, as ``reader list`` and ``reader export`` do: a typo
    would list nothing."""
    if not wanted:
        return
    names = store.tag_names() | store.tag_counts().keys()
    for tag in wanted:
        if not any(tag_matches(name, tag) for name in names):
            raise click.ClickException(f"no tag {tag!r} (reader tags lists them)")


@click.group("highlights", invoke_without_command=True)
@click.option(
    "--article",
    "articles",
    multiple=True,
    callback=article_ids,
    help="Only this article's highlights (repeatable).",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    help="Only highlights with this tag or one nested in it (repeatable).",
)
@click.option(
    "--coder",
    "coders",
    multiple=True,
    help='Only highlights this coder made (repeatable; "" for those with no coder).',
)
@click.option("--json", "as_json", is_flag=True, help="JSON Lines: one object per highlight.")
@workspace_option
@click.pass_context
def highlights_group(
    ctx: click.Context,
    articles: tuple[str, ...],
    tags: tuple[str, ...],
    coders: tuple[str, ...],
    as_json: bool,
    workspace: Path | None,
) -> None:
    """List highlights, article by article (in id order), each in document order.

    A line: id, article:start-end, the quote, its tags and note. With --json, one JSON object
    a line with exactly the keys id, article_id, start, end, quote, tags, note, created; start
    and end are offsets into the article's display text, so text[start:end] is the quote.
    """
    if ctx.invoked_subcommand is not None:
        return
    store = open_store(resolve_workspace(ctx, workspace))
    try:
        _check_tags(store, tags)
        view = highlights_view(
            store, articles=articles, tags=tags, by="article", check=True, coders=coders
        )
    except ArticleNotFound as exc:
        raise click.ClickException(f"--article: {exc}") from None
    except (StoreError, ArticleFormatError) as exc:
        raise click.ClickException(str(exc)) from None
    for item in view.items:
        if as_json:
            echo_json(json_record(item.highlight))
        else:
            echo(plain_line(item.highlight))
    for problem in view.problems:
        echo(f"left out: {problem}", err=True)
    if view.problems:
        ctx.exit(1)


highlights_group.add_command(delete_command)  # reader highlights delete (reader/cli_history.py)
