"""When the cyclic garbage collector runs during ``reader``'s start-up.

Starting the app allocates a few hundred thousand objects that live as long as the app
(modules, classes, styles, widgets, the open article), and the collector would walk them again
and again while they are made: about 50 ms of a 0.4 s launch. So :mod:`reader.startup` holds
the collector off from the first import until the app has painted its first screen (the main
screen resumes it then, or after 5 s), or, for the other commands, until the command line is
parsed (:mod:`reader.cli`); then those objects are frozen out of its way and it is back on.

A leaf module (it imports only :mod:`gc`), so that the entry point, the command line and the
main screen can all reach it without importing one another.
"""

from __future__ import annotations

import gc


def hold_gc() -> None:
    """Turn the collector off until :func:`resume_gc`."""
    gc.disable()


def resume_gc() -> None:
    """Turn the collector back on, if :func:`hold_gc` turned it off (a no-op otherwise)."""
    if not gc.isenabled():
        gc.freeze()
        gc.enable()
