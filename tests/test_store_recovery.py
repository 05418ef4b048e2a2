"""The store facing bad disks and other processes: corrupt files, old schemas, the lock."""

from __future__ import annotations

import json
import os
import subprocess
import time
from pathlib import Path

import pytest

from annotations.lock import LockFileError, WorkspaceLock, WorkspaceLocked
from annotations.storage import CorruptFileError, StoreError
from annotations.store import SCHEMA_VERSION, AnnotationStore, HighlightError
from corpus.article import Article
from corpus.library import Library
from corpus.lock import DEFAULT_TIMEOUT, TIMEOUT_ENV_VAR, WorkspaceBusy
from corpus.workspace import Workspace

CORRUPT_DATABASES = [
    pytest.param(b"\x00\xffnot json at all", CorruptFileError, id="garbage"),
    pytest.param(b"", CorruptFileError, id="empty"),
    pytest.param(b" \n\t", CorruptFileError, id="blank"),
    pytest.param(b'{"tags": {"1": {"name": "x"}}', CorruptFileError, id="truncated"),
    pytest.param(b"[]", CorruptFileError, id="list"),
    pytest.param(b'[{"tags": {}}]', CorruptFileError, id="list-of-tables"),
    pytest.param(b'"text"', CorruptFileError, id="string"),
    pytest.param(b'{"tags": []}', CorruptFileError, id="table-is-list"),
    pytest.param(b'{"meta": {"1": 5}}', CorruptFileError, id="record-is-number"),
    pytest.param(b'{"tags": {"1": "x"}}', CorruptFileError, id="record-is-string"),
    pytest.param(
        b'{"meta": {"1": {"key": "schema", "value": "one"}}}', CorruptFileError, id="bad-version"
    ),
    pytest.param(b'{"meta": {"1": {"key": "schema", "value": 99}}}', StoreError, id="newer-schema"),
]


def open_message(ws: Workspace, expected: type[StoreError]) -> str:
    with pytest.raises(expected) as caught:
        AnnotationStore(ws)
    return str(caught.value)


@pytest.mark.parametrize(("content", "expected"), CORRUPT_DATABASES)
def test_corrupt_workspace_db_is_refused_and_left_untouched(
    ws: Workspace, content: bytes, expected: type[StoreError]
) -> None:
    ws.ensure()
    ws.workspace_db.write_bytes(content)
    message = open_message(ws, expected)
    assert str(ws.workspace_db) in message
    assert "\n" not in message
    assert ws.workspace_db.read_bytes() == content
    # Trying again changes nothing either: the file waits for a person.
    open_message(ws, expected)
    assert ws.workspace_db.read_bytes() == content


def test_newer_schema_says_so(ws: Workspace) -> None:
    ws.ensure()
    ws.workspace_db.write_text(
        json.dumps({"meta": {"1": {"key": "schema", "value": SCHEMA_VERSION + 1}}})
    )
    assert "newer" in open_message(ws, StoreError)


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"",
        b"[1, 2]",
        b'{"highlights": {"1": "x"}}',
        b'{"highlights": {"1": {"id": "a"}}}',
        b'{"highlights": {"1": {"id": "a", "article_id": "x", "start": 0, "end": 1}}}',
    ],
)
def test_corrupt_highlights_file_is_refused_and_left_untouched(
    store: AnnotationStore, article: Article, content: bytes
) -> None:
    path = store.workspace.highlights_db(article.id)
    path.write_bytes(content)
    with pytest.raises(StoreError) as caught:
        store.highlights(article.id)
    assert str(path) in str(caught.value)
    with pytest.raises(StoreError):
        store.add_highlight(article.id, 0, 8, tags=["t"])
    with pytest.raises(StoreError):
        list(store.all_highlights())
    assert path.read_bytes() == content
    assert store.tags() == []


def test_migration_from_unversioned_workspace_keeps_data(ws: Workspace) -> None:
    ws.ensure()
    old = {
        "tags": {"1": {"name": "strike", "color": "#112233", "description": "pickets"}},
        "state": {
            "1": {
                "article_id": "a",
                "position": 42,
                "read": True,
                "last_opened": "2024-01-02T03:04:05Z",
            }
        },
    }
    ws.workspace_db.write_text(json.dumps(old))
    store = AnnotationStore(ws)
    raw = json.loads(ws.workspace_db.read_text())
    assert list(raw["meta"].values()) == [{"key": "schema", "value": SCHEMA_VERSION}]
    # The records are kept as they were (their keys are now drawn from their names).
    for table in ("tags", "state"):
        assert list(raw[table].values()) == list(old[table].values())
    (tag,) = store.tags()
    assert (tag.name, tag.color, tag.description) == ("strike", "#112233", "pickets")
    state = store.state("a")
    assert (state.position, state.read, state.last_opened) == (42, True, "2024-01-02T03:04:05Z")
    before = ws.workspace_db.read_bytes()
    AnnotationStore(ws)  # already current: opening again writes nothing
    assert ws.workspace_db.read_bytes() == before


def test_new_workspace_gets_current_schema(ws: Workspace) -> None:
    assert not ws.workspace_db.exists()
    AnnotationStore(ws)
    raw = json.loads(ws.workspace_db.read_text())
    assert list(raw["meta"].values()) == [{"key": "schema", "value": SCHEMA_VERSION}]


# -- the workspace lock ------------------------------------------------------------------------


def release(child: subprocess.Popen[str]) -> None:
    assert child.stdin is not None
    child.stdin.close()
    assert child.wait(timeout=10) == 0


def test_locked_workspace_refuses_writes_with_holder_pid(
    ws: Workspace, article: Article, request: pytest.FixtureRequest
) -> None:
    store = AnnotationStore(ws, lock_timeout=0.3)
    before = ws.workspace_db.read_bytes()
    child: subprocess.Popen[str] = request.getfixturevalue("lock_holder")
    began = time.monotonic()
    with pytest.raises(WorkspaceLocked) as caught:
        store.add_highlight(article.id, 0, 8, tags=["strike"])
    waited = time.monotonic() - began
    assert f"pid {child.pid}" in str(caught.value)
    assert str(ws.root) in str(caught.value)
    assert 0.3 <= waited < 5
    with pytest.raises(WorkspaceLocked):
        store.mark_opened(article.id)
    assert ws.workspace_db.read_bytes() == before
    assert not ws.highlights_db(article.id).exists()
    release(child)
    added = store.add_highlight(article.id, 0, 8, tags=["strike"])
    assert AnnotationStore(ws).highlights(article.id) == [added]
    assert ws.lock_file.read_text() == str(os.getpid())


def test_opening_a_locked_workspace_times_out(
    ws: Workspace, request: pytest.FixtureRequest
) -> None:
    child: subprocess.Popen[str] = request.getfixturevalue("lock_holder")
    with pytest.raises(WorkspaceLocked, match=str(child.pid)):
        AnnotationStore(ws, lock_timeout=0.1)
    release(child)
    AnnotationStore(ws, lock_timeout=0.1)


def test_lock_is_reentrant_and_released(tmp_path: Path) -> None:
    path = tmp_path / "annotations" / ".lock"
    lock = WorkspaceLock(path, timeout=0.1)
    with lock, lock:
        other = WorkspaceLock(path, timeout=0.05)
        with pytest.raises(WorkspaceLocked):
            other.acquire()
    with WorkspaceLock(path, timeout=0.05):
        pass  # free again once the outer block is left


def test_the_lock_waits_five_seconds_unless_told_otherwise(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = AnnotationStore(ws)
    assert DEFAULT_TIMEOUT == 5.0
    assert store.lock.wait_limit() == Library(ws).lock.wait_limit() == 5.0
    monkeypatch.setenv(TIMEOUT_ENV_VAR, " 0.25 ")
    assert store.lock.wait_limit() == Library(ws).lock.wait_limit() == 0.25
    assert AnnotationStore(ws, lock_timeout=2).lock.wait_limit() == 2  # a caller's own wins
    monkeypatch.setenv(TIMEOUT_ENV_VAR, "")
    assert store.lock.wait_limit() == 5.0


def test_READER_LOCK_TIMEOUT_sets_how_long_a_writer_waits(
    ws: Workspace, article: Article, monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest
) -> None:
    store = AnnotationStore(ws)
    monkeypatch.setenv(TIMEOUT_ENV_VAR, "0.3")
    child: subprocess.Popen[str] = request.getfixturevalue("lock_holder")
    began = time.monotonic()
    with pytest.raises(WorkspaceLocked) as caught:
        store.add_highlight(article.id, 0, 8)
    assert time.monotonic() - began >= 0.3
    assert f"locked by pid {child.pid} for over 0.3 s" in str(caught.value)
    # The library on its own (importing articles) waits the same.
    with pytest.raises(WorkspaceBusy, match=r"for over 0\.3 s"):
        Library(ws).add(Article(id="other", title="Other", body="Text.\n"))
    release(child)
    assert store.add_highlight(article.id, 0, 8).article_id == article.id


@pytest.mark.parametrize("value", ["soon", "-1", "nan", "inf", "5s"])
def test_a_bad_READER_LOCK_TIMEOUT_is_a_one_line_store_error(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, value: str
) -> None:
    monkeypatch.setenv(TIMEOUT_ENV_VAR, value)
    with pytest.raises(LockFileError) as caught:
        AnnotationStore(ws)
    assert isinstance(caught.value, StoreError)
    assert str(caught.value) == (
        f"{ws.lock_file}: {TIMEOUT_ENV_VAR}={value!r}: not a number of seconds (0 or more)"
    )
    monkeypatch.delenv(TIMEOUT_ENV_VAR)
    AnnotationStore(ws).close()  # nothing held: the next open works


def test_state_or_tag_record_missing_fields_is_corruption(ws: Workspace) -> None:
    AnnotationStore(ws).close()
    path = ws.workspace_db
    data = json.loads(path.read_text())
    data["state"] = {"1": {"position": 3}}
    data["tags"] = {"1": {"color": "#ffffff"}}
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    # The records are checked when the store opens (and on every later read).
    with pytest.raises(CorruptFileError, match="tags record 1: no name"):
        AnnotationStore(ws)
    data["tags"] = {}
    path.write_text(json.dumps(data))
    with pytest.raises(CorruptFileError, match="state record 1: article_id is null"):
        AnnotationStore(ws)
    path.write_bytes(before)
    with pytest.raises(CorruptFileError):
        AnnotationStore(ws)
    assert path.read_bytes() == before


def test_failed_range_update_creates_no_tags(store: AnnotationStore, article: Article) -> None:
    made = store.add_highlight(article.id, 0, 5)
    with pytest.raises(HighlightError):
        store.update_highlight(article.id, made.id, tags=["brand-new"], start=0, end=10**6)
    assert [t.name for t in store.tags()] == []
    assert store.get_highlight(article.id, made.id).tags == []
