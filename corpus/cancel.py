"""A token that ends an import's fetches from another thread: the app cancels its import when
it quits, so that no fetch keeps the process alive. Kept apart from :mod:`corpus.fetch` so that
making one imports no HTTP library."""

from __future__ import annotations

import threading
from collections.abc import Callable


class Cancel:
    """Ends fetches from another thread: :meth:`cancel` shuts the connections of every fetch
    given this token, which then fail with "cancelled", and any fetch started later fails
    before it connects. ``import_sources`` also stops between items once it is cancelled."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._hooks: set[Callable[[str], None]] = set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            hooks = list(self._hooks)
        for hook in hooks:
            hook("cancelled")

    def on_cancel(self, hook: Callable[[str], None]) -> None:
        """Call ``hook("cancelled")`` on cancelling (at once, if that has happened)."""
        with self._lock:
            self._hooks.add(hook)
            cancelled = self._cancelled
        if cancelled:
            hook("cancelled")

    def forget(self, hook: Callable[[str], None]) -> None:
        """No longer call ``hook`` (its fetch is over)."""
        with self._lock:
            self._hooks.discard(hook)
