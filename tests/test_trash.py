"""The trash (annotations/trash.py): a deleted article leaves the workspace whole, with its
highlights and state, and comes back byte for byte; a kill at any step loses nothing."""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable
from pathlib import Path
from types import FrameType
from typing import Any

import pytest

from annotations.formats.export import export
from annotations.search import search_articles
from annotations.stats import per_tag
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from annotations.trash import delete_articles, restore_articles, trashed
from corpus.article import Article
from corpus.search import SearchIndex
from corpus.workspace import Workspace


def _annotate(store: AnnotationStore, article: Article) -> None:
    text = store.library.display(article.id).text
    start = text.index("picket line")
    store.add_highlight(article.id, start, start + len("picket line"), tags=["strike"], note="n")
    start = text.index("87 percent")
    store.add_highlight(article.id, start, start + len("87 percent"), tags=["pay"])
    store.set_memo(article.id, "two lines\nof memo")
    store.mark_opened(article.id, position=40)


def _files(ws: Workspace, article_id: str) -> tuple[bytes, bytes]:
    return ws.article_file(article_id).read_bytes(), ws.highlights_db(article_id).read_bytes()


def test_delete_then_restore_gives_the_same_files_highlights_and_state(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    _annotate(store, article)
    before_files = _files(ws, article.id)
    before = store.highlights(article.id)
    state = store.state(article.id)

    result = delete_articles(store, [article.id])

    assert result.lines() == [f"deleted {article.id} (2 highlights): A Strike Over Faces"]
    assert not ws.article_file(article.id).exists()
    assert not ws.highlights_db(article.id).exists()
    assert article.id not in store.states()
    [entry] = trashed(store)
    assert (entry.article_id, entry.highlights) == (article.id, 2)
    assert sorted(p.name for p in entry.folder.iterdir()) == [
        f"{article.id}.json",
        f"{article.id}.md",
        "state.json",
    ]
    assert json.loads((entry.folder / "state.json").read_text())["memo"] == "two lines\nof memo"

    restored = restore_articles(store, [article.id])

    assert restored.lines() == [f"restored {article.id} (2 highlights): A Strike Over Faces"]
    assert _files(ws, article.id) == before_files
    assert store.highlights(article.id) == before
    assert store.state(article.id) == state
    assert trashed(store) == []
    assert os.listdir(ws.trash_dir) == []


def test_a_trashed_articles_highlights_are_nowhere_until_restored(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    _annotate(store, article)
    index = SearchIndex(store.library)
    assert search_articles(index, "picket").total == (1, 1)

    delete_articles(store, [article.id])

    assert list(store.all_highlights()) == []
    assert store.highlight_counts() == {}
    assert per_tag(store) == {"pay": 0, "strike": 0}  # the codebook keeps its tags
    assert export(store, None, "json").count == 0
    assert search_articles(index, "picket").total == (0, 0)

    restore_articles(store, [article.id])

    assert search_articles(index, "picket").total == (1, 1)
    assert export(store, None, "json").count == 2
    assert per_tag(store) == {"pay": 1, "strike": 1}


def test_restore_brings_back_the_newest_and_refuses_an_id_in_use(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    delete_articles(store, [article.id])
    store.library.save(article)  # the same id taken again (an import of the same file)
    store.add_highlight(article.id, 0, 8)
    delete_articles(store, [article.id])
    assert [(e.article_id, e.highlights) for e in trashed(store)] == [
        (article.id, 1),
        (article.id, 0),
    ]
    store.library.save(article)

    refused = restore_articles(store, [article.id, "nothing-here"])

    assert refused.done == []
    assert refused.problems == [
        f"{article.id}: an article with this id exists again; delete it first "
        f"(reader delete {article.id}), then restore",
        "'nothing-here' is not in the trash",
    ]
    store.library.remove(article.id)
    restore_articles(store, [article.id])
    assert store.highlight_count(article.id) == 1  # the newest copy
    assert [e.highlights for e in trashed(store)] == [0]


def test_deleting_an_unknown_id_names_it_and_deletes_the_others(
    store: AnnotationStore, article: Article
) -> None:
    result = delete_articles(store, ["no-such", article.id])
    assert result.problems == ["no article with id 'no-such'"]
    assert [d.article_id for d in result.done] == [article.id]


# -- killed mid-way ---------------------------------------------------------------------------
def _killed_after(root: Path, calls: int, action: Callable[[AnnotationStore], Any]) -> bool:
    """Run ``action`` in a forked child killed (``os._exit``, no clean-up) at its ``calls``-th
    function call; whether it got that far (False: it finished first)."""
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        os.close(read)
        code = 0
        try:
            store = AnnotationStore(Workspace(root))
            seen = 0

            def count(frame: FrameType, event: str, arg: object) -> None:
                nonlocal seen
                seen += 1
                if seen >= calls:
                    os.write(write, b"k")
                    os._exit(9)

            sys.setprofile(count)
            action(store)
            sys.setprofile(None)
        except BaseException:
            code = 1
        os._exit(code)
    os.close(write)
    killed = os.read(read, 1) == b"k"
    os.close(read)
    _, status = os.waitpid(pid, 0)
    assert killed or os.waitstatus_to_exitcode(status) == 0
    return killed


def _calls(store: AnnotationStore, action: Callable[[AnnotationStore], Any]) -> int:
    seen = 0

    def count(frame: FrameType, event: str, arg: object) -> None:
        nonlocal seen
        seen += 1

    sys.setprofile(count)
    try:
        action(store)
    finally:
        sys.setprofile(None)
    return seen


@pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork")
def test_a_kill_at_any_step_of_a_delete_or_a_restore_loses_nothing(
    store: AnnotationStore, ws: Workspace, article: Article, tmp_path: Path
) -> None:
    _annotate(store, article)
    original = _files(ws, article.id)
    highlights = store.highlights(article.id)

    def delete(s: AnnotationStore) -> Any:
        return delete_articles(s, [article.id])

    def restore(s: AnnotationStore) -> Any:
        return restore_articles(s, [article.id])

    def whole() -> str:
        """The article is whole in the workspace, or whole in the trash (then restored):
        which of the two."""
        fresh = AnnotationStore(ws)
        where = "workspace"
        if not ws.article_file(article.id).exists():
            assert [e.article_id for e in trashed(fresh)][:1] == [article.id]
            restore_articles(fresh, [article.id])
            where = "trash"
        assert _files(ws, article.id) == original
        assert fresh.highlights(article.id) == highlights
        assert fresh.state(article.id).memo == "two lines\nof memo"
        return where

    # Measured on a copy-free run: how many calls each takes, then kills spread over them.
    total_delete = _calls(store, delete)
    total_restore = _calls(store, restore)
    seen: dict[str, int] = {}
    for total, action, prepare in ((total_delete, delete, None), (total_restore, restore, delete)):
        for point in range(1, total, max(1, total // 50)):
            if prepare is not None:
                prepare(store)
            if _killed_after(ws.root, point, action):
                where = whole()
                seen[where] = seen.get(where, 0) + 1
    # Kills left the article in each place, so both halves of each operation were cut.
    assert seen["workspace"] >= 10 and seen["trash"] >= 10, seen


def test_a_hand_edited_state_is_refused_and_nothing_restored(
    store: AnnotationStore, ws: Workspace, article: Article
) -> None:
    [entry] = delete_articles(store, [article.id]).done
    (entry.folder / "state.json").write_text('{"read": "yes"}')
    with pytest.raises(StoreError, match=r"state\.json: .*read is"):
        restore_articles(store, [article.id])
    assert not ws.article_file(article.id).exists()
    assert [e.article_id for e in trashed(store)] == [article.id]
    assert store.states() == {}
