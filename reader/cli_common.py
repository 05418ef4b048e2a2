"""What every ``reader`` command shares: the ``--workspace`` option (from
:mod:`reader.cli_options`), opening the workspace and its store with one-line errors, printing
lines made safe for a terminal, and a progress bar for long work in a terminal."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from annotations.store import AnnotationStore
from corpus.terminal_safe import escape_json, terminal_safe
from corpus.workspace import InvalidId, Workspace, is_valid_id
from reader import launch
from reader.cli_options import workspace_option as workspace_option  # every command's
from reader.launch import os_error as os_error  # the commands' one-line file errors

if TYPE_CHECKING:  # rich.progress is imported only when a bar is shown
    from rich.progress import Progress


def echo(line: str = "", err: bool = False) -> None:
    """Print one line on stdout (stderr with ``err``). Every line the commands print goes
    through here: titles, tags, notes, ids and file names in it come from files other people
    wrote, so a control character, an escape sequence or a line break in them is shown, not
    obeyed (:func:`corpus.terminal_safe.terminal_safe`)."""
    click.echo(terminal_safe(line), err=err)


def echo_json(data: Any, indent: int | None = None) -> None:
    """Print ``data`` as JSON: the same data as ``json.dumps``, with every character a terminal
    would obey or hide written as a ``\\u`` escape (:func:`corpus.terminal_safe.escape_json`)."""
    click.echo(escape_json(json.dumps(data, ensure_ascii=False, indent=indent)))


def rows_json(rows: list[dict[str, str | int | bool | None]]) -> str:
    """What :func:`echo_json` prints of ``rows`` with ``indent=2`` (less the line break),
    serialised by orjson (a tenth of the time for 10,000 articles); rows orjson refuses (a
    lone surrogate in a title) go through ``json.dumps``. Only for rows without floats, which
    orjson writes differently (``NaN``)."""
    import orjson

    try:
        text = orjson.dumps(rows, option=orjson.OPT_INDENT_2).decode("utf-8")
    except (TypeError, orjson.JSONEncodeError):
        text = json.dumps(rows, ensure_ascii=False, indent=2)
    return escape_json(text)


def write_data(data: bytes) -> None:
    """Write an export to stdout: byte for byte into a file or a pipe, since an export is data
    for another program; shown like every other output when stdout is a terminal, where a
    person reads it and its notes' escape sequences would reach the terminal
    (docs/formats.md, "Exports on a terminal")."""
    if sys.stdout.isatty():
        shown = terminal_safe(data.decode("utf-8", errors="replace"), multiline=True)
        data = shown.encode("utf-8")
    sys.stdout.buffer.write(data)
    sys.stdout.flush()


def article_ids(ctx: click.Context, param: click.Parameter, value: Any) -> Any:
    """Click callback for an article id argument or option (one or several): an id that the
    workspace could not have made (``../x``, an absolute path) stops the command with one line
    naming the argument, before anything is read or written."""
    for given in value if isinstance(value, tuple) else (value,):
        if given is not None and not is_valid_id(given):
            name = param.opts[0] if isinstance(param, click.Option) else param.human_readable_name
            raise click.ClickException(f"{name}: {InvalidId(given)}")
    return value


def resolve_workspace(ctx: click.Context, option: Path | None) -> Workspace:
    chosen = option or (ctx.find_root().params.get("workspace") if ctx.parent else None)
    return Workspace.resolve(chosen)


def ensure_workspace(workspace: Workspace, *, samples: bool = False) -> None:
    """Create the workspace's folders, or stop with one line saying why they cannot be; a
    new workspace is announced on stderr (:func:`reader.launch.open_store`), as one for the
    sample articles with ``samples``."""
    new = not workspace.exists()
    try:
        workspace.ensure()
    except OSError as exc:
        raise click.ClickException(
            f"{workspace.root}: not a usable workspace ({os_error(exc)})"
        ) from None
    if new:
        launch.announce_new_workspace(workspace, samples=samples)


def open_store(workspace: Workspace) -> AnnotationStore:
    try:
        return launch.open_store(workspace)
    except launch.LaunchError as exc:
        raise click.ClickException(str(exc)) from None


def progress_bar(total: int) -> Progress | None:
    """A progress bar on stderr for imports of more than a few items, in a terminal only."""
    if total <= 3 or not sys.stderr.isatty():
        return None
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
    )

    return Progress(
        TextColumn("[progress.description]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=Console(stderr=True),
        transient=True,
    )
