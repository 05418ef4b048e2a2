"""Markdown to display text: the offsets every highlight and export refers to."""

from __future__ import annotations

import itertools
import unicodedata
from collections.abc import Callable

import orjson
import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from corpus import markdown_text
from corpus.markdown_text import Block, DisplayText, Span, dump_display, load_display, render


def block_texts(display: DisplayText) -> list[str]:
    return [display.text[b.start : b.end] for b in display.blocks]


def styled(display: DisplayText, style: str) -> list[tuple[str, str | None]]:
    return [(display.text[s.start : s.end], s.href) for s in display.spans if s.style == style]


# -- concrete rendering rules ----------------------------------------------------------------


def test_heading_and_paragraph_are_blocks_separated_by_a_blank_line() -> None:
    display = render("# Title\n\n## Part two\n\nSome text.\n")
    assert display.text == "Title\n\nPart two\n\nSome text."
    assert [(b.kind, b.level) for b in display.blocks] == [
        ("heading", 1),
        ("heading", 2),
        ("paragraph", 0),
    ]
    assert block_texts(display) == ["Title", "Part two", "Some text."]


def test_inline_styles_have_exact_offsets_and_link_href() -> None:
    display = render("Some *em* and **strong** and [a link](http://x.org/p?q=1) and `x = 1`.")
    assert display.text == "Some em and strong and a link and x = 1."
    assert styled(display, "emphasis") == [("em", None)]
    assert styled(display, "strong") == [("strong", None)]
    assert styled(display, "link") == [("a link", "http://x.org/p?q=1")]
    assert styled(display, "code") == [("x = 1", None)]
    link = next(s for s in display.spans if s.style == "link")
    assert (link.start, link.end) == (23, 29)


def test_nested_spans_both_cover_their_text() -> None:
    display = render("**bold [linked](u) text** and ~~gone~~")
    assert display.text == "bold linked text and gone"
    assert styled(display, "strong") == [("bold linked text", None)]
    assert styled(display, "link") == [("linked", "u")]
    assert styled(display, "strike") == [("gone", None)]


def test_soft_break_is_a_space_and_hard_break_a_newline() -> None:
    display = render("line one  \nline two\nsoft")
    assert display.text == "line one\nline two soft"
    assert len(display.blocks) == 1


def test_bullet_markers_by_depth_are_part_of_the_text() -> None:
    display = render("- a\n- b\n  - c\n    - d\n      - e\n")
    assert block_texts(display) == ["• a", "• b", "◦ c", "▪ d", "▪ e"]
    assert [b.depth for b in display.blocks] == [0, 0, 1, 2, 3]
    assert all(b.kind == "list_item" and b.marker == 2 for b in display.blocks)
    assert (
        styled(display, "marker") == [("• ", None), ("• ", None), ("◦ ", None)] + [("▪ ", None)] * 2
    )


def test_ordered_list_numbers_start_and_delimiter() -> None:
    display = render("1. one\n2. two\n\n- x\n\n3) three\n4) four\n")
    assert block_texts(display) == ["1. one", "2. two", "• x", "3) three", "4) four"]
    assert [b.marker for b in display.blocks] == [3, 3, 2, 3, 3]


def test_ordered_list_counts_past_nine() -> None:
    markdown = "".join(f"{n}. item\n" for n in range(8, 12))
    assert block_texts(render(markdown)) == ["8. item", "9. item", "10. item", "11. item"]


def test_empty_list_items_keep_their_marker() -> None:
    display = render("- \n- b\n-\n")
    assert display.text == "• \n\n• b\n\n• "
    assert [b.kind for b in display.blocks] == ["list_item"] * 3
    display = render("1.\n2. x\n")
    assert block_texts(display) == ["1. ", "2. x"]


def test_continuation_paragraph_in_item_has_no_marker() -> None:
    display = render("- a\n\n  second para\n- b\n")
    assert block_texts(display) == ["• a", "second para", "• b"]
    assert [b.kind for b in display.blocks] == ["list_item", "paragraph", "list_item"]


def test_blockquote_depth_is_recorded_not_drawn() -> None:
    display = render("> outer\n>\n> > inner\n\nafter\n\n> - listed\n")
    assert block_texts(display) == ["outer", "inner", "after", "• listed"]
    assert [b.quote for b in display.blocks] == [1, 2, 0, 1]
    assert ">" not in display.text


def test_code_blocks_keep_lines_and_turn_tabs_into_four_spaces() -> None:
    display = render("```python\n\tx = 1\nif x:\n\ty\n```\n\n    indented\n\tcode\n")
    assert block_texts(display) == ["    x = 1\nif x:\n    y", "indented\ncode"]
    assert [b.kind for b in display.blocks] == ["code", "code"]
    assert "\t" not in render("a\tb").text
    assert render("a\tb").text == "a    b"


def test_fence_keeps_inner_blank_lines_and_markdown_literally() -> None:
    display = render("```\n*not em*\n\n# not heading\n```\n")
    assert block_texts(display) == ["*not em*\n\n# not heading"]
    assert display.spans == ()


def test_thematic_break_is_a_rule_block() -> None:
    for rule in ("---", "***", "_ _ _"):
        display = render(f"a\n\n{rule}\n\nb")
        assert display.text == "a\n\n* * *\n\nb"
        assert [b.kind for b in display.blocks] == ["paragraph", "rule", "paragraph"]


def test_table_rows_join_cells_with_bars() -> None:
    display = render("| a | *b* |\n|---|---|\n| 1 | 2 |\n| x |   |\n")
    assert block_texts(display) == ["a | b", "1 | 2", "x | "]
    assert all(b.kind == "table_row" for b in display.blocks)
    assert styled(display, "emphasis") == [("b", None)]


@pytest.mark.parametrize(
    ("markdown", "expected"),
    [
        ("bad \x01 char\x7f", "bad \ufffd char\ufffd"),
        ("nul\x00here", "nul\ufffdhere"),
        ("c1 \x9b[31m red \x85", "c1 \ufffd[31m red \ufffd"),
        ("`code \x1b[2J`", "code \ufffd[2J"),
    ],
)
def test_control_characters_become_replacement_characters(markdown: str, expected: str) -> None:
    assert render(markdown).text == expected


def test_html_is_dropped_and_images_show_their_alt_text() -> None:
    display = render("<div>\nhidden\n</div>\n\npara <b>bold</b> ![a cat](cat.png)\n")
    assert display.text == "para bold a cat"
    assert styled(display, "image") == [("a cat", None)]


def test_empty_blocks_leave_no_separator_behind() -> None:
    assert render("[](x)\n\nb").text == "b"
    assert render("a\n\n[](x)\n\nb").text == "a\n\nb"
    assert render("a\n\n```\n```\n\nb").text == "a\n\nb"
    empty = render("")
    assert empty.text == "" and empty.blocks == () and empty.block_at(0) is None


def test_entities_and_escapes_render_as_characters() -> None:
    assert render(r"AT&amp;T \*literal\* 5 &lt; 6").text == "AT&T *literal* 5 < 6"


# -- DisplayText.block_at -----------------------------------------------------------------------


def test_block_at_includes_both_ends_and_skips_separators() -> None:
    display = render("Title\n\nabc\n\nxyz")
    first, second, third = display.blocks
    assert display.block_at(0) == first
    assert display.block_at(5) == first  # ending exactly at the offset
    assert display.block_at(6) is None  # inside the "\n\n"
    assert display.block_at(7) == second
    assert display.block_at(9) == second
    assert display.block_at(len(display.text)) == third
    assert display.block_at(len(display.text) + 1) is None


# -- properties over generated Markdown -------------------------------------------------------

WORDS = st.sampled_from(
    [
        "strike",
        "café",
        "naïve",
        "e\u0301",  # combining acute
        "a\u0308\u0323",  # stacked combining marks
        "שלום",
        "مرحبا",
        "\u200fRTL\u200e",
        "😀",
        "👩‍👩‍👧",
        "🇺🇳",
        "日本語",
        "x",
        "1.",
        "-",
        "#",
        "&amp;",
        "&#0;",
        "\\",
        "\t",
        "\x07",
        "\x9b",
        "<br>",
        "<span>",
        "`",
        "*",
        "_",
        "~~",
        "|",
        "[",
        "]",
        ">",
        "!",
    ]
)
RANDOM_TEXT = st.text(max_size=12)
PUNCTUATION = st.text(alphabet="*_`[]()<>!#&|~\\-+=.:;'\" \t", min_size=1, max_size=6)
WORD = st.one_of(WORDS, RANDOM_TEXT, PUNCTUATION)
PLAIN = st.lists(WORD, min_size=1, max_size=6).map(" ".join)


@st.composite
def inline(draw: st.DrawFn) -> str:
    pieces = []
    for _ in range(draw(st.integers(1, 5))):
        text = draw(PLAIN)
        kind = draw(st.sampled_from(["plain", "em", "strong", "code", "link", "image", "html"]))
        pieces.append(
            {
                "plain": text,
                "em": f"*{text}*",
                "strong": f"**{text}**",
                "code": f"`{text}`",
                "link": f"[{text}]({draw(st.sampled_from(['u', 'http://x.org/a b', '']))})",
                "image": f"![{text}](i.png)",
                "html": f"<em>{text}</em>",
            }[kind]
        )
    separator = draw(st.sampled_from([" ", "  \n", "\n", ""]))
    return separator.join(pieces)


@st.composite
def block(draw: st.DrawFn) -> str:
    text = draw(inline())
    kind = draw(
        st.sampled_from(
            [
                "para",
                "heading",
                "bullets",
                "nested",
                "ordered",
                "quote",
                "fence",
                "indented",
                "html",
                "rule",
                "table",
                "empty_item",
                "random",
            ]
        )
    )
    if kind == "para":
        return text
    if kind == "heading":
        return "#" * draw(st.integers(1, 6)) + " " + text
    if kind == "bullets":
        return "\n".join(f"- {draw(inline())}" for _ in range(draw(st.integers(1, 3))))
    if kind == "nested":
        return f"- {text}\n  - {draw(inline())}\n    1. {draw(inline())}\n- {draw(PLAIN)}"
    if kind == "ordered":
        start = draw(st.integers(0, 12))
        return "\n".join(f"{start + n}. {draw(inline())}" for n in range(draw(st.integers(1, 3))))
    if kind == "quote":
        return "> " + text + "\n>\n> > " + draw(PLAIN)
    if kind == "fence":
        return f"```\n{draw(RANDOM_TEXT)}\n\t{draw(PLAIN)}\n\n{draw(PLAIN)}\n```"
    if kind == "indented":
        return "    " + draw(PLAIN).replace("\n", " ")
    if kind == "html":
        return f"<div>\n{draw(PLAIN)}\n</div>"
    if kind == "rule":
        return draw(st.sampled_from(["---", "***", "_ _ _"]))
    if kind == "table":
        return f"| {draw(PLAIN)} | b |\n|---|---|\n| {text.replace(chr(10), ' ')} | |"
    if kind == "empty_item":
        return draw(st.sampled_from(["-", "- ", "1.", "* \n*"]))
    return draw(st.text(max_size=30))


MARKDOWN = st.lists(block(), max_size=8).flatmap(
    lambda blocks: st.lists(
        st.sampled_from(["\n\n", "\n", "\n\n\n"]),
        min_size=len(blocks),
        max_size=len(blocks),
    ).map(lambda seps: "".join(b + s for b, s in zip(blocks, seps, strict=True)))
)


def check_structure(display: DisplayText) -> None:
    text, blocks = display.text, display.blocks
    for b in blocks:
        assert 0 <= b.start < b.end <= len(text), b
    for before, after in itertools.pairwise(blocks):
        assert before.end < after.start, (before, after)
        assert text[before.end : after.start] == "\n\n", (before, after)
    assert text == "\n\n".join(block_texts(display))
    for span in display.spans:
        assert 0 <= span.start < span.end <= len(text), span
        inside = [b for b in blocks if b.start <= span.start and span.end <= b.end]
        assert len(inside) == 1, span
    controls = {c for c in text if c != "\n" and unicodedata.category(c) == "Cc"}
    assert not controls


@given(MARKDOWN)
@example("- - nested first\n\n> ```\n> \tcode\n> ```\n\n|a|\n|-|\n|*x*|")
@example("\x85\x9b\x00\x7f")
def test_render_structure_holds_for_any_markdown(markdown: str) -> None:
    check_structure(render(markdown))


@given(MARKDOWN)
def test_render_is_deterministic_on_a_fresh_builder(markdown: str) -> None:
    first = render(markdown)
    assert render(markdown) is first  # the cache answers repeated calls
    render.cache_clear()
    markdown_text._parser.cache_clear()
    second = render(markdown)
    assert second is not first  # a fresh parse and a fresh _Builder
    assert second == first


@given(MARKDOWN)
def test_block_at_agrees_with_a_linear_scan(markdown: str) -> None:
    display = render(markdown)
    for offset in range(len(display.text) + 2):
        expected: Block | None = next(
            (b for b in display.blocks if b.start <= offset <= b.end), None
        )
        assert display.block_at(offset) == expected, offset


@given(MARKDOWN)
def test_a_cached_rendering_loads_back_equal(markdown: str) -> None:
    display = render(markdown)
    loaded = load_display(dump_display(display, "sum"), "sum")
    assert loaded == display
    assert loaded is not None
    assert all(type(b) is Block for b in loaded.blocks)
    assert all(type(s) is Span for s in loaded.spans)


@pytest.mark.parametrize(
    "damage",
    [
        lambda raw: raw.update(checksum="other"),
        lambda raw: raw.update(renderer=markdown_text.RENDERER_VERSION + 1),
        lambda raw: raw["blocks"][0].pop(),  # a row one field short
        lambda raw: raw["spans"].append([1, 2, "strong", None, "extra"]),
        lambda raw: raw.update(blocks=7),
        lambda raw: raw.pop("text"),
    ],
)
def test_a_damaged_or_stale_cached_rendering_is_not_used(damage: Callable[[dict], None]) -> None:
    raw = orjson.loads(dump_display(render("# Title\n\nSome *text*."), "sum"))
    damage(raw)
    assert load_display(orjson.dumps(raw), "sum") is None
    assert load_display(b"{not json", "sum") is None
