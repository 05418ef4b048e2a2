"""What the store keeps about an article besides its highlights: memo, archived, progress."""

from __future__ import annotations

import json

import pytest

from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace


def test_memo_archive_and_read_are_kept_across_a_reopen(ws: Workspace, article: Article) -> None:
    with AnnotationStore(ws) as store:
        store.set_memo(article.id, "why this piece matters\n\nsecond paragraph")
        store.set_archived([article.id, "not-opened-yet"], True)
        store.set_read([article.id], True)
    with AnnotationStore(ws) as store:
        state = store.state(article.id)
        assert state.memo == "why this piece matters\n\nsecond paragraph"
        assert state.archived and state.read
        assert store.state("not-opened-yet").archived
        assert not store.state("not-opened-yet").read
        store.set_archived([article.id], False)
        store.set_read([article.id], False)
        assert not store.state(article.id).archived
        assert not store.state(article.id).read
        assert store.state(article.id).memo.startswith("why")  # the other fields stay


def test_the_furthest_point_only_grows(store: AnnotationStore, article: Article) -> None:
    store.mark_opened(article.id, 120)
    store.mark_opened(article.id, 30)
    state = store.state(article.id)
    assert (state.position, state.furthest) == (30, 120)


def test_a_memo_keeps_text_json_can_hold(store: AnnotationStore, article: Article) -> None:
    assert store.set_memo(article.id, "bad \udcff byte").memo == "bad \ufffd byte"


def test_setting_many_states_writes_each_once(store: AnnotationStore, ws: Workspace) -> None:
    ids = [f"article-{n}" for n in range(50)]
    store.set_read(ids[:10], True)
    store.set_archived(ids, True)
    records = json.loads((ws.workspace_db).read_text())["state"].values()
    assert sorted(r["article_id"] for r in records) == sorted(ids)
    assert sum(r["read"] for r in records) == 10 and all(r["archived"] for r in records)


@pytest.mark.parametrize(
    ("field", "value", "words"),
    [
        ("archived", "yes", "archived is str, not true or false"),
        ("furthest", -4, "furthest -4 is not a whole number from 0"),
        ("memo", 12, "the memo is int, not text"),
    ],
)
def test_a_malformed_state_is_refused_not_rewritten(
    ws: Workspace, article: Article, field: str, value: object, words: str
) -> None:
    with AnnotationStore(ws) as store:
        store.set_memo(article.id, "kept")
    path = ws.workspace_db
    data = json.loads(path.read_text())
    next(iter(data["state"].values()))[field] = value
    path.write_text(json.dumps(data))
    before = path.read_bytes()
    with pytest.raises(StoreError, match=words), AnnotationStore(ws) as store:
        store.set_memo(article.id, "lost?")
    assert path.read_bytes() == before
