"""The ``reader`` command's entry point: the command line, started with the cyclic garbage
collector held off.

Starting the app allocates a few hundred thousand objects that live as long as the app
(modules, classes, styles, widgets, the open article), and the collector would walk them again
and again while they are made: about 50 ms of a 0.4 s launch. So the collector is off from the
first import until the app has painted its first screen (or, for the other commands, until the
command line is parsed), then those objects are frozen out of its way and it is back on.
"""

from __future__ import annotations

import gc


def main() -> None:
    gc.disable()
    from reader.cli import main as cli

    cli()


def resume_gc() -> None:
    """Turn the collector back on, if :func:`main` turned it off (a no-op otherwise)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
