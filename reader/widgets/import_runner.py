"""The app's article import: a progress bar that runs the import it shows.

:class:`ImportRunner` is mounted under the reading pane the first time something is imported
(``i``). It runs :func:`annotations.article_import.import_articles`, the one import the command
line runs too, in an exclusive thread worker that reports only through messages; it says what
was imported, kept or refused, and posts :class:`ImportRunner.Finished` up to the screen, which
shows the articles that changed. A new import, and unmounting, cancel the one under way: its
fetches end at once, so quitting during a slow import ends the process at once.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.message import Message
from textual.widgets import ProgressBar
from textual.worker import Worker, WorkerState, get_current_worker

from corpus.cancel import Cancel

if TYPE_CHECKING:
    from annotations.article_import import ArticleImport
    from annotations.store import AnnotationStore

log = logging.getLogger(__name__)


class ImportRunner(ProgressBar):
    """Imports one source at a time into the store, showing its progress while it runs."""

    @dataclass
    class Progress(Message):
        """The import finished one more of its items."""

        done: int
        total: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ImportRunner.Progress)

    @dataclass
    class Finished(Message):
        """The import is done; ``outcomes`` says what happened to each item. It bubbles up
        to the screen, which shows the articles that changed."""

        outcomes: list[ArticleImport]

        @property
        def imported(self) -> list[str]:
            """The ids of the articles imported as new ones."""
            return [o.article.id for o in self.outcomes if o.status == "imported" and o.article]

        @property
        def updated(self) -> list[str]:
            """The ids of the articles whose text the import replaced."""
            return [o.article.id for o in self.outcomes if o.status == "updated" and o.article]

    def __init__(self, store: AnnotationStore, *, id: str | None = None) -> None:
        super().__init__(id=id, show_eta=False)
        self.store = store
        self._cancel: Cancel | None = None  # ends the import under way

    def start(self, sources: list[str], fetch_full: bool) -> None:
        """Import ``sources`` (files, folders, URLs or feeds), ending any import under way."""
        self.update(total=None, progress=0)
        self.display = True
        self.cancel()  # the worker is exclusive: a new import replaces it
        self._cancel = Cancel()
        self._import(sources, fetch_full, self._cancel)

    def cancel(self) -> None:
        """End the import under way, if any: its fetches stop at once (a worker thread blocked
        on a slow server would otherwise keep the process alive after the app quits)."""
        if self._cancel is not None:
            self._cancel.cancel()

    def on_unmount(self) -> None:
        self.cancel()

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, sources: list[str], fetch_full: bool, cancel: Cancel) -> None:
        """Import in a thread; report only through messages (widgets are not thread-safe)."""
        from annotations.article_import import import_articles

        def progress(done: int, total: int) -> None:
            self.post_message(self.Progress(done, total))

        outcomes = []
        for outcome in import_articles(
            self.store, sources, fetch_full=fetch_full, on_item=progress, cancel=cancel
        ):
            if get_current_worker().is_cancelled:
                break
            outcomes.append(outcome)
        self.post_message(self.Finished(outcomes))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        message.stop()
        self.update(total=message.total, progress=message.done)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        """Say what the import did; the message goes on up to the screen."""
        self.display = False
        outcomes = message.outcomes
        errors = [o.error for o in outcomes if o.error]
        kept = [o.line() for o in outcomes if o.status == "kept"]
        for error in errors[:5]:
            self.notify(error, title="Not imported", severity="error", timeout=10)
        if len(errors) > 5:
            self.notify(f"…and {len(errors) - 5} more failures", severity="error", timeout=10)
        for line in kept[:5]:
            self.notify(line, title="Kept", severity="warning", timeout=10)
        statuses = ("imported", "updated", "unchanged", "kept")
        counts = {s: sum(o.status == s for o in outcomes) for s in statuses}
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        self.notify(summary or "Nothing imported.", title="Import", timeout=5)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # An unexpected failure of the import (not a file it could not import: those are
        # outcomes) is reported here, once; the screen reports its own workers'.
        event.stop()
        if event.state == WorkerState.ERROR:
            self.display = False
            log.error("import failed", exc_info=event.worker.error)
            self.notify(f"Import failed: {event.worker.error}", severity="error", timeout=10)
