"""annotations/watch.py: what another process changed in a workspace (U20, live refresh).

Each test changes real files the way the store, the command line or another program does, and
checks that the change detector names exactly those files.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from annotations import watch
from annotations.store import AnnotationStore
from annotations.watch import Changes, Watcher, changes, snapshot
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace


def test_nothing_changed_is_false(store: AnnotationStore, article: Article) -> None:
    store.add_highlight(article.id, 0, 5)
    before = snapshot(store.workspace)
    assert not changes(before, snapshot(store.workspace))
    assert changes(before, snapshot(store.workspace)) == Changes()


def test_a_new_highlight_names_its_highlights_file_only(
    ws: Workspace, store: AnnotationStore, article: Article
) -> None:
    store.ensure_tag("AI")  # workspace.json exists before the snapshot
    before = snapshot(ws)
    # Another process's store, as `reader annotate` opens one.
    with AnnotationStore(ws) as other:
        other.add_highlight(article.id, 0, 5)
    found = changes(before, snapshot(ws))
    assert found.highlights == {article.id}
    assert not found.articles and not found.workspace_db


def test_a_tag_rename_names_the_codebook_and_the_highlights_it_touched(
    ws: Workspace, store: AnnotationStore, article: Article
) -> None:
    store.add_highlight(article.id, 0, 5, tags=["AI/likeness"])
    before = snapshot(ws)
    with AnnotationStore(ws) as other:
        other.rename_tag("AI/likeness", "AI/likeness-rights")
    found = changes(before, snapshot(ws))
    assert found.workspace_db
    assert found.highlights == {article.id}


def test_articles_added_changed_and_removed(
    ws: Workspace, library: Library, article: Article
) -> None:
    library.save(Article(id="second", title="Second", body="Two words."))
    before = snapshot(ws)
    library.save(Article(id="third", title="Third", body="Three words."))
    library.save(Article(id="second", title="Second", body="Two other words."))
    ws.article_file(article.id).unlink()
    found = changes(before, snapshot(ws))
    assert found.articles == {"second", "third", article.id}
    assert found.added == {"third"}
    assert found.removed == {article.id}
    assert not found.highlights


def test_an_edit_in_place_that_keeps_the_size_is_seen(ws: Workspace, article: Article) -> None:
    path = ws.article_file(article.id)
    before = snapshot(ws)
    text = path.read_text(encoding="utf-8")
    with path.open("r+", encoding="utf-8") as file:  # same inode, same size
        file.write(text.replace("A", "B", 1))
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert changes(before, snapshot(ws)).articles == {article.id}


def test_temporary_and_hidden_files_are_not_changes(ws: Workspace, article: Article) -> None:
    before = snapshot(ws)
    (ws.articles_dir / f".{article.id}.md.123.tmp").write_text("half", encoding="utf-8")
    (ws.articles_dir / "notes.txt").write_text("not an article", encoding="utf-8")
    assert not changes(before, snapshot(ws))


def test_a_missing_workspace_is_an_empty_snapshot(tmp_path: Path) -> None:
    empty = snapshot(Workspace(tmp_path / "nowhere"))
    assert not empty.articles and not empty.highlights and empty.workspace_db is None


def _large(watcher: Watcher) -> Watcher:
    """The watcher as it runs on a large workspace: folders first, whole scans seldom."""
    watcher._full_seconds = 1.0
    return watcher


def test_the_watcher_sees_writes_through_the_folders(
    ws: Workspace, store: AnnotationStore, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "RACY", 0.0)  # the folders' stamps are trusted at once
    watcher = _large(Watcher(ws))
    assert not watcher.look()
    with AnnotationStore(ws) as other:
        other.add_highlight(article.id, 0, 5, tags=["AI"])
    found = watcher.look()
    assert found.highlights == {article.id} and found.workspace_db
    assert not watcher.look()  # seen once
    Library(ws).save(Article(id="second", title="Second", body="Two words."))
    assert watcher.look().added == {"second"}


def test_a_folder_changed_within_the_clock_tick_is_listed_again(
    ws: Workspace, store: AnnotationStore, article: Article
) -> None:
    # Just written: the folder's modification time may not move for a second change in the
    # same tick of the file system's clock, so it is not trusted yet and is listed each time.
    watcher = _large(Watcher(ws))
    store.add_highlight(article.id, 0, 5)
    assert watcher.look().highlights == {article.id}
    store.add_highlight(article.id, 6, 9)
    assert watcher.look().highlights == {article.id}


def test_an_edit_in_place_in_a_large_workspace_shows_at_the_next_whole_scan(
    ws: Workspace, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(watch, "RACY", 0.0)
    watcher = _large(Watcher(ws))
    path = ws.article_file(article.id)
    with path.open("a", encoding="utf-8") as file:  # same inode: the folder does not change
        file.write("\nOne more paragraph.\n")
    assert not watcher.look()
    monkeypatch.setattr(watch, "FULL_SCAN_EVERY", 0.0)
    assert watcher.look().articles == {article.id}
