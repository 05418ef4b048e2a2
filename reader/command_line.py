"""The one first look at ``reader``'s arguments, before click (if at all) parses them.

Two things need to know where the command is before click does: :mod:`reader.startup`, which
opens the app without importing click when the arguments only open it (``reader``,
``reader PATH``, ``reader -w W PATH``: about 10 ms of a 0.3 s launch), and :mod:`reader.cli`'s
group, which reads a first word that is no command as a PATH to open (``reader article.md``
is ``reader open article.md``). Both ask :func:`read_command_line`, so they cannot disagree
about which word that is. A leaf module but for the table of commands
(:mod:`reader.command_table`), which imports nothing.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

# Every subcommand of ``reader``: a first word that is one of these is a command, anything else
# is a PATH to open.
from reader.command_table import COMMANDS as COMMANDS

WORKSPACE_OPTIONS = ("--workspace", "-w")
# reader's other options that take a value (click parses them; the value is not the PATH).
VALUE_OPTIONS = ("--coder",)


@dataclass(frozen=True)
class CommandLine:
    """``reader``'s arguments as the first look finds them."""

    args: tuple[str, ...]
    word: int | None
    """Index of the first word that is neither an option nor a workspace option's value: the
    command's name, or a PATH to open; ``None`` when there is none."""
    opens: tuple[str | None, str | None] | None
    """``(workspace, path)`` when the arguments only open the app: at most one workspace option
    (``--workspace W``, ``--workspace=W`` or ``-w W``) and at most one PATH that is not a
    command name. ``None`` for anything else (help, version, commands, odd spellings), which
    the click command line parses."""

    def for_click(self) -> list[str]:
        """The arguments with ``open`` put before a first word that is no command, so that
        click runs ``reader PATH`` as ``reader open PATH``."""
        args = list(self.args)
        if self.word is not None and args[self.word] not in COMMANDS:
            args.insert(self.word, "open")
        return args


def read_command_line(args: Sequence[str]) -> CommandLine:
    """Find the command (or PATH) in ``args``, and whether they only open the app."""
    workspace: str | None = None
    word: int | None = None
    plain = True  # only a workspace and a PATH so far
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in WORKSPACE_OPTIONS:
            if workspace is not None or index + 1 >= len(args):
                plain = False  # given twice, or without its value
            else:
                workspace = args[index + 1]
            index += 2
            continue
        if arg in VALUE_OPTIONS:  # an option of reader's own whose value is no PATH
            plain = False
            index += 2
            continue
        if arg.startswith("--workspace="):
            if workspace is not None:
                plain = False
            workspace = arg.removeprefix("--workspace=")
            index += 1
            continue
        if arg.startswith("-"):
            plain = False  # help, version, "--", or an option of a command
        elif word is None:
            word = index
        else:
            plain = False  # a second word: a command's argument, or two PATHs
        index += 1
    path = None if word is None else args[word]
    if path in COMMANDS or workspace == "" or path == "":
        plain = False
    return CommandLine(tuple(args), word, (workspace, path) if plain else None)
