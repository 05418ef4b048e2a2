"""``reader annotate``: highlight a quote in an article from the command line. Loaded by
:mod:`reader.cli` only when it is run, and importing only what adding one highlight needs: the
store, the article's text and the quote finder (a script that annotates in a loop starts a
process per highlight).
"""

from __future__ import annotations

from pathlib import Path

import click

from annotations.storage import StoreError
from annotations.store import DuplicateHighlight
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from reader.cli_common import article_ids, echo, open_store, resolve_workspace, workspace_option
from reader.wording import count


@click.command("annotate")
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
