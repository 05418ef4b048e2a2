"""The import dialog: files, folders, URLs or feeds to bring into the workspace, one per line.

A line is the separator because no path needs one, whereas a space is in many file names: a
path pasted as it is never needs quoting, and a pasted list of lines imports every one. Tab
completes the path being typed; ``~`` is the home folder.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Label

from reader.widgets.path_field import Completed, PathsArea, matches_line


@dataclass(frozen=True)
class ImportRequest:
    """What to import (``~`` already read as the home folder), and whether feed summaries
    should be replaced by their pages."""

    sources: tuple[str, ...]
    fetch_full: bool


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Returns an :class:`ImportRequest`, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#import-source"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label("Import", classes="dialog-title")
            yield PathsArea(id="import-source")
            yield Label("", id="import-matches", classes="path-matches")
            yield Checkbox("For feed entries with only a summary, fetch the page", id="fetch-full")
            yield Label(
                "Markdown, text, HTML, PDF, EPUB and Word files; folders; web pages; RSS and "
                "Atom feeds, "
                "one per line · tab completes · ctrl+j new line · enter imports · esc cancels",
                classes="dialog-hint",
            )

    @on(Completed)
    def _completed(self, event: Completed) -> None:
        shown = self.query_one("#import-matches", Label)
        shown.update(matches_line(event.matches))
        shown.display = bool(event.matches)

    @on(PathsArea.Submitted, "#import-source")
    def _submitted(self, event: PathsArea.Submitted) -> None:
        if not event.sources:
            self.notify("Type a path or a URL to import.", severity="warning")
            return
        sources = tuple(
            source if "://" in source else os.path.expanduser(source) for source in event.sources
        )
        self.dismiss(ImportRequest(sources, self.query_one("#fetch-full", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
