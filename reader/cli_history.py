"""``reader highlights delete``: delete highlights by id from the command line, each kept in the
workspace's undo history (annotations/history.json), so ``u`` in the app brings it back.

:data:`delete_command` is a subcommand of the ``highlights`` group (reader/cli_highlights.py
lists highlights).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from annotations.history import delete_highlights
from annotations.model import HIGHLIGHT_ID_RULE, is_valid_highlight_id
from annotations.storage import StoreError
from corpus.terminal_safe import terminal_safe
from reader.cli_common import echo, echo_json, open_store, resolve_workspace, workspace_option
from reader.wording import count, excerpt


def _highlight_ids(ctx: click.Context, param: click.Parameter, value: tuple[str, ...]) -> Any:
    """Click callback: an id no highlight could have stops the command, naming it."""
    for given in value:
        if not is_valid_highlight_id(given):
            raise click.ClickException(f"{given!r}: not a highlight id ({HIGHLIGHT_ID_RULE})")
    return value


@click.command("delete")
@click.argument("highlight_ids", metavar="ID...", nargs=-1, required=True, callback=_highlight_ids)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per deleted highlight.")
@workspace_option
@click.pass_context
def delete_command(
    ctx: click.Context, highlight_ids: tuple[str, ...], as_json: bool, workspace: Path | None
) -> None:
    """Delete highlights by id (all or none: an unknown id deletes nothing).

    Each deletion is kept in the workspace's undo history: u in the app (or in a later
    session) brings the newest back.
    """
    # --workspace may follow the command, `highlights`, or `reader` itself.
    group: Path | None = ctx.parent.params.get("workspace") if ctx.parent else None
    store = open_store(resolve_workspace(ctx, workspace or group))
    try:
        result = delete_highlights(store, highlight_ids)
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for h in result.highlights:
        if as_json:
            echo_json({"id": h.id, "article_id": h.article_id, "quote": h.quote})
        else:
            echo(terminal_safe(f"deleted {h.id} in {h.article_id}: “{excerpt(h.quote)}”"))
    if result.not_recorded is not None:
        echo(f"Warning: not kept in the undo history: {result.not_recorded}", err=True)
    elif not as_json:
        many = len(result.highlights) > 1
        echo(
            f"{count(len(result.highlights), 'highlight')} deleted; "
            f"u in the app brings {'them back one by one' if many else 'it back'}."
        )
