"""The main screen composes and routes (issue 15): the work it once did itself lives in the
widgets, ``annotations/`` and ``corpus/``, and it stays small enough to read in one sitting."""

from __future__ import annotations

from pathlib import Path

import reader.screens.main

MOST_LINES = 500


def test_the_main_screen_is_at_most_500_lines() -> None:
    source = Path(reader.screens.main.__file__)
    lines = len(source.read_text(encoding="utf-8").splitlines())
    assert lines <= MOST_LINES, f"{source.name} is {lines} lines; move work out of it"
