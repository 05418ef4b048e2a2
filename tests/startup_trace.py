"""Start ``reader`` through its console script's entry point, in whatever terminal this runs
in, and note the order of what happens up to the first frames: the reading pane's layouts
(partial or full), each frame Textual sends to the terminal, and whether the garbage collector
was on at that frame. Written as JSON to the file named by ``argv[1]``; then the app quits.

``tests/test_startup.py`` runs this in a pseudo-terminal, since Textual's headless test driver
orders start-up events differently from a terminal (its size is known before anything mounts).

Usage: ``python -m tests.startup_trace OUT --workspace W ARTICLE``
"""

from __future__ import annotations

import gc
import json
import sys
from pathlib import Path
from typing import Any

events: list[str] = []


def main() -> None:
    out = Path(sys.argv[1])
    sys.argv = ["reader", *sys.argv[2:]]

    from reader.app import ReaderApp
    from reader.screens.main import MainScreen
    from reader.textual_private import in_batch_update
    from reader.widgets import reading_pane

    real_layout = reading_pane.layout

    def recording_layout(*args: Any, **kwargs: Any) -> Any:
        done = real_layout(*args, **kwargs)
        events.append("full layout" if done.complete else "partial layout")
        return done

    reading_pane.layout = recording_layout  # type: ignore[assignment]
    real_init = ReaderApp.__init__

    def init(app: ReaderApp, *args: Any, **kwargs: Any) -> None:
        real_init(app, *args, **kwargs)

        def frame_sent() -> None:
            if in_batch_update(app) or not isinstance(app.screen, MainScreen):
                return  # a frame Textual drops, or the blank screen before the main one
            events.append("frame, collector on" if gc.isenabled() else "frame, collector off")
            if "full layout" in events and gc.isenabled():
                out.write_text(json.dumps(events))
                app.call_later(app.exit)

        app.post_display_hook = frame_sent  # type: ignore[method-assign]

    ReaderApp.__init__ = init  # type: ignore[method-assign]

    from reader.startup import main as reader

    reader()  # the console script's entry point


if __name__ == "__main__":
    main()
