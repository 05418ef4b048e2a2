"""The article list: title, source, date, highlight count, unread marker; the open one marked."""

from __future__ import annotations

from dataclasses import dataclass, replace

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option


@dataclass(frozen=True)
class ArticleRow:
    """What the list shows of one article."""

    id: str
    title: str
    source: str
    published: str
    highlights: int
    read: bool


class ArticleList(OptionList):
    """Lists the workspace's articles; enter or a click opens one."""

    BINDINGS = [Binding("enter", "select", "Open", show=True)]

    class Opened(Message):
        """The user chose an article to read."""

        def __init__(self, article_id: str) -> None:
            super().__init__()
            self.article_id = article_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ArticleRow] = []
        self.current: str | None = None

    def set_rows(self, rows: list[ArticleRow], current: str | None) -> None:
        """Show these rows, keeping the highlighted row where it was."""
        keep = self.highlighted
        self.rows, self.current = rows, current
        self.set_options(Option(self._prompt(row), id=row.id) for row in rows)
        if keep is not None and rows:
            self.highlighted = min(keep, len(rows) - 1)
        elif current is not None:
            self.show_current()

    def update_row(self, article_id: str, **changes: object) -> None:
        """Change one row (its count, its read flag) without rebuilding the list."""
        for index, row in enumerate(self.rows):
            if row.id == article_id:
                self.rows[index] = replace(row, **changes)  # type: ignore[arg-type]
                self.replace_option_prompt(article_id, self._prompt(self.rows[index]))
                return

    def set_current(self, article_id: str) -> None:
        """Mark the open article (and unmark the one before)."""
        previous, self.current = self.current, article_id
        for row in self.rows:
            if row.id in (previous, article_id):
                self.replace_option_prompt(row.id, self._prompt(row))
        self.show_current()

    def show_current(self) -> None:
        """Move the list's highlight to the open article."""
        for index, row in enumerate(self.rows):
            if row.id == self.current:
                self.highlighted = index
                return

    def _prompt(self, row: ArticleRow) -> Content:
        open_now = row.id == self.current
        if open_now:
            marker = ("▶ ", "bold $accent")
        elif not row.read:
            marker = ("● ", "bold $primary")
        else:
            marker = ("  ", "")
        parts: list[str | tuple[str, str]] = [marker, (row.title, "bold" if not row.read else "")]
        # The count leads, so it stays visible when a narrow list cuts the line short.
        count = f"✎ {row.highlights}" if row.highlights else ""
        meta = " · ".join(part for part in (count, row.source, row.published) if part)
        if meta:
            parts.append(("\n  " + meta, "dim"))
        return Content.assemble(*parts)

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(event.option.id))
