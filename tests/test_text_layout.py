"""Layout of display text into rows: coverage, widths, and the two wrap algorithms agreeing."""

from __future__ import annotations

from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from corpus.markdown_text import render
from corpus.sample_corpus import sample_articles
from corpus.terminal_safe import INVISIBLE
from reader.text_layout import (
    _NARROW,
    _wrap_narrow,
    _wrap_words,
    drawn,
    invisible,
    layout,
    wrap,
)

WORDS = st.text(alphabet="abcdefgh —’é", min_size=1, max_size=12).filter(lambda w: w.strip())
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=40).map(" ".join)
MARKDOWN = st.lists(
    st.one_of(
        PARAGRAPH,
        PARAGRAPH.map(lambda p: "- " + p),
        PARAGRAPH.map(lambda p: "> " + p),
        PARAGRAPH.map(lambda p: "## " + p),
        PARAGRAPH.map(lambda p: "1. " + p + "\n   - " + p),
        st.text(alphabet="漢字テスト😀 ab", min_size=1, max_size=30).filter(str.strip),
    ),
    min_size=1,
    max_size=8,
).map("\n\n".join)


@given(MARKDOWN, st.integers(min_value=20, max_value=90))
def test_every_block_offset_is_on_exactly_one_row(markdown: str, width: int) -> None:
    display = render(markdown)
    rows = layout(display, width)
    covered: list[int] = []
    for line in rows.lines:
        if line.block >= 0:
            covered.extend(range(line.start, line.end))
    hard_breaks = {i for i, ch in enumerate(display.text) if ch == "\n"}
    expected = [
        i for block in display.blocks for i in range(block.start, block.end) if i not in hard_breaks
    ]
    assert covered == expected
    for block in display.blocks:
        for offset in range(block.start, block.end):
            if offset not in hard_breaks:
                line = rows.lines[rows.line_of(offset)]
                assert line.start <= offset < line.end


@given(MARKDOWN, st.integers(min_value=20, max_value=90))
def test_rows_fit_the_column(markdown: str, width: int) -> None:
    display = render(markdown)
    for line in layout(display, width).lines:
        if line.block >= 0:
            visible = display.text[line.start : line.end].rstrip()
            assert line.indent + cell_len(visible) <= max(width, line.indent + 8) or (
                " " not in visible and cell_len(visible) <= 2
            ), (visible, width)


@given(
    st.text(alphabet="ab —’é ", min_size=1).filter(lambda t: t[0] != " "),
    st.integers(min_value=1, max_value=30),
    st.integers(min_value=1, max_value=30),
)
def test_fast_wrap_equals_word_wrap(text: str, width: int, rest: int) -> None:
    assert _wrap_narrow(text, 7, width, rest) == _wrap_words(text, 7, width, rest)


def test_wide_characters_are_measured_in_cells() -> None:
    rows = wrap("漢字漢字漢字", 0, 4)
    assert rows == [(0, 2), (2, 4), (4, 6)]


def test_list_items_hang_under_their_text() -> None:
    display = render("- " + "word " * 30)
    rows = layout(display, 40).lines
    assert rows[0].indent == 0 and rows[0].first
    assert all(row.indent == 2 for row in rows[1:])


def test_sample_corpus_lays_out_at_common_widths() -> None:
    for article in sample_articles():
        display = article.display
        for width in (40, 60, 80):
            rows = layout(display, width)
            assert rows.lines[-1].end == len(display.text)


@given(MARKDOWN, st.integers(min_value=20, max_value=90), st.data())
def test_a_partial_layout_is_a_prefix_holding_the_asked_row(
    markdown: str, width: int, data: st.DataObject
) -> None:
    display = render(markdown)
    full = layout(display, width)
    until = data.draw(st.integers(min_value=0, max_value=max(0, len(display.text) - 1)))
    extra = data.draw(st.integers(min_value=0, max_value=30))
    partial = layout(display, width, until=until, extra_rows=extra)
    assert partial.lines == full.lines[: len(partial.lines)]
    assert partial.complete == (len(partial.lines) == len(full.lines))
    if not partial.complete:
        row = full.line_of(until)
        assert len(partial.lines) >= row + 1 + extra


def test_a_long_article_stops_after_the_first_screen() -> None:
    body = "\n\n".join(a.body for a in sample_articles()) * 5
    display = render(body)
    partial = layout(display, 70, until=0, extra_rows=80)
    assert not partial.complete
    assert 80 <= len(partial.lines) < 200
    assert len(layout(display, 70).lines) > 10 * len(partial.lines)


def test_the_characters_wrapped_by_counting_are_one_cell_wide_for_rich() -> None:
    wider_or_narrower = [hex(ord(ch)) for ch in _NARROW if get_character_cell_size(ch) != 1]
    assert wider_or_narrower == []


@given(st.integers(min_value=1, max_value=40), st.integers(min_value=20, max_value=90))
def test_deep_nesting_leaves_its_text_in_the_column(levels: int, width: int) -> None:
    """Quotes and lists nested deeper than the column is wide keep half the column for text:
    a 22-level quote in a 42-cell pane had pushed every character out of sight."""
    markdown = (
        "> " * levels + "deep words\n\n" + "".join("  " * n + "- item\n" for n in range(levels))
    )
    display = render(markdown)
    for line in layout(display, width).lines:
        if line.block >= 0:
            visible = display.text[line.start : line.end].rstrip()
            assert line.indent <= width // 2 + 2
            assert line.indent + cell_len(visible) <= width, (visible, line.indent, width)


# Words with the invisible characters the pane leaves out (U+200B, U+202E, U+2066, a joiner
# between ASCII letters) and joiners it draws (an emoji sequence, a ZWNJ in Persian).
PIECES = ["ab", "é", "\u200b", "\u202e", "\u2066", "\u200d", "😀\u200d💻", "م\u200cخ", "—"]
HIDDEN_WORDS = st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join)


def as_drawn(text: str, start: int, end: int) -> str:
    """``text[start:end]`` as the pane draws that row (see ReadingPane._render_row)."""
    hidden, _ = invisible(text, start, end)
    return "".join(ch for at, ch in enumerate(text[start:end], start) if at not in hidden)


@given(st.lists(HIDDEN_WORDS, min_size=1, max_size=40).map(" ".join), st.integers(20, 90))
def test_rows_with_invisible_characters_fit_the_column_as_drawn(text: str, width: int) -> None:
    display = render(text)
    for line in layout(display, width).lines:
        if line.block >= 0:
            visible = as_drawn(display.text, line.start, line.end).rstrip()
            assert not INVISIBLE.search(visible.replace("\u200d", "").replace("\u200c", ""))
            assert line.indent + cell_len(visible) <= width or (
                " " not in visible and cell_len(visible) <= 2
            ), (visible, width)


def test_the_pane_leaves_out_invisible_characters_and_keeps_joiners_that_join() -> None:
    text = "a\u200bb \u202edcba \u2066x\u2069 a\u200db 👩\u200d💻 👍🏽\u200d♂\ufe0f م\u200cخ \u200d"
    hidden, joined = invisible(text, 0, len(text))
    assert drawn(text) == "ab dcba x ab 👩\u200d💻 👍🏽\u200d♂\ufe0f م\u200cخ "
    assert [text[at] for at in hidden] == [
        "\u200b",
        "\u202e",
        "\u2066",
        "\u2069",
        "\u200d",
        "\u200d",
    ]
    assert [text[a:b] for a, b in joined] == ["👩\u200d💻", "👍🏽\u200d♂\ufe0f", "م\u200cخ"]


# -- CJK (U27) -------------------------------------------------------------------------------------
CJK_PIECES = st.sampled_from(
    ["人", "工", "智", "能", "東", "京", "の", "ス", "。", "、", "「", "」"]
)
LATIN_WORDS = st.text(alphabet="AIabxyz09", min_size=1, max_size=6)
# CJK with Latin words in it, never two Latin words side by side.
CJK_TEXT = st.lists(
    st.tuples(CJK_PIECES, st.one_of(st.just(""), LATIN_WORDS)), min_size=1, max_size=40
).map(lambda pairs: "".join(cjk + latin for cjk, latin in pairs))


@given(CJK_TEXT, st.integers(min_value=12, max_value=40))
def test_cjk_wraps_between_letters_and_never_inside_a_latin_word(text: str, width: int) -> None:
    rows = wrap(text, 0, width)
    assert rows[0][0] == 0 and rows[-1][1] == len(text)
    assert all(a[1] == b[0] for a, b in pairwise(rows))
    for start, end in rows:
        assert cell_len(text[start:end]) <= width
    for _, cut in rows[:-1]:
        # A Latin run (with its brackets, narrower than any column here) is never cut...
        assert not (text[cut - 1].isascii() and text[cut].isascii())
        # ...and no row starts with a closing mark or ends with an opening one.
        assert text[cut] not in "。、」" and text[cut - 1] != "「"


def test_cjk_rows_are_filled_and_keep_latin_words_whole() -> None:
    text = "演员们担心使用AI技术会复制他们的形象。" * 3
    for width in range(12, 30):
        rows = wrap(text, 0, width)
        # A row is short of the column only by what the next unit would not fit in.
        assert all(cell_len(text[s:e]) >= width - 3 for s, e in rows[:-1])
        assert all(text[e - 1 : e + 1] != "AI" for _, e in rows)
