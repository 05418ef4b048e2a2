"""Corpus search and note search: folding, query semantics, offsets, the index on disk, the CLI."""

from __future__ import annotations

import json
import re
import sqlite3
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from annotations.search import Found, search_articles, search_notes
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.search import INDEX_NAME, Match, SearchIndex
from corpus.text_match import (
    FoldedText,
    QueryError,
    compile_query,
    context_line,
    fold,
    split_query,
)
from corpus.workspace import Workspace
from reader.cli import main

# -- fold ------------------------------------------------------------------------------------------


@given(st.text())
def test_fold_is_idempotent(text: str) -> None:
    assert fold(fold(text)) == fold(text)


@given(st.text(alphabet=st.characters(max_codepoint=127)))
def test_fold_lowercases_ascii_and_changes_nothing_else(text: str) -> None:
    assert fold(text) == text.lower()


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Résumé", "resume"),
        ("NAÏVE CAFÉ", "naive cafe"),
        ("Straße", "strasse"),
        ("İstanbul", "istanbul"),
        ("ﬁne", "fine"),  # a ligature is its letters (FoldedText maps offsets back)
        ("Ⅻ", "xii"),
        ("e\u0301", "e"),  # a combining mark is dropped
        ("Don\u2019t", "don't"),
        ("\u201cDeep\u00a0Fake\u201d", '"deep fake"'),
        ("2020\u20132023 \u2014 co\u00adop", "2020-2023 - coop"),
        ("\u03a3\u03c3\u03c2", "\u03c3\u03c3\u03c3"),  # Σσς: final sigma too
    ],
)
def test_fold_examples(text: str, folded: str) -> None:
    assert fold(text) == folded


# -- queries ---------------------------------------------------------------------------------------


def test_split_query_words_and_phrases() -> None:
    assert split_query('digital "picket  line" union') == ["digital", "picket line", "union"]
    assert split_query("“curly quotes” work") == ["curly quotes", "work"]
    assert split_query('"unclosed phrase runs on') == ["unclosed phrase runs on"]
    assert split_query('  ""  ') == []


def test_bad_regex_is_a_one_line_query_error() -> None:
    with pytest.raises(QueryError) as caught:
        compile_query("likeness(", regex=True)
    message = str(caught.value)
    assert "\n" not in message
    assert "likeness(" in message and "position" in message


def test_context_line_marks_the_match_on_one_line() -> None:
    text = "Heading\n\n" + "word " * 30 + "the needle\nnext line " + "more " * 30 + "\n\nNext block"
    start = text.index("needle")
    line, at, to = context_line(text, start, start + 6)
    assert line[at:to] == "needle"
    assert "\n" not in line
    assert line.startswith("…") and line.endswith("…")
    assert "Heading" not in line and "Next block" not in line  # never across a block
    assert len(line) < 120
    short = "Just the needle here."
    line, at, to = context_line(short, 9, 15)
    assert (line, line[at:to]) == (short, "needle")


def spelled_out_context_line(text: str, start: int, end: int) -> tuple[str, int, int]:
    """context_line's rules written plainly (its first version), to check the fast one by."""
    left = max(0, start - 40)
    block = text.rfind("\n\n", max(0, left - 1), start)
    if block >= 0:
        left, lead = block + 2, ""
    elif left > 0:
        space = text.find(" ", left, min(start, left + 15))
        left, lead = (space + 1 if space >= 0 else left), "…"
    else:
        lead = ""
    right = min(len(text), end + 60)
    block = text.find("\n\n", end, right + 1)
    if block >= 0:
        right, tail = block, ""
    elif right < len(text):
        space = text.rfind(" ", max(end, right - 15), right)
        right, tail = (space if space >= 0 else right), "…"
    else:
        tail = ""
    matched = text[start:end].replace("\n", " ")
    if len(matched) > 200:
        matched = matched[:100] + "…" + matched[-100:]
    before, after = text[left:start].replace("\n", " "), text[end:right].replace("\n", " ")
    at = len(lead) + len(before)
    return lead + before + matched + after + tail, at, at + len(matched)


@given(st.text(st.sampled_from(list("ab \n.é")), min_size=1, max_size=500), st.data())
def test_context_line_follows_its_rules(text: str, data: st.DataObject) -> None:
    start = data.draw(st.integers(0, len(text) - 1))
    end = data.draw(st.integers(start + 1, len(text)))
    assert context_line(text, start, end) == spelled_out_context_line(text, start, end)


# -- search on the sample corpus -------------------------------------------------------------------


def _whole_word_occurrences(text: str, term: str) -> list[tuple[int, int]]:
    """Brute force: every place fold(term) sits in fold(text) with no word character touching
    it (white space inside a phrase must be matched by white space), as display spans."""
    folded, words = fold(text), fold(term).split()
    found = []
    for start in range(len(folded)):
        if start and (folded[start - 1].isalnum() or folded[start - 1] == "_"):
            continue
        pos, ok = start, True
        for i, word in enumerate(words):
            if i:
                gap = pos
                while gap < len(folded) and folded[gap].isspace():
                    gap += 1
                if gap == pos:
                    ok = False
                    break
                pos = gap
            if folded[pos : pos + len(word)] != word:
                ok = False
                break
            pos += len(word)
        if ok and not (pos < len(folded) and (folded[pos].isalnum() or folded[pos] == "_")):
            found.append((start, pos))
    return FoldedText(text).display_spans(found)


@pytest.fixture
def sample_index(sample_ws: Workspace) -> SearchIndex:
    return SearchIndex(Library(sample_ws))


@pytest.mark.parametrize("phrase", ["picket line", "the union", "likeness", "health plan", "AI"])
def test_phrase_matches_every_occurrence_a_brute_force_scan_finds(
    sample_index: SearchIndex, phrase: str
) -> None:
    library = sample_index.library
    results = sample_index.search(f'"{phrase}"')
    expected = []
    for article_id in library.ids():
        text = library.display(article_id).text
        expected += [(article_id, s, e) for s, e in _whole_word_occurrences(text, phrase)]
    assert expected, f"{phrase!r} should occur in the sample corpus"
    assert [(m.article_id, m.start, m.end) for m in results] == expected
    for m in results:
        text = library.display(m.article_id).text
        assert fold(text[m.start : m.end]) == fold(phrase)
        assert m.title == library.get(m.article_id).title
        assert m.context[m.context_start : m.context_end] == text[m.start : m.end].replace(
            "\n", " "
        )


def test_words_find_each_word_in_articles_holding_all_of_them(sample_index: SearchIndex) -> None:
    library = sample_index.library
    results = sample_index.search("union threshold")
    expected = []
    for article_id in library.ids():
        text = library.display(article_id).text
        unions = _whole_word_occurrences(text, "union")
        thresholds = _whole_word_occurrences(text, "threshold")
        if unions and thresholds:
            expected += [(article_id, s, e) for s, e in sorted(unions + thresholds)]
    assert expected
    assert [(m.article_id, m.start, m.end) for m in results] == expected
    articles_with_union = {m.article_id for m in sample_index.search("union")}
    assert {m.article_id for m in results} < articles_with_union


def test_a_phrase_is_not_its_words(sample_index: SearchIndex) -> None:
    phrase = sample_index.search('"picket line"')
    words = sample_index.search("picket line")
    assert len(words) > len(phrase)
    assert {(m.start, m.end) for m in phrase} != {(m.start, m.end) for m in words}


def test_whole_words_only(sample_index: SearchIndex) -> None:
    for m in sample_index.search("strike"):
        text = sample_index.library.display(m.article_id).text
        assert fold(text[m.start : m.end]) == "strike"  # never "strikes" or "striker"
    assert sample_index.search("strik") == []
    library = sample_index.library
    library.add(Article("", "Words", "A reunion of the union, its unions and non_union staff.\n"))
    text = library.display("words").text
    found = sample_index.search("union", article_ids=["words"])
    assert [(m.start, m.end) for m in found] == [(text.index(" union") + 1, text.index(","))]


def test_straight_apostrophes_find_curly_ones(sample_index: SearchIndex) -> None:
    found = sample_index.search("someone's")
    assert found
    for m in found:
        text = sample_index.library.display(m.article_id).text
        assert text[m.start : m.end].lower() in ("someone's", "someone\u2019s")
    assert any(
        "\u2019" in sample_index.library.display(m.article_id).text[m.start : m.end] for m in found
    )


def test_regex_runs_on_the_folded_text(sample_index: SearchIndex) -> None:
    results = sample_index.search(r"digital \w+", regex=True)
    assert results
    for m in results:
        text = sample_index.library.display(m.article_id).text
        assert re.fullmatch(r"digital \w+", fold(text[m.start : m.end]))
    # Case-insensitive even when the expression has capitals.
    assert sample_index.search(r"Digital \w+", regex=True) == results


def test_bad_regex_raises_query_error_from_search(sample_index: SearchIndex) -> None:
    with pytest.raises(QueryError):
        sample_index.search("[unclosed", regex=True)


@pytest.fixture(scope="module")
def operators_index(tmp_path_factory: pytest.TempPathFactory) -> SearchIndex:
    ws = Workspace(tmp_path_factory.mktemp("operators") / "ws")
    ws.ensure()
    library = Library(ws)
    library.add(
        Article("", "Operators", 'AND OR NOT NEAR(a b) "quoted" col:umn a* -x ^start (paren)\n')
    )
    return SearchIndex(library)


@given(query=st.text(max_size=20))
def test_no_query_is_an_fts_syntax_error(operators_index: SearchIndex, query: str) -> None:
    patterns = compile_query(query)
    for m in operators_index.search(query):
        folded = fold(operators_index.library.display(m.article_id).text)
        assert any(p.fullmatch(folded, m.start, m.end) for p in patterns)


def test_fts_operators_in_a_query_are_plain_words(sample_index: SearchIndex) -> None:
    library = sample_index.library
    library.add(Article("", "Operators", "Try AND this, or NEAR(that) and col:umn and star*."))
    for query in ["AND", "NEAR(that)", "col:umn", "star*", '"', "*", "-", "^", "NOT"]:
        sample_index.search(query)  # no sqlite3.OperationalError
    found = sample_index.search("NEAR(that)", article_ids=["operators"])
    assert [m.context[m.context_start : m.context_end] for m in found] == ["NEAR(that)"]


def test_limit_article_ids_and_count(sample_index: SearchIndex) -> None:
    everything = sample_index.search("the")
    assert sample_index.count("the") == (len(everything), len({m.article_id for m in everything}))
    assert sample_index.search("the", limit=7) == everything[:7]
    one = everything[0].article_id
    assert sample_index.search("the", article_ids=[one]) == [
        m for m in everything if m.article_id == one
    ]
    assert sample_index.search("") == [] and sample_index.count("") == (0, 0)


# -- accents ---------------------------------------------------------------------------------------


@pytest.fixture
def accented(library: Library) -> SearchIndex:
    library.add(Article("", "Accents", "Her Résumé was naïve.\n\nA CAFÉ opened.\n"))
    library.add(Article("", "Plain", "His resume and a cafe.\n"))
    # Decomposed accents, as some Mac software writes them: e + U+0301.
    library.add(Article("", "Decomposed", unicodedata.normalize("NFD", "Un résumé décomposé.\n")))
    return SearchIndex(library)


@pytest.mark.parametrize("query", ["resume", "Résumé", "RESUME", "résume"])
def test_accents_and_case_do_not_matter(accented: SearchIndex, query: str) -> None:
    found = {
        (m.article_id, accented.library.display(m.article_id).text[m.start : m.end])
        for m in accented.search(query)
    }
    assert found == {
        ("accents", "Résumé"),
        ("plain", "resume"),
        ("decomposed", unicodedata.normalize("NFD", "résumé")),
    }


def test_decomposed_accents_match_with_their_marks(accented: SearchIndex) -> None:
    (m,) = accented.search('"un resume decompose"')
    text = accented.library.display("decomposed").text
    assert text[m.start : m.end] == unicodedata.normalize("NFD", "Un résumé décomposé")
    assert m.context[m.context_start : m.context_end] == text[m.start : m.end]


# -- the index on disk -----------------------------------------------------------------------------


def test_refresh_picks_up_added_changed_and_removed_articles(library: Library) -> None:
    library.add(Article("", "First", "An ordinary sentence about apples.\n"))
    library.add(Article("", "Second", "Another sentence about pears.\n"))
    index = SearchIndex(library)
    assert index.refresh() == 2
    assert index.refresh() == 0
    assert [m.article_id for m in index.search("apples")] == ["first"]

    library.add(Article("", "Third", "Apples again, and quinces.\n"))
    assert [m.article_id for m in index.search("apples")] == ["first", "third"]

    second = library.get("second")
    second.body = "Now it is about quinces.\n"
    library.save(second)
    assert index.refresh() == 1
    assert [m.article_id for m in index.search("pears")] == []
    assert [m.article_id for m in index.search("quinces")] == ["second", "third"]

    library.workspace.article_file("first").unlink()
    assert index.refresh() == 1
    assert [m.article_id for m in index.search("apples")] == ["third"]
    assert index.refresh() == 0


def test_an_unreadable_article_is_skipped_and_retried_when_it_changes(library: Library) -> None:
    library.add(Article("", "Good", "Good apples.\n"))
    bad = library.workspace.article_file("bad")
    bad.write_bytes(b"\xff\xfe not utf-8 apples")
    index = SearchIndex(library)
    assert [m.article_id for m in index.search("apples")] == ["good"]
    assert index.refresh() == 0
    bad.write_text("---\ntitle: Fixed\n---\n\nFixed apples.\n", encoding="utf-8")
    assert [m.article_id for m in index.search("apples")] == ["bad", "good"]


@pytest.mark.parametrize(
    "damage",
    ["garbage", "truncated", "foreign", "old-version"],
)
def test_a_damaged_or_foreign_index_is_rebuilt(sample_ws: Workspace, damage: str) -> None:
    index = SearchIndex(Library(sample_ws))
    expected = index.search('"picket line"')
    path = sample_ws.cache_dir / INDEX_NAME
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    if damage == "garbage":
        path.write_bytes(b"this is not a database at all" * 100)
    elif damage == "truncated":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif damage == "foreign":
        path.unlink()
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE docs(name TEXT)")
            db.execute("INSERT INTO docs VALUES ('someone else')")
    else:
        with sqlite3.connect(path) as db:
            db.execute("UPDATE meta SET value = '0' WHERE key = 'version'")
    fresh = SearchIndex(Library(sample_ws))
    assert fresh.search('"picket line"') == expected
    assert fresh.refresh() == 0  # the rebuilt file is a good index again


def test_a_workspace_that_cannot_hold_the_index_searches_in_memory(library: Library) -> None:
    library.add(Article("", "First", "Apples.\n"))
    library.workspace.cache_dir.write_text("a file where the cache folder should be")
    index = SearchIndex(library)
    assert [m.article_id for m in index.search("apples")] == ["first"]


def test_recheck_after_skips_the_file_check_until_the_folder_changes(library: Library) -> None:
    library.add(Article("", "First", "Apples.\n"))
    index = SearchIndex(library, recheck_after=3600)
    assert [m.article_id for m in index.search("apples")] == ["first"]
    library.add(Article("", "Second", "More apples.\n"))  # a new file: the folder changed
    assert [m.article_id for m in index.search("apples")] == ["first", "second"]


REFRESH_AND_SEARCH = """
import sys
from corpus.library import Library
from corpus.search import SearchIndex
from corpus.workspace import Workspace
index = SearchIndex(Library(Workspace.resolve(sys.argv[1])))
print(len(index.search('"picket line"')), index.refresh())
"""


def test_two_processes_building_the_index_at_once(sample_ws: Workspace) -> None:
    children = [
        subprocess.Popen(
            [sys.executable, "-c", REFRESH_AND_SEARCH, str(sample_ws.root)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=Path(__file__).parent.parent,
        )
        for _ in range(3)
    ]
    outputs = [child.communicate(timeout=120) for child in children]
    expected = len(SearchIndex(Library(sample_ws)).search('"picket line"'))
    for (out, err), child in zip(outputs, children, strict=True):
        assert child.returncode == 0, err
        assert out.split() == [str(expected), "0"]
    with sqlite3.connect(sample_ws.cache_dir / INDEX_NAME) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM docs").fetchone() == (10,)


# -- notes and quotes ------------------------------------------------------------------------------


def test_search_notes_in_quotes_and_notes(store: AnnotationStore, article: Article) -> None:
    text = store.library.display(article.id).text
    start = text.index("picket line")
    first = store.add_highlight(article.id, start, start + 11, note="Crowd on the Café steps")
    start = text.index("87 percent")
    second = store.add_highlight(article.id, start, start + 10, note="a number worth checking")

    found = search_notes(store, "cafe").rows
    assert [
        (m.highlight.id, m.field, m.context[m.context_start : m.context_end]) for m in found
    ] == [(first.id, "note", "Café")]
    assert found[0].highlight.note[found[0].start : found[0].end] == "Café"

    assert [(m.highlight.id, m.field) for m in search_notes(store, "picket").rows] == [
        (first.id, "quote")
    ]
    # Several terms: each must be in the quote or the note of the same highlight.
    both = search_notes(store, "percent checking").rows
    assert [(m.highlight.id, m.field) for m in both] == [(second.id, "quote"), (second.id, "note")]
    assert search_notes(store, "percent cafe").rows == []
    assert [m.highlight.id for m in search_notes(store, r"\d+ percent", regex=True).rows] == [
        second.id
    ]
    with pytest.raises(QueryError):
        search_notes(store, "(", regex=True)


def test_search_notes_reports_an_unreadable_file(store: AnnotationStore, article: Article) -> None:
    text = store.library.display(article.id).text
    start = text.index("picket line")
    store.add_highlight(article.id, start, start + 11)
    store.workspace.highlights_db("broken").write_text("{not json")
    problems: list[str] = []
    assert len(search_notes(store, "picket", problems=problems).rows) == 1
    assert len(problems) == 1 and "broken" in problems[0]


def test_search_notes_rows_carry_their_titles_and_the_total(
    store: AnnotationStore, article: Article
) -> None:
    text = store.library.display(article.id).text
    start = text.index("picket line")
    for note in ("one picket", "two picket", "three picket"):
        store.add_highlight(article.id, start, start + 11, note=note)
    found = search_notes(store, "picket", limit=4)
    assert found.total == (6, 1)  # each highlight's quote and note
    assert [(m.article_id, m.title, m.field) for m in found.rows] == [
        (article.id, article.title, field) for field in ("quote", "note") * 2
    ]
    assert search_notes(store, "picket").rows[:4] == found.rows
    assert search_notes(store, "").rows == [] and search_notes(store, "").total == (0, 0)


def test_search_articles_counts_past_the_limit_when_asked(sample_index: SearchIndex) -> None:
    everything = sample_index.search("the")
    total = (len(everything), len({m.article_id for m in everything}))
    assert search_articles(sample_index, "the") == Found(everything, total)
    assert search_articles(sample_index, "the", limit=7) == Found(everything[:7], total)
    assert search_articles(sample_index, "the", limit=7, count=False).total is None
    few = search_articles(sample_index, '"picket line"', limit=10_000, count=False)
    assert few.total == (len(few.rows), len({m.article_id for m in few.rows}))


# -- command line ----------------------------------------------------------------------------------


def _run(*args: str, input: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), input=input)
    return result.exit_code, result.stdout, result.stderr


def test_cli_search_prints_blocks_and_a_total(sample_ws: Workspace) -> None:
    expected = SearchIndex(Library(sample_ws)).search('"picket line"')
    code, out, _ = _run("-w", str(sample_ws.root), "search", '"picket line"')
    assert code == 0
    lines = out.splitlines()
    assert (
        lines[-1] == f"{len(expected)} matches in {len({m.article_id for m in expected})} articles"
    )
    assert f"{expected[0].article_id}  {expected[0].title}" in lines
    assert sum("«picket line»" in line.lower() for line in lines) == len(expected)


def test_cli_search_json(sample_ws: Workspace) -> None:
    library = Library(sample_ws)
    expected = SearchIndex(library).search("likeness")
    code, out, _ = _run("-w", str(sample_ws.root), "search", "likeness", "--json", "--limit", "3")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert len(rows) == 3
    for row, m in zip(rows, expected, strict=False):
        assert set(row) == {"article_id", "title", "start", "end", "context"}
        assert (row["article_id"], row["start"], row["end"]) == (m.article_id, m.start, m.end)
        assert (
            library.display(row["article_id"]).text[row["start"] : row["end"]].lower() == "likeness"
        )


def test_cli_search_bad_regex_is_one_line(sample_ws: Workspace) -> None:
    code, out, err = _run("-w", str(sample_ws.root), "search", "--regex", "a(b")
    assert code == 1
    assert out == "" and len(err.strip().splitlines()) == 1 and "regular expression" in err


def test_cli_search_notes(store: AnnotationStore, article: Article) -> None:
    text = store.library.display(article.id).text
    start = text.index("picket line")
    made = store.add_highlight(article.id, start, start + 11, note="the Café steps")
    code, out, _ = _run("-w", str(store.workspace.root), "search", "--notes", "cafe", "--json")
    assert code == 0
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert row["highlight_id"] == made.id and row["field"] == "note"
    assert row["article_id"] == article.id and row["title"] == article.title
    assert row["context"][row["start"] : row["end"]] == "Café"


def test_cli_code_tags_every_match_after_a_preview(sample_ws: Workspace) -> None:
    root = str(sample_ws.root)
    expected = SearchIndex(Library(sample_ws)).search('"picket line"')
    articles = len({m.article_id for m in expected})
    code, out, err = _run("-w", root, "code", '"picket line"', "--tag", "strike")
    assert code == 1 and "--yes" in err  # no terminal to ask in: refused
    with AnnotationStore(sample_ws) as store:
        assert store.tag_counts() == {}
    code, out, _ = _run("-w", root, "code", '"picket line"', "--tag", "strike", "--yes")
    assert code == 0, out
    assert (
        f"{len(expected)} matches in {articles} articles will be highlighted and tagged #strike"
        in out
    )
    with AnnotationStore(sample_ws) as store:
        coded = sorted((h.article_id, h.start, h.end) for h in store.all_highlights())
        assert coded == sorted((m.article_id, m.start, m.end) for m in expected)
        assert all(h.tags == ["strike"] for h in store.all_highlights())


def test_cli_code_with_no_matches_writes_nothing(sample_ws: Workspace) -> None:
    code, out, _ = _run("-w", str(sample_ws.root), "code", "zzyzx", "--tag", "t", "--yes")
    assert code == 0 and "0 matches" in out
    with AnnotationStore(sample_ws) as store:
        assert store.tags() == []


def test_cli_search_on_a_workspace_that_does_not_exist(tmp_path: Path) -> None:
    code, _, err = _run("-w", str(tmp_path / "nowhere"), "search", "x")
    assert code == 1 and "not a workspace" in err


def test_match_is_the_contract_shape() -> None:
    assert list(Match._fields) == [
        "article_id",
        "title",
        "start",
        "end",
        "context",
        "context_start",
        "context_end",
        "quote",
    ]


def test_bench_measure_search_runs_on_a_small_workspace(sample_ws: Workspace) -> None:
    from bench.search import format_search, measure_search

    figures = measure_search(sample_ws.root, runs=1)
    assert figures["articles"] == 10
    assert set(figures["queries"]) == {"rare word", "common word", "phrase", "regex"}
    assert all(q["matches"] > 0 for q in figures["queries"].values())
    assert "first index build" in format_search(figures)


# -- scripts without spaces (U9) -------------------------------------------------------------------
CHINESE = "人工智能正在改变好莱坞。演员们担心AI技术会复制他们的形象。\n"
JAPANESE = "東京の映画スタジオは人工知能を使い始めた。これは重要な一歩である。\n"


def _cjk_workspace(library: Library) -> dict[str, str]:
    """A Chinese, a Japanese and an English article; their ids by language."""
    return {
        "zh": library.add(Article("", "好莱坞与人工智能", CHINESE)).article.id,
        "ja": library.add(Article("", "東京の映画", JAPANESE)).article.id,
        "en": library.add(Article("", "Email", "An email about the AI strike.\n")).article.id,
    }


def test_cli_search_finds_a_two_character_cjk_word(ws: Workspace, library: Library) -> None:
    ids = _cjk_workspace(library)
    code, out, _ = _run("-w", str(ws.root), "search", "人工", "--json")
    assert code == 0
    rows = [json.loads(line) for line in out.splitlines()]
    assert sorted(row["article_id"] for row in rows) == sorted([ids["zh"], ids["ja"]])
    for row in rows:
        assert library.display(row["article_id"]).text[row["start"] : row["end"]] == "人工"
    code, out, _ = _run("-w", str(ws.root), "search", "東京")
    assert code == 0
    assert f"{ids['ja']}  東京の映画" in out.splitlines()


@pytest.mark.parametrize(
    ("query", "languages"),
    [
        ("人工", {"zh", "ja"}),
        ("東京", {"ja"}),
        ("スタジオ", {"ja"}),
        ("一歩", {"ja"}),
        ("好莱坞", {"zh"}),
        ("AI", {"zh", "en"}),  # a Latin word inside Chinese text is a word
        ("AI技术", {"zh"}),
        ('"人工 知能"', set()),  # a phrase's space must be in the text
        ("人工 AI", {"zh"}),  # every term
        ("mail", set()),  # whole words in spaced scripts, as before
    ],
)
def test_search_in_scripts_without_spaces(
    library: Library, query: str, languages: set[str]
) -> None:
    ids = _cjk_workspace(library)
    found = SearchIndex(library).search(query)
    assert {m.article_id for m in found} == {ids[lang] for lang in languages}
    for m in found:
        assert fold(m.quote) in {fold(term) for term in split_query(query)}


def test_search_finds_thai_and_korean_inside_runs(library: Library) -> None:
    thai = library.add(Article("", "Thai", "สวัสดีครับ ภาษาไทยง่ายมาก\n")).article.id
    korean = library.add(Article("", "Korean", "한국어학교에서 공부합니다.\n")).article.id
    index = SearchIndex(library)
    assert [(m.article_id, m.quote) for m in index.search("ไทย")] == [(thai, "ไทย")]
    assert [(m.article_id, m.quote) for m in index.search("학교")] == [(korean, "학교")]
