"""Cursor motions over display text: words, sentences, paragraphs. Pure functions of offsets.

The cursor rests on a character (as in vi's normal mode): valid positions are the offsets inside
blocks. A selection from anchor ``a`` to cursor ``c`` covers ``[min(a, c), max(a, c) + 1)``.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable

from corpus.markdown_text import Block, DisplayText

_WORD_START = re.compile(r"(?<!\w)\w|(?<=\s)[^\w\s]")
# Latin punctuation ends a sentence before a space (or the end); the CJK full stop and the
# full-width marks end it where they stand, since those scripts put no space after them.
_SENTENCE_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s|$)|[。！？｡]+[\"'”’)\]」』）〕】〉》]*\s*")


def _block_index(blocks: tuple[Block, ...], pos: int) -> int:
    starts = [b.start for b in blocks]
    return max(0, bisect_right(starts, pos) - 1)


def clamp(display: DisplayText, pos: int) -> int:
    """The nearest valid cursor position to ``pos``: inside a block, never in a separator."""
    if not display.blocks:
        return 0
    pos = max(0, min(pos, len(display.text) - 1))
    block = display.blocks[_block_index(display.blocks, pos)]
    if pos >= block.end:
        return max(block.start, block.end - 1)
    return max(pos, block.start)


def word_forward(display: DisplayText, pos: int) -> int:
    """Start of the next word after ``pos``."""
    match = _WORD_START.search(display.text, pos + 1)
    return clamp(display, match.start()) if match else clamp(display, len(display.text))


_WORD_END = re.compile(r"\w(?!\w)|[^\w\s](?![^\w\s])")


def word_end(display: DisplayText, pos: int) -> int:
    """End of the word ``pos`` is inside, or of the next one when already at an end (vi's
    ``e``): its last letter, or the last of a run of punctuation."""
    match = _WORD_END.search(display.text, pos + 1)
    return clamp(display, match.start()) if match else clamp(display, len(display.text))


def unit_end(display: DisplayText, pos: int, forward: Callable[[DisplayText, int], int]) -> int:
    """Where a selection extended forward from ``pos`` by the motion ``forward`` (to the next
    word, sentence or paragraph) ends: on the last character before the next unit starts,
    spaces and a list item's marker left out, so it does not take that unit's first letter.
    Past ``pos``: from the end of a unit, the end of the next one."""
    text, last = display.text, clamp(display, len(display.text))
    here = pos
    while True:
        start = forward(display, here)
        if start <= here or start >= last:
            return last
        end = start - 1
        block = display.blocks[_block_index(display.blocks, start)]
        if block.start <= end < block.start + block.marker:
            end = block.start - 1
        while end > pos and text[end].isspace():
            end -= 1
        if end > pos:
            return clamp(display, end)
        here = start


def word_backward(display: DisplayText, pos: int) -> int:
    """Start of the word before ``pos`` (or of the word ``pos`` is inside)."""
    best = 0
    for match in _WORD_START.finditer(display.text, max(0, pos - 200), pos):
        best = match.start()
    if best == 0 and pos > 200:
        for match in _WORD_START.finditer(display.text, 0, pos):
            best = match.start()
    return clamp(display, best)


def sentences(display: DisplayText, block: Block) -> list[tuple[int, int]]:
    """The sentences of one block as ``(start, end)`` ranges without surrounding spaces."""
    text = display.text
    ranges: list[tuple[int, int]] = []
    start = block.start + block.marker
    for match in _SENTENCE_END.finditer(text, start, block.end):
        end = match.end()
        if text[start:end].strip():
            ranges.append((start, end))
        start = end
    if text[start : block.end].strip():
        ranges.append((start, block.end))
    trimmed = []
    for s, e in ranges:
        chunk = text[s:e]
        s += len(chunk) - len(chunk.lstrip())
        e -= len(chunk) - len(chunk.rstrip())
        trimmed.append((s, e))
    return trimmed or [(block.start, block.end)]


def sentence_at(display: DisplayText, pos: int) -> tuple[int, int]:
    """The sentence containing ``pos`` (the next one when ``pos`` is between sentences)."""
    if not display.blocks:
        return 0, 0
    block = display.blocks[_block_index(display.blocks, clamp(display, pos))]
    spans = sentences(display, block)
    for s, e in spans:
        if pos < e:
            return s, e
    return spans[-1]


def sentence_forward(display: DisplayText, pos: int) -> int:
    """Start of the next sentence (crossing into the next block at a block's end)."""
    if not display.blocks:
        return 0
    index = _block_index(display.blocks, clamp(display, pos))
    for s, _ in sentences(display, display.blocks[index]):
        if s > pos:
            return s
    if index + 1 < len(display.blocks):
        return sentences(display, display.blocks[index + 1])[0][0]
    return clamp(display, pos)


def sentence_backward(display: DisplayText, pos: int) -> int:
    """Start of the sentence holding ``pos``, or of the previous one when already there."""
    if not display.blocks:
        return 0
    index = _block_index(display.blocks, clamp(display, pos))
    starts = [s for s, _ in sentences(display, display.blocks[index])]
    earlier = [s for s in starts if s < pos]
    if earlier:
        return earlier[-1]
    if index > 0:
        return sentences(display, display.blocks[index - 1])[-1][0]
    return starts[0] if starts else 0


def paragraph_at(display: DisplayText, pos: int) -> tuple[int, int]:
    """The block containing ``pos``, without its list marker."""
    if not display.blocks:
        return 0, 0
    block = display.blocks[_block_index(display.blocks, clamp(display, pos))]
    return (
        block.start + block.marker if block.end > block.start + block.marker else block.start,
        block.end,
    )


def paragraph_forward(display: DisplayText, pos: int) -> int:
    """Start of the next block."""
    if not display.blocks:
        return 0
    index = _block_index(display.blocks, clamp(display, pos))
    if index + 1 < len(display.blocks):
        return display.blocks[index + 1].start
    return clamp(display, len(display.text))


def paragraph_backward(display: DisplayText, pos: int) -> int:
    """Start of the current block, or of the previous one when already at its start."""
    if not display.blocks:
        return 0
    index = _block_index(display.blocks, clamp(display, pos))
    if pos > display.blocks[index].start:
        return display.blocks[index].start
    return display.blocks[max(0, index - 1)].start
