"""An article's details in a form (``E`` in the article list): title, author, site and
publication date, each in a field named in its border. Enter or ctrl+s saves what was changed;
esc cancels. The URL is shown, not edited (:mod:`annotations.article_details` says why)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from annotations.article_details import FIELDS, Details, DetailsError, check_changes
from corpus.terminal_safe import terminal_safe
from reader.shown import safe_content

NAMES = {"title": "Title", "author": "Author", "site": "Site (the list's source)"}
NAMES["published"] = "Published (YYYY-MM-DD)"


class DetailsDialog(ModalScreen[dict[str, str | None] | None]):
    """Returns the details changed (name to the text typed, checked by
    :func:`~annotations.article_details.check_changes`; ``{}`` when none was), or ``None``
    on esc."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save", priority=True),
        Binding("escape", "cancel", "Cancel"),
    ]
    AUTO_FOCUS = "#details-title"

    def __init__(self, details: Details, url: str | None = None) -> None:
        super().__init__()
        # Each value as the field shows it: a control character of an imported title is shown,
        # not obeyed. A field left as shown is not saved, so that title keeps its own text.
        self.shown = {name: terminal_safe(details.get(name) or "") for name in FIELDS}
        self.url = url

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog details-dialog"):
            yield Label("Details of the article", classes="dialog-title")
            yield self._field("title")
            with Horizontal(classes="details-row"):
                yield self._field("author")
                yield self._field("site")
            with Horizontal(classes="details-row"):
                yield self._field("published")
                url = f"from {terminal_safe(self.url)}" if self.url else "no URL"
                yield Label(safe_content(url), id="details-url")
            yield Label("", id="details-error")
            yield Label(
                "enter saves (u undoes it) · tab moves · esc cancels", classes="dialog-hint"
            )

    def _field(self, name: str) -> Input:
        field = Input(self.shown[name], id=f"details-{name}", select_on_focus=False)
        field.border_title = NAMES[name]
        return field

    @on(Input.Submitted)
    def action_save(self) -> None:
        typed = {name: self.query_one(f"#details-{name}", Input).value for name in FIELDS}
        changes: dict[str, str | None] = {
            name: value for name, value in typed.items() if value != self.shown[name]
        }
        try:
            checked = check_changes(changes)
        except DetailsError as exc:
            error = self.query_one("#details-error", Label)
            error.update(safe_content(str(exc)))
            if exc.field is not None:
                self.query_one(f"#details-{exc.field}", Input).focus()
            return
        self.dismiss(checked)

    def action_cancel(self) -> None:
        self.dismiss(None)
