"""Undo history (annotations/history.py): the stack itself, pure, and each kind of entry undone
against a real store. The keys that use it (``u`` on the main screen and in the tag manager)
are tested through the app in test_app.py, test_search_app.py and test_codebook_ui.py."""

from __future__ import annotations

import dataclasses

import orjson

from annotations.codebook import TagChange
from annotations.history import HighlightEdit, History, undo
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.article import Article


def _edit(label: str) -> HighlightEdit:
    return HighlightEdit("a", f"h-{label}", None, label)


def test_an_empty_history_has_nothing_to_undo() -> None:
    history = History()
    assert len(history) == 0
    assert history.peek() is None and history.pop() is None
    assert history.undo_label is None


def test_the_newest_change_is_undone_first() -> None:
    history = History()
    first, second = _edit("highlight"), TagChange("coded 3 passages with #pay")
    history.push(first)
    history.push(second)
    assert history.undo_label == "coded 3 passages with #pay"
    assert history.peek() is second and len(history) == 2  # peeking takes nothing off
    assert history.pop() is second
    assert history.undo_label == "highlight"
    assert history.pop() is first
    assert history.pop() is None


def test_an_undo_that_failed_is_put_back_as_the_next_undo() -> None:
    history = History()
    history.push(_edit("highlight"))
    failed = history.pop()
    assert failed is not None
    history.push(_edit("note"))  # made while the undo ran (a bulk undo runs in a thread)
    history.put_back(failed)
    assert [entry.label for entry in history] == ["note", "highlight"]
    assert history.pop() is failed


def test_entries_are_plain_data() -> None:
    """What a later redo or saved history builds on: an entry is its fields, nothing more."""
    before = Highlight("h1", "a", 0, 4, "Some", tags=["pay"], note="n")
    edit = HighlightEdit("a", before.id, before, "note")
    fields = dataclasses.asdict(edit)
    assert fields["before"]["quote"] == "Some" and fields["label"] == "note"
    assert orjson.loads(orjson.dumps(fields)) == fields
    assert dataclasses.replace(edit) == edit


def test_undoing_an_addition_deletes_the_highlight(
    store: AnnotationStore, article: Article
) -> None:
    added = store.add_highlight(article.id, 0, 8)
    assert undo(store, HighlightEdit(article.id, added.id, None, "highlight")).label == "highlight"
    assert store.highlights(article.id) == []


def test_undoing_an_edit_or_a_delete_restores_the_highlight_as_it_was(
    store: AnnotationStore, article: Article
) -> None:
    added = store.add_highlight(article.id, 0, 8, tags=["pay"], note="first")
    store.update_highlight(article.id, added.id, note="second", tags=[])
    undo(store, HighlightEdit(article.id, added.id, added, "note"))
    (restored,) = store.highlights(article.id)
    assert (restored.note, restored.tags) == ("first", ["pay"])

    removed = store.delete_highlight(article.id, added.id)
    undo(store, HighlightEdit(article.id, added.id, removed, "delete"))
    assert [h.id for h in store.highlights(article.id)] == [added.id]


def test_undoing_a_tag_change_puts_the_codebook_back(
    store: AnnotationStore, article: Article
) -> None:
    store.add_highlight(article.id, 0, 8, tags=["pay"])
    change = store.rename_tag("pay", "salary")
    history = History()
    history.push(change)
    entry = history.pop()
    assert entry is change
    undo(store, entry)
    assert [h.tags for h in store.highlights(article.id)] == [["pay"]]
    assert "salary" not in {t.name for t in store.tags()}
