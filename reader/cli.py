"""The ``reader`` command line: the group that every command hangs from, with its options,
its one-line errors and its help.

Every command takes ``--workspace DIR`` (also accepted before the command name); without it the
``READER_WORKSPACE`` environment variable, then the user data directory, name the workspace.
Errors are one line on stderr naming the file or item, with exit status 1.

The commands live in their own modules (``reader/cli_*.py``) and are loaded one at a time: the
group imports the module of the command that is run, and no other (:meth:`ReaderGroup.get_command`).
``reader --help`` lists them from :data:`reader.command_table.COMMANDS`, which names each
command's module and the first sentence of its help, without importing any of them: importing
them all was 0.1 s of the 0.2 s that ``reader --help`` or ``reader annotate`` took (issue 22).
``tests/test_cli_commands.py`` checks the table against the commands themselves.
"""

from __future__ import annotations

import importlib
import os
from gettext import gettext as _
from pathlib import Path
from typing import Any

import click

from reader.cli_options import workspace_option
from reader.command_line import CommandLine, read_command_line
from reader.command_table import COMMANDS
from reader.gc_policy import resume_gc
from reader.help_page import CODER_HELP, HELP


def load_command(name: str) -> click.Command:
    """The click command ``reader NAME`` runs, imported from its module (one of
    :data:`~reader.command_table.COMMANDS`)."""
    module, _, attribute = COMMANDS[name][0].partition(":")
    command = getattr(importlib.import_module(module), attribute)
    assert isinstance(command, click.Command), COMMANDS[name][0]
    return command


class ReaderGroup(click.Group):
    """A group that treats an unknown first word as a PATH to open: ``reader article.md``,
    and whose commands' error lines are made safe for a terminal, as their other lines are.

    Every error is one line, ``Error: …``, with exit status 1: click's own usage errors (an
    unknown option, a bad ``--format``, a missing argument) too, which click would show with
    the usage text and status 2 (:func:`_one_line`).

    Its commands are loaded when asked for (:meth:`get_command`), and its help lists them
    from the table, unloaded (:meth:`format_commands`)."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in self.commands and cmd_name in COMMANDS:
            self.add_command(load_command(cmd_name), cmd_name)
        return self.commands.get(cmd_name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The list of commands, as :meth:`click.Group.format_commands` writes it, from the
        table: each command's help shortened to fit, as click shortens it (the first sentence
        of the help is all it reads), by a stand-in command that holds just that sentence."""
        shown = [(name, summary) for name, (_, summary) in COMMANDS.items() if summary]
        limit = formatter.width - 6 - max(len(name) for name, _ in shown)
        rows = [
            (name, click.Command(name, help=summary).get_short_help_str(limit))
            for name, summary in sorted(shown)
        ]
        with formatter.section(_("Commands")):  # click's heading, translated as click does
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _one_line(exc, ctx.meta.get(_COMMAND_LINE)) from None
        except click.ClickException as exc:
            from corpus.terminal_safe import terminal_safe

            # Errors quote file names, ids, tags and titles: shown, never obeyed (echo()).
            # click types ``message`` Final (set once, in __init__); it is rewritten here, once,
            # before click shows it, because a new exception would lose the subclass and its
            # context and parameter (a UsageError prints the usage line, BadParameter the name).
            exc.message = terminal_safe(exc.message)  # type: ignore[misc]
            raise

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        command_line = read_command_line(args)
        ctx.meta[_COMMAND_LINE] = command_line
        try:
            return super().parse_args(ctx, command_line.for_click())
        except click.UsageError as exc:
            raise _one_line(exc, command_line) from None

    def format_epilog(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """After the commands: where the app keeps its settings (worked out when the help is
        shown, as the file depends on the user and on ``READER_CONFIG``)."""
        from reader.settings_path import ENV_VAR, config_path

        formatter.write_paragraph()
        formatter.write_text(
            f"Settings (the theme chosen in the app) are kept in {config_path()}; "
            f"set {ENV_VAR} to use another file."
        )
        super().format_epilog(ctx, formatter)


# Where ReaderGroup keeps the first look at the arguments, for its error lines.
_COMMAND_LINE = "reader.command_line"


def _one_line(exc: click.UsageError, command_line: CommandLine | None) -> click.ClickException:
    """A usage error as the one line every other error is (``Error: …``, status 1), naming
    where the options are listed instead of printing the usage text. A first word that is no
    command and comes with more words (``reader rm x``) was not meant as a PATH to open: the
    line says it is no command."""
    from corpus.terminal_safe import terminal_safe

    if command_line is not None and command_line.word is not None:
        word = command_line.args[command_line.word]
        others = [a for a in command_line.args[command_line.word + 1 :] if not a.startswith("-")]
        if word not in COMMANDS and others and not os.path.lexists(word):
            return click.ClickException(
                terminal_safe(
                    f"{word}: no command, article or file of that name "
                    f"(commands: {', '.join(sorted(COMMANDS))})"
                )
            )
    where = exc.ctx.command_path if exc.ctx is not None else "reader"
    message = exc.format_message().rstrip(".")
    return click.ClickException(terminal_safe(f"{message} (see {where} --help)"))


@click.group(cls=ReaderGroup, invoke_without_command=True, help=HELP)
@workspace_option
@click.option("--coder", help=CODER_HELP)
@click.version_option(package_name="reader")
@click.pass_context
def main(ctx: click.Context, workspace: Path | None, coder: str | None) -> None:
    # The help text is reader.help_page.HELP: ``reader --help`` is written there, without click.
    from reader import coders, launch

    coders.option = coder
    launch.log_to_stderr()
    if ctx.invoked_subcommand not in (None, "open"):
        resume_gc()  # only the app's start-up runs without the garbage collector
    if ctx.invoked_subcommand is None:
        ctx.invoke(load_command("open"), path=None, workspace=workspace)
