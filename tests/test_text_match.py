"""One folding for every search: the `/` find bar and ctrl+f (`reader search`) find the same
places, and spans found in folded text land on the display text that reads so."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Input, Label

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.markdown_text import render
from corpus.search import SearchIndex
from corpus.text_match import FoldedText, compile_query, find_all, find_query, fold
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.widgets.reading_pane import ReadingPane

# Pieces a generated text is made of: the same words as typed and as typeset.
PIECES = [
    "don't",
    "don\u2019t",
    "Don\u2019t",
    "DON'T",
    "cafe",
    "café",
    "CAFÉ",
    "cafe\u0301",  # decomposed: e + combining acute
    "Deep",
    "Fake",
    "deep\u00a0fake",
    "DEEP FAKE",
    "Deep\u00a0\u00a0Fake",
    "\ufb01nd",  # ﬁ ligature
    "find",
    "Stra\u00dfe",
    "strasse",
    "co\u00adop",  # soft hyphen
    "coop",
    "s",
    "x",
    " ",
    "  ",
    "\n",
    "\n\n",
    "-",
    "\u2014",
    ",",
    ".",
    "\u2019",
    "\u2026",  # … folds to three characters
    "\u00bd",  # ½ too
    "人工",  # scripts without spaces: a word is found anywhere in a run
    "智能",
    "AI",
    "。",
]
QUERIES = [
    "don't",
    "don\u2019t",
    "DON\u2019T",
    "cafe",
    "café",
    "deep fake",
    "Deep\u00a0Fake",
    "find",
    "\ufb01nd",
    "strasse",
    "straße",
    "coop",
    "s",
    "人工",
    "ai",
    "ai人工",
]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=30).map("".join)


def _squeezed(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def _joins_a_word(a: str, b: str) -> bool:
    """Whether ``a`` followed by ``b`` is inside one word: two word characters, neither of a
    script written without spaces (人工 is a word inside 人工智能, and ai inside 人工ai)."""
    return bool(a and b) and all(
        re.match(r"\w", ch) and not re.match("[\u4e00-\u9fff]", ch) for ch in (a, b)
    )


def _whole_word(folded: FoldedText, start: int, end: int) -> bool:
    before, after = fold(folded.text[:start]), fold(folded.text[end:])
    match = fold(folded.text[start:end])
    return not _joins_a_word(before[-1:], match[:1]) and not _joins_a_word(match[-1:], after[:1])


# -- the map back to display offsets ---------------------------------------------------------------


@given(
    st.one_of(
        st.text(),
        st.lists(st.sampled_from([*PIECES, "a", "\u0301", "\u00df", "\u2167"])).map("".join),
    ),
    st.data(),
)
def test_a_folded_span_maps_to_display_text_that_folds_to_it(
    text: str, data: st.DataObject
) -> None:
    folded = FoldedText(text)
    if not folded.folded:
        return
    start = data.draw(st.integers(0, len(folded.folded) - 1))
    end = data.draw(st.integers(start + 1, len(folded.folded)))
    first, last = folded.display_span(start, end)
    assert 0 <= first < last <= len(text)
    # The display span reads as at least the folded span, and starts where it starts.
    assert folded.folded[start:end] in fold(text[first:last])
    assert fold(text[:first]) == folded.folded[: len(fold(text[:first]))]
    assert len(fold(text[:first])) <= start


@given(st.one_of(TEXTS, st.text(max_size=40)), st.one_of(st.sampled_from(QUERIES), st.text()))
def test_find_spans_point_at_the_matched_text(text: str, query: str) -> None:
    for start, end in find_all(FoldedText(text), query):
        assert _squeezed(fold(query)) in _squeezed(fold(text[start:end])), (start, end)


@given(TEXTS, st.sampled_from(QUERIES))
def test_find_and_search_find_the_same_places(text: str, query: str) -> None:
    """ctrl+f finds whole words, `/` finds anywhere: the `/` matches that are whole words are
    exactly the ctrl+f matches of the same query."""
    folded = FoldedText(text)
    searched = find_query(compile_query(f'"{query}"'), folded)
    found = [s for s in find_all(folded, query) if _whole_word(folded, *s)]
    # ctrl+f never overlaps its matches; `/` does ("s s" twice in "s s s"), so compare the
    # ctrl+f ones with the `/` ones left after dropping those overlapping a kept one.
    kept: list[tuple[int, int]] = []
    for span in found:
        if not kept or span[0] >= kept[-1][1]:
            kept.append(span)
    assert searched == kept


@pytest.mark.parametrize(
    ("text", "query", "expected"),
    [
        ("I don\u2019t. Don't!", "don't", ["don\u2019t", "Don't"]),
        ("I don\u2019t. Don't!", "don\u2019t", ["don\u2019t", "Don't"]),
        ("A café, a CAFE, a cafe\u0301.", "cafe", ["café", "CAFE", "cafe\u0301"]),
        ("A café, a CAFE, a cafe\u0301.", "café", ["café", "CAFE", "cafe\u0301"]),
        ("Deep\u00a0Fake and deep\nfake", "Deep Fake", ["Deep\u00a0Fake", "deep\nfake"]),
        ("The \ufb01nal find", "final", ["\ufb01nal"]),
        ("Die Straße, die STRASSE", "strasse", ["Straße", "STRASSE"]),
        ("2020\u20132023", "2020-2023", ["2020\u20132023"]),
        ("co\u00adoperate", "cooperate", ["co\u00adoperate"]),
    ],
)
def test_find_and_search_examples(text: str, query: str, expected: list[str]) -> None:
    folded = FoldedText(text)
    assert [text[s:e] for s, e in find_all(folded, query)] == expected
    words = [q for q in query.split() if q.strip('"')]
    phrase = f'"{" ".join(words)}"' if len(words) > 1 else query
    assert [text[s:e] for s, e in find_query(compile_query(phrase), folded)] == expected


def test_find_all_is_case_insensitive_and_keeps_offsets() -> None:
    text = render("Straße and STRASSE. İstanbul and ISTANBUL and istanbul.").text
    folded = FoldedText(text)
    # One İ (whose case folding is two characters) must not put the rest out of place.
    found = [text[s:e] for s, e in find_all(folded, "istanbul")]
    assert found == ["İstanbul", "ISTANBUL", "istanbul"]
    assert [text[s:e] for s, e in find_all(folded, "STRAßE")] == ["Straße", "STRASSE"]
    assert all(text[s:e] == "and" for s, e in find_all(folded, "AND"))
    assert find_all(folded, "") == []
    assert find_all(FoldedText("aaaa"), "aa") == [(0, 2), (1, 3), (2, 4)]  # overlapping too
    quoted = "\u201cquoted\u201d"  # in a search query " marks a phrase; `/` finds it as typed
    assert find_all(FoldedText(quoted), '"quoted"') == [(0, len(quoted))]


def test_decomposed_text_matches_with_its_marks() -> None:
    text = unicodedata.normalize("NFD", "Un résumé décomposé.")
    (span,) = find_all(FoldedText(text), "resume")
    assert text[slice(*span)] == unicodedata.normalize("NFD", "résumé")


# -- the app and the index agree -------------------------------------------------------------------


BODY = (
    "I don\u2019t know. Don't ask, DON\u2019T tell.\n\n"
    "A café, a CAFE, a cafe\u0301.\n\n"
    "Deep\u00a0Fake, deep fake, DEEP\nFAKE.\n"
)


@pytest.mark.parametrize("query", ["don't", "don\u2019t", "cafe", "café", "deep fake"])
async def test_the_find_bar_finds_what_search_finds(ws: Workspace, query: str) -> None:
    library = Library(ws)
    article = library.add(Article("", "Typeset", BODY)).article
    text = library.display(article.id).text
    phrase = f'"{query}"'
    searched = [(m.start, m.end) for m in SearchIndex(library).search(phrase)]
    assert len(searched) == 3, [text[s:e] for s, e in searched]
    app = ReaderApp(AnnotationStore(ws), article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("slash")
        field = app.screen.query_one("#find-input", Input)
        for key in query:  # typed; a key the pilot has no name for is inserted as typed
            if key.isascii():
                await pilot.press(key)
            else:
                field.insert_text_at_cursor(key)
        await pilot.pause()
        count = str(app.screen.query_one("#find-count", Label).content)
        assert count == " 3 matches"
        await pilot.press("enter")
        selections = [pane.selection]
        for _ in range(2):
            await pilot.press("n")
            selections.append(pane.selection)
    assert selections == searched
