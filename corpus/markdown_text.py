"""Markdown to display text: the characters the reading pane shows and every offset refers to.

The offset model is the contract between the articles, the annotation store and every export:

* An article's Markdown body is parsed once with markdown-it-py (CommonMark plus tables and
  strikethrough) into a :class:`DisplayText`: a single string ``text`` and the blocks and style
  spans laid over it.
* Highlights store ``start``/``end`` as **code-point offsets into** ``text`` (Python ``str``
  indices), so ``text[start:end]`` is the highlighted quote.
* Blocks (paragraphs, headings, list items, code lines, table rows, rules) are separated by one
  blank line, ``"\\n\\n"``. A hard line break inside a block is ``"\\n"``; a soft break is a space.
* List markers (``"• "``, ``"1. "``) are part of the text because the reader sees them; quote
  bars and indentation are decoration drawn from the block's ``quote`` and ``depth``, not text.
* Tabs become spaces and control characters become U+FFFD, so every character is printable.
* Rendering is deterministic: the same Markdown always gives the same ``DisplayText``. Changing
  these rules changes offsets, so it is a format change (see docs/architecture.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, NamedTuple

import orjson

if TYPE_CHECKING:  # markdown-it is imported on first render: a cached article never needs it
    from markdown_it import MarkdownIt
    from markdown_it.parser_block import ParserBlock
    from markdown_it.ruler import Ruler
    from markdown_it.rules_block import StateBlock
    from markdown_it.token import Token

# Bump when any rule below changes what text a Markdown body renders to: cached renderings
# carry it, and older ones are rendered again. 2: text nested deeper than markdown-it's limit
# is shown (it and everything after it had been dropped).
RENDERER_VERSION = 2
BLOCK_SEPARATOR = "\n\n"
BULLETS = ("• ", "◦ ", "▪ ")
RULE_TEXT = "* * *"
# C0 and C1 control characters (Unicode category Cc) except tab and newline.
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


# Blocks and spans are named tuples, not frozen dataclasses: a 1 MB article has thousands of
# them, and a tuple is built five times faster (5 ms less to open a cached 1 MB rendering).
class Span(NamedTuple):
    """An inline style over ``text[start:end]``: strong, emphasis, code, link, strike, marker."""

    start: int
    end: int
    style: str
    href: str | None = None


class Block(NamedTuple):
    """One block of display text, ``text[start:end]``.

    ``kind`` is paragraph, heading, list_item, code, rule or table_row; ``level`` is the heading
    level; ``depth`` the list nesting (for indentation); ``quote`` the blockquote depth;
    ``marker`` the length of the list marker at the start of the block (for hanging indents).
    """

    kind: str
    start: int
    end: int
    level: int = 0
    depth: int = 0
    quote: int = 0
    marker: int = 0


BLOCK_FIELDS = len(Block._fields)
SPAN_FIELDS = len(Span._fields)


@dataclass(frozen=True)
class DisplayText:
    """The rendered article: the text offsets refer to, with its blocks and spans."""

    text: str
    blocks: tuple[Block, ...] = ()
    spans: tuple[Span, ...] = field(default=(), repr=False)

    def block_at(self, offset: int) -> Block | None:
        """The block containing ``offset`` (or ending exactly at it), if any."""
        lo, hi = 0, len(self.blocks)
        while lo < hi:
            mid = (lo + hi) // 2
            if self.blocks[mid].end < offset:
                lo = mid + 1
            else:
                hi = mid
        if lo < len(self.blocks) and self.blocks[lo].start <= offset:
            return self.blocks[lo]
        return None


def _clean(text: str) -> str:
    return CONTROL_CHARS.sub("\ufffd", text.replace("\t", "    "))


class _Builder:
    """Accumulates blocks and spans while walking markdown-it's token stream."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.blocks: list[Block] = []
        self.spans: list[Span] = []
        self.quote = 0
        self.lists: list[list[int]] = []  # per open list: [next number or -1 for bullets, depth]
        self.pending_marker: str | None = None
        self.item_depth = 0

    # -- text accumulation -------------------------------------------------------------------
    def _append(self, text: str) -> None:
        self.parts.append(text)
        self.length += len(text)

    def _begin_block(self) -> int:
        if self.blocks:
            self._append(BLOCK_SEPARATOR)
        return self.length

    def _take_marker(self, start: int) -> int:
        marker = self.pending_marker
        if not marker:
            return 0
        self.pending_marker = None
        self._append(marker)
        self.spans.append(Span(start, start + len(marker), "marker"))
        return len(marker)

    def block(self, kind: str, inline: Token | None, *, text: str = "", level: int = 0) -> None:
        """Emit one block from an inline token (or literal text); empty blocks are dropped."""
        parts_before, length_before, spans_before = len(self.parts), self.length, len(self.spans)
        had_blocks = bool(self.blocks)
        start = self._begin_block()
        marker = self._take_marker(start)
        if inline is not None:
            self._inline(inline.children or [])
        else:
            self._append(_clean(text))
        if self.length == start:
            # Nothing visible: undo the separator so empty blocks leave no trace.
            del self.parts[parts_before:]
            del self.spans[spans_before:]
            self.length = length_before
            if not had_blocks:
                self.blocks.clear()
            return
        self.blocks.append(
            Block(
                kind if not marker or kind != "paragraph" else "list_item",
                start,
                self.length,
                level=level,
                depth=self.item_depth,
                quote=self.quote,
                marker=marker,
            )
        )

    def _inline(self, children: Sequence[Token]) -> None:
        open_spans: list[tuple[str, int, str | None]] = []
        for tok in children:
            kind = tok.type
            if kind == "text":
                self._append(_clean(tok.content))
            elif kind == "softbreak":
                self._append(" ")
            elif kind == "hardbreak":
                self._append("\n")
            elif kind == "code_inline":
                start = self.length
                self._append(_clean(tok.content))
                if self.length > start:
                    self.spans.append(Span(start, self.length, "code"))
            elif kind == "image":
                start = self.length
                self._append(_clean(tok.content))
                if self.length > start:
                    self.spans.append(Span(start, self.length, "image"))
            elif kind.endswith("_open"):
                style = {"em": "emphasis", "strong": "strong", "link": "link", "s": "strike"}.get(
                    kind[: -len("_open")], kind[: -len("_open")]
                )
                href = tok.attrGet("href") if style == "link" else None
                open_spans.append((style, self.length, str(href) if href is not None else None))
            elif kind.endswith("_close") and open_spans:
                style, start, href = open_spans.pop()
                if self.length > start:
                    self.spans.append(Span(start, self.length, style, href))
            # html_inline and anything unknown show nothing.

    # -- lists ---------------------------------------------------------------------------------
    def open_list(self, ordered: bool, start: int) -> None:
        self.lists.append([start if ordered else -1])

    def close_list(self) -> None:
        self.lists.pop()

    def open_item(self, markup: str) -> None:
        current = self.lists[-1]
        depth = len(self.lists) - 1
        if current[0] >= 0:
            self.pending_marker = f"{current[0]}{markup or '.'} "
            current[0] += 1
        else:
            self.pending_marker = BULLETS[min(depth, len(BULLETS) - 1)]
        self.item_depth = depth

    def close_item(self) -> None:
        if self.pending_marker:
            self.block("paragraph", None, text="")  # an empty item still shows its marker
        self.item_depth = max(0, len(self.lists) - 2)

    def result(self) -> DisplayText:
        return DisplayText("".join(self.parts), tuple(self.blocks), tuple(self.spans))


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable(["table", "strikethrough"])
    md.block = _block_parser(md.block.ruler)
    return md


def _block_parser(ruler: Ruler[Any]) -> ParserBlock:
    """markdown-it's block parser, except at its nesting limit (``maxNesting``: 10 list levels
    or 20 quote levels). There markdown-it drops the rest of the document, so nothing after an
    outline nested 11 deep could be seen, searched or highlighted. This one goes on with the
    blocks that nest no further: deeper list items and quotes read as paragraphs that keep
    their ``-`` and ``>``. The limit itself stays: it bounds the parser's recursion."""
    from markdown_it import rules_block
    from markdown_it.parser_block import ParserBlock

    containers = (rules_block.blockquote, rules_block.list_block)

    class FlatBeyondLimit(ParserBlock):
        def tokenize(self, state: StateBlock, startLine: int, endLine: int) -> None:
            if state.level < state.md.options.maxNesting:
                super().tokenize(state, startLine, endLine)
                return
            rules = [r for r in self.ruler.getRules("") if r not in containers]
            # The loop of ParserBlock.tokenize (markdown-it-py 4), less its nesting check.
            line = startLine
            has_empty_lines = False
            while line < endLine:
                state.line = line = state.skipEmptyLines(line)
                if line >= endLine or state.sCount[line] < state.blkIndent:
                    break
                if not any(rule(state, line, endLine, False) for rule in rules):
                    raise RuntimeError("none of the block rules matched")
                state.tight = not has_empty_lines
                line = state.line
                if (line - 1) < endLine and state.isEmpty(line - 1):
                    has_empty_lines = True
                if line < endLine and state.isEmpty(line):
                    has_empty_lines = True
                    line += 1
                    state.line = line

    parser = FlatBeyondLimit()
    parser.ruler = ruler
    return parser


@lru_cache(maxsize=64)
def render(markdown: str) -> DisplayText:
    """Render a Markdown body to its display text. Deterministic and cached."""
    tokens = _parser().parse(markdown)
    out = _Builder()
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        kind = tok.type
        if kind == "heading_open":
            out.block("heading", tokens[i + 1], level=int(tok.tag[1:]))
            i += 3
            continue
        if kind == "paragraph_open":
            out.block("paragraph", tokens[i + 1])
            i += 3
            continue
        if kind in ("fence", "code_block"):
            out.block("code", None, text=tok.content.rstrip("\n"))
        elif kind == "hr":
            out.block("rule", None, text=RULE_TEXT)
        elif kind == "blockquote_open":
            out.quote += 1
        elif kind == "blockquote_close":
            out.quote -= 1
        elif kind == "bullet_list_open":
            out.open_list(False, 0)
        elif kind == "ordered_list_open":
            out.open_list(True, int(tok.attrGet("start") or 1))
        elif kind in ("bullet_list_close", "ordered_list_close"):
            out.close_list()
        elif kind == "list_item_open":
            out.open_item(tok.markup if tok.markup in (".", ")") else "")
        elif kind == "list_item_close":
            out.close_item()
        elif kind == "tr_open":
            i = _table_row(tokens, i, out)
            continue
        i += 1
    return out.result()


def _table_row(tokens: list[Token], i: int, out: _Builder) -> int:
    """Render one table row as a block whose cells are separated by `` | ``."""
    cells: list[Token] = []
    i += 1
    while tokens[i].type != "tr_close":
        if tokens[i].type == "inline":
            cells.append(tokens[i])
        i += 1
    from markdown_it.token import Token

    row = Token("inline", "", 0)
    children: list[Token] = []
    for n, cell in enumerate(cells):
        if n:
            sep = Token("text", "", 0)
            sep.content = " | "
            children.append(sep)
        children.extend(cell.children or [])
    row.children = children
    out.block("table_row", row)
    return i + 1


def dump_display(display: DisplayText, checksum: str) -> bytes:
    """Serialise a rendering for the on-disk cache, tagged with the body's checksum."""
    return orjson.dumps(
        {
            "renderer": RENDERER_VERSION,
            "checksum": checksum,
            "text": display.text,
            "blocks": [
                [b.kind, b.start, b.end, b.level, b.depth, b.quote, b.marker]
                for b in display.blocks
            ],
            "spans": [[s.start, s.end, s.style, s.href] for s in display.spans],
        }
    )


def load_display(data: bytes, checksum: str) -> DisplayText | None:
    """A cached rendering, or ``None`` if it is stale, from another renderer, or unreadable."""
    try:
        raw = orjson.loads(data)
        if raw.get("renderer") != RENDERER_VERSION or raw.get("checksum") != checksum:
            return None
        blocks, spans = raw["blocks"], raw["spans"]
        if set(map(len, blocks)) - {BLOCK_FIELDS} or set(map(len, spans)) - {SPAN_FIELDS}:
            return None
        new = tuple.__new__  # what Block(*b) ends in, without the call through __new__
        return DisplayText(
            raw["text"],
            tuple([new(Block, b) for b in blocks]),
            tuple([new(Span, s) for s in spans]),
        )
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        return None
