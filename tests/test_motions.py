"""Cursor motions over display text, tested as pure functions."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from corpus.markdown_text import render
from reader import motions

TEXT = render(
    "First sentence here. Second one! Third?\n\n- item one. item two\n\n"
    "Dr. Who said “hi.” Then left.\n\nLast para."
)


def sentences_of(display):  # type: ignore[no-untyped-def]
    return [display.text[s:e] for b in display.blocks for s, e in motions.sentences(display, b)]


def test_sentences_split_on_end_punctuation_and_blocks() -> None:
    assert sentences_of(TEXT) == [
        "First sentence here.",
        "Second one!",
        "Third?",
        "item one.",
        "item two",
        "Dr.",
        "Who said “hi.”",
        "Then left.",
        "Last para.",
    ]


def test_sentence_forward_and_back_visit_every_sentence() -> None:
    starts = [s for b in TEXT.blocks for s, _ in motions.sentences(TEXT, b)]
    pos, seen = 0, [0]
    for _ in range(len(starts) - 1):
        pos = motions.sentence_forward(TEXT, pos)
        seen.append(pos)
    assert seen == starts
    back = [pos]
    for _ in range(len(starts) - 1):
        pos = motions.sentence_backward(TEXT, pos)
        back.append(pos)
    assert back == starts[::-1]


def test_sentence_at_and_paragraph_at() -> None:
    offset = TEXT.text.index("Second")
    start, end = motions.sentence_at(TEXT, offset + 3)
    assert TEXT.text[start:end] == "Second one!"
    start, end = motions.paragraph_at(TEXT, TEXT.text.index("item two"))
    assert TEXT.text[start:end] == "item one. item two"  # without the list marker


def test_words_and_paragraphs() -> None:
    pos = motions.word_forward(TEXT, 0)
    assert TEXT.text[pos:].startswith("sentence")
    assert motions.word_backward(TEXT, pos) == 0
    second_block = TEXT.blocks[1].start
    assert motions.paragraph_forward(TEXT, 3) == second_block
    assert motions.paragraph_backward(TEXT, second_block + 4) == second_block
    assert motions.paragraph_backward(TEXT, second_block) == 0


@given(st.integers(min_value=-5, max_value=len(TEXT.text) + 5))
def test_motions_always_land_inside_a_block(pos: int) -> None:
    for move in (
        motions.word_forward,
        motions.word_backward,
        motions.sentence_forward,
        motions.sentence_backward,
        motions.paragraph_forward,
        motions.paragraph_backward,
        motions.clamp,
    ):
        target = move(TEXT, pos)
        block = TEXT.block_at(target)
        assert block is not None and block.start <= target < block.end, move.__name__


# -- scripts without spaces (U9) -------------------------------------------------------------------
CJK = render(
    "「東京の映画スタジオは人工知能を使い始めた。」これは重要な一歩である。本当？はい！\n\nEnd."
)


def test_cjk_sentences_end_at_full_width_marks() -> None:
    assert sentences_of(CJK) == [
        "「東京の映画スタジオは人工知能を使い始めた。」",
        "これは重要な一歩である。",
        "本当？",
        "はい！",
        "End.",
    ]
    second = CJK.text.index("これは")
    assert motions.sentence_at(CJK, second + 3) == (second, CJK.text.index("本当"))
    assert motions.sentence_forward(CJK, 0) == second
    assert motions.sentence_backward(CJK, second) == 0
