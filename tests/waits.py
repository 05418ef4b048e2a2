"""Waiting in UI tests for what the app does, not for a fixed time.

A fixed ``pilot.pause(0.3)`` is too short on a loaded machine and too long everywhere else.
These wait for the thing itself: a search past its debounce, workers done, messages handled;
a bounded poll only where nothing can be awaited, failing with what it waited for.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from reader.screens.search import SearchScreen

# Far longer than anything waited for here takes, even on a loaded machine: reaching it is a
# failure (a hang), not a slow pass.
LIMIT = 30.0


async def until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, seconds: float = LIMIT
) -> None:
    """Let the app run until ``condition()`` holds; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"still waiting for {what} after {seconds:g} s")
        await pilot.pause(0.01)


def search_pending(pilot: Pilot[Any]) -> bool:
    """A search screen has typing it has not started searching for yet (its debounce)."""
    return any(
        isinstance(screen, SearchScreen) and screen.typing.waiting
        for screen in pilot.app.screen_stack
    )


async def settle(pilot: Pilot[Any]) -> None:
    """Until the app is idle: typed searches started, every worker done, its messages handled."""
    await pilot.pause()
    await until(pilot, lambda: not search_pending(pilot), "the search debounce")
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def paste(pilot: Pilot[Any], text: str) -> None:
    """Put ``text`` into the focused field as a terminal sends a paste: one event. Typing a
    100-character temporary path key by key costs about 5 s of a test whose point is the
    path, not the typing (tests of typing itself press the keys)."""
    from textual import events

    pilot.app.post_message(events.Paste(text))
    await pilot.pause()


async def type_text(pilot: Pilot[Any], text: str) -> None:
    """Type ``text`` into the focused field: one key event per character, the events
    ``pilot.press`` sends, but a single wait for the app after the last one instead of a wait
    for an idle app after each key (about 50 ms a key, most of a typing test's time).

    For text typed into one field where the typing is not the point (a tag name, a query, a
    note). The keys are handled in order by the widget focused when they arrive, so a key that
    moves the focus or acts (a key opening a dialog, enter, tab, escape) is pressed with
    ``pilot.press`` before or after, never typed with the text."""
    from textual import events
    from textual.keys import _character_to_key  # the key name pilot.press gives a character

    for character in text:
        pilot.app.post_message(events.Key(_character_to_key(character), character))
    await pilot.pause()  # the app has handled the keys: passed them to the focused widget
    await pilot.pause()  # which has handled them too


async def export_through_the_dialog(pilot: Pilot[Any], path: Path) -> None:
    """Open the export dialog (``e``), paste ``path`` over the default and press enter."""
    await pilot.press("e")
    await pilot.pause()
    await pilot.press("end", "ctrl+u")
    await paste(pilot, str(path))
    await pilot.press("enter")
    await pilot.pause()
