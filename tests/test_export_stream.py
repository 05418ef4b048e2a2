"""The W3C export made an annotation at a time (issue 22): the same bytes as dumping the whole
collection at once, and a failed export still leaves no file, whole or partial.
"""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from annotations.formats.registry import export_to_file
from annotations.formats.selection import Filters, select
from annotations.formats.w3c import to_w3c, w3c_chunks
from annotations.store import AnnotationStore
from bench.generate import generate
from corpus.workspace import Workspace

EXPORTED = "2026-11-24T10:00:00Z"


@pytest.fixture(scope="module")
def coded(tmp_path_factory: pytest.TempPathFactory) -> Workspace:
    """Articles made of the sample corpus's sentences, with 2,000 highlights (tags, notes and
    coders) and memos on some articles."""
    root = tmp_path_factory.mktemp("stream")
    generate(root, articles=60, highlights=2000, inserts=0, big_article_chars=60_000)
    workspace = Workspace(root / "workspace")
    with AnnotationStore(workspace) as store:
        ids = store.library.ids()
        store.set_memos({ids[0]: "A memo:\nwith a line break, “quotes” and \x1b[31m", ids[5]: "ok"})
    return workspace


def _whole(store: AnnotationStore, filters: Filters | None = None) -> bytes:
    """The export as it was written before: the collection dumped at once."""
    document = to_w3c(select(store, filters or Filters()), exported=EXPORTED)
    return orjson.dumps(document, option=orjson.OPT_INDENT_2) + b"\n"


def test_the_pieces_are_the_whole_collection_byte_for_byte(coded: Workspace) -> None:
    store = AnnotationStore(coded)
    pieces = list(w3c_chunks(select(store), exported=EXPORTED))
    assert len(pieces) > 2000  # one piece per annotation, and the head and tail
    assert b"".join(pieces) == _whole(store)
    assert orjson.loads(b"".join(pieces))["total"] == 2002  # 2,000 highlights, 2 memos


@pytest.mark.parametrize("which", ["one article", "nothing"])
def test_a_small_or_empty_selection_is_the_same_too(coded: Workspace, which: str) -> None:
    store = AnnotationStore(coded)
    ids = store.library.ids()
    filters = Filters(articles=(ids[5],)) if which == "one article" else Filters(tags=("none",))
    got = b"".join(w3c_chunks(select(store, filters), exported=EXPORTED))
    assert got == _whole(store, filters)


def test_an_export_that_fails_midway_leaves_no_file(
    coded: Workspace, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """An annotation that cannot be made after a thousand were: nothing is written, neither
    the file nor a temporary one, and a file already there is kept as it was."""
    import annotations.formats.w3c as w3c

    real = w3c.to_annotation
    made: list[int] = []

    def failing(*args: object) -> object:
        made.append(1)
        if len(made) > 1000:
            raise MemoryError("out of memory, say")
        return real(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(w3c, "to_annotation", failing)
    store = AnnotationStore(coded)
    kept = tmp_path / "kept.json"
    kept.write_bytes(b"an earlier export\n")
    with pytest.raises(MemoryError):
        export_to_file(store, "w3c", tmp_path / "new.json")
    with pytest.raises(MemoryError):
        export_to_file(store, "w3c", kept, replace=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["kept.json"]
    assert kept.read_bytes() == b"an earlier export\n"


def test_the_written_file_is_the_whole_collection(coded: Workspace, tmp_path: Path) -> None:
    store = AnnotationStore(coded)
    path = tmp_path / "all.json"
    selection = export_to_file(store, "w3c", path)
    assert selection.count() == 2000
    written = orjson.loads(path.read_bytes())
    expected = to_w3c(select(store), exported=EXPORTED)
    # The export stamps its own time, which names the collection; the rest is the same.
    for document in (written, expected):
        for key in ("id", "generated", "last"):
            document.pop(key, None)
        document["first"].pop("id")
        document["first"].pop("partOf")
    assert written == expected
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]  # no temporary left
