"""``reader merge SOURCE``: bring another workspace folder, or a native JSON export, into this
one (:mod:`annotations.workspace_merge`), or with ``--dry-run`` say what that would do."""

from __future__ import annotations

from pathlib import Path

import click

from annotations.storage import StoreError
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from reader.cli_common import (
    echo,
    echo_json,
    open_store,
    os_error,
    resolve_workspace,
    workspace_option,
)


@click.command("merge")
@click.argument("source", type=click.Path(path_type=Path))
@click.option("--dry-run", is_flag=True, help="Say what the merge would do; write nothing.")
@click.option("--json", "as_json", is_flag=True, help="The summary as one JSON object.")
@workspace_option
@click.pass_context
def merge_command(
    ctx: click.Context, source: Path, dry_run: bool, as_json: bool, workspace: Path | None
) -> None:
    """Merge another workspace folder, or a native JSON export, into this workspace.

    Articles are matched by id (the same URL, or the same text), then URL, then text; a
    workspace's article not here is copied in. Highlights are unioned by id: one changed on
    both sides keeps the later version, and the other goes in the file's "conflicts" table.
    Tag and article memos are joined; our tag colours and reading state stay. SOURCE is only
    read. All or nothing: a problem changes nothing.
    """
    from annotations.workspace_merge import merge_source

    store = open_store(resolve_workspace(ctx, workspace))
    try:
        plan = merge_source(store, source, dry_run=dry_run)
    except (StoreError, ArticleFormatError, ArticleNotFound) as exc:
        message = str(exc)
        if str(source) not in message:
            message = f"{source}: not merged: {message}"
        raise click.ClickException(message) from None
    except OSError as exc:
        raise click.ClickException(f"{source}: not merged: {os_error(exc)}") from None
    if as_json:
        echo_json({"dry_run": dry_run, **plan.to_json()})
        return
    for line in plan.lines(dry_run):
        echo(line)
