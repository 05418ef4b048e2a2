"""The ``--workspace`` option that ``reader`` and every command take. A module of its own, with
only click to import, so that :mod:`reader.cli` (and so ``reader --help``) has it without what
the commands share (:mod:`reader.cli_common`: the store, the workspace, output made safe)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from reader.help_page import WORKSPACE_HELP

F = TypeVar("F", bound=Callable[..., Any])


def workspace_option(func: F) -> F:
    # Paths are not checked by click (a usage error, status 2, with the usage text): a file
    # where a folder should be is reported like any other unusable file, on one line.
    return click.option(
        "--workspace",
        "-w",
        "workspace",
        type=click.Path(path_type=Path),
        default=None,
        help=WORKSPACE_HELP,
    )(func)
