"""The export dialog: choose a format, a path and what to export.

The path's extension picks the format (typing ``out.csv`` selects CSV), and choosing a format
changes only the path's extension. A file that exists is replaced only after a yes; a path that
cannot take a file (a folder, a path through a file) is named at once and the dialog stays
open to fix it. After a failed write the main screen opens it again with what was typed.
Tab completes the path (:mod:`reader.path_completion`); ``~`` is the home folder.

The scope is everything, the open article, one tag (the tags nested in it included), a date
range of when highlights were last changed, or the view the dialog was opened from (the
highlights view passes its :class:`~annotations.formats.selection.Filters`). The dialog says
how many highlights the chosen scope writes (:func:`~annotations.formats.selection.count_kept`).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Select

from annotations.formats.export import ExportResult, check, export
from annotations.formats.registry import FORMATS, format_for_path
from annotations.formats.selection import Filters, date_bound
from reader.shown import safe_content
from reader.widgets.path_field import Completed, PathInput, matches_line
from reader.wording import count

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

Scope = Literal["all", "article", "tag", "dates", "view"]


@dataclass(frozen=True)
class ExportRequest:
    """What to write where; ``replace`` when the user agreed to replace an existing file.
    ``filters`` is the chosen scope (``scope`` names which), ``Filters()`` everything."""

    format: str
    path: Path
    replace: bool = False
    filters: Filters = field(default_factory=Filters)
    scope: Scope = "all"

    def write(self, store: AnnotationStore) -> ExportResult:
        """Export as asked (:func:`annotations.formats.export.export`)."""
        return export(store, self.path, self.format, self.filters, replace=self.replace)


@dataclass
class Counted(Message):
    """How many highlights a scope writes (``None``: its highlights could not be counted)."""

    filters: Filters
    highlights: int | None


class ExportDialog(ModalScreen[ExportRequest | None]):
    """Returns an :class:`ExportRequest`, or ``None`` when cancelled."""

    BINDINGS = [Binding("escape", "cancel", "Cancel")]
    AUTO_FOCUS = "#export-path"

    def __init__(
        self,
        default_dir: Path,
        stem: str,
        typed: ExportRequest | None = None,
        *,
        store: AnnotationStore | None = None,
        article: str | None = None,
        filters: Filters | None = None,
        scope_label: str = "this view",
    ) -> None:
        """``typed``: the format, path and scope to show again (after a write failed),
        instead of JSON of everything to ``default_dir/stem.json``. With ``store`` the dialog
        offers scopes and counts what each writes: ``article`` is the open one's id,
        ``filters`` the view it was opened from, named ``scope_label`` (chosen at first)."""
        super().__init__()
        self.default_dir = default_dir
        self.stem = stem
        self.typed = typed
        self.store = store
        self.article = article
        self.view = filters
        self.scope_label = scope_label
        self.tags: list[str] = []
        if store is not None:
            from annotations.model import with_parents
            from reader.store_calls import safely

            self.tags = with_parents(t.name for t in safely(self, "Reading tags", store.tags) or [])

    def _scopes(self) -> list[tuple[str, Scope]]:
        scopes: list[tuple[str, Scope]] = []
        if self.view is not None:
            scopes.append((self.scope_label, "view"))
        scopes.append(("everything", "all"))
        if self.article is not None:
            scopes.append(("this article", "article"))
        if self.tags:
            scopes.append(("one tag", "tag"))
        scopes.append(("date range", "dates"))
        return scopes

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog export-dialog"):
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
            if self.store is not None:
                yield from self._compose_scope()
            yield Label(
                "the extension picks the format · tab completes · enter exports · esc cancels",
                classes="dialog-hint",
            )

    def _compose_scope(self) -> ComposeResult:
        typed = self.typed
        scopes = self._scopes()
        chosen: Scope = "view" if self.view is not None else "all"
        if typed is not None and typed.scope in [value for _, value in scopes]:
            chosen = typed.scope
        wanted = typed.filters if typed is not None else Filters()
        with Horizontal(id="export-scope-row"):
            yield Select(scopes, value=chosen, allow_blank=False, id="export-scope")
            tag = wanted.tags[0] if wanted.tags and wanted.tags[0] in self.tags else Select.NULL
            yield Select(
                [(safe_content(f"#{name}"), name) for name in self.tags],
                prompt="choose a tag",
                value=tag,
                id="export-tag",
            )
            since = wanted.since.date().isoformat() if wanted.since else ""
            until = wanted.until.date().isoformat() if wanted.until else ""
            yield Input(since, placeholder="from date", id="export-since")
            yield Input(until, placeholder="to date", id="export-until")
        yield Label("", id="export-count")

    def on_mount(self) -> None:
        if self.store is not None:
            self._scope_changed()

    # -- the scope ---------------------------------------------------------------------------
    @property
    def scope(self) -> Scope:
        """The scope chosen (everything when the dialog offers none)."""
        selects = self.query("#export-scope")
        value = selects.first(Select).value if selects else "all"
        return value if value in ("article", "tag", "dates", "view") else "all"  # type: ignore[return-value]

    def chosen_filters(self) -> Filters | str:
        """The filters the chosen scope makes, or why it makes none (one line: a date that is
        not one, no tag chosen)."""
        scope = self.scope
        if scope == "view":
            assert self.view is not None
            return self.view
        if scope == "article" and self.article is not None:
            return Filters(articles=(self.article,))
        if scope == "tag":
            tag = self.query_one("#export-tag", Select).value
            return Filters(tags=(tag,)) if isinstance(tag, str) else "Choose the tag to export."
        if scope == "dates":
            return self._date_filters()
        return Filters()

    def _date_filters(self) -> Filters | str:
        typed = [
            self.query_one(f"#export-{name}", Input).value.strip() for name in ("since", "until")
        ]
        if not any(typed):
            return "Give a first day, a last day or both (YYYY, YYYY-MM or YYYY-MM-DD)."
        try:
            since = date_bound(typed[0]) if typed[0] else None
            until = date_bound(typed[1], end=True) if typed[1] else None
        except ValueError as exc:
            return str(exc)
        if since is not None and until is not None and until < since:
            return f"The range ends ({typed[1]}) before it starts ({typed[0]})."
        return Filters(since=since, until=until)

    @on(Select.Changed, "#export-scope")
    def _scope_chosen(self) -> None:
        """Move on to what the chosen scope asks for: the tag, or the first day."""
        wanted = {"tag": "#export-tag", "dates": "#export-since"}.get(self.scope)
        if wanted is not None:
            self.call_after_refresh(self.query_one(wanted).focus)

    @on(Select.Changed, "#export-scope")
    @on(Select.Changed, "#export-tag")
    @on(Input.Changed, "#export-since")
    @on(Input.Changed, "#export-until")
    def _scope_changed(self) -> None:
        """Show the fields the scope needs, and count what it writes."""
        scope = self.scope
        self.query_one("#export-tag").display = scope == "tag"
        for name in ("since", "until"):
            self.query_one(f"#export-{name}").display = scope == "dates"
        chosen = self.chosen_filters()
        label = self.query_one("#export-count", Label)
        if isinstance(chosen, str):
            label.update(safe_content(chosen))
            return
        label.update("Counting…")
        self._count(chosen)

    @work(thread=True, exclusive=True, exit_on_error=False, group="export count")
    def _count(self, filters: Filters) -> None:
        from annotations.formats.selection import count_kept
        from annotations.storage import StoreError

        assert self.store is not None
        try:
            found: int | None = count_kept(self.store, filters)
        except (StoreError, OSError):
            found = None
        self.post_message(Counted(filters, found))

    @on(Counted)
    def _counted(self, message: Counted) -> None:
        if message.filters != self.chosen_filters():
            return  # a count for a scope since changed
        label = self.query_one("#export-count", Label)
        if message.highlights is None:
            label.update("The highlights cannot be counted (reader doctor says why).")
        else:
            label.update(f"{count(message.highlights, 'highlight')} will be written.")

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
    @on(Input.Submitted, "#export-since")
    @on(Input.Submitted, "#export-until")
    def _submitted(self) -> None:
        value = self.query_one("#export-path", Input).value.strip()
        if not value:
            self.notify("Give a file to write.", severity="warning")
            return
        filters = self.chosen_filters()
        if isinstance(filters, str):
            self.notify(filters, title="What to export", severity="warning")
            return
        request = ExportRequest(
            str(self.query_one("#export-format", Select).value),
            Path(value).expanduser(),
            filters=filters,
            scope=self.scope,
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
