"""Fuzzing the two doors hostile bytes come in by, with bounded numbers of examples.

* Article importers: random bytes as ``.txt``, ``.md``, ``.html`` and ``.xml`` (feed) files raise
  nothing but :class:`ImportFailed` (one line), and every article made renders, reads back
  from its file exactly as it was saved, and imports again as ``unchanged``.
* Annotation imports: random JSON, and valid native, W3C and doccano exports with keys dropped,
  values of the wrong type and random strings, never raise anything but
  :class:`AnnotationImportError` or :class:`StoreError`, and when they raise, the workspace is
  byte-identical. A disk that fills up part-way through a valid import changes nothing either.
"""

from __future__ import annotations

import copy
import json
import shutil
from dataclasses import dataclass
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations.formats.importing import AnnotationImportError, merge, read_annotations
from annotations.formats.registry import export_bytes
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.importers import ImportFailed, draft_from_file
from corpus.library import Library
from corpus.sources import import_sources
from corpus.workspace import Workspace
from tests.hostile import build, fail_writes, snapshot

# -- article importers --------------------------------------------------------------------------
PIECES = [
    b"---\n", b"title: ", b"author: [", b"date: 2023-13-45\n", b"\n", b"\r\n", b"\r", b"# ",
    b"- ", b"1. ", b"> ", b"```", b"*", b"_", b"\\", b"`", b"[link](", b"<", b">", b"&amp;",
    b"<p>", b"</p>", b"<html><body><article>", b"<h1>", b"<script>", b"<!--", b"<rss>",
    b"<feed>", b"\xef\xbb\xbf", b"\xff\xfe", b"\x00", b"\xff", b"\xc3\x28", b"\xe2\x80\xa8",
    b"\xc2\x85", b"\t", b"    ", b"By Dana Whitfield | July 29, 2023\n", b"Share this\n",
    b"word ", b"Sentence one. ", "ünï cödé ".encode(), "\u202e".encode(), b"tags: [a, b]\n",
    b"when: 2023-01-01\n", b"n: 1e3\n", b"x: ~\n", b"y: yes\n", b"z: {a: 1}\n", b"t: 12:30\n",
]  # fmt: skip
FRONT_MATTER = st.lists(st.sampled_from([p for p in PIECES if p.endswith(b"\n")]), max_size=6)
BYTES = st.one_of(
    st.binary(max_size=300),
    st.tuples(FRONT_MATTER, st.text(max_size=40)).map(
        lambda fm: b"---\n" + b"".join(fm[0]) + b"---\n" + fm[1].encode("utf-8", "surrogatepass")
    ),
    st.lists(
        st.one_of(
            st.sampled_from(PIECES),
            st.binary(max_size=6),
            st.text(max_size=12).map(lambda t: t.encode("utf-8", "surrogatepass")),
        ),
        max_size=40,
    ).map(b"".join),
)


def _scaled(full: int) -> int:
    """``full`` examples in `make check` (100 a test by default), in proportion fewer in the
    derandomized `make test` profile (50; see tests/conftest.py)."""
    return max(1, full * settings().max_examples // 100)


def _fields(article: Article) -> tuple[object, ...]:
    return (
        article.title,
        article.body,
        article.author,
        article.site,
        article.url,
        repr(article.extra),
    )


@settings(max_examples=_scaled(150))
@given(data=BYTES, suffix=st.sampled_from([".txt", ".md", ".html", ".xml"]))
def test_importers_fail_only_with_import_failed_and_round_trip(
    tmp_path_factory: pytest.TempPathFactory, data: bytes, suffix: str
) -> None:
    folder = tmp_path_factory.mktemp("fuzz import")
    path = folder / f"ränd om{suffix}"
    path.write_bytes(data)
    try:
        draft = draft_from_file(path)
    except ImportFailed as exc:
        assert "\n" not in str(exc) and str(path) in str(exc)
    else:
        assert suffix in (".txt", ".md")
        assert draft.display.text.strip()

    library = Library(Workspace(folder / "wörk space"))
    for outcome in import_sources(library, [str(path)]):
        if outcome.error is not None:
            assert "\n" not in outcome.error and str(path) in outcome.error
            continue
        assert outcome.result is not None
        saved = outcome.result.article
        read_back = Library(library.workspace).get(saved.id)  # a fresh cache: from the file
        assert _fields(read_back) == _fields(saved)
        assert (read_back.published, read_back.imported_from) == (
            saved.published,
            saved.imported_from,
        )
        assert library.display(saved.id).text == saved.display.text
    again = list(import_sources(library, [str(path)]))
    assert all(o.result is None or o.result.status == "unchanged" for o in again)


# -- annotation imports -------------------------------------------------------------------------
LEAVES = (
    st.none()
    | st.booleans()
    | st.integers(-(2**70), 2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=16)
    | st.sampled_from(["Annotation", "AnnotationPage", "TextQuoteSelector", "reader-annotations"])
)
JSON = st.recursive(
    LEAVES,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner),
    max_leaves=20,
)


def _valid_exports(store: AnnotationStore) -> list[Any]:
    """A native and a W3C export of the workspace, and a doccano line of text with spans."""
    native = json.loads(export_bytes(store, "json")[0])
    w3c = json.loads(export_bytes(store, "w3c")[0])
    doccano = {"id": 7, "text": "A text about a union.", "label": [[2, 6, "kind"], [15, 20, "x"]]}
    return [native, w3c, doccano]


@st.composite
def mutated(draw: st.DrawFn, documents: list[Any]) -> Any:
    """A valid export with 1-4 changes: a key or item dropped, a value replaced by random JSON
    (another type, a random string), an item duplicated."""
    doc = copy.deepcopy(draw(st.sampled_from(documents)))
    for _ in range(draw(st.integers(1, 4))):
        parent: Any = None
        key: Any = None
        node = doc
        while isinstance(node, (dict, list)) and node and draw(st.integers(0, 3)):
            key = draw(st.sampled_from(sorted(node))) if isinstance(node, dict) else (
                draw(st.integers(0, len(node) - 1))
            )  # fmt: skip
            parent, node = node, node[key]
        if parent is None:
            continue
        change = draw(st.sampled_from(["drop", "replace", "string", "duplicate"]))
        if change == "drop":
            del parent[key]
        elif change == "replace":
            parent[key] = draw(JSON)
        elif change == "string":
            parent[key] = draw(st.text(max_size=30))
        elif isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return doc


def _encode(doc: Any, jsonl: bool) -> bytes:
    text = json.dumps(doc)
    return (text + "\n" + text + "\n" if jsonl else text).encode()


@dataclass
class Pristine:
    """A workspace to copy for each example (they must not depend on one another) and its
    exports, made once (data generation must not depend on the state of a workspace)."""

    ws: Workspace
    exports: list[Any]


@pytest.fixture(scope="module")
def pristine(tmp_path_factory: pytest.TempPathFactory) -> Pristine:
    ws = build(tmp_path_factory.mktemp("fuzz annotations")).ws
    with AnnotationStore(ws) as store:
        return Pristine(ws, _valid_exports(store))


@settings(max_examples=_scaled(200))
@given(data=st.data())
def test_annotation_imports_fail_cleanly_and_change_nothing(
    pristine: Pristine, tmp_path_factory: pytest.TempPathFactory, data: st.DataObject
) -> None:
    doc = data.draw(st.one_of(JSON, mutated(pristine.exports)), label="document")
    raw = _encode(doc, jsonl=isinstance(doc, dict) and "text" in doc)
    if data.draw(st.integers(0, 9), label="truncated if 0") == 0:
        raw = raw[: data.draw(st.integers(0, len(raw)), label="kept bytes")]
    folder = tmp_path_factory.mktemp("fuzz file")
    path = folder / "ïmport.json"
    path.write_bytes(raw)
    ws = Workspace(folder / "wörk space")
    shutil.copytree(pristine.ws.root, ws.root)
    before = snapshot(ws.root)
    with AnnotationStore(ws) as store:
        try:
            merge(store, read_annotations(path))
        except (AnnotationImportError, StoreError) as exc:
            assert "\n" not in str(exc)
            assert snapshot(ws.root) == before


@settings(max_examples=_scaled(60))
@given(kind=st.sampled_from(["native", "doccano"]), writes=st.integers(0, 4))
def test_a_disk_filling_up_during_a_valid_import_changes_nothing(
    tmp_path_factory: pytest.TempPathFactory, kind: str, writes: int
) -> None:
    s = build(tmp_path_factory.mktemp("fuzz disk"))
    with AnnotationStore(s.ws) as store:
        store.library.save(Article("second", "Second", "The union again, and contracts.\n"))
        text = store.library.display(s.article_id).text
    highlights = [
        {"id": f"n{i}", "quote": q, "start": text.find(q), "end": 0, "tags": [f"tag {i}"]}
        for i, q in enumerate(["union", "faces", "contracts"])
    ]
    doc: Any = {
        "format": "reader-annotations",
        "version": 1,
        "articles": [
            {"id": s.article_id, "highlights": highlights[:2]},
            {"id": "second", "highlights": [*highlights[2:], {**highlights[0], "id": "m"}]},
        ],
    }
    if kind == "doccano":
        doc = {"text": "Words about a union.\n\nMore words.", "label": [[14, 19, "org"]]}
    path = s.outside("välid.json")
    path.write_bytes(_encode(doc, jsonl=kind == "doccano"))
    before = snapshot(s.root)
    with pytest.MonkeyPatch.context() as patch, AnnotationStore(s.ws) as store:
        fail_writes(patch, after=writes)
        try:
            merge(store, read_annotations(path))
        except (StoreError, OSError):
            assert snapshot(s.root) == before
