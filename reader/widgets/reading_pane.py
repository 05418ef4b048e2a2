"""The reading pane: an article's display text with its styles, highlights, cursor and selection.

Rendered with the Line API: the text is wrapped once per width (:mod:`reader.text_layout`) and
each visible row becomes a :class:`~textual.strip.Strip` on demand, cached by what it shows, so
a 1 MB article scrolls as fast as a short one.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass
from itertools import pairwise

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.color import Color
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from annotations.coder_marks import MARKS, NO_MARK
from corpus.markdown_text import DisplayText, Span
from corpus.text_match import FoldedText, find_all
from reader import motions
from reader.text_layout import CURSOR_MARK, QUOTE_BAR, Layout, Line, invisible, layout
from reader.textual_private import in_batch_update

MAX_MEASURE = 80  # a comfortable line length, in cells
CACHE_ROWS = 2000
# Longer texts paint their first screen before the rest is wrapped (about 5 ms per 100,000).
PARTIAL_LAYOUT_FROM = 100_000
# Rows of text kept visible above and below the cursor when a key moves it (vi's scrolloff):
# after `}` the new paragraph is seen with what follows it, not on the last row.
SCROLL_OFF = 3
SPAN_STYLES = {
    "strong": "strong",
    "emphasis": "emphasis",
    "link": "link",
    "code": "code",
    "marker": "marker",
    "image": "emphasis",
}


# The motions that move to the start of the next unit: a selection growing forward with one of
# them ends on the last character of the unit instead (motions.unit_end).
_FORWARD_UNITS: dict[str, Callable[[DisplayText, int], int]] = {
    "word": motions.word_forward,
    "sentence": motions.sentence_forward,
    "paragraph": motions.paragraph_forward,
}


@dataclass(frozen=True)
class PaneHighlight:
    """What the pane needs to draw a highlight."""

    id: str
    start: int
    end: int
    color: str
    # Its coder's mark (an index into annotations.coder_marks.MARKS), laid over the colour
    # when two or more coders' highlights are shown; NO_MARK draws the colour alone.
    mark: int = NO_MARK


# annotations.coder_marks.MARKS as styles: they add up where highlights overlap, and change
# no character of the text.
MARK_STYLES = tuple(Style.parse(name) for name in MARKS)


_NOT_DRAWN = object()  # an anchor no selection has


class ReadingPane(ScrollView, can_focus=True):
    """Shows one article; owns the cursor, the selection and find matches."""

    ALLOW_SELECT = False  # selection is ours (offsets into display text), not Textual's
    COMPONENT_CLASSES = {
        "reading-pane--h1",
        "reading-pane--h2",
        "reading-pane--h3",
        "reading-pane--strong",
        "reading-pane--emphasis",
        "reading-pane--link",
        "reading-pane--code",
        "reading-pane--marker",
        "reading-pane--quote",
        "reading-pane--quote-bar",
        "reading-pane--rule",
        "reading-pane--cursor",
        "reading-pane--selection",
        "reading-pane--match",
    }
    BINDINGS = [
        Binding("left,h", "move('left')", "Left", show=False),
        Binding("right,l", "move('right')", "Right", show=False),
        Binding("up,k", "move('up')", "Up", show=False),
        Binding("down,j", "move('down')", "Down", show=False),
        Binding("w", "move('word')", "Next word", show=False),
        Binding("b", "move('word_back')", "Previous word", show=False),
        # Only while selecting (see check_action): otherwise e is the main screen's export.
        Binding("e", "move('word_end')", "End of word (selecting)", show=False),
        Binding(")", "move('sentence')", "Next sentence", show=False),
        Binding("(", "move('sentence_back')", "Previous sentence", show=False),
        Binding("}", "move('paragraph')", "Next paragraph", show=False),
        Binding("{", "move('paragraph_back')", "Previous paragraph", show=False),
        Binding("g,home", "move('start')", "Start", show=False),
        Binding("G,end", "move('end')", "End", show=False),
        Binding("space,pagedown", "move('page_down')", "Page down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
        Binding("shift+left", "extend('left')", "Extend left", show=False),
        Binding("shift+right", "extend('right')", "Extend right", show=False),
        Binding("shift+up", "extend('up')", "Extend up", show=False),
        Binding("shift+down", "extend('down')", "Extend down", show=False),
        Binding("v", "visual", "Select"),
        Binding("s", "select_sentence", "Sentence"),
        Binding("S", "select_paragraph", "Paragraph", show=False),
        Binding("escape", "clear_selection", "Cancel", show=False),
        Binding("n", "next_match(1)", "Next match", show=False),
        Binding("N", "next_match(-1)", "Previous match", show=False),
    ]

    @dataclass
    class CursorMoved(Message):
        """The cursor moved; sent often, so a newer one replaces an unhandled older one."""

        pane: ReadingPane
        offset: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ReadingPane.CursorMoved)

    @dataclass
    class HighlightClicked(Message):
        """A click landed on a highlight."""

        pane: ReadingPane
        highlight_id: str

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.display_text = DisplayText("")
        self.article_id: str | None = None
        self.cursor = 0
        self.seen = 0  # the furthest display-text offset painted on screen since the load
        # Until a newly loaded article is scrolled to its cursor, a paint shows rows at the
        # last article's scroll offset: those are not counted as seen.
        self._placed = False
        self.selection_anchor: int | None = None
        self.visual = False
        self.highlights: list[PaneHighlight] = []
        self.matches: list[tuple[int, int]] = []  # find matches, display spans in order
        self._match_reach = 0  # the longest match: how far before a line one may start
        self._folded_text: FoldedText | None = None  # the display text's, for find
        self._layout: Layout | None = None
        self._block_spans: list[list[Span]] = []
        self._goal_column: int | None = None
        self._rows: dict[tuple[object, ...], Strip] = {}
        # The pane's own style (Textual works it out from every ancestor's at each ask), kept
        # as long as the rows drawn with it are: until the next style update.
        self._base: Style | None = None
        self._marks_version = 0  # bumped whenever highlights or find matches change
        self._dragging = False
        self._drag_moved = False
        self._after_paint: list[Callable[[], object]] = []
        self._completing = False  # the rest of a partial layout is waiting for a paint
        self._cursor_row = 2  # the view's row a newly loaded article shows the cursor on
        # The selection's anchor when rows were last drawn (see _refresh_moved); nothing yet.
        self._drawn_anchor: object = _NOT_DRAWN

    # -- loading -----------------------------------------------------------------------------
    def load(
        self,
        article_id: str,
        display: DisplayText,
        highlights: list[PaneHighlight],
        position: int = 0,
        *,
        cursor_row: int = 2,
    ) -> None:
        """Show an article with its highlights, the cursor at ``position`` on the view's row
        ``cursor_row`` (near the top; a reload keeps the row it was on, see
        :attr:`cursor_row`)."""
        self.article_id = article_id
        self._cursor_row = cursor_row
        self.display_text = display
        self._block_spans = [[] for _ in display.blocks]
        starts = [b.start for b in display.blocks]
        for span in display.spans:
            index = bisect_right(starts, span.start) - 1
            if index >= 0:
                self._block_spans[index].append(span)
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self.selection_anchor, self.visual, self.matches = None, False, []
        self._layout = None
        self._rows.clear()
        self._marks_version += 1
        self.cursor = motions.clamp(display, position)
        self.seen, self._placed = 0, False
        self.refresh()
        self.post_message(self.CursorMoved(self, self.cursor))

    def set_highlights(self, highlights: list[PaneHighlight]) -> None:
        """Replace the drawn highlights (after an add, edit, delete or undo)."""
        self.highlights = sorted(highlights, key=lambda h: (h.start, h.end))
        self._marks_version += 1
        self.refresh()

    # -- geometry ----------------------------------------------------------------------------
    @property
    def measure(self) -> int:
        """Width of the text column: the pane less padding, at most :data:`MAX_MEASURE`."""
        return max(20, min(MAX_MEASURE, self.scrollable_content_region.width - 2))

    @property
    def margin(self) -> int:
        return max(1, (self.scrollable_content_region.width - self.measure) // 2)

    def on_resize(self, event: events.Resize) -> None:
        # Relaying out waits for the next paint: on start-up several resizes arrive (breakpoint
        # classes change pane widths) and only the last width matters.
        self.refresh()

    @property
    def text_layout(self) -> Layout:
        """All the rows at the current width, laid out on first use after a change of width."""
        width = self.measure
        current = self._layout
        if current is None or current.width != width or not current.complete:
            self._set_layout(layout(self.display_text, width), fresh=current is None)
        assert self._layout is not None
        return self._layout

    def _paint_layout(self) -> Layout:
        """The rows a paint needs: a newly opened long article's first screen is painted from
        a partial layout, and the rest is laid out once that paint has been sent to the
        terminal (see :meth:`render_line`)."""
        current = self._layout
        if current is not None and current.width == self.measure:
            return current
        if current is None and len(self.display_text.text) >= PARTIAL_LAYOUT_FROM:
            partial = layout(
                self.display_text,
                self.measure,
                until=self.cursor,
                extra_rows=2 * max(self.size.height, 24),
            )
            self._set_layout(partial, fresh=True)
            return partial
        return self.text_layout

    def _set_layout(self, new: Layout, *, fresh: bool) -> None:
        self._layout = new
        self._rows.clear()
        rows = len(new.lines)
        if not new.complete and new.lines:
            # Rows still to come, guessed from the share of the text laid out so far, so the
            # scrollbar is about right until the whole layout replaces this one.
            done = max(1, new.lines[-1].end)
            rows = max(rows, rows * len(self.display_text.text) // done)
        self.virtual_size = Size(self.scrollable_content_region.width, rows)
        if fresh:
            self.call_after_refresh(self._show_cursor_near_top)
        else:
            self.call_after_refresh(self._scroll_cursor_visible)

    def _line_index(self, offset: int) -> int:
        return self.text_layout.line_of(offset)

    def _column(self, line: Line, offset: int) -> int:
        return (
            line.indent + Strip([Segment(self.display_text.text[line.start : offset])]).cell_length
        )

    def _offset_at_column(self, line: Line, column: int) -> int:
        text = self.display_text.text
        used = line.indent
        for offset in range(line.start, line.end):
            used += Segment(text[offset]).cell_length
            if used > column:
                return offset
        return max(line.start, line.end - 1) if line.end > line.start else line.start

    def offset_at(self, x: int, y: int) -> int:
        """The text offset under a point of the content region (for the mouse)."""
        lines = self.text_layout.lines
        index = min(len(lines) - 1, max(0, int(self.scroll_offset.y) + y))
        while index > 0 and lines[index].block < 0:
            index -= 1
        return motions.clamp(
            self.display_text, self._offset_at_column(lines[index], x - self.margin)
        )

    # -- selection ---------------------------------------------------------------------------
    @property
    def selection(self) -> tuple[int, int] | None:
        """The selected ``(start, end)`` range, if any."""
        if self.selection_anchor is None:
            return None
        return min(self.selection_anchor, self.cursor), max(self.selection_anchor, self.cursor) + 1

    def select(self, start: int, end: int) -> None:
        """Select ``text[start:end]`` and put the cursor on its last character; a selection
        made off screen (a find, a search result, a sidebar entry) is brought into view with
        some text around it."""
        self.selection_anchor = start
        self.visual = False
        self._set_cursor(max(start, end - 1))
        self._reveal(start)

    def _reveal(self, offset: int) -> None:
        """Scroll so ``offset``'s row is a third of the way down, unless it is already well
        inside the view (not on its first or last two rows)."""
        height = self.size.height
        if not height:
            return
        row = self._line_index(offset)
        top = int(self.scroll_offset.y)
        if top + 2 <= row <= top + height - 3:
            return
        self.scroll_to(y=max(0, row - height // 3), animate=False, immediate=True)

    def clear_selection(self) -> None:
        self.selection_anchor, self.visual = None, False
        self.refresh()

    def highlight_at(self, offset: int) -> PaneHighlight | None:
        """The innermost highlight covering ``offset``."""
        found = [h for h in self.highlights if h.start <= offset < h.end]
        return min(found, key=lambda h: h.end - h.start) if found else None

    # -- cursor ------------------------------------------------------------------------------
    def _set_cursor(self, offset: int, *, keep_goal: bool = False, context: bool = True) -> None:
        """Move the cursor and scroll it into view (``context``: with rows around it; a
        click or a drag, which points at what it wants, scrolls only to keep it on screen)."""
        before = self.cursor
        self.cursor = motions.clamp(self.display_text, offset)
        if not keep_goal:
            self._goal_column = None
        self._scroll_cursor_visible(context=context)
        self._refresh_moved(before)
        self.post_message(self.CursorMoved(self, self.cursor))

    def _refresh_moved(self, before: int) -> None:
        """Draw again the rows a cursor move from ``before`` changed: those from the old
        cursor's row to the new one's (a selection's moving edge is among them). When the
        selection began or ended since the rows were drawn, every row is drawn again; a scroll
        draws them all anyway. A cursor move used to draw the whole pane again: about half
        the CPU of a key press that moves the cursor."""
        if self.selection_anchor != self._drawn_anchor:
            self.refresh()
            return
        first, last = sorted((self._line_index(before), self._line_index(self.cursor)))
        self.refresh_lines(first, last - first + 1)

    def move_to(self, offset: int) -> None:
        """Put the cursor at ``offset`` (clearing a selection) and scroll it into view."""
        self.selection_anchor, self.visual = None, False
        self._set_cursor(offset)

    @property
    def cursor_row(self) -> int:
        """The row of the view the cursor is on (0 at the top; kept inside the view)."""
        row = self._line_index(self.cursor) - int(self.scroll_offset.y)
        return min(max(0, row), max(0, self.size.height - 1))

    def _show_cursor_near_top(self) -> None:
        # A partial layout reaches past the cursor, so this never waits for the whole layout.
        row = self._paint_layout().line_of(self.cursor)
        self.scroll_to(y=max(0, row - self._cursor_row), animate=False, immediate=True)
        self._placed = True

    def call_after_paint(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` once the pane's next paint has gone to the terminal.

        Unlike ``call_after_refresh``, which runs as soon as the app is idle (at start-up,
        before the first frame is on the terminal), this waits for :meth:`render_line`.
        """
        self._after_paint.append(callback)
        self.refresh()

    def _painted(self) -> None:
        """Called by the first row of a paint that reaches the terminal, with work waiting."""
        waiting, self._after_paint = self._after_paint, []
        for callback in waiting:
            # A message to ourselves: handled after the compositor has sent this frame.
            self.call_later(callback)

    def _complete_layout(self) -> None:
        self._completing = False
        self.text_layout  # noqa: B018 - lays out the rest of the article

    def _scroll_cursor_visible(self, *, context: bool = True) -> None:
        """Scroll the cursor's row into view; with ``context``, with :data:`SCROLL_OFF` rows
        either side (fewer in a pane too low for them)."""
        height = self.size.height
        if not height:
            return
        row = self._line_index(self.cursor)
        around = min(SCROLL_OFF, (height - 1) // 2) if context else 0
        top = max(0, row - around)
        region = Region(0, top, 1, row + around + 1 - top)
        self.scroll_to_region(region, spacing=None, animate=False, immediate=True)

    def _target(self, motion: str) -> int:
        display, cursor = self.display_text, self.cursor
        lines = self.text_layout.lines
        if motion in ("up", "down", "page_up", "page_down"):
            index = self._line_index(cursor)
            line = lines[index]
            if self._goal_column is None:
                self._goal_column = self._column(line, cursor)
            step = 1 if motion in ("down", "page_down") else -1
            count = max(1, self.size.height - 2) if motion.startswith("page") else 1
            target = index
            while count and 0 <= target + step < len(lines):
                target += step
                if lines[target].block >= 0:
                    count -= 1
            if lines[target].block < 0:
                return cursor
            return self._offset_at_column(lines[target], self._goal_column)
        forward = _FORWARD_UNITS.get(motion)
        anchor = self.selection_anchor
        if forward is not None and self.visual and anchor is not None and cursor >= anchor:
            # A selection growing forward ends on the unit, not on the next one's first letter.
            return motions.unit_end(display, cursor, forward)
        moves: dict[str, Callable[[], int]] = {
            "left": lambda: cursor - 1 if cursor > 0 else 0,
            "right": lambda: self._next_char(cursor),
            "word": lambda: motions.word_forward(display, cursor),
            "word_back": lambda: motions.word_backward(display, cursor),
            "word_end": lambda: motions.word_end(display, cursor),
            "sentence": lambda: motions.sentence_forward(display, cursor),
            "sentence_back": lambda: motions.sentence_backward(display, cursor),
            "paragraph": lambda: motions.paragraph_forward(display, cursor),
            "paragraph_back": lambda: motions.paragraph_backward(display, cursor),
            "start": lambda: 0,
            "end": lambda: len(display.text),
        }
        target = moves[motion]()
        if motion == "left" and target < cursor:
            block = display.block_at(cursor)
            if block and cursor == block.start:
                previous = display.block_at(max(0, cursor - 3))
                target = previous.end - 1 if previous else cursor
        return target

    def _next_char(self, cursor: int) -> int:
        block = self.display_text.block_at(cursor)
        if block and cursor + 1 >= block.end:
            following = self.display_text.block_at(block.end + 2)
            return following.start if following and following is not block else cursor
        return cursor + 1

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """``e`` moves to the end of a word only while selecting (after ``v``); otherwise
        the key goes on to the main screen, whose ``e`` exports."""
        return self.visual or not (action == "move" and parameters == ("word_end",))

    def action_move(self, motion: str) -> None:
        if not self.visual:
            self.selection_anchor = None
        keep = motion in ("up", "down", "page_up", "page_down")
        self._set_cursor(self._target(motion), keep_goal=keep)

    def action_extend(self, motion: str) -> None:
        if self.selection_anchor is None:
            self.selection_anchor = self.cursor
        keep = motion in ("up", "down")
        self._set_cursor(self._target(motion), keep_goal=keep)

    def action_visual(self) -> None:
        if self.visual:
            self.clear_selection()
        else:
            self.selection_anchor, self.visual = self.cursor, True
            self.refresh()

    def action_clear_selection(self) -> None:
        self.clear_selection()
        self.matches = []
        self._marks_version += 1

    def action_select_sentence(self) -> None:
        self.select(*motions.sentence_at(self.display_text, self.cursor))

    def action_select_paragraph(self) -> None:
        self.select(*motions.paragraph_at(self.display_text, self.cursor))

    # -- find --------------------------------------------------------------------------------
    def find(self, query: str) -> int:
        """Mark every match of ``query`` (as :func:`corpus.text_match.find_all` finds it);
        returns how many there are."""
        self.matches = find_all(self._folded(), query) if query else []
        self._match_reach = max((end - start for start, end in self.matches), default=0)
        self._marks_version += 1
        self.refresh()
        return len(self.matches)

    def _folded(self) -> FoldedText:
        """The display text folded for find, kept while the same text is shown."""
        folded = self._folded_text
        if folded is None or folded.text is not self.display_text.text:
            folded = self._folded_text = FoldedText(self.display_text.text)
        return folded

    def action_next_match(self, direction: int = 1) -> None:
        """Select the next (or previous) match after the cursor, wrapping around."""
        if not self.matches:
            self.app.bell()
            return
        if direction > 0:
            index = bisect_left(self.matches, (self.cursor + 1,)) % len(self.matches)
        else:
            start = self.selection[0] if self.selection else self.cursor
            index = (bisect_left(self.matches, (start,)) - 1) % len(self.matches)
        self.select(*self.matches[index])

    # -- mouse -------------------------------------------------------------------------------
    def _event_offset(self, event: events.MouseEvent, *, captured: bool = False) -> int | None:
        """Text offset under the mouse; ``None`` outside the text area unless dragging."""
        point = (
            event.get_content_offset_capture(self) if captured else event.get_content_offset(self)
        )
        return self.offset_at(point.x, point.y) if point is not None else None

    def on_mouse_down(self, event: events.MouseDown) -> None:
        offset = self._event_offset(event)
        if event.button != 1 or not self.display_text.blocks or offset is None:
            return
        self.focus()
        self.selection_anchor, self.visual = offset, False
        self._dragging, self._drag_moved = True, False
        self.capture_mouse()
        self._set_cursor(offset, context=False)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        if self._dragging:
            offset = self._event_offset(event, captured=True)
            if offset is not None and offset != self.cursor:
                self._drag_moved = True
                self._set_cursor(offset, context=False)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        if not self._dragging:
            return
        self._dragging = False
        self.release_mouse()
        if not self._drag_moved:
            self.selection_anchor = None
            hit = self.highlight_at(self.cursor)
            if hit is not None:
                self.select(hit.start, hit.end)
                self.post_message(self.HighlightClicked(self, hit.id))
            self.refresh()

    def on_focus(self) -> None:
        self.refresh()

    def on_blur(self) -> None:
        self.refresh()

    # -- rendering ---------------------------------------------------------------------------
    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rows.clear()
        self._base = None

    @property
    def base_style(self) -> Style:
        """``rich_style``, asked of Textual once per style update, not once per row drawn (a
        third of the pane's drawing time on a page down)."""
        if self._base is None:
            self._base = self.rich_style
        return self._base

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        painting = self._paint_layout()
        lines = painting.lines
        if not (painting.complete or self._completing):  # the rest waits for this paint
            self._completing = True
            self._after_paint.append(self._complete_layout)
        # Work waiting for a paint runs once this one is on the terminal. Textual renders the
        # first screen once inside its start-up batch and drops that frame, so only a paint
        # outside a batch counts.
        if self._after_paint and not in_batch_update(self.app):
            self._painted()
        index = int(self.scroll_offset.y) + y
        if index >= len(lines):
            return Strip.blank(width, self.base_style)
        line = lines[index]
        if self._placed and line.end > self.seen:  # progress: what was shown was there to read
            self.seen = line.end
        self._drawn_anchor = self.selection_anchor
        selection = self.selection
        clip = None
        if selection and selection[0] < line.end and selection[1] > line.start:
            clip = (max(selection[0], line.start), min(selection[1], line.end))
        cursor = self.cursor if line.start <= self.cursor < max(line.end, line.start + 1) else -1
        key = (
            index,
            width,
            self._marks_version,
            clip,
            cursor,
            self.has_focus,
        )
        strip = self._rows.get(key)
        if strip is None:
            strip = self._render_row(line, width, clip, cursor)
            if len(self._rows) > CACHE_ROWS:
                self._rows.clear()
            self._rows[key] = strip
        return strip

    def _style(self, name: str) -> Style:
        return self.get_component_rich_style(f"reading-pane--{name}", partial=True)

    def _highlight_style(self, color: str) -> Style:
        background = self.styles.background if self.styles.background.a else Color(0, 0, 0)
        return Style(bgcolor=Color.parse(color).blend(background, 0.45).rich_color)

    def _render_row(
        self, line: Line, width: int, clip: tuple[int, int] | None, cursor: int
    ) -> Strip:
        base = self.base_style
        if line.block < 0:
            return Strip.blank(width, base)
        display = self.display_text
        block = display.blocks[line.block]
        segments = [Segment(" " * self.margin, base)]
        # As many bars as the row's indent holds: a deep quote's decoration is cut to half the
        # column (text_layout.block_indent), never its text.
        hang = block.marker if block.kind == "list_item" and not line.first else 0
        bars = min(block.quote, (line.indent - hang) // len(QUOTE_BAR))
        for _ in range(bars):
            segments.append(Segment(QUOTE_BAR, base + self._style("quote-bar")))
        pad = line.indent - bars * len(QUOTE_BAR)
        if pad > 0:
            segments.append(Segment(" " * pad, base))
        block_style = base
        if block.kind == "heading":
            block_style += self._style(f"h{min(block.level, 3)}")
        elif block.kind == "code":
            block_style += self._style("code")
        elif block.kind == "rule":
            block_style += self._style("rule")
        if block.quote:
            block_style += self._style("quote")
        spans = [
            s for s in self._block_spans[line.block] if s.start < line.end and s.end > line.start
        ]
        marks = [h for h in self.highlights if h.start < line.end and h.end > line.start]
        first_match = bisect_left(self.matches, (line.start - self._match_reach,))
        found = [m for m in self.matches[first_match:] if m[0] < line.end]
        cuts = {line.start, line.end}
        for a, b in (
            [(s.start, s.end) for s in spans]
            + [(h.start, h.end) for h in marks]
            + found
            + ([clip] if clip else [])
            + ([(cursor, cursor + 1)] if cursor >= 0 else [])
        ):
            cuts.update(c for c in (a, b) if line.start < c < line.end)
        text = display.text
        hidden: set[int] = set()
        if not text[line.start : line.end].isascii():
            left_out, joined = invisible(text, line.start, line.end)
            hidden.update(left_out)
            # A joined sequence is drawn in one piece, in the style of its first character:
            # with a style change inside, a terminal would draw its parts apart.
            for first, last in joined:
                inside = {c for c in cuts if first < c < last}
                if inside:
                    cuts -= inside
                    cuts.update(c for c in (first, last) if line.start < c < line.end)
        points = sorted(cuts)
        for a, b in pairwise(points):
            style = block_style
            for span in spans:
                if span.start <= a < span.end:
                    name = SPAN_STYLES.get(span.style)
                    style += self._style(name) if name else Style(strike=True)
            for mark in marks:
                if mark.start <= a < mark.end:
                    style += self._highlight_style(mark.color)
                    if mark.mark != NO_MARK:
                        style += MARK_STYLES[mark.mark]
            if any(start <= a < end for start, end in found):
                style += self._style("match")
            if clip and clip[0] <= a < clip[1]:
                style += self._style("selection")
            on_cursor = a <= cursor < b
            if on_cursor and self.has_focus:
                style += self._style("cursor")
            elif on_cursor:
                style += Style(underline=True)
            piece = text[a:b]
            if hidden and not hidden.isdisjoint(range(a, b)):
                # Not sent to the terminal (see text_layout): the cursor on one shows a mark.
                kept = (char for at, char in enumerate(piece, a) if at not in hidden)
                piece = CURSOR_MARK if on_cursor and a in hidden else "".join(kept)
            segments.append(Segment(piece.replace("\n", " "), style))
        if cursor >= 0 and cursor >= line.end and self.has_focus:
            segments.append(Segment(" ", base + self._style("cursor")))
        return Strip(segments).extend_cell_length(width, base).crop(0, width)
