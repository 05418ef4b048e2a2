"""The article list: title, source, date, highlight count, unread marker; the open one marked."""

from __future__ import annotations

from dataclasses import dataclass

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
        meta = " · ".join(part for part in (row.source, row.published) if part)
        if row.highlights:
            meta += f"{' · ' if meta else ''}✎ {row.highlights}"
        if meta:
            parts.append(("\n  " + meta, "dim"))
        return Content.assemble(*parts)

    @on(OptionList.OptionSelected)
    def _opened(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.Opened(event.option.id))
