"""The export dialog: choose a format and a path.

The path's extension picks the format (typing ``out.csv`` selects CSV), and choosing a format
changes only the path's extension. A file that exists is replaced only after a yes; a path that
cannot take a file (a folder, a path through a file) is named at once and the dialog stays
open to fix it. After a failed write the main screen opens it again with what was typed.
Tab completes the path (:mod:`reader.path_completion`); ``~`` is the home folder.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from annotations.formats.export import ExportResult, check, export
from annotations.formats.registry import FORMATS, format_for_path
from annotations.formats.selection import Filters
from reader.widgets.path_field import Completed, PathInput, matches_line

if TYPE_CHECKING:
    from annotations.store import AnnotationStore


@dataclass(frozen=True)
class ExportRequest:
    """What to write where; ``replace`` when the user agreed to replace an existing file."""

    format: str
    path: Path
    replace: bool = False
    filters: Filters = field(default_factory=Filters)  # which highlights: all by default

    def write(self, store: AnnotationStore) -> ExportResult:
        """Export as asked (:func:`annotations.formats.export.export`)."""
        return export(store, self.path, self.format, self.filters, replace=self.replace)


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Returns an :class:`ExportRequest`, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#export-path"

    def __init__(self, default_dir: Path, stem: str, typed: ExportRequest | None = None) -> None:
        """``typed``: the format and path to show (again, after a write failed), instead of
        JSON to ``default_dir/stem.json``, and the filters the export keeps."""
        super().__init__()
        self.default_dir = default_dir
        self.stem = stem
        self.typed = typed

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog"):
            typed = self.typed
            shown = len(typed.filters.highlights) if typed else 0
            title = f"Export the {shown:,} highlights shown" if shown else "Export annotations"
            yield Label(title, classes="dialog-title")
            yield Select(
                [(f"{name} — {fmt.description}", name) for name, fmt in FORMATS.items()],
                value=typed.format if typed else "json",
                allow_blank=False,
                id="export-format",
            )
            path = typed.path if typed else self.default_dir / f"{self.stem}.json"
            yield PathInput(str(path), id="export-path")
            yield Label("", id="export-matches", classes="path-matches")
            yield Label(
                "the extension picks the format · tab completes · enter exports · esc cancels",
                classes="dialog-hint",
            )

    @on(Select.Changed, "#export-format")
    def _format_changed(self, event: Select.Changed) -> None:
        """Give the path the chosen format's extension, unless it already suits that format."""
        fmt = FORMATS[str(event.value)]
        field = self.query_one("#export-path", Input)
        replaced = self._with_extension(field.value.strip(), fmt.name)
        if replaced is None:
            return
        # The path follows the format here, so its change must not make the format follow
        # the path again: with keys still arriving that went back and forth without end.
        with field.prevent(Input.Changed):
            field.value = str(replaced)

    def _with_extension(self, typed: str, fmt_name: str) -> Path | None:
        """``typed`` given format ``fmt_name``'s extension, or ``None`` when it has a fitting
        one already."""
        fmt = FORMATS[fmt_name]
        if not typed:
            return self.default_dir / f"{self.stem}{fmt.suffix}"
        path = Path(typed)
        if path.suffix.lower() in (fmt.suffix, *fmt.also):
            return None
        if not path.name:  # "/" or ".": no name to give the extension to
            return path / f"{self.stem}{fmt.suffix}"
        # An extension of another format is swapped; any other (a dotted name) is kept.
        stem = path.stem if format_for_path(path) else path.name
        return path.with_name(stem + fmt.suffix)

    @on(Completed)
    def _completed(self, event: Completed) -> None:
        shown = self.query_one("#export-matches", Label)
        shown.update(matches_line(event.matches))
        shown.display = bool(event.matches)

    @on(Input.Changed, "#export-path")
    def _path_changed(self, event: Input.Changed) -> None:
        """Select the format the typed extension names."""
        # The field as it is now, not as this (perhaps late) message saw it: keys typed in a
        # burst change it again before their messages are handled.
        typed = Path(event.input.value.strip())
        named = format_for_path(typed)
        select = self.query_one("#export-format", Select)
        if named is not None and not FORMATS[str(select.value)].accepts(typed):
            with select.prevent(Select.Changed):  # the format follows the path, not back
                select.value = named

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        value = event.value.strip()
        if not value:
            self.notify("Give a file to write.", severity="warning")
            return
        request = ExportRequest(
            str(self.query_one("#export-format", Select).value),
            Path(value).expanduser(),
            filters=self.typed.filters if self.typed else Filters(),
        )
        # The export's own checks (annotations.formats.export), said now, not after "Replace
        # the file?"; the path stays to fix. An existing file is a question instead.
        refused = check(request.path, request.format, replace=False)
        if refused is None:
            self.dismiss(request)
            return
        if refused.refusal != "exists":
            assert refused.refused is not None
            self.notify(refused.refused, title="Cannot export there", severity="error", timeout=8)
            return
        from reader.dialogs.codebook_dialogs import Confirm

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(replace(request, replace=True))

        self.app.push_screen(
            Confirm("Replace the file?", f"{request.path} exists. Replace it?", "Replace"),
            answered,
        )

    def action_cancel(self) -> None:
        self.dismiss(None)
