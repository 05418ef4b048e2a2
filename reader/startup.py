"""The ``reader`` command's entry point: the command line, started with the cyclic garbage
collector held off, and the app opened without click when the arguments only name a
workspace and an article.

Starting the app allocates a few hundred thousand objects that live as long as the app
(modules, classes, styles, widgets, the open article), and the collector would walk them again
and again while they are made: about 50 ms of a 0.4 s launch. So the collector is off from the
first import until the app has painted its first screen (or, for the other commands, until the
command line is parsed), then those objects are frozen out of its way and it is back on.
"""

from __future__ import annotations

import gc
import sys


def main() -> None:
    gc.disable()
    from reader.launch import plain_open

    plain = plain_open(sys.argv[1:])
    if plain is None:
        from reader.cli import main as cli

        cli()
        return
    # ``reader``, ``reader PATH``, ``reader -w W PATH``: what the click command's ``open``
    # does, without importing click and every other command first (10 ms of a launch).
    from corpus.terminal_safe import terminal_safe
    from reader.launch import LaunchError, log_to_stderr, prepare, run

    log_to_stderr()
    try:
        store, article_id = prepare(*plain)
    except LaunchError as exc:
        print(f"Error: {terminal_safe(str(exc))}", file=sys.stderr)  # as click prints it
        sys.exit(1)
    except KeyboardInterrupt:  # ctrl+c while a PATH is imported (a slow URL, say)
        print("Aborted!", file=sys.stderr)
        sys.exit(1)
    run(store, article_id)


def resume_gc() -> None:
    """Turn the collector back on, if :func:`main` turned it off (a no-op otherwise)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
