"""The export dialog: choose a format and a path."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from annotations.formats.registry import FORMATS


class ExportDialog(ModalScreen[tuple[str, Path] | None]):
    """Returns ``(format, path)``, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#export-path"

    def __init__(self, default_dir: Path, stem: str) -> None:
        super().__init__()
        self.default_dir = default_dir
        self.stem = stem

    def _path_for(self, fmt: str) -> str:
        return str(self.default_dir / f"{self.stem}{FORMATS[fmt].suffix}")

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            yield Label("Export annotations", classes="dialog-title")
            yield Select(
                [(f"{name} — {fmt.description}", name) for name, fmt in FORMATS.items()],
                value="json",
                allow_blank=False,
                id="export-format",
            )
            yield Input(self._path_for("json"), id="export-path")
            yield Label("enter exports · esc cancels", classes="dialog-hint")

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        path = self.query_one("#export-path", Input)
        path.value = self._path_for(str(event.value))

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.notify("Give a file to write.", severity="warning")
            return
        fmt = str(self.query_one("#export-format", Select).value)
        self.dismiss((fmt, Path(value).expanduser()))

    def action_cancel(self) -> None:
        self.dismiss(None)
