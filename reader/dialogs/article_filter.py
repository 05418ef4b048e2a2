"""The article-list filter: by tag, unread, with highlights, source, publication date and
whether archived articles are shown."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Checkbox, Input, Label, Select

from annotations.filtering import ARCHIVED_CHOICES, ArticleFilter, check_date
from annotations.model import with_parents
from reader.shown import safe_content

_ARCHIVED_LABELS = dict(
    zip(ARCHIVED_CHOICES, ("archived hidden", "archived only", "archived too"), strict=True)
)


class FilterDialog(ModalScreen[ArticleFilter | None]):
    """Returns the new filter (``ArticleFilter()`` to show everything), or ``None`` on escape."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel"),
        Binding("ctrl+x", "clear", "Clear all"),
    ]
    AUTO_FOCUS = "#filter-tag"

    def __init__(self, current: ArticleFilter, tags: list[str], sources: list[str]) -> None:
        super().__init__()
        self.current = current
        # A parent's filter includes the tags nested in it, so parents that are no tag of
        # their own are offered too.
        self.tags = with_parents(tags)
        self.sources = sources

    def compose(self) -> ComposeResult:
        current = self.current
        with Vertical(id="dialog", classes="dialog filter-dialog"):
            yield Label("Filter the article list", classes="dialog-title")
            with Horizontal(classes="filter-row"):
                yield Select(
                    [(safe_content(f"#{name}"), name) for name in self.tags],
                    prompt="any tag",
                    value=current.tag if current.tag in self.tags else Select.NULL,
                    id="filter-tag",
                )
                yield Select(
                    [(safe_content(name), name) for name in self.sources],
                    prompt="any source",
                    value=current.source if current.source in self.sources else Select.NULL,
                    id="filter-source",
                )
            with Horizontal(classes="filter-row"):
                yield Checkbox("Unread only", current.unread, id="filter-unread")
                yield Checkbox("With highlights only", current.annotated, id="filter-annotated")
            with Horizontal(classes="filter-row"):
                yield Input(current.since or "", placeholder="from YYYY-MM-DD", id="filter-since")
                yield Input(current.until or "", placeholder="to YYYY-MM-DD", id="filter-until")
            with Horizontal(classes="filter-buttons"):
                yield Button("Apply", variant="primary", id="filter-apply")
                yield Button("Clear all", id="filter-clear")
                # Beside the buttons, so the dialog still fits in 80x24.
                yield Select(
                    [(label, value) for value, label in _ARCHIVED_LABELS.items()],
                    value=current.archived,
                    allow_blank=False,
                    id="filter-archived",
                )
            yield Label(
                "tab moves · space ticks · enter in a date applies · ctrl+x clears · esc cancels",
                classes="dialog-hint",
            )

    def _chosen(self) -> ArticleFilter | None:
        """The filter the dialog holds, or ``None`` (and a warning) when a date is not one."""
        bounds: list[str | None] = []
        for name in ("since", "until"):
            value = self.query_one(f"#filter-{name}", Input).value.strip()
            try:
                bounds.append(check_date(value) if value else None)
            except ValueError as exc:
                self.notify(str(exc), severity="warning")
                self.query_one(f"#filter-{name}", Input).focus()
                return None
        tag = self.query_one("#filter-tag", Select).value
        source = self.query_one("#filter-source", Select).value
        archived = self.query_one("#filter-archived", Select).value
        return ArticleFilter(
            tag=tag if isinstance(tag, str) else None,
            unread=self.query_one("#filter-unread", Checkbox).value,
            annotated=self.query_one("#filter-annotated", Checkbox).value,
            source=source if isinstance(source, str) else None,
            since=bounds[0],
            until=bounds[1],
            archived=next((a for a in ARCHIVED_CHOICES if a == archived), "hidden"),
        )

    @on(Button.Pressed, "#filter-apply")
    @on(Input.Submitted)
    def action_apply(self) -> None:
        chosen = self._chosen()
        if chosen is not None:
            self.dismiss(chosen)

    @on(Button.Pressed, "#filter-clear")
    def action_clear(self) -> None:
        self.dismiss(ArticleFilter())

    def action_cancel(self) -> None:
        self.dismiss(None)
