"""The import dialog: a file, folder, URL or feed to bring into the workspace."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Checkbox, Input, Label


@dataclass(frozen=True)
class ImportRequest:
    """What to import, and whether feed summaries should be replaced by their pages."""

    source: str
    fetch_full: bool


class ImportDialog(ModalScreen[ImportRequest | None]):
    """Returns an :class:`ImportRequest`, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#import-source"

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label("Import", classes="dialog-title")
            yield Input(placeholder="a file, a folder, a URL or a feed", id="import-source")
            yield Checkbox("For feed entries with only a summary, fetch the page", id="fetch-full")
            yield Label(
                "Markdown, text and HTML files; folders; web pages; RSS and Atom feeds "
                "· enter imports · esc cancels",
                classes="dialog-hint",
            )

    @on(Input.Submitted, "#import-source")
    def _submitted(self, event: Input.Submitted) -> None:
        source = event.value.strip()
        if not source:
            self.notify("Type a path or a URL to import.", severity="warning")
            return
        self.dismiss(ImportRequest(source, self.query_one("#fetch-full", Checkbox).value))

    def action_cancel(self) -> None:
        self.dismiss(None)
