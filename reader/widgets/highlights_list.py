"""The list of the highlights view (``H``): group headings and highlights, for any corpus.

A Line API widget like the article list: a row is laid out only when it scrolls into view, and
every row's height is known from its kind (a heading one line, a highlight two: the list never
wraps), so showing 30,000 highlights is one pass over them with no text measured. Textual's
``OptionList`` measures every option up front and took 10 s for as many. The keyboard moves
over the highlights only; the headings are passed over.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.binding import BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import clamp
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding

from annotations.highlights_view import UNTAGGED, Group, GroupBy, HighlightsView, Item
from annotations.model import DEFAULT_HIGHLIGHT_COLOR
from corpus.terminal_safe import terminal_safe
from reader.widgets.rows_view import RowsView

MUTED = "$text-muted"


@dataclass(frozen=True)
class _Row:
    """A heading (``item`` None) or a highlight under ``group``."""

    group: Group
    item: Item | None


class HighlightsList(RowsView, can_focus=True):
    """Shows a :class:`HighlightsView`; enter or a click chooses the highlighted one."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *RowsView.MOVING,
    ]

    # The article list's look (OptionList's), under the same component class names.
    DEFAULT_CSS = """
    HighlightsList {
        height: 1fr;
        color: $foreground;
        overflow-x: hidden;
        background: $surface;
        text-wrap: nowrap;
        text-overflow: ellipsis;
        & > .option-list--option {
            padding: 0 1;
        }
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus > .option-list--option-highlighted {
            color: $block-cursor-foreground;
            background: $block-cursor-background;
            text-style: $block-cursor-text-style;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "option-list--option",
        "option-list--option-highlighted",
    }

    """Index of the row the keyboard is on (always a highlight's), or ``None``."""

    @dataclass
    class Chosen(Message):
        """Enter or a click on a highlight."""

        item: Item

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[_Row] = []
        self.by: GroupBy = "tag"
        self.tag_colors: dict[str, str] = {}
        self._items: list[int] = []  # the indexes of the highlights' rows, in order
        self._starts: list[int] = [0]  # first line of each row, then the total line count
        self._strips: LRUCache[tuple[int, Style, int], list[Strip]] = LRUCache(512)

    # -- the public API --------------------------------------------------------------------------
    def show_view(self, view: HighlightsView, colors: dict[str, str]) -> None:
        """List ``view``'s groups, tag names drawn in ``colors``; the first highlight chosen."""
        self.by, self.tag_colors = view.by, colors
        rows: list[_Row] = []
        for group in view.groups:
            rows.append(_Row(group, None))
            rows.extend(_Row(group, item) for item in group.items)
        self.rows = rows
        self._items = [i for i, row in enumerate(rows) if row.item is not None]
        starts, line = [0], 0
        for row in rows:
            line += 1 if row.item is None else 2
            starts.append(line)
        self._starts = starts
        self._strips.clear()
        self._update_virtual_size()
        self.highlighted = None
        self.highlighted = self._items[0] if self._items else None
        self.scroll_to(y=0, animate=False, immediate=True)
        self.refresh()

    @property
    def current(self) -> Item | None:
        """The highlight the keyboard is on."""
        return self.rows[self.highlighted].item if self.highlighted is not None else None

    # -- keys and mouse --------------------------------------------------------------------------
    def _step(self, direction: int) -> None:
        if not self._items:
            return
        if self.highlighted is None:
            self.highlighted = self._items[0]
            return
        at = bisect_right(self._items, self.highlighted) - 1
        self.highlighted = self._items[clamp(at + direction, 0, len(self._items) - 1)]

    def action_cursor_down(self) -> None:
        self._step(1)

    def action_cursor_up(self) -> None:
        self._step(-1)

    def action_first(self) -> None:
        if self._items:
            self.highlighted = self._items[0]
            self.scroll_to(y=0, animate=False, immediate=True)  # its heading in view too

    def action_last(self) -> None:
        if self._items:
            self.highlighted = self._items[-1]

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def _move_page(self, direction: int) -> None:
        if self.highlighted is None:
            return
        line = self._starts[self.highlighted] + direction * self.scrollable_content_region.height
        row = self._row_at(clamp(line, 0, self._starts[-1] - 1))
        # The first highlight from that row down (paging down), or from it up (paging up).
        at = bisect_left(self._items, row) if direction > 0 else bisect_right(self._items, row) - 1
        self.highlighted = self._items[clamp(at, 0, len(self._items) - 1)]

    def action_select(self) -> None:
        item = self.current
        if item is not None:
            self.post_message(self.Chosen(item))

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("option")
        if index is not None and self.rows[index].item is not None:
            self.highlighted = index
            self.action_select()

    # -- layout and rendering ----------------------------------------------------------------------
    def _draw_row(self, index: int, style: Style, width: int) -> list[Strip]:
        padding = self.get_component_styles("option-list--option").padding
        visual = Padding(self._prompt(self.rows[index]), padding)
        # A row's height is fixed by its kind (the CSS has it never wrap): exactly so many.
        height = self._starts[index + 1] - self._starts[index]
        drawn = visual.to_strips(self, visual, width, height, style)
        drawn += [Strip.blank(width)] * (height - len(drawn))
        return [
            s.crop_extend(0, width, style.rich_style).apply_meta({"option": index})
            for s in drawn[:height]
        ]

    def _prompt(self, row: _Row) -> Content:
        group = row.group
        indent = "  " * group.depth
        if row.item is None:
            return self._heading(group, indent)
        return self._highlight(row.item, indent + "  ")

    def _heading(self, group: Group, indent: str) -> Content:
        count = (f"  {group.count}", MUTED)
        if self.by == "article":
            return Content.assemble(indent, (terminal_safe(group.label), "bold"), count)
        if group.key == UNTAGGED:
            return Content.assemble(indent, ("untagged", "bold italic"), count)
        color = self.tag_colors.get(group.key, DEFAULT_HIGHLIGHT_COLOR)
        return Content.assemble(indent, (f"#{terminal_safe(group.label)}", f"bold {color}"), count)

    def _highlight(self, item: Item, indent: str) -> Content:
        """Two lines: the context with the quote marked; the tags, note and article."""
        h = item.highlight
        line, at, to = item.context, item.context_start, item.context_end
        first_tag = self.tag_colors.get(h.tags[0], DEFAULT_HIGHLIGHT_COLOR) if h.tags else None
        context = Content.assemble(
            indent,
            terminal_safe(line[:at]),
            (terminal_safe(line[at:to]), f"bold {h.color or first_tag or '$text-warning'}"),
            terminal_safe(line[to:]),
        )
        parts: list[str | tuple[str, str]] = [indent + "  "]
        if not h.tags and self.by == "article":  # by tag, its heading says so
            parts.append(("untagged  ", f"italic {MUTED}"))
        for name in h.tags:
            parts.append(
                (f"#{terminal_safe(name)} ", self.tag_colors.get(name, DEFAULT_HIGHLIGHT_COLOR))
            )
        if h.coder:
            parts.append((f"@{terminal_safe(h.coder)}  ", MUTED))
        if h.note:
            parts.append((f"✎ {terminal_safe(' '.join(h.note.split()))}  ", "italic"))
        if h.orphaned:
            parts.append(("(not in the text)  ", "$warning"))
        if self.by == "tag":
            parts.append((f"— {terminal_safe(item.title)}", MUTED))
        return Content.assemble(context, "\n", Content.assemble(*parts))
