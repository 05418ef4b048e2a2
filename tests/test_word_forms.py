"""Prefix search (``likeness*``), word forms (stemming) and sorting by count: the matching
logic directly, the index, the notes, bulk coding, the command line and the search screen."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st
from textual.widgets import Label

from annotations.bulk import code_matches, find_matches
from annotations.search import search_articles, search_notes
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.search import SearchIndex
from corpus.text_match import (
    FoldedText,
    WordForms,
    compile_query,
    find_query,
    fold,
    index_terms,
    stem_of,
    stem_prefix,
)
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.tag_picker import TagPicker
from reader.screens.main import MainScreen
from reader.screens.search import ConfirmCode, SearchScreen
from tests.waits import paste, settle

# Words as typed and typeset: case, accents (precomposed and combining), a ligature, ß, and
# forms of the same words.
WORDS = [
    "like",
    "Likeness",
    "likenesses",
    "LIKENESS",
    "likely",
    "liking",
    "unlike",
    "strike",
    "Strikes",
    "striking",
    "struck",
    "striker",
    "café",
    "cafe\u0301s",
    "\ufb01nd",  # ﬁnd
    "finding",
    "Straße",
    "strasse",
    "happy",
    "happiness",
    "dying",
    "die",
    "x_y",
    "2023",
    "2023s",
]
SEPARATORS = [" ", ", ", ". ", "\n\n", "-", "'", "’", " (", ") ", "\u00ad", "\u00a0"]


def _texts() -> st.SearchStrategy[str]:
    pieces = st.lists(
        st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), min_size=1, max_size=12
    )
    return pieces.map(lambda parts: "".join(word + sep for word, sep in parts))


def _folded_words(text: str) -> tuple[FoldedText, list[tuple[int, int]]]:
    """Brute force: the words of ``fold(text)`` (runs of letters, digits and _), as spans of
    the folded text."""
    folded = FoldedText(text)
    words = [m.span() for m in re.finditer(r"\w+", folded.folded)]
    return folded, words


def _display(text: FoldedText, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    return text.display_spans(spans)


# -- prefixes --------------------------------------------------------------------------------------


@given(text=_texts(), word=st.sampled_from(WORDS), cut=st.integers(1, 8))
def test_every_prefix_match_is_a_whole_word_starting_with_the_prefix(
    text: str, word: str, cut: int
) -> None:
    prefix = fold(word)[:cut]
    found = find_query(compile_query(prefix + "*"), FoldedText(text))
    folded, words = _folded_words(text)
    wanted = [(s, e) for s, e in words if folded.folded[s:e].startswith(prefix)]
    assert found == _display(folded, wanted)
    for start, end in found:
        assert fold(text[start:end]).startswith(prefix)


def test_a_prefix_finds_the_words_starting_so() -> None:
    text = FoldedText("Likeness, likenesses and LIKENESS’s likeable unlikeness; likeness-based")
    found = [text.text[s:e] for s, e in find_query(compile_query("likeness*"), text)]
    assert found == ["Likeness", "likenesses", "LIKENESS", "likeness"]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('"likeness*"', ["likeness*"]),  # in quotes, a * is a character like any other
        ("*", ["*", "*"]),  # so is a lone one
        ("like*ness", []),  # and one inside a word
        ("likeness**", ["likeness", "likenesses", "likeness"]),
        # Overlapping matches: the leftmost, then the longest, as for any two terms.
        ('"the likeness" like*', ["the likeness", "likenesses", "likeness"]),
    ],
)
def test_the_star_outside_and_inside_quotes(query: str, expected: list[str]) -> None:
    text = FoldedText("the likeness, likenesses; a likeness* and *\n")
    assert [text.text[s:e] for s, e in find_query(compile_query(query), text)] == expected


def test_a_star_after_a_word_of_a_script_without_spaces_is_that_word() -> None:
    text = FoldedText("人工智能和人工")
    assert find_query(compile_query("人工*"), text) == [(0, 2), (5, 7)]
    assert index_terms("人工*") == [("人工", False)]


def test_what_a_query_needs_the_index_to_hold() -> None:
    assert index_terms('likeness* "picket line" strike') == [
        ("likeness", True),
        ("picket line", False),
        ("strike", False),
    ]
    # A stemmed word: whatever all its forms start with.
    assert index_terms("striking", stem=True) == [("stri", True)]
    assert index_terms('"striking"', stem=True) == [("striking", False)]


# -- word forms ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "forms", "not_forms"),
    [
        # Snowball English: suffixes off, so likeness is like's form (and likely's).
        ("likeness", ["likenesses", "like", "likely", "liking"], ["unlike", "likable"]),
        ("strike", ["strikes", "striking"], ["struck", "striker"]),  # no irregular forms
        ("happiness", ["happy"], ["happily"]),
        ("generate", ["generative", "generation", "generator"], ["general", "genera"]),
    ],
)
def test_snowball_word_forms(query: str, forms: list[str], not_forms: list[str]) -> None:
    text = FoldedText(" ".join([query, *forms, *not_forms]))
    found = [text.text[s:e] for s, e in find_query(compile_query(query, stem=True), text)]
    assert found == [query, *forms]


@given(text=_texts(), word=st.sampled_from(WORDS))
def test_stemmed_matches_are_the_exact_words_with_the_stem(text: str, word: str) -> None:
    patterns = compile_query(word, stem=True)
    folded, words = _folded_words(text)
    wanted_stem = stem_of(fold(word))
    wanted = [(s, e) for s, e in words if stem_of(folded.folded[s:e]) == wanted_stem]
    found = find_query(patterns, folded)
    if isinstance(patterns[0], WordForms):
        assert found == _display(folded, wanted)
    for start, end in found:
        # The display text's own characters, whole words: what highlights and coding take.
        assert stem_of(fold(text[start:end])) == wanted_stem
        assert not (start and text[start - 1].isalnum())
        assert not (end < len(text) and text[end].isalnum())


@given(
    root=st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=10),
    suffix=st.sampled_from(
        [
            "",
            "s",
            "es",
            "ies",
            "ied",
            "y",
            "ly",
            "ing",
            "ingly",
            "ed",
            "edly",
            "eed",
            "ness",
            "ational",
            "ization",
            "bility",
            "ably",
            "ibly",
            "ator",
            "ousness",
            "iveness",
            "fulness",
            "ement",
            "iviti",
            "icate",
            "ously",
            "ying",
        ]
    ),
)
def test_every_form_starts_with_the_stem_prefix(root: str, suffix: str) -> None:
    # The index looks for a stemmed word's forms among the words starting with this prefix.
    word = root + suffix
    assert word.startswith(stem_prefix(stem_of(word)))


@pytest.mark.parametrize("word", ["dying", "lying", "happy", "possibility", "relational", "a"])
def test_the_stem_prefix_of_words_snowball_changes_most(word: str) -> None:
    assert word.startswith(stem_prefix(stem_of(word)))


def test_a_quoted_phrase_is_not_stemmed() -> None:
    text = FoldedText("strikes and striking; strike")
    assert find_query(compile_query('"strike"', stem=True), text) == [(22, 28)]
    assert len(find_query(compile_query("strike", stem=True), text)) == 3


# -- the index -------------------------------------------------------------------------------------


@pytest.fixture
def sample_index(sample_ws: Workspace) -> SearchIndex:
    return SearchIndex(Library(sample_ws))


def _everywhere(index: SearchIndex, query: str, stem: bool) -> list[tuple[str, int, int]]:
    """Brute force: the query's matches in every article's display text, without the index."""
    library = index.library
    patterns = compile_query(query, stem=stem)
    found = []
    for article_id in library.ids():
        text = FoldedText(library.display(article_id).text)
        found += [(article_id, s, e) for s, e in find_query(patterns, text)]
    return found


@pytest.mark.parametrize(
    ("query", "stem"),
    [("like*", False), ("strike", True), ("likeness", True), ("pick* union", False), ("is", True)],
)
def test_the_index_finds_what_a_scan_finds(
    sample_index: SearchIndex, query: str, stem: bool
) -> None:
    found = sample_index.search(query, stem=stem)
    assert [(m.article_id, m.start, m.end) for m in found] == _everywhere(sample_index, query, stem)
    assert found
    assert sample_index.count(query, stem=stem) == (
        len(found),
        len({m.article_id for m in found}),
    )
    for m in found:
        assert m.quote == sample_index.library.display(m.article_id).text[m.start : m.end]


def test_stemming_finds_more_than_the_word(sample_index: SearchIndex) -> None:
    exact = sample_index.search("strike")
    stemmed = sample_index.search("strike", stem=True)
    assert {m.quote.lower() for m in exact} == {"strike"}
    assert {"strike", "strikes", "striking"} <= {m.quote.lower() for m in stemmed}


def test_sort_by_count_puts_the_articles_with_most_matches_first(
    sample_index: SearchIndex,
) -> None:
    by_article = sample_index.search("strike", stem=True)
    by_count = sample_index.search("strike", stem=True, sort="count")
    assert sorted(by_count) == sorted(by_article)
    ids = list(dict.fromkeys(m.article_id for m in by_count))
    counts = [sum(m.article_id == a for m in by_count) for a in ids]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    # Equal counts keep the id order; within an article, document order.
    assert ids == sorted(ids, key=lambda a: (-counts[ids.index(a)], a))
    for a in ids:
        starts = [m.start for m in by_count if m.article_id == a]
        assert starts == sorted(starts)
    # A limit takes the first of that order, and the total counts them all.
    limited = search_articles(sample_index, "strike", stem=True, sort="count", limit=5)
    assert limited.rows == by_count[:5]
    assert limited.total == (len(by_count), len(ids))


def test_notes_search_stems_and_sorts(store: AnnotationStore, article: Article) -> None:
    other = store.library.add(Article("", "Other", "Nothing here.\n")).article
    store.add_highlight(article.id, 0, 5, note="strikes")
    store.add_highlight(other.id, 0, 7, note="a striking note")
    store.add_highlight(other.id, 8, 12, note="striker, struck")
    assert search_notes(store, "strike").total == (0, 0)
    found = search_notes(store, "strike", stem=True)
    assert [(m.article_id, m.context[m.context_start : m.context_end]) for m in found.rows] == [
        (a, w) for a, w in sorted([(article.id, "strikes"), (other.id, "striking")])
    ]
    store.add_highlight(other.id, 0, 4, note="strike!")
    by_count = search_notes(store, "strike", stem=True, sort="count")
    assert [m.article_id for m in by_count.rows] == [other.id, other.id, article.id]


def test_bulk_coding_codes_the_stemmed_matches(sample_ws: Workspace) -> None:
    index = SearchIndex(Library(sample_ws))
    matches = find_matches(index, "strike", stem=True)
    assert matches.stem and matches.found == tuple(index.search("strike", stem=True))
    with AnnotationStore(sample_ws) as store:
        code_matches(store, matches, ["strike"])
        coded = sorted((h.article_id, h.start, h.end) for h in store.all_highlights())
    assert coded == sorted((m.article_id, m.start, m.end) for m in matches.found)


# -- command line ----------------------------------------------------------------------------------


def _run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_cli_prefix_stem_and_sort(sample_ws: Workspace) -> None:
    root = str(sample_ws.root)
    index = SearchIndex(Library(sample_ws))
    code, out, _ = _run("-w", root, "search", "likeness*", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert {fold(_quote(index, row)) for row in rows} == {"likeness", "likenesses"}

    code, out, _ = _run("-w", root, "search", "strike", "--stem", "--sort", "count", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    expected = index.search("strike", stem=True, sort="count")
    assert [(r["article_id"], r["start"], r["end"]) for r in rows] == [
        (m.article_id, m.start, m.end) for m in expected
    ]

    code, out, _ = _run("-w", root, "search", "strike", "--stem")
    articles = len({m.article_id for m in expected})
    assert out.splitlines()[-1] == f"{len(expected)} matches in {articles} articles"


def _quote(index: SearchIndex, row: dict[str, object]) -> str:
    text = index.library.display(str(row["article_id"])).text
    return text[int(str(row["start"])) : int(str(row["end"]))]


def test_cli_stem_with_regex_is_a_one_line_error(sample_ws: Workspace) -> None:
    for command in (["search", "x"], ["code", "x", "--tag", "t", "--yes"]):
        code, out, err = _run("-w", str(sample_ws.root), *command, "--regex", "--stem")
        assert code != 0 and out == ""
        assert len(err.strip().splitlines()) == 1 and "--stem" in err


def test_cli_code_with_stem_codes_every_form(sample_ws: Workspace) -> None:
    expected = SearchIndex(Library(sample_ws)).search("strike", stem=True)
    code, out, _ = _run(
        "-w", str(sample_ws.root), "code", "strike", "--stem", "--tag", "s", "--yes"
    )
    assert code == 0, out
    with AnnotationStore(sample_ws) as store:
        assert store.tag_counts() == {"s": len(expected)}
        quotes = {h.quote.lower() for h in store.all_highlights()}
    assert {"strike", "strikes", "striking"} <= quotes


# -- the search screen -----------------------------------------------------------------------------


async def test_search_screen_word_forms_sort_and_coding_them(sample_ws: Workspace) -> None:
    index = SearchIndex(Library(sample_ws))
    stemmed = index.search("strike", stem=True, sort="count")
    articles = len({m.article_id for m in stemmed})
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:

        def shown(widget: str) -> str:
            return str(app.screen.query_one(widget, Label).content)

        await pilot.press("ctrl+f")
        await paste(pilot, "strike")
        await settle(pilot)
        exact = len(index.search("strike"))
        assert shown("#search-status").startswith(f"{exact} matches")
        await pilot.press("ctrl+s", "ctrl+o")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, SearchScreen)
        assert shown("#search-mode") == "word forms · most matches first"
        assert shown("#search-status").startswith(f"{len(stemmed)} matches in {articles}")
        assert list(screen.results) == stemmed
        # ctrl+t codes what the screen shows: every form.
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, TagPicker)
        await paste(pilot, "forms")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmCode)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        coded = sorted((h.article_id, h.start, h.end) for h in store.all_highlights())
        assert coded == sorted((m.article_id, m.start, m.end) for m in stemmed)
        # ctrl+f brings the search back as it was; ctrl+s and ctrl+o again: as typed, by id.
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert shown("#search-mode") == "word forms · most matches first"
        await pilot.press("ctrl+s", "ctrl+o")
        await settle(pilot)
        assert shown("#search-mode") == ""
        assert list(app.screen.results) == index.search("strike")  # type: ignore[attr-defined]
