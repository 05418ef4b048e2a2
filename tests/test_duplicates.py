"""The same passage with the same tags is highlighted once: in the store, by `reader annotate`
and in the app (`a`, `t` and `c` on a selection that already is a highlight)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from annotations.store import AnnotationStore, DuplicateHighlight, HighlightError
from corpus.article import Article
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.note_editor import NoteEditor
from reader.dialogs.tag_picker import TagPicker
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.reading_pane import ReadingPane
from tests.waits import type_text


def _span(store: AnnotationStore, article: Article, quote: str) -> tuple[int, int]:
    start = store.library.display(article.id).text.index(quote)
    return start, start + len(quote)


# -- the store ---------------------------------------------------------------------------------
def test_the_same_span_with_the_same_tags_is_refused_with_the_existing_highlight(
    store: AnnotationStore, article: Article
) -> None:
    span = _span(store, article, "picket line")
    first = store.add_highlight(article.id, *span, tags=["strike", "labour"])
    before = store.workspace.highlights_db(article.id).read_bytes()
    with pytest.raises(DuplicateHighlight) as refused:
        store.add_highlight(article.id, *span, tags=["labour", "strike"])
    assert refused.value.existing.id == first.id
    assert first.id in str(refused.value) and article.id in str(refused.value)
    assert store.workspace.highlights_db(article.id).read_bytes() == before
    assert [h.id for h in store.highlights(article.id)] == [first.id]


def test_a_plain_highlight_over_a_tagged_one_adds_nothing(
    store: AnnotationStore, article: Article
) -> None:
    span = _span(store, article, "picket line")
    first = store.add_highlight(article.id, *span, tags=["strike"], note="why it matters")
    with pytest.raises(DuplicateHighlight):
        store.add_highlight(article.id, *span)
    with pytest.raises(DuplicateHighlight):
        store.add_highlight(article.id, *span, note="why it matters")
    assert [h.id for h in store.highlights(article.id)] == [first.id]


def test_what_adds_something_is_still_a_highlight_of_its_own(
    store: AnnotationStore, article: Article
) -> None:
    """Another tag, a note someone typed, a colour, or a range that differs by one character
    is not a duplicate."""
    span = _span(store, article, "picket line")
    store.add_highlight(article.id, *span, tags=["strike"])
    store.add_highlight(article.id, *span, tags=["other"])
    store.add_highlight(article.id, *span, tags=["strike"], note="a second thought")
    store.add_highlight(article.id, *span, tags=["strike"], color="#112233")
    store.add_highlight(article.id, span[0], span[1] - 1, tags=["strike"])
    assert len(store.highlights(article.id)) == 5


def test_an_orphan_with_the_old_range_does_not_block_a_new_highlight(
    store: AnnotationStore, article: Article
) -> None:
    span = _span(store, article, "picket line")
    orphan = store.add_highlight(article.id, *span)
    # The passage is edited away (a short quote is found again only exactly): an orphan.
    path = store.workspace.article_file(article.id)
    path.write_text(path.read_text().replace("picket line", "picket-line"))
    assert store.highlights(article.id)[0].orphaned
    made = store.add_highlight(article.id, *span)
    assert made.id != orphan.id


def test_the_check_sees_a_highlight_another_writer_added(ws: Workspace, article: Article) -> None:
    """The check runs on the file as it is under the lock, not on a copy the store read before."""
    mine, theirs = AnnotationStore(ws), AnnotationStore(ws)
    span = _span(mine, article, "picket line")
    mine.highlights(article.id)  # nothing yet
    first = theirs.add_highlight(article.id, *span, tags=["strike"])
    with pytest.raises(DuplicateHighlight) as refused:
        mine.add_highlight(article.id, *span, tags=["strike"])
    assert refused.value.existing.id == first.id


def test_duplicate_is_a_highlight_error(store: AnnotationStore, article: Article) -> None:
    span = _span(store, article, "picket line")
    store.add_highlight(article.id, *span)
    with pytest.raises(HighlightError):  # callers that catch HighlightError keep working
        store.add_highlight(article.id, *span)


# -- reader annotate ----------------------------------------------------------------------------
CLI = [sys.executable, "-c", "from reader.cli import main; main()"]


def _annotate(root: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*CLI, "-w", str(root), "annotate", *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_annotate_twice_prints_the_existing_id_and_exits_0(ws: Workspace, article: Article) -> None:
    args = (article.id, "--quote", "picket line", "--tag", "strike")
    first = _annotate(ws.root, *args)
    assert first.returncode == 0, first.stderr
    made = first.stdout.strip()
    again = _annotate(ws.root, *args)
    assert again.returncode == 0, again.stderr
    assert again.stdout.strip() == made
    start = AnnotationStore(ws).library.display(article.id).text.index("picket line")
    assert again.stderr == (
        f"{article.id}: {start}-{start + 11} is already highlighted as {made}; nothing changed\n"
    )
    assert [h.id for h in AnnotationStore(ws).highlights(article.id)] == [made]


# -- the app -------------------------------------------------------------------------------------
def _main(app: ReaderApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


async def test_a_on_an_existing_highlight_selects_it(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    first = store.add_highlight(article.id, *span, tags=["strike"])
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        pane.select(*span)
        await pilot.press("a")
        await pilot.pause()
        sidebar = _main(app).query_one(AnnotationSidebar)
        assert sidebar.current_id == first.id
        assert pane.selection is None
        notes = [n.message for n in notifications_shown(app)]
        assert any(m.startswith("Already highlighted") for m in notes), notes
    assert [h.id for h in AnnotationStore(ws).highlights(article.id)] == [first.id]


async def test_t_on_an_existing_highlight_tags_it(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    first = store.add_highlight(article.id, *span, tags=["strike"])
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).select(*span)
        await pilot.press("t")
        assert isinstance(app.screen, TagPicker)
        await type_text(pilot, "labour")
        await pilot.press("enter")
        await pilot.pause()
        assert _main(app).query_one(AnnotationSidebar).current_id == first.id
    (only,) = AnnotationStore(ws).highlights(article.id)
    assert only.id == first.id
    assert only.tags == ["strike", "labour"]


async def test_c_on_an_existing_highlight_edits_its_note(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    first = store.add_highlight(article.id, *span, note="first")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).select(*span)
        await pilot.press("c")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, " and more")
        await pilot.press("ctrl+s")
        await pilot.pause()
    (only,) = AnnotationStore(ws).highlights(article.id)
    assert only.id == first.id
    assert only.note == "first and more"
