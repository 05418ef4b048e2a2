"""The one first look at ``reader``'s arguments, before click (if at all) parses them.

Two things need to know where the command is before click does: :mod:`reader.startup`, which
opens the app without importing click when the arguments only open it (``reader``,
``reader PATH``, ``reader -w W PATH``: about 10 ms of a 0.3 s launch), and :mod:`reader.cli`'s
group, which reads a first word that is no command as a PATH to open (``reader article.md``
is ``reader open article.md``). Both ask :func:`read_command_line`, so they cannot disagree
about which word that is. :mod:`reader.startup` also asks it whether the arguments are a lone
``--help`` (the page written without click, :mod:`reader.help_page`) or ``reader list --json``
(answered from its output cache, :mod:`reader.list_json`). A leaf module but for the table of
commands (:mod:`reader.command_table`), which imports nothing; nor does it import
``dataclasses`` (12 ms of a 60 ms ``reader --help``).
"""

from __future__ import annotations

from collections.abc import Sequence

# Every subcommand of ``reader``: a first word that is one of these is a command, anything else
# is a PATH to open.
from reader.command_table import COMMANDS as COMMANDS

WORKSPACE_OPTIONS = ("--workspace", "-w")
# reader's other options that take a value (click parses them; the value is not the PATH).
VALUE_OPTIONS = ("--coder",)


class CommandLine:
    """``reader``'s arguments as the first look finds them."""

    __slots__ = ("args", "lists_json", "opens", "word", "workspace")

    def __init__(
        self,
        args: tuple[str, ...],
        word: int | None,
        opens: tuple[str | None, str | None] | None,
        workspace: str | None = None,
        lists_json: bool = False,
    ) -> None:
        self.args = args
        self.word = word
        """Index of the first word that is neither an option nor a workspace option's value:
        the command's name, or a PATH to open; ``None`` when there is none."""
        self.opens = opens
        """``(workspace, path)`` when the arguments only open the app: at most one workspace
        option (``--workspace W``, ``--workspace=W`` or ``-w W``) and at most one PATH that is
        not a command name. ``None`` for anything else (help, version, commands, odd
        spellings), which the click command line parses."""
        self.workspace = workspace
        """The workspace option's value, when it was given once (``None`` otherwise)."""
        self.lists_json = lists_json
        """Whether the arguments are ``list --json`` and at most one workspace option, before
        or after ``list``, with a value that is not empty."""

    @property
    def help_only(self) -> bool:
        """Whether the arguments are ``--help`` alone: ``reader``'s own help page."""
        return self.args == ("--help",)

    def for_click(self) -> list[str]:
        """The arguments with ``open`` put before a first word that is no command, so that
        click runs ``reader PATH`` as ``reader open PATH``."""
        args = list(self.args)
        if self.word is not None and args[self.word] not in COMMANDS:
            args.insert(self.word, "open")
        return args


def read_command_line(args: Sequence[str]) -> CommandLine:
    """Find the command (or PATH) in ``args``, and whether they only open the app or only list
    the articles as JSON."""
    workspace: str | None = None
    workspaces = 0  # workspace options given, each with its value
    word: int | None = None
    plain = True  # only a workspace and a PATH so far
    rest: list[str] = []  # the arguments but the workspace options and their values
    index = 0
    while index < len(args):
        arg = args[index]
        if arg in WORKSPACE_OPTIONS:
            if workspace is not None or index + 1 >= len(args):
                plain = False  # given twice, or without its value
                workspaces += 2
            else:
                workspace = args[index + 1]
                workspaces += 1
            index += 2
            continue
        if arg in VALUE_OPTIONS:  # an option of reader's own whose value is no PATH
            plain = False
            rest += args[index : index + 2]
            index += 2
            continue
        if arg.startswith("--workspace="):
            if workspace is not None:
                plain = False
            workspace = arg.removeprefix("--workspace=")
            workspaces += 1
            index += 1
            continue
        rest.append(arg)
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
    lists_json = rest == ["list", "--json"] and workspaces <= 1 and workspace != ""
    return CommandLine(
        tuple(args),
        word,
        (workspace, path) if plain else None,
        workspace if workspaces == 1 else None,
        lists_json,
    )
