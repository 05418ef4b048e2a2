"""Wrap display text into screen lines, once per width.

The reading pane never re-wraps while scrolling: :func:`layout` turns a
:class:`~corpus.markdown_text.DisplayText` into a list of :class:`Line` records that map each
screen row to a range of text offsets, and the pane renders rows from that list on demand.
Offsets are contiguous: a wrapped line's trailing spaces belong to it, so every offset inside a
block is on exactly one line, and :meth:`Layout.line_of` finds it by bisection.

The display text keeps every character of the article, bidi overrides and zero-width spaces
included: its offsets are what highlights point at. The pane leaves those characters out where
it draws (:func:`invisible`, :func:`drawn`), so none reaches the terminal, and rows are measured
as drawn: such a character takes no cell.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from rich.cells import cell_len

from corpus.markdown_text import Block, DisplayText
from corpus.terminal_safe import INVISIBLE

QUOTE_BAR = "▎ "
INDENT = 2
# Drawn for the cursor when it is on a character the pane leaves out: one cell, so the cursor
# shows there (the rest of its row moves right by a cell while it does).
CURSOR_MARK = "◌"
_JOINERS = "\u200c\u200d"
# Drawn with the character before them: variation selectors and emoji skin tones.
_EXTENDS = re.compile("[\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")
# The units a row may break between. CJK text has no spaces: a row may break before or after any
# of its letters, but a Latin word inside it stays whole ("AI" in 使用AI技术), closing marks stay
# with what they close (no row starts with 。 or 」) and opening ones with what they open.
_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3031-\u303c\u3040-\u30ff\u31f0-\u31ff"
    "\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\uff66-\uff9f\U00020000-\U0003ffff"
)
_OPENING = "「『（〔【〈《｛［〘〚"
_CLOSING = "、。，．：；！？」』）〕】〉》｝］〙〛｡､"
_WORD = re.compile(
    f"[{_OPENING}]*(?:[{_CJK}]|[^\\s{_CJK}{_OPENING}{_CLOSING}]+)[{_CLOSING}]*\\s*"
    f"|[{_OPENING}{_CLOSING}]+\\s*|\\s+"
)
# Characters that surely take one cell, so a run made only of them can be wrapped by counting
# characters: Latin, Greek, Cyrillic (less its combining marks, U+0483-0489), and the punctuation
# news text is full of (dashes, curly quotes, bullets, ellipses, currency, arrows, box drawing).
# A test checks every one against Rich, which draws them; asking Rich here would cost 3 ms a start.
_NARROW_RANGES = (
    (0x20, 0x7E),
    (0xA0, 0x2FF),
    (0x370, 0x482),
    (0x48A, 0x52F),
    (0x1E00, 0x1FFF),
    (0x2010, 0x2027),
    (0x2030, 0x205E),
    (0x20A0, 0x20C0),
    (0x2100, 0x214F),
    (0x2190, 0x21FF),
    (0x2500, 0x259F),
)
_NARROW = frozenset(chr(c) for low, high in _NARROW_RANGES for c in range(low, high + 1))
_all_narrow = _NARROW.issuperset


@dataclass(frozen=True, slots=True)
class Line:
    """One screen row: ``text[start:end]`` of block ``block`` (``-1`` for a blank row)."""

    start: int
    end: int
    block: int
    indent: int = 0
    first: bool = False


@dataclass
class Layout:
    """The rows of one article at one width."""

    width: int
    lines: list[Line]
    starts: list[int]
    # False for the first rows only (see :func:`layout`'s ``until``): enough to paint a screen.
    complete: bool = True

    def line_of(self, offset: int) -> int:
        """Index of the text row holding ``offset`` (blank rows are never returned)."""
        index = max(0, bisect_right(self.starts, offset) - 1)
        while index > 0 and self.lines[index].block < 0:
            index -= 1
        return index


def block_indent(block: Block, width: int) -> int:
    """Cells of decoration before a block's first line: quote bars and list nesting. In a
    column ``width`` cells wide it takes at most half: quotes nested 20 deep would otherwise
    push their text past the column's edge, out of sight."""
    indent = block.quote * len(QUOTE_BAR) + block.depth * INDENT
    return min(indent, width // 2)


def _joins(text: str, at: int) -> bool:
    """Whether the joiner at ``at`` joins the characters either side: both non-ASCII, neither a
    space nor invisible itself (an emoji sequence, Persian or Indic text). Such a joiner is drawn,
    as :func:`corpus.terminal_safe.terminal_safe` keeps it."""
    if at == 0 or at + 1 >= len(text):
        return False
    return all(
        char > "\x7f" and not char.isspace() and INVISIBLE.match(char) is None
        for char in (text[at - 1], text[at + 1])
    )


def invisible(text: str, start: int, end: int) -> tuple[list[int], list[tuple[int, int]]]:
    """The invisible format characters in ``text[start:end]`` (those
    :func:`corpus.terminal_safe.terminal_safe` shows as ``<U+202E>``): the offsets of the ones
    the pane leaves out, and the ``(start, end)`` ranges of the sequences that joiners it
    draws hold together (an emoji sequence, with its skin tones and variation selectors)."""
    hidden: list[int] = []
    joined: list[tuple[int, int]] = []
    for match in INVISIBLE.finditer(text, start, end):
        at = match.start()
        if text[at] not in _JOINERS or not _joins(text, at):
            hidden.append(at)
            continue
        first, last = at - 1, at + 2
        while first > 0 and _EXTENDS.match(text, first):
            first -= 1
        while last < len(text) and _EXTENDS.match(text, last):
            last += 1
        if joined and joined[-1][1] >= first:  # a chain: one sequence
            first = joined.pop()[0]
        joined.append((first, last))
    return hidden, joined


def drawn(text: str) -> str:
    """``text`` as the pane draws it: without the characters :func:`invisible` leaves out."""
    if text.isascii():
        return text
    hidden, _ = invisible(text, 0, len(text))
    if not hidden:
        return text
    skip = set(hidden)
    return "".join(char for at, char in enumerate(text) if at not in skip)


def _wide_cells(text: str) -> int:
    # Rich counts a zero-width joiner and the character after it as no cells (an emoji sequence
    # is as wide as its first emoji); a joiner the pane leaves out joins nothing.
    return cell_len(drawn(text) if "\u200d" in text else text)


def _cells(text: str) -> int:
    return len(text) if text.isascii() or _all_narrow(text) else _wide_cells(text)


def _wrap_narrow(text: str, start: int, width: int, rest_width: int) -> list[tuple[int, int]]:
    """:func:`wrap` for text whose every character is one cell: breaks only at spaces, and
    finds each break with one ``rfind`` instead of measuring word by word."""
    rows: list[tuple[int, int]] = []
    pos, end = 0, len(text)
    visible_end = len(text.rstrip(" "))
    while visible_end - pos > width:
        cut = text.rfind(" ", pos + 1, pos + width + 1)
        if cut == -1:
            next_start = pos + width  # one word wider than the column: split it
        else:
            next_start = cut + 1
            while next_start < end and text[next_start] == " ":
                next_start += 1
        rows.append((start + pos, start + next_start))
        pos, width = next_start, rest_width
    rows.append((start + pos, start + end))
    return rows


def _split_long(text: str, start: int, width: int, rest_width: int) -> list[tuple[int, int]]:
    """Cut a run with no spaces into pieces: the first of at most ``width`` cells, the others
    of at most ``rest_width``."""
    pieces: list[tuple[int, int]] = []
    piece_start, used = 0, 0
    for i, ch in enumerate(text):
        w = _cells(ch)
        if used + w > width and i > piece_start:
            pieces.append((start + piece_start, start + i))
            piece_start, used, width = i, 0, rest_width
        used += w
    pieces.append((start + piece_start, start + len(text)))
    return pieces


def wrap(text: str, start: int, width: int, rest_width: int | None = None) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text`` (which begins at offset ``start``): the first row holds
    ``width`` cells, later rows ``rest_width`` (default the same).

    Returns ``(start, end)`` offset pairs covering the text without gaps; a row's trailing
    spaces belong to it.
    """
    width = max(1, width)
    rest_width = max(1, rest_width or width)
    if text.isascii() or _all_narrow(text):
        if len(text) <= width:
            return [(start, start + len(text))]
        if text[:1] != " ":
            return _wrap_narrow(text, start, width, rest_width)
    elif _wide_cells(text) <= width:
        return [(start, start + len(text))]
    return _wrap_words(text, start, width, rest_width)


def _wrap_words(text: str, start: int, width: int, rest_width: int) -> list[tuple[int, int]]:
    """:func:`wrap` for any text: measures each word in cells (wide and zero-width characters)."""
    rows: list[tuple[int, int]] = []
    row_start, used = start, 0
    for match in _WORD.finditer(text):
        word = match.group()
        word_start = start + match.start()
        visible = word.rstrip()
        w = _cells(visible)
        if used and used + w > width:
            rows.append((row_start, word_start))
            row_start, used, width = word_start, 0, rest_width
        if w > width:
            pieces = _split_long(visible, word_start, width, rest_width)
            rows.extend(pieces[:-1])
            width = rest_width
            row_start = pieces[-1][0]
            used = _cells(text[row_start - start : match.start() + len(visible)])
        else:
            used += w
        used += len(word) - len(visible)
    rows.append((row_start, start + len(text)))
    return rows


def layout(
    display: DisplayText, width: int, *, until: int | None = None, extra_rows: int = 0
) -> Layout:
    """Lay out the blocks of ``display`` for a text column ``width`` cells wide.

    With ``until``, stop once the row holding that offset and ``extra_rows`` rows after it are
    laid out: a long article's first screen is painted from those while the rest waits (the
    whole of a 1 MB article takes about 50 ms). Such a layout has ``complete`` False.
    """
    text = display.text
    lines: list[Line] = []
    stop_at: int | None = None
    for index, block in enumerate(display.blocks):
        if stop_at is not None and len(lines) >= stop_at:
            return Layout(width, lines, [line.start for line in lines], complete=False)
        if index:
            previous = display.blocks[index - 1]
            lines.append(Line(previous.end, block.start, -1))
        indent = block_indent(block, width)
        hang = block.marker if block.kind == "list_item" else 0
        avail = max(8, width - indent)
        offset = block.start
        for n, part in enumerate(text[block.start : block.end].split("\n")):
            first_width = avail if n == 0 else avail - hang
            for row, (s, e) in enumerate(wrap(part, offset, first_width, avail - hang)):
                first = n == 0 and row == 0
                lines.append(Line(s, e, index, indent if first else indent + hang, first))
            offset += len(part) + 1
        if until is not None and stop_at is None and block.end > until:
            starts = [line.start for line in lines]
            stop_at = bisect_right(starts, until) + extra_rows
    if not lines:
        lines.append(Line(0, 0, -1))
    return Layout(width, lines, [line.start for line in lines])
