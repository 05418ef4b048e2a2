"""The command line loads its commands one at a time: the table in :mod:`reader.command_table`
names each command's module and the first sentence of its help, so that ``reader --help`` lists
them all without importing any, and ``reader CMD`` imports the module of CMD alone (issue 22).
These tests keep the table true to the commands, and the help the same as click's own."""

from __future__ import annotations

import importlib
import json
import os
import subprocess
import sys
from pathlib import Path
from unittest import mock

import click
import pytest

from reader.cli import ReaderGroup, load_command, main
from reader.command_table import COMMANDS

ROOT = Path(__file__).resolve().parent.parent
COMMAND_MODULES = sorted(f"reader.{p.stem}" for p in (ROOT / "reader").glob("cli_*.py"))


def subcommands(command: click.Command) -> list[click.Command]:
    """``command`` and every command under it (a group's, and theirs)."""
    found = [command]
    if isinstance(command, click.Group):
        for sub in command.commands.values():
            found += subcommands(sub)
    return found


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_the_table_says_what_each_command_says(name: str) -> None:
    command = load_command(name)
    summary = COMMANDS[name][1]
    assert command.name == name
    assert command.hidden == (summary is None)
    if summary is not None:
        # The help list shortens the first sentence to the room left: at any width, what the
        # table's sentence gives is what the command's own help gives.
        stand_in = click.Command(name, help=summary)
        for limit in range(0, 200):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit)


def test_every_command_of_the_command_modules_is_in_the_table() -> None:
    listed = {id(c) for name in COMMANDS for c in subcommands(load_command(name))}
    for module in COMMAND_MODULES:
        for attribute, value in vars(importlib.import_module(module)).items():
            if isinstance(value, click.Command):
                assert id(value) in listed, f"{module}.{attribute} is not in COMMANDS"


def _help(width: int, *, eager: bool) -> str:
    ctx = click.Context(main, info_name="reader", terminal_width=width)
    if not eager:
        return main.get_help(ctx)
    # click's own list, from the commands themselves (every module imported).
    with mock.patch.object(ReaderGroup, "format_commands", click.Group.format_commands):
        return main.get_help(ctx)


@pytest.mark.parametrize("width", [*range(20, 90, 3), 200])
def test_the_help_lists_the_commands_as_click_would(width: int) -> None:
    assert _help(width, eager=False) == _help(width, eager=True)
    assert "annotate" in _help(width, eager=False)
    assert "merge-driver" not in _help(width, eager=False)  # hidden


# Runs reader's entry point with argv[1:] (as JSON in argv[1]) and prints, as JSON, which of
# the command modules it imported.
IMPORTED = """
import json, sys
sys.argv = ["reader", *json.loads(sys.argv[1])]
from reader.startup import main
try:
    main()
except SystemExit:
    pass
print(json.dumps(sorted(m for m in sys.modules if m.startswith("reader.cli"))), file=sys.stderr)
"""


def imported_by(args: list[str], tmp_path: Path) -> list[str]:
    done = subprocess.run(
        [sys.executable, "-c", IMPORTED, json.dumps(args)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "READER_WORKSPACE": str(tmp_path / "ws")},
        timeout=120,
    )
    found: list[str] = json.loads(done.stderr.splitlines()[-1])
    return found


def test_help_imports_no_command(tmp_path: Path) -> None:
    assert imported_by(["--help"], tmp_path) == []  # written without click: test_help_page.py
    assert imported_by(["-w", "ws", "--help"], tmp_path) == ["reader.cli", "reader.cli_options"]


def test_a_command_imports_its_own_module_only(tmp_path: Path) -> None:
    args = ["annotate", "no-such-article", "--quote", "x"]
    assert imported_by(args, tmp_path) == [
        "reader.cli",
        "reader.cli_annotate",
        "reader.cli_common",
        "reader.cli_options",
    ]
    args = ["highlights", "delete", "--help"]
    assert imported_by(args, tmp_path) == [
        "reader.cli",
        "reader.cli_common",
        "reader.cli_highlights",
        "reader.cli_history",
        "reader.cli_options",
    ]


# The console script's program name, which names click's completion variable.
COMPLETING = "import sys; sys.argv[0] = 'reader'; from reader.startup import main; main()"


def test_shell_completion_is_answered_not_the_app_opened(tmp_path: Path) -> None:
    """A shell asks for completions by running ``reader`` with no arguments: click answers
    (the first look at the arguments alone would open the app)."""
    env = {
        **os.environ,
        "READER_WORKSPACE": str(tmp_path / "ws"),
        "_READER_COMPLETE": "bash_complete",
        "COMP_WORDS": "reader ta",
        "COMP_CWORD": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", COMPLETING],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        stdin=subprocess.DEVNULL,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["plain,tags"]
