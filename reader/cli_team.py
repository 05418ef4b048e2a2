"""Commands for sharing a workspace through git: ``reader init-git`` sets the workspace up,
and ``reader merge-driver`` is the merge driver git runs for the annotation files."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import click

from annotations.git_setup import init_git
from annotations.merging import NotMergeable, merge_files
from annotations.storage import StoreError
from reader.cli_common import echo, ensure_workspace, resolve_workspace, workspace_option


def _this_reader() -> str:
    """How git should run this reader: the script that is running, if it is one."""
    running = Path(sys.argv[0])
    if running.name == "reader" and running.exists():
        return str(running.resolve())
    return shutil.which("reader") or "reader"


@click.command("init-git")
@workspace_option
@click.pass_context
def init_git_command(ctx: click.Context, workspace: Path | None) -> None:
    """Set the workspace up to be shared through git.

    Makes it a git repository if it is not in one, marks the annotation files to be merged by
    highlight id (.gitattributes), keeps caches, backups and the lock out (.gitignore), and
    registers the merge driver in this clone's git config. Each clone runs it once.
    """
    ws = resolve_workspace(ctx, workspace)
    ensure_workspace(ws)
    try:
        setup = init_git(ws, _this_reader())
    except StoreError as exc:
        raise click.ClickException(str(exc)) from None
    for line in setup.done:
        echo(line)


@click.command("merge-driver", hidden=True)
@click.argument("base", type=click.Path(path_type=Path))
@click.argument("ours", type=click.Path(path_type=Path))
@click.argument("theirs", type=click.Path(path_type=Path))
@click.argument("name", required=False)
def merge_driver_command(base: Path, ours: Path, theirs: Path, name: str | None) -> None:
    """Git's merge driver for annotation files (git runs it: %O %A %B %P).

    Merges the highlights (or tags and reading state) of both sides by id into OURS; a
    highlight changed on both sides keeps the later version, and the other is kept in the
    file's "conflicts" table. Exit status 1 leaves git's own conflict in place.
    """
    try:
        result = merge_files(base, ours, theirs)
    except NotMergeable as exc:
        echo(f"Error: {exc}; left to git", err=True)
        sys.exit(1)
    for line in result.lines(name or str(ours)):
        echo(line, err=True)
