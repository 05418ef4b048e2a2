"""Undo and redo history (annotations/history.py) against real stores: the stacks, each kind of
entry undone and redone, the file that keeps the last changes across a restart and between
processes, a stale undo refused, and a corrupt file left alone. The keys that use it (``u``,
``U`` and ``ctrl+y`` on the main screen and in the tag manager) are tested through the app in
test_app.py, test_search_app.py, test_codebook_ui.py and below."""

from __future__ import annotations

import dataclasses
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import orjson
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from annotations import history as history_module
from annotations.doctor import check
from annotations.history import (
    LIMIT,
    ArticleDeletion,
    HighlightEdit,
    History,
    HistoryConflict,
    HistoryUnavailable,
    delete_highlights,
    undo,
)
from annotations.model import Highlight
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.textual_private import notifications_shown
from tests.waits import settle


def state(store: AnnotationStore, article_id: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """Everything a change can touch: the article's highlight records and the codebook."""
    return (
        [h.to_dict() for h in store.highlights(article_id, check=False)],
        [t.to_dict() for t in store.tags()],
    )


def used_state(store: AnnotationStore, article_id: str) -> tuple[list[dict[str, Any]], list[Any]]:
    """:func:`state` with only the tags some highlight carries: a tag a highlight edit made on
    the fly stays in the codebook, unused, after that edit is undone (as it always has), and
    a rename can take away a tag that such an edit then makes again."""
    highlights, tags = state(store, article_id)
    used = {name for h in highlights for name in h["tags"]}
    return highlights, [t for t in tags if t["name"] in used]


def added(store: AnnotationStore, history: History, article_id: str, start: int, end: int,
          **kw: Any) -> Highlight:  # fmt: skip
    made = store.add_highlight(article_id, start, end, **kw)
    assert history.push(HighlightEdit(article_id, made.id, None, "highlight")) is None
    return made


# -- the stacks ---------------------------------------------------------------------------------
def test_an_empty_history_has_nothing_to_undo_or_redo(store: AnnotationStore) -> None:
    history = History(store)
    assert len(history) == 0 and history.redo_count == 0
    assert history.undo() is None and history.redo() is None
    assert history.undo_label is None and history.redo_label is None
    assert not store.workspace.history_file.exists()  # looking writes nothing


def test_undo_then_redo_a_highlight_edit_and_a_delete(
    store: AnnotationStore, article: Article
) -> None:
    history = History(store)
    made = added(store, history, article.id, 0, 8, note="first")
    edited = store.update_highlight(article.id, made.id, note="second", tags=["pay"])
    history.push(HighlightEdit(article.id, made.id, made, "note"))
    store.delete_highlight(article.id, made.id)
    history.push(HighlightEdit(article.id, made.id, edited, "delete"))
    assert history.undo_label == "delete" and len(history) == 3

    step = history.undo()
    assert step is not None and step.label == "delete"
    assert store.highlights(article.id) == [edited]
    assert history.redo_label == "delete" and len(history) == 2
    assert history.undo() is not None
    assert store.highlights(article.id) == [made]

    step = history.redo()  # the note again, exactly as it was saved
    assert step is not None and step.label == "note"
    assert store.highlights(article.id) == [edited]
    assert history.redo() is not None
    assert store.highlights(article.id) == []
    assert history.redo() is None and len(history) == 3


def test_an_article_deletion_is_undone_and_redone_across_a_reopen(
    ws: Workspace, article: Article
) -> None:
    from annotations.trash import delete_articles

    with AnnotationStore(ws) as store:
        made = store.add_highlight(article.id, 0, 8, tags=["pay"])
        delete_articles(store, [article.id])
        History(store).push(ArticleDeletion(article.id, article.title))
        assert article.id not in store.library
    with AnnotationStore(ws) as store:  # a restart: the history is in the workspace
        history = History(store)
        assert history.undo_label == f"delete article {article.id}"
        history.undo()
        assert article.id in store.library and store.highlights(article.id) == [made]
        history.redo()
        assert article.id not in store.library
        history.undo()
        assert store.highlights(article.id) == [made]
        # Deleted again by another window: the redo would find nothing to delete, and says so.
        delete_articles(store, [article.id])
        with pytest.raises(HistoryConflict, match=f"article '{article.id}' changed since"):
            history.redo()


def test_a_new_change_clears_what_redo_would_make_again(
    store: AnnotationStore, article: Article
) -> None:
    history = History(store)
    added(store, history, article.id, 0, 8)
    history.undo()
    assert history.redo_count == 1
    added(store, history, article.id, 10, 20)
    assert history.redo_count == 0 and history.redo() is None
    assert len(store.highlights(article.id)) == 1


def test_a_tag_change_is_undone_and_redone(store: AnnotationStore, article: Article) -> None:
    store.add_highlight(article.id, 0, 8, tags=["pay"])
    start = state(store, article.id)
    history = History(store)
    history.push(store.rename_tag("pay", "salary"))
    renamed = state(store, article.id)
    assert history.undo_label == "renamed #pay to #salary"

    history.undo()
    assert state(store, article.id) == start
    history.redo()
    assert state(store, article.id) == renamed
    assert [h.tags for h in store.highlights(article.id)] == [["salary"]]
    assert "pay" not in {t.name for t in store.tags()}


def test_undo_on_its_own_puts_an_entry_back(store: AnnotationStore, article: Article) -> None:
    """The dispatch the history applies steps with (and the codebook's undo before it)."""
    made = store.add_highlight(article.id, 0, 8, tags=["pay"], note="first")
    store.update_highlight(article.id, made.id, note="second", tags=[])
    assert undo(store, HighlightEdit(article.id, made.id, made, "note")).label == "note"
    assert store.highlights(article.id) == [made]
    undo(store, HighlightEdit(article.id, made.id, None, "highlight"))
    assert store.highlights(article.id) == []
    undo(store, HighlightEdit(article.id, made.id, None, "highlight"))  # gone already: fine


def test_entries_are_plain_data() -> None:
    before = Highlight("h1", "a", 0, 4, "Some", tags=["pay"], note="n")
    edit = HighlightEdit("a", before.id, before, "note")
    fields = dataclasses.asdict(edit)
    assert fields["before"]["quote"] == "Some" and fields["label"] == "note"
    assert orjson.loads(orjson.dumps(fields)) == fields
    assert history_module.entry_from_json(history_module.entry_to_json(edit)) == edit


# -- any sequence of edits ----------------------------------------------------------------------
SPANS = [(0, 8), (10, 20), (25, 40), (0, 20)]
POOL = ["pay", "AI", "law"]
EDITS = st.lists(
    st.tuples(
        st.sampled_from(["add", "note", "tag", "delete", "rename"]),
        st.integers(0, len(SPANS) - 1),
    ),
    min_size=1,
    max_size=7,
)


# Each example writes some 40 files with fsync (0.4 s): a few in `make test`, many in `make check`.
EXAMPLES = 100 if os.environ.get("READER_HYPOTHESIS_PROFILE") == "explore" else 10


@settings(max_examples=EXAMPLES)
@given(EDITS)
def test_undo_all_then_redo_all_gives_the_states_in_order(
    tmp_path_factory: pytest.TempPathFactory, edits: list[tuple[str, int]]
) -> None:
    ws = Workspace(tmp_path_factory.mktemp("history") / "ws")
    Library(ws).save(Article(id="one", title="One", body="Alpha beta gamma delta. " * 4))
    store = AnnotationStore(ws)
    for name in POOL:  # a tag a highlight edit makes on the fly stays after undo (as it did)
        store.ensure_tag(name)
    history = History(store)
    states = [used_state(store, "one")]
    for n, (kind, i) in enumerate(edits):
        current = store.highlights("one", check=False)
        target = current[i % len(current)] if current else None
        try:
            if kind == "add" or target is None:
                made = store.add_highlight("one", *SPANS[i], tags=["pay"] if i % 2 else [])
                history.push(HighlightEdit("one", made.id, None, "highlight"))
            elif kind == "delete":
                store.delete_highlight("one", target.id)
                history.push(HighlightEdit("one", target.id, target, "delete"))
            elif kind == "rename":
                history.push(store.rename_tag(target.tags[0] if target.tags else "x", f"t{n}"))
            else:
                changes: dict[str, Any] = (
                    {"note": f"note {n}"} if kind == "note" else {"tags": [POOL[n % 3], "pay"]}
                )
                store.update_highlight("one", target.id, **changes)
                history.push(HighlightEdit("one", target.id, target, kind))
        except StoreError:
            continue  # refused (a duplicate, no such tag): nothing changed, nothing kept
        states.append(used_state(store, "one"))
    assert len(history) == len(states) - 1
    for expected in reversed(states[:-1]):
        assert history.undo() is not None
        assert used_state(store, "one") == expected
    assert history.undo() is None
    for expected in states[1:]:
        assert history.redo() is not None
        assert used_state(store, "one") == expected
    assert history.redo() is None


# -- kept in the workspace ----------------------------------------------------------------------
def test_the_history_survives_a_reopen(ws: Workspace, article: Article) -> None:
    first = AnnotationStore(ws)
    made = added(first, History(first), article.id, 0, 8)
    first.close()

    again = AnnotationStore(ws)
    history = History(again)
    assert history.undo_label == "highlight"
    history.undo()
    assert again.highlights(article.id) == []
    reopened = History(AnnotationStore(ws))
    assert reopened.redo_label == "highlight"
    reopened.redo()
    assert again.highlights(article.id) == [made]
    saved = orjson.loads(ws.history_file.read_bytes())
    assert saved["version"] == 1 and len(saved["undo"]) == 1 and saved["redo"] == []
    assert saved["undo"][0]["entry"]["kind"] == "highlight_edit"


def test_only_the_last_changes_are_kept(
    store: AnnotationStore, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert LIMIT == 100
    monkeypatch.setattr(history_module, "LIMIT", 4)  # the same code, four writes, not a hundred
    history = History(store)
    made = store.add_highlight(article.id, 0, 8)
    for n in range(6):
        before = store.get_highlight(article.id, made.id)
        store.update_highlight(article.id, made.id, note=f"note {n}")
        history.push(HighlightEdit(article.id, made.id, before, f"note {n}"))
    assert len(history) == 4
    assert len(orjson.loads(store.workspace.history_file.read_bytes())["undo"]) == 4
    assert history.undo_label == "note 5"
    for _ in range(4):
        history.undo()
    assert history.undo() is None and store.get_highlight(article.id, made.id).note == "note 1"


def test_a_large_step_is_kept_in_a_file_of_its_own(
    store: AnnotationStore, article: Article, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A rename on thousands of highlights is written once, not again with every later change
    (the same code path, with a threshold a rename of three highlights passes)."""
    monkeypatch.setattr(history_module, "SIDE", 2000)
    for start in (0, 10, 25):
        store.add_highlight(article.id, start, start + 5, tags=["pay"])
    history = History(store)
    history.push(store.rename_tag("pay", "salary"))
    renamed = state(store, article.id)
    (side,) = store.workspace.history_dir.iterdir()
    index = orjson.loads(store.workspace.history_file.read_bytes())
    assert index["undo"] == [
        {"kind": "tag_change", "label": "renamed #pay to #salary", "file": side.name}
    ]
    added(store, history, article.id, 44, 50)  # a small step: in history.json itself
    assert "entry" in orjson.loads(store.workspace.history_file.read_bytes())["undo"][1]
    assert list(store.workspace.history_dir.iterdir()) == [side]

    history.undo()
    pending = history.next()
    assert pending is not None and pending.many_files
    history.undo()
    assert {t.name for t in store.tags()} == {"pay"}
    history.redo()
    assert state(store, article.id) == renamed
    history.undo()
    added(store, history, article.id, 60, 66)  # redo is forgotten, and its file with it
    assert history.redo_count == 0
    assert list(store.workspace.history_dir.iterdir()) == []

    history.push(store.rename_tag("pay", "wage"))
    (side,) = store.workspace.history_dir.iterdir()
    side.unlink()  # a person tidied the folder
    with pytest.raises(StoreError, match="undo goes on with the one before it") as refused:
        history.undo()
    assert str(side) in str(refused.value) and "\n" not in str(refused.value)
    assert {t.name for t in store.tags()} == {"wage"} and history.undo_label == "highlight"


def test_a_highlight_changed_since_is_not_undone_and_the_step_is_dropped(
    store: AnnotationStore, article: Article
) -> None:
    history = History(store)
    first = added(store, history, article.id, 0, 8)
    made = store.add_highlight(article.id, 10, 20)
    history.push(HighlightEdit(article.id, made.id, None, "highlight"))
    # Another process edits it without the history (a command that keeps none).
    AnnotationStore(store.workspace).update_highlight(article.id, made.id, note="theirs")
    before = state(store, article.id)
    with pytest.raises(HistoryConflict) as refused:
        history.undo()
    message = str(refused.value)
    assert "\n" not in message and made.id in message and "nothing changed" in message
    assert "undo goes on with the one before it" in message
    assert state(store, article.id) == before  # their note stays
    assert history.undo_label == "highlight" and len(history) == 1
    history.undo()  # the one before it
    assert [h.id for h in store.highlights(article.id)] == [made.id]
    assert first.id not in {h.id for h in store.highlights(article.id)}


def test_a_corrupt_history_is_left_alone_and_blocks_nothing(
    store: AnnotationStore, article: Article
) -> None:
    path = store.workspace.history_file
    path.write_bytes(b'{"version": 1, "undo": [')
    history = History(store)
    made = store.add_highlight(article.id, 0, 8)  # the change itself is saved
    problem = history.push(HighlightEdit(article.id, made.id, None, "highlight"))
    assert problem is not None and str(path) in problem and "\n" not in problem
    assert path.read_bytes() == b'{"version": 1, "undo": ['  # never overwritten
    with pytest.raises(HistoryUnavailable, match="undo is unavailable"):
        history.undo()
    assert history.undo_label is None and len(history) == 0
    assert store.highlights(article.id) == [made]
    assert [f.kind for f in check(store.workspace).findings] == ["history"]
    path.write_bytes(b'{"version": 7, "undo": [], "redo": []}')  # a newer reader's
    assert "version 7" in (history.problem() or "")


# -- the command line ---------------------------------------------------------------------------
def run(ws: Workspace, *args: str) -> Any:
    return CliRunner().invoke(main, ["--workspace", str(ws.root), *args])


def test_delete_highlights_by_id_keeps_each_in_the_history(
    store: AnnotationStore, article: Article
) -> None:
    one = store.add_highlight(article.id, 0, 8)
    two = store.add_highlight(article.id, 10, 20)
    result = delete_highlights(store, [one.id, two.id])
    assert [h.id for h in result.highlights] == [one.id, two.id] and result.not_recorded is None
    assert store.highlights(article.id) == []
    history = History(store)
    assert len(history) == 2 and history.undo_label == "delete"
    history.undo()
    assert store.highlights(article.id) == [two]


def test_highlights_delete_on_the_command_line(store: AnnotationStore, article: Article) -> None:
    one = store.add_highlight(article.id, 0, 8)
    two = store.add_highlight(article.id, 10, 20)
    refused = run(store.workspace, "highlights", "delete", one.id, "no-such-id")
    assert refused.exit_code == 1
    assert refused.output == "Error: no highlight 'no-such-id' in the workspace; nothing deleted\n"
    assert len(store.highlights(article.id)) == 2 and len(History(store)) == 0

    result = run(store.workspace, "highlights", "delete", one.id, two.id)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].startswith(f"deleted {one.id} in {article.id}: “")
    assert lines[-1] == "2 highlights deleted; u in the app brings them back one by one."
    assert store.highlights(article.id) == [] and len(History(store)) == 2

    bad = run(store.workspace, "highlights", "delete", "\x1b[2J")
    assert bad.exit_code == 1 and len(bad.output.splitlines()) == 1


def test_highlights_delete_with_a_corrupt_history_deletes_and_warns(
    store: AnnotationStore, article: Article
) -> None:
    one = store.add_highlight(article.id, 0, 8)
    store.workspace.history_file.write_bytes(b"[]")
    result = CliRunner().invoke(
        main, ["highlights", "delete", "--workspace", str(store.workspace.root), one.id, "--json"]
    )
    assert result.exit_code == 0
    assert orjson.loads(result.stdout.splitlines()[0])["id"] == one.id
    assert result.stderr.startswith("Warning: not kept in the undo history: ")
    assert store.highlights(article.id) == []
    assert store.workspace.history_file.read_bytes() == b"[]"


async def test_a_delete_on_the_command_line_is_undone_and_redone_in_the_app(
    tmp_path: Path, sample_ws: Workspace
) -> None:
    store = AnnotationStore(sample_ws)
    article_id = "netflix-ai-job-picket-line"
    made = store.add_highlight(article_id, 0, 8, note="kept")
    app = ReaderApp(store, article_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Another process, while the app is open.
        subprocess.run(
            [sys.executable, "-c", "from reader.startup import main; main()",
             "-w", str(sample_ws.root), "highlights", "delete", made.id],
            check=True, capture_output=True, cwd=tmp_path,
        )  # fmt: skip
        assert store.highlights(article_id) == []
        await pilot.press("u")
        await settle(pilot)
        assert store.highlights(article_id) == [made]
        await pilot.press("U")  # redo: deleted again
        await settle(pilot)
        assert store.highlights(article_id) == []
        messages = [n.message for n in notifications_shown(app)]
        assert "Undid delete." in messages and "Redid delete." in messages
        await pilot.press("ctrl+y")
        await settle(pilot)
        assert "Nothing to redo." in [n.message for n in notifications_shown(app)]
