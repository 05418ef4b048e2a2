"""A first export checks its highlights' anchors in worker processes (issue 22, row 9g).

What the workers answer only lets the export skip a check it would pass: the export is the
same, byte for byte, with or without them, and a highlight whose text moved or went is still
re-anchored or made an orphan. Texts the search index holds are used instead of renders.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

import annotations.formats.selection as selection_module
import annotations.formats.w3c as w3c_module
from annotations.check_workers import CheckAhead, check_batch
from annotations.formats.registry import export_to_file
from annotations.formats.selection import select
from annotations.formats.w3c import w3c_chunks
from annotations.store import AnnotationStore
from bench.generate import generate
from corpus.library import Library
from corpus.search import SearchIndex, indexed_texts
from corpus.workspace import Workspace

EXPORTED = "2026-11-24T10:00:00Z"


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Articles made of the sample corpus's sentences, with 1,500 highlights, one long
    article (cached rendering) and memos."""
    root = tmp_path_factory.mktemp("checks")
    generate(root, articles=40, highlights=1500, inserts=0, big_article_chars=60_000)
    workspace = Workspace(root / "workspace")
    with AnnotationStore(workspace) as store:
        ids = store.library.ids()
        store.set_memos({ids[0]: "A memo", ids[3]: "another"})
    return workspace


@pytest.fixture
def copy(coded: Workspace, tmp_path: Path) -> Workspace:
    import shutil

    shutil.copytree(coded.root, tmp_path / "workspace")
    return Workspace(tmp_path / "workspace")


@pytest.fixture
def parallel(monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers from the first article on, in a workspace of any size."""
    monkeypatch.setattr(selection_module, "CHECK_CACHE_FROM", 1)
    monkeypatch.setattr(selection_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(selection_module, "workers", lambda: 2)


def _cold(workspace: Workspace) -> None:
    (workspace.cache_dir / selection_module.CHECK_CACHE_NAME).unlink(missing_ok=True)


def _w3c(workspace: Workspace) -> bytes:
    return b"".join(w3c_chunks(select(AnnotationStore(workspace)), exported=EXPORTED))


def test_the_export_is_the_same_with_workers_without_and_warm(
    copy: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selection_module, "CHECK_CACHE_FROM", 1)
    serial = _w3c(copy)  # a workspace this small checks in-process
    _cold(copy)
    monkeypatch.setattr(selection_module, "PARALLEL_FROM", 1)
    monkeypatch.setattr(selection_module, "workers", lambda: 2)
    cold = _w3c(copy)
    remembered = orjson.loads((copy.cache_dir / selection_module.CHECK_CACHE_NAME).read_bytes())
    assert len(remembered["files"]) == len(AnnotationStore(copy).annotated_article_ids())
    warm = _w3c(copy)
    assert cold == serial == warm
    assert orjson.loads(cold)["total"] == 1502


def test_the_written_file_is_the_collection_byte_for_byte(
    copy: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parallel: None
) -> None:
    """Written in pieces as they are made, from a cold export with workers: the same bytes as
    the collection made whole."""
    monkeypatch.setattr(w3c_module, "now_iso", lambda: EXPORTED)
    whole = orjson.dumps(
        w3c_module.to_w3c(select(AnnotationStore(copy)), exported=EXPORTED),
        option=orjson.OPT_INDENT_2,
    )
    _cold(copy)
    path = tmp_path / "out" / "all.jsonld"
    export_to_file(AnnotationStore(copy), "w3c", path)
    assert path.read_bytes() == whole + b"\n"


def test_the_main_process_renders_nothing_when_every_check_passes(
    copy: Workspace, monkeypatch: pytest.MonkeyPatch, parallel: None
) -> None:
    rendered: list[str] = []
    real = Library.display

    def display(self: Library, article_id: str, draft: object = None) -> object:
        rendered.append(article_id)
        return real(self, article_id)

    monkeypatch.setattr(Library, "display", display)
    _cold(copy)
    assert select(AnnotationStore(copy)).count() == 1500
    assert rendered == []


def test_moved_and_vanished_text_is_still_reanchored_and_orphaned(
    copy: Workspace, parallel: None
) -> None:
    """Two articles edited by hand before a cold export: text put in before every highlight
    of one, and the other's words replaced. The workers pass neither; the export re-anchors
    the first and makes the second's highlights orphans, as a check in-process does."""
    store = AnnotationStore(copy)
    moved_id, gone_id = [a for a in store.annotated_article_ids() if a != store.library.ids()[0]][
        :2
    ]
    before = store.highlights(moved_id)
    for article_id, change in (
        (moved_id, lambda body: "A new opening.\n\n" + body),
        (gone_id, lambda body: "Nothing of what was here.\n"),
    ):
        path = copy.article_file(article_id)
        body = store.library.get(article_id).body
        path.write_text(path.read_text(encoding="utf-8").replace(body, change(body)), "utf-8")
    _cold(copy)
    got = select(AnnotationStore(copy))
    shift = len("A new opening.\n\n")
    assert [(h.start, h.end) for h in got.highlights[moved_id]] == [
        (h.start + shift, h.end + shift) for h in before
    ]
    text = Library(copy).display(moved_id).text
    assert all(text[h.start : h.end] == h.quote for h in got.highlights[moved_id])
    assert got.highlights[gone_id] and all(h.orphaned for h in got.highlights[gone_id])


def test_a_worker_passes_only_highlights_in_place(copy: Workspace) -> None:
    store = AnnotationStore(copy)
    ids = store.annotated_article_ids()[:3]
    answers = check_batch(str(copy.root), [*ids, "no-such-article"])
    assert all(isinstance(a, list) and len(a) == 6 for a in answers[:3])
    assert answers[3] is None
    # One highlight's stored quote no longer what its offsets hold.
    path = copy.highlights_db(ids[1])
    data = orjson.loads(path.read_bytes())
    record = next(iter(data["highlights"].values()))
    record["quote"] = record["quote"] + "x"
    path.write_bytes(orjson.dumps(data))
    # And an orphan: looked for again by the export's own check, never passed.
    path = copy.highlights_db(ids[2])
    data = orjson.loads(path.read_bytes())
    next(iter(data["highlights"].values()))["orphaned"] = True
    path.write_bytes(orjson.dumps(data))
    assert check_batch(str(copy.root), ids)[1:] == [None, None]


def test_workers_read_the_texts_the_search_index_holds(
    copy: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    ids = AnnotationStore(copy).annotated_article_ids()
    assert indexed_texts(copy, ids) == {}
    assert not (copy.cache_dir / "search.sqlite3").exists()  # never made by asking
    SearchIndex(Library(copy)).refresh()
    texts = indexed_texts(copy, ids)
    assert sorted(texts) == sorted(ids)
    assert texts[ids[0]][1] == Library(copy).display(ids[0]).text

    def no_render(self: Library, article_id: str, draft: object = None) -> object:
        raise AssertionError(f"rendered {article_id}")

    monkeypatch.setattr(Library, "display", no_render)
    assert None not in check_batch(str(copy.root), ids)
    # A file changed since it was indexed: its text there is not used.
    path = copy.article_file(ids[0])
    path.write_text(path.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    with pytest.raises(AssertionError, match="rendered"):
        check_batch(str(copy.root), ids[:1])


def test_the_workers_stop_with_the_export(copy: Workspace) -> None:
    ids = AnnotationStore(copy).annotated_article_ids()
    with CheckAhead(copy, ids) as ahead:
        assert ahead.answer(ids[-1]) is not None
        assert ahead.answer("not-asked") is None
    assert ahead._pool._shutdown_thread  # type: ignore[attr-defined]


def test_few_articles_to_check_start_no_workers(
    copy: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(selection_module, "CHECK_CACHE_FROM", 1)
    store = AnnotationStore(copy)
    ids = store.annotated_article_ids()
    assert len(ids) < selection_module.PARALLEL_FROM
    with selection_module._AnchorChecks(store, ids) as checks:
        assert checks.ahead is None
    monkeypatch.setattr(selection_module, "PARALLEL_FROM", 1)
    with selection_module._AnchorChecks(store, ids) as checks:
        assert checks.ahead is not None
