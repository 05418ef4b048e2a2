"""The records module's two paths around TinyDB agree with TinyDB: reading a highlights file
with orjson gives what TinyDB's table gives, and a file written many records at once reads,
and takes TinyDB's next insert, as if TinyDB had written it."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tinydb import TinyDB

from annotations import records
from annotations.model import Highlight, Tag
from annotations.storage import AtomicJSONStorage, CorruptFileError, StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace


def document_order(items: list[Highlight]) -> list[Highlight]:
    return sorted(items, key=lambda h: (h.start, h.end, h.created, h.id))


def through_tinydb(path: Path) -> list[Highlight]:
    """A highlights file read the slow way: TinyDB's table, on the same storage."""
    db = TinyDB(path, storage=AtomicJSONStorage)
    try:
        return document_order(
            [Highlight.from_dict(dict(doc)) for doc in db.table("highlights").all()]
        )
    finally:
        db.close()


def tinydb_tags(path: Path) -> list[Tag]:
    db = TinyDB(path, storage=AtomicJSONStorage)
    try:
        return sorted((Tag(**doc) for doc in db.table("tags").all()), key=lambda t: t.name)
    finally:
        db.close()


def assert_both_paths_agree(path: Path) -> list[Highlight]:
    fast = records.read_highlights(path)
    assert fast == through_tinydb(path)
    assert records.count_highlights(path) == len(fast)
    assert sorted(records.stored_highlight_ids(path)) == sorted(h.id for h in fast)
    return fast


@pytest.fixture
def second(library: Library) -> Article:
    saved = Article(id="second", title="Second", body="# Second\n\nLikeness pay and likeness.\n")
    library.save(saved)
    return saved


def test_every_store_write_reads_the_same_both_ways(
    store: AnnotationStore, article: Article, second: Article, ws: Workspace
) -> None:
    text = store.library.display(article.id).text
    other = store.library.display(second.id).text
    first = store.add_highlight(article.id, 0, 8, tags=["a", "b/c"], note="n")
    doomed = store.add_highlight(article.id, 9, 14, tags=["a"])
    store.update_highlight(article.id, first.id, tags=["b/c"], color="#123456")
    store.delete_highlight(article.id, doomed.id)
    # Many records in two files at once (the records module's own write), then TinyDB's
    # inserts after it: none may take the id of a record written by hand.
    coded = store.bulk_code([(article.id, 20, 26), (second.id, 0, 6), (second.id, 11, 14)], ["z"])
    store.rename_tag("b", "renamed")
    store.add_highlight(second.id, 7, 10, tags=["after"])
    store.add_highlight(article.id, 30, 40, tags=["after"])
    store.merge_tags(["z"], "a")
    store.undo_tag_change(coded)  # puts back and removes by id, in both files
    store.ensure_tag("fresh")

    by_article = {
        aid: assert_both_paths_agree(ws.highlights_db(aid)) for aid in (article.id, second.id)
    }
    assert [(h.start, h.end, h.tags) for h in by_article[article.id]] == [
        (0, 8, ["renamed/c"]),
        (30, 40, ["after"]),
    ]
    assert [(h.start, h.end, h.tags) for h in by_article[second.id]] == [(7, 10, ["after"])]
    assert by_article[article.id][0].quote == text[0:8]
    assert by_article[second.id][0].quote == other[7:10]
    assert tinydb_tags(ws.workspace_db) == sorted(store.tags(), key=lambda t: t.name)
    assert {t.name for t in store.tags()} == {"a", "renamed/c", "after", "fresh"}


def highlight(number: int, tags: list[str]) -> Highlight:
    return Highlight(
        id=f"h{number}",
        article_id="a",
        start=number,
        end=number + 1,
        quote="x",
        tags=tags,
        created="2024-01-01T00:00:00Z",
        updated="2024-01-01T00:00:00Z",
    )


# Each step changes one file through TinyDB's table or through the records module's write of
# many records; the file must always hold exactly what the steps made, read either way.
STEPS = st.lists(
    st.tuples(
        st.sampled_from(["tinydb insert", "tinydb remove", "records put", "records remove"]),
        st.integers(0, 5),
        st.lists(st.sampled_from(["p", "q"]), max_size=2),
    ),
    max_size=12,
)


@given(STEPS)
def test_tinydb_and_the_many_record_write_share_one_file(
    steps: list[tuple[str, int, list[str]]],
) -> None:
    with tempfile.TemporaryDirectory(prefix="reader-records-") as folder:
        path = Path(folder) / "a.json"
        expected: dict[str, Highlight] = {}
        for how, number, tags in steps:
            h = highlight(number, tags)
            if how == "tinydb insert" and h.id not in expected:
                with records.highlights_table(path) as table:
                    table.insert(h.to_dict())
                expected[h.id] = h
            elif how == "tinydb remove":
                with records.highlights_table(path) as table:
                    table.remove(lambda doc, hid=h.id: doc.get("id") == hid)
                expected.pop(h.id, None)
            elif how == "records put":
                records.write_highlight_files({path: ([h], ())})
                expected[h.id] = h
            elif how == "records remove":
                records.write_highlight_files({path: ((), [h.id])})
                expected.pop(h.id, None)
            assert assert_both_paths_agree(path) == document_order(list(expected.values()))


def test_write_tags_sets_and_removes_records_as_tinydb_reads_them(tmp_path: Path) -> None:
    path = tmp_path / "workspace.json"
    db = TinyDB(path, storage=AtomicJSONStorage)
    db.table("meta").insert({"key": "schema", "value": 1})
    db.table("tags").insert(Tag("old", "#111111").to_dict())
    db.table("tags").insert(Tag("kept", "#222222").to_dict())
    records.write_tags(path, {"old": None, "new": Tag("new", "#333333", "d")})
    # A TinyDB opened afresh, as the store opens one for every operation (a table remembers
    # the next id it gives, from before the write).
    TinyDB(path, storage=AtomicJSONStorage).table("tags").insert(Tag("later", "#444444").to_dict())
    assert tinydb_tags(path) == [
        Tag("kept", "#222222"),
        Tag("later", "#444444"),
        Tag("new", "#333333", "d"),
    ]
    assert TinyDB(path, storage=AtomicJSONStorage).table("meta").all() == [
        {"key": "schema", "value": 1}
    ]


def test_a_bad_record_is_refused_by_the_fast_path(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    path.write_bytes(b'{"highlights": {"1": {"id": "x", "article_id": "a", "start": "0"}}}')
    with pytest.raises(CorruptFileError, match=r"a\.json: bad highlight record"):
        records.read_highlights(path)


def test_a_many_file_write_with_one_corrupt_file_writes_none(tmp_path: Path) -> None:
    good, bad = tmp_path / "good.json", tmp_path / "bad.json"
    records.write_highlight_files({good: ([highlight(1, ["p"])], ())})
    bad.write_bytes(b"{not json")
    before = good.read_bytes()
    with pytest.raises(StoreError, match=r"bad\.json: not valid JSON"):
        records.write_highlight_files(
            {good: ([highlight(2, [])], ()), bad: ([highlight(3, [])], ())}
        )
    assert good.read_bytes() == before
    assert bad.read_bytes() == b"{not json"


def test_undoing_a_tag_change_refuses_a_corrupt_file_and_writes_nothing(
    store: AnnotationStore, article: Article, second: Article, ws: Workspace
) -> None:
    change = store.bulk_code([(article.id, 0, 8), (second.id, 0, 6)], ["z"])
    ws.highlights_db(second.id).write_bytes(b"[]")
    before = {p: p.read_bytes() for p in ws.annotations_dir.rglob("*.json")}
    with pytest.raises(StoreError, match=r"second\.json: not a database"):
        store.undo_tag_change(change)
    assert {p: p.read_bytes() for p in ws.annotations_dir.rglob("*.json")} == before
