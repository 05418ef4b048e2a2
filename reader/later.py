"""One callback, a moment from now, that can be taken back for good: a typing debounce, or a
"Comparing…" said only when the work takes longer than a frame.

Textual's ``set_timer`` does not quite do that. When the timer fires, Textual queues its
callback with ``call_next``; when messages are already waiting, the callback runs after them.
So a handler among those messages that stops the timer (the work has ended, another key was
typed) is too late: the spent callback still runs, after the handler, and says "Reading the
coders…" over the answer, or starts a second search for text already searched for. A
:class:`Later` runs its callback only if it is still the one waiting.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer


class Later:
    """At most one ``callback``, ``delay`` seconds after the last :meth:`start`, run by
    ``pump`` (a widget or screen, whose timers end with it)."""

    def __init__(self, pump: MessagePump, delay: float) -> None:
        self._pump = pump
        self.delay = delay
        self._timer: Timer | None = None

    @property
    def waiting(self) -> bool:
        """Whether a callback is still to run."""
        return self._timer is not None

    def start(self, callback: Callable[[], object]) -> None:
        """Run ``callback`` after the delay, instead of whatever was waiting."""
        self.cancel()
        timer: Timer = self._pump.set_timer(self.delay, lambda: self._fire(timer, callback))
        self._timer = timer

    def cancel(self) -> None:
        """Run nothing of what was waiting, even when its timer has already fired."""
        if self._timer is not None:
            self._timer.stop()
            self._timer = None

    def _fire(self, timer: Timer, callback: Callable[[], object]) -> None:
        if self._timer is timer:
            self._timer = None
            callback()
