"""The ``reader`` command's entry point: the command line, started with the cyclic garbage
collector held off (:mod:`reader.gc_policy`), and the app opened without click when the
arguments only name a workspace and an article (:mod:`reader.command_line`); ``reader list
--json`` is answered from its output cache, when that holds it, before either
(:mod:`reader.list_json`).
"""

from __future__ import annotations

import os
import sys

# Where a shell's completion script puts its request (click: ``_{PROG}_COMPLETE``).
COMPLETION_VARIABLE = "_READER_COMPLETE"


def main() -> None:
    from reader.gc_policy import hold_gc

    hold_gc()  # before any other import: the policy's reasons are in reader.gc_policy
    from reader.command_line import read_command_line

    command_line = read_command_line(sys.argv[1:])
    if command_line.help_only and COMPLETION_VARIABLE not in os.environ:
        from reader.help_page import print_help

        if print_help():  # the page click would print, without importing click (30 ms)
            return
    if command_line.lists_json:
        from reader.list_json import answer

        if answer(command_line.workspace):  # from its output cache: no click, no store
            return
    # A shell asking for completions runs ``reader`` with no arguments and the request in this
    # variable (click's shell completion): click answers it, the app must not open.
    if command_line.opens is None or COMPLETION_VARIABLE in os.environ:
        from reader.cli import main as cli

        cli()
        return
    # ``reader``, ``reader PATH``, ``reader -w W PATH``: what the click command's ``open``
    # does, without importing click and every other command first (10 ms of a launch).
    from corpus.terminal_safe import terminal_safe
    from reader.launch import LaunchError, log_to_stderr, prepare, run

    log_to_stderr()
    try:
        store, article_id = prepare(*command_line.opens)
    except LaunchError as exc:
        print(f"Error: {terminal_safe(str(exc))}", file=sys.stderr)  # as click prints it
        sys.exit(1)
    except KeyboardInterrupt:  # ctrl+c while a PATH is imported (a slow URL, say)
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    run(store, article_id)
