"""A scrolling list of rows of varying heights drawn with Textual's line API: only the lines
on screen are laid out, so a list of 30,000 rows opens as fast as one of 30. The article list
and the highlights view are made on it; each draws its own rows (``_draw_row``)."""

from __future__ import annotations

from bisect import bisect_right
from typing import Any, ClassVar

from textual import events
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.geometry import Region, Size, clamp
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style


class RowsView(ScrollView):
    """Rows whose first lines are ``_starts`` (then the total line count), with the drawn
    strips of each row kept in ``_strips`` until the size or the style changes."""

    # The keys that move through the rows (and enter, which chooses one), as OptionList's.
    MOVING: ClassVar[list[BindingType]] = [
        Binding("enter", "select", "Open", show=True),
        Binding("down", "cursor_down", "Down", show=False),
        Binding("up", "cursor_up", "Up", show=False),
        Binding("home", "first", "First", show=False),
        Binding("end", "last", "Last", show=False),
        Binding("pagedown", "page_down", "Page Down", show=False),
        Binding("pageup", "page_up", "Page Up", show=False),
    ]

    # The row the keyboard is on (``None`` with no rows).
    highlighted: reactive[int | None] = reactive(None)

    _starts: list[int]
    _strips: LRUCache[Any, list[Strip]]

    @property
    def row_count(self) -> int:
        return len(self._starts) - 1

    def validate_highlighted(self, highlighted: int | None) -> int | None:
        if highlighted is None or not self.row_count:
            return None
        return clamp(highlighted, 0, self.row_count - 1)

    def watch_highlighted(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None and index < self.row_count:
                self._refresh_row(index)
        self.scroll_to_highlight()

    def scroll_to_highlight(self, top: bool = False) -> None:
        """Scroll so the highlighted row is in view (at the top, with ``top``)."""
        index = self.highlighted
        if index is None or not self.is_mounted:
            return
        start = self._starts[index]
        self.scroll_to_region(
            Region(0, start, self.scrollable_content_region.width, self._starts[index + 1] - start),
            force=True,
            animate=False,
            top=top,
            immediate=True,
        )

    def _on_resize(self, event: events.Resize) -> None:
        self._strips.clear()
        self._update_virtual_size()

    def notify_style_update(self) -> None:
        self._strips.clear()
        self.refresh()
        super().notify_style_update()

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._starts[-1]

    def _update_virtual_size(self) -> None:
        size = Size(self.scrollable_content_region.width, self._starts[-1])
        if size != self.virtual_size:
            self.virtual_size = size
            self._scroll_update(size)

    def _row_at(self, line: int) -> int:
        """The index of the row that line ``line`` of the list belongs to."""
        return bisect_right(self._starts, line) - 1

    def _refresh_row(self, index: int) -> None:
        start = self._starts[index]
        self.refresh_lines(start, self._starts[index + 1] - start)

    # -- drawing -------------------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        line = self.scroll_offset.y + y
        width = self.scrollable_content_region.width
        if not 0 <= line < self._starts[-1]:
            return Strip.blank(width, self.get_visual_style("option-list--option").rich_style)
        index = self._row_at(line)
        style = self._row_style(index)
        key = self._row_key(index, style, width)
        strips = self._strips.get(key)
        if strips is None:
            strips = self._draw_row(index, style, width)
            self._strips[key] = strips
        return strips[line - self._starts[index]]

    def _row_style(self, index: int) -> Style:
        """The style row ``index`` is drawn in, as OptionList styles its options."""
        if index == self.highlighted:
            return self.get_visual_style("option-list--option", "option-list--option-highlighted")
        return self.get_visual_style("option-list--option")

    def _row_key(self, index: int, style: Style, width: int) -> Any:
        """What the drawn strips of row ``index`` depend on: the cache key in ``_strips``."""
        return (index, style, width)

    def _draw_row(self, index: int, style: Style, width: int) -> list[Strip]:
        """Row ``index``'s lines at ``width`` (as many as ``_starts`` gives it)."""
        raise NotImplementedError
