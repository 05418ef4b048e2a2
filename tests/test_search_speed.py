"""Issue 22's search changes: the faster fold, the smaller index, one refresh per ``reader
search``, and its batched printing. Each is checked against what it replaced, not timed."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import click
import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import reader.cli_search
from corpus.article import Article
from corpus.library import Library
from corpus.search import SearchIndex
from corpus.terminal_safe import terminal_safe
from corpus.text_match import _FOLD, FoldedText, compile_query, find_query, fold
from corpus.workspace import Workspace
from reader.cli import main

# Words with the characters articles hold: typographic quotes and dashes, accents, ligatures,
# a capital sharp s, an unspaced script, invisible characters.
WORDS = [
    "apple",
    "Apple",
    "APPLES",
    "café",
    "CAFÉ",
    "cafe\u0301",
    "don\u2019t",
    "don't",
    "ﬁne",
    "fine",
    "Straße",
    "STRASSE",
    "co\u00adop",
    "coop",
    "东京",
    "\u2014",
    "net-flix",
    "netflix",
]
text_of_words = st.lists(st.sampled_from([*WORDS, " ", "\n\n", ", "]), max_size=40).map("".join)


@given(st.text())
def test_fold_is_the_per_character_table(text: str) -> None:
    """The fast fold (ASCII by ``lower()``, other runs through the table) is the table's."""
    assert fold(text) == text.translate(_FOLD)


@given(st.lists(st.sampled_from(["Ab", "é", "’", "ﬁ", "ß", "\u00ad", "x\u0301", "Σ"])).map("".join))
def test_fold_of_mixed_runs_is_the_per_character_table(text: str) -> None:
    assert fold(text) == text.translate(_FOLD)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(texts=st.lists(text_of_words, min_size=1, max_size=4), query=st.sampled_from(WORDS))
def test_the_index_finds_what_a_plain_scan_finds(
    tmp_path_factory: pytest.TempPathFactory, texts: list[str], query: str
) -> None:
    ws = Workspace(tmp_path_factory.mktemp("ws") / "ws")
    library = Library(ws)
    for n, text in enumerate(texts):
        library.add(Article("", f"Article {n}", (text or "empty") + "\n"))
    index = SearchIndex(Library(ws))
    for phrase in (query, f'"{query} {query}"'):
        patterns = compile_query(phrase)
        expected = []
        for article_id in library.ids():
            shown = FoldedText(library.display(article_id).text)
            expected += [(article_id, *span) for span in find_query(patterns, shown)]
        found = [(m.article_id, m.start, m.end) for m in index.search(phrase)]
        assert found == expected, phrase


def test_each_text_is_stored_once(library: Library) -> None:
    """Issue 22: the folded text, and the runs where the display text differs from it; a text
    that folds unevenly (``ß`` -> ``ss``) whole, compressed, as well."""
    plain = library.add(Article("", "Plain", "APPLES and Pears.\n")).article.id
    curly = library.add(Article("", "Curly", "Don\u2019t eat APPLES.\n")).article.id
    uneven = library.add(Article("", "Uneven", "Die Straße der APPLES.\n")).article.id
    index = SearchIndex(library)
    index.refresh()
    with sqlite3.connect(index.path) as db:
        stored = {
            row[0]: row[1:]
            for row in db.execute(
                "SELECT id, runs IS NULL, originals, text IS NULL"
                " FROM docs JOIN texts USING (rowid)"
            )
        }
    assert stored == {
        plain: (0, "APPLESP", 1),
        curly: (0, "D\u2019APPLES", 1),
        uneven: (1, None, 0),
    }
    assert [m.article_id for m in index.search("apples")] == sorted([plain, curly, uneven])
    assert [m.quote for m in index.search('"don\'t eat"')] == ["Don\u2019t eat"]
    assert [m.quote for m in index.search("strasse")] == ["Straße"]
    assert index.display_bytes() == sum(
        len(library.display(a).text.encode()) for a in (plain, curly, uneven)
    )
    # An ASCII article changed and removed is forgotten by the FTS table too.
    library.workspace.article_file(plain).unlink()
    assert [m.article_id for m in index.search("apples")] == sorted([curly, uneven])
    assert index.search("pears") == []


def test_an_index_of_the_previous_layout_is_built_again(library: Library) -> None:
    """A version 6 index (display and folded texts side by side) that the file stamps call up
    to date is not read with the new layout: it is replaced."""
    from corpus.markdown_text import RENDERER_VERSION

    article_id = library.add(Article("", "Real", "Apples here.\n")).article.id
    st_ = library.workspace.article_file(article_id).stat()
    index = SearchIndex(library)
    index.path.parent.mkdir(parents=True, exist_ok=True)
    with sqlite3.connect(index.path) as db:
        for statement in (
            "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
            "CREATE TABLE docs(rowid INTEGER PRIMARY KEY, id TEXT NOT NULL UNIQUE,"
            " mtime_ns INTEGER NOT NULL, size INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,"
            " title TEXT NOT NULL, uneven INTEGER NOT NULL)",
            "CREATE TABLE texts(rowid INTEGER PRIMARY KEY, text TEXT NOT NULL, folded TEXT)",
            "CREATE VIRTUAL TABLE terms USING fts5(tokens, content='', detail=none)",
        ):
            db.execute(statement)
        db.execute("INSERT INTO meta VALUES ('version', ?)", (f"6/renderer {RENDERER_VERSION}",))
        db.execute(
            "INSERT INTO docs VALUES (1, ?, ?, ?, ?, 'Stale', 0)",
            (article_id, st_.st_mtime_ns, st_.st_size, st_.st_ctime_ns),
        )
        db.execute("INSERT INTO texts VALUES (1, 'Pears there.', NULL)")
        db.execute("INSERT INTO terms(rowid, tokens) VALUES (1, 'pears there')")
    assert [(m.title, m.quote) for m in index.search("apples")] == [("Real", "Apples")]
    assert index.search("pears") == []


@settings(max_examples=300)
@given(
    st.one_of(
        st.lists(st.sampled_from([*WORDS, " ", "\n\n", ", ", "Ab\u00c9", "x" * 50])).map("".join),
        st.text(),
    ),
    st.data(),
)
def test_a_display_text_is_made_again_from_its_fold(text: str, data: st.DataObject) -> None:
    """What the index rebuilds of a text from its fold and runs, and the context lines from
    that part alone, are the text's own."""
    from corpus.search import _Display, _display_runs
    from corpus.text_match import context_line, context_window, folds_unevenly

    if folds_unevenly(text):
        return
    shown = _Display(fold(text), *_display_runs(text))
    assert shown.whole() == text
    start = data.draw(st.integers(0, len(text)))
    end = data.draw(st.integers(start, len(text)))
    assert shown.slice(start, end) == text[start:end]
    a, b = context_window(start, end, len(text))
    line, at, to = context_line(shown.slice(a, b), start - a, end - a)
    assert (line, at, to) == context_line(text, start, end)


def test_a_phrase_needs_its_words_together(library: Library) -> None:
    library.add(Article("", "Apart", "The picket was by the line.\n"))
    together = library.add(Article("", "Together", "A picket line formed.\n")).article.id
    index = SearchIndex(library)
    assert [m.article_id for m in index.search('"picket line"')] == [together]
    assert [m.article_id for m in index.search("picket line")] != [together]


def test_refresh_reports_progress_per_batch(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("corpus.search.BATCH", 2)
    for n in range(5):
        library.add(Article("", f"A{n}", f"Text {n}.\n"))
    calls: list[tuple[int, int]] = []
    SearchIndex(library).refresh(lambda done, total: calls.append((done, total)))
    assert calls == [(2, 5), (4, 5), (5, 5)]


def test_reader_search_refreshes_the_index_once(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Article("", "One", "Apples.\n"))
    refreshes: list[int] = []
    real = SearchIndex.refresh

    def counted(self: SearchIndex, *args: object, **kwargs: object) -> int:
        refreshes.append(1)
        return real(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "refresh", counted)
    ws = library.workspace.root
    result = CliRunner().invoke(main, ["-w", str(ws), "search", "apples", "--limit", "1"])
    assert result.exit_code == 0, result.output
    assert len(refreshes) == 1


def _one_line_at_a_time(index: SearchIndex, query: str) -> str:
    """What ``reader search`` printed before the batches: one ``echo`` per line, each part
    of the context line made safe apart."""
    out = []
    for m in index.search(query):
        out.append(terminal_safe(f"{m.article_id}  {m.title}") + "\n")
        before, match, after = (
            terminal_safe(p)
            for p in (
                m.context[: m.context_start],
                m.context[m.context_start : m.context_end],
                m.context[m.context_end :],
            )
        )
        out.append(click.unstyle(f"  {before}«{match}»{after}\n") + "\n")
    return "".join(out)


def test_batched_output_is_what_one_line_at_a_time_printed(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    library.add(Article("", "Ti\x1b[31mtle", "Apples \x07here.\n\nMore apples, apples.\n"))
    library.add(Article("", "Second", "Apples\u202e again, \t and apples.\n"))
    library.add(Article("", "Third", "No fruit.\n"))
    ws: Path = library.workspace.root
    expected = _one_line_at_a_time(SearchIndex(Library(library.workspace)), "apples")
    expected += "5 matches in 2 articles\n"
    for batch in (1, 3, 1000):
        monkeypatch.setattr(reader.cli_search, "PRINT_BATCH", batch)
        result = CliRunner().invoke(main, ["-w", str(ws), "search", "apples"])
        assert result.exit_code == 0, result.output
        assert result.output == expected


def test_fold_of_many_distinct_characters_is_the_per_character_table() -> None:
    hangul = "".join(chr(0xAC00 + n * 7) for n in range(300)) + " ABC Ünïcödé ’"
    assert fold(hangul) == hangul.translate(_FOLD)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(query=st.text(min_size=1, max_size=12))
def test_no_word_query_is_an_fts_phrase(sample_ws: Workspace, query: str) -> None:
    """The index keeps no positions, so FTS refuses phrases: every query word must reach it
    as one token (underscores, digits, any script), and a search never fails."""
    index = SearchIndex(Library(sample_ws), recheck_after=3600)
    index.search(query)
    index.search(query + "*")
    index.search(f'"{query} {query}"', stem=True)


def test_a_parallel_build_is_the_same_index(
    sample_ws: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Rendered in worker processes (many articles), the index answers as one built in the
    process does, and progress is reported per batch, in order."""
    import shutil

    import corpus.search

    other = Workspace(tmp_path / "copy")
    shutil.copytree(sample_ws.root, other.root)
    serial = SearchIndex(Library(sample_ws))
    serial.refresh()
    monkeypatch.setattr(corpus.search, "PARALLEL_FROM", 1)
    monkeypatch.setattr(corpus.search, "BATCH", 3)
    monkeypatch.setattr(corpus.search, "worker_processes", lambda most=2: 2)
    calls: list[tuple[int, int]] = []
    parallel = SearchIndex(Library(other))
    parallel.refresh(lambda done, total: calls.append((done, total)))
    total = len(Library(other).ids())
    assert calls == [(min(n, total), total) for n in range(3, total + 3, 3)]
    for query in ("union", '"picket line"', "like*", "AI", "strike"):
        assert serial.search(query) == parallel.search(query), query
    assert serial.search(r"\bthe \w+", regex=True) == parallel.search(r"\bthe \w+", regex=True)
    with sqlite3.connect(serial.path) as a, sqlite3.connect(parallel.path) as b:
        sql = (
            "SELECT id, title, uneven, runs, originals, folded, text FROM docs"
            " JOIN texts USING (rowid) ORDER BY id"
        )
        assert a.execute(sql).fetchall() == b.execute(sql).fetchall()


def test_batched_json_lines_are_what_echo_json_printed(
    library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    import json

    from corpus.terminal_safe import escape_json

    library.add(Article("", "Ti\x1b[31mtle\u2028", "Apples \x07here.\n\nMore apples.\n"))
    library.add(Article("", "Second", "Apples\u202e again.\n"))
    ws: Path = library.workspace.root
    expected = "".join(
        escape_json(
            json.dumps(
                {
                    "article_id": m.article_id,
                    "title": m.title,
                    "start": m.start,
                    "end": m.end,
                    "context": m.context,
                },
                ensure_ascii=False,
            )
        )
        + "\n"
        for m in SearchIndex(Library(library.workspace)).search("apples")
    )
    assert expected.count("\n") == 3
    for batch in (1, 2, 1000):
        monkeypatch.setattr(reader.cli_search, "PRINT_BATCH", batch)
        result = CliRunner().invoke(main, ["-w", str(ws), "search", "apples", "--json"])
        assert result.exit_code == 0, result.output
        assert result.output == expected


def test_indexed_texts_are_the_display_texts(library: Library) -> None:
    """Export's anchor checks read display texts from the index: made again from the runs, or
    the compressed whole of one that folds unevenly, each is the article's own."""
    from corpus.search import indexed_texts

    ids = [
        library.add(Article("", title, body)).article.id
        for title, body in (
            ("Plain", "APPLES and Pears.\n"),
            ("Curly", "Don\u2019t eat CAFÉ APPLES \u2014 ever.\n\nSecond Para.\n"),
            ("Uneven", "Die Straße der ﬁne APPLES.\n"),
        )
    ]
    SearchIndex(library).refresh()
    found = indexed_texts(library.workspace, ids)
    assert {a: text for a, (_, text) in found.items()} == {a: library.display(a).text for a in ids}
