"""A highlight is made on the words the person selected, even when the open article's file
changed on disk since the app showed it: the store checks the text, the app reloads."""

from __future__ import annotations

import os
from dataclasses import replace

import pytest
from textual.widgets import TextArea

from annotations.store import AnnotationStore, ArticleChanged, HighlightError
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.note_editor import NoteEditor
from reader.screens import live_refresh
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.reading_pane import ReadingPane
from tests.waits import type_text

ARTICLE = "retrospective-after-the-strikes"
ADDED = "EDITOR NOTE: this paragraph was added after publication."


@pytest.fixture(autouse=True)
def _before_the_app_looks(monkeypatch: pytest.MonkeyPatch) -> None:
    """These tests are about the moment between a change on disk and the app's next look for
    changes (reader/screens/live_refresh.py, twice a second), when keys still act on the text
    shown: on a loaded machine the keys take longer than that, so the looks are held off."""
    monkeypatch.setattr(live_refresh, "LOOK_EVERY", 3600.0)


def _prepend(ws: Workspace, article_id: str, paragraph: str = ADDED) -> str:
    """Rewrite an article's file with a paragraph in front (as an editor or an import would);
    returns the new display text."""
    library = Library(ws)
    article = library.get(article_id)
    library.save(replace(article, body=f"{paragraph}\n\n{article.body}"))
    return Library(ws).display(article_id).text


def _main(app: ReaderApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


def _messages(app: ReaderApp) -> list[str]:
    return [n.message for n in notifications_shown(app)]


# -- the store ---------------------------------------------------------------------------------
def test_add_highlight_refuses_offsets_into_text_that_changed(
    store: AnnotationStore, article: Article
) -> None:
    shown = store.library.display(article.id).text
    start = shown.index("picket line")
    _prepend(store.workspace, article.id)
    with pytest.raises(ArticleChanged) as refused:
        store.add_highlight(article.id, start, start + 11, shown_text=shown)
    assert article.id in str(refused.value)
    assert isinstance(refused.value, HighlightError)
    assert store.highlights(article.id) == []
    assert not store.workspace.highlights_db(article.id).exists()


def test_add_highlight_with_the_text_as_shown_is_stored(
    store: AnnotationStore, article: Article
) -> None:
    shown = store.library.display(article.id).text
    start = shown.index("picket line")
    made = store.add_highlight(article.id, start, start + 11, shown_text=shown)
    assert made.quote == "picket line"


def test_reattach_refuses_offsets_into_text_that_changed(
    store: AnnotationStore, article: Article
) -> None:
    shown = store.library.display(article.id).text
    start = shown.index("picket line")
    made = store.add_highlight(article.id, start, start + 11)
    _prepend(store.workspace, article.id)
    other = shown.index("health threshold")
    with pytest.raises(ArticleChanged):
        store.reattach(article.id, made.id, other, other + 16, shown_text=shown)
    (kept,) = store.highlights(article.id)
    assert kept.quote == "picket line"


# -- the app -------------------------------------------------------------------------------------
async def test_a_after_the_file_changed_reloads_instead_of_storing_other_text(
    sample_ws: Workspace,
) -> None:
    """The findings' reproduction (R-D7): open, prepend a paragraph, `g v w w w a`."""
    store = AnnotationStore(sample_ws)
    old = store.library.display(ARTICLE).text
    earlier = old.index("Two deals")
    kept = store.add_highlight(ARTICLE, earlier, earlier + len("Two deals"))
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        new = _prepend(sample_ws, ARTICLE)
        await pilot.press("g", "v", "w", "w", "w")
        assert pane.selection is not None
        assert old[slice(*pane.selection)] == "Five months after"
        await pilot.press("a")
        await pilot.pause()
        assert [h.id for h in AnnotationStore(sample_ws).highlights(ARTICLE)] == [kept.id]
        # the pane shows the text as it is now, with the highlight where its words now are
        assert pane.display_text.text == new
        moved = new.index("Two deals")
        assert [(h.id, h.start, h.end) for h in pane.highlights] == [
            (kept.id, moved, moved + len("Two deals"))
        ]
        # and the selection is on the same words again, for a second `a`
        assert pane.selection is not None
        assert new[slice(*pane.selection)] == "Five months after"
        assert any("changed on disk" in m for m in _messages(app)), _messages(app)
        await pilot.press("a")
        await pilot.pause()
    quotes = sorted(h.quote for h in AnnotationStore(sample_ws).highlights(ARTICLE))
    assert quotes == ["Five months after", "Two deals"]


async def test_a_when_the_selected_words_are_gone_stores_nothing(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        library = Library(sample_ws)
        article = library.get(ARTICLE)
        library.save(replace(article, body=article.body.replace("Five months after", "Later")))
        await pilot.press("g", "v", "w", "w", "w", "a")
        await pilot.pause()
        assert pane.selection is None
        assert pane.display_text.text.startswith("Later a Netflix")
        assert any("changed on disk" in m for m in _messages(app)), _messages(app)
    assert AnnotationStore(sample_ws).highlights(ARTICLE) == []


async def test_t_after_the_file_changed_stores_nothing(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        new = _prepend(sample_ws, ARTICLE)
        await pilot.press("g", "v", "w", "w", "w", "t")
        await type_text(pilot, "strike")
        await pilot.press("enter")
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert pane.selection is not None
        assert new[slice(*pane.selection)] == "Five months after"
    assert AnnotationStore(sample_ws).highlights(ARTICLE) == []


async def test_a_typed_note_survives_the_reload(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g", "v", "w", "w", "w", "c")
        await type_text(pilot, "my thought")
        assert isinstance(app.screen, NoteEditor)
        _prepend(sample_ws, ARTICLE)  # while the note is being written
        await pilot.press("ctrl+s")
        await pilot.pause()
        # not stored on other words: the editor is back with the note, on the same words
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one("#note-text").text == "my thought"  # type: ignore[attr-defined]
        assert AnnotationStore(sample_ws).highlights(ARTICLE) == []
        await pilot.press("ctrl+s")
        await pilot.pause()
    (saved,) = AnnotationStore(sample_ws).highlights(ARTICLE)
    assert (saved.quote, saved.note) == ("Five months after", "my thought")


async def test_a_typed_note_with_an_invisible_character_comes_back_shown(
    sample_ws: Workspace,
) -> None:
    """A zero-width space pasted into a new note: the editor that comes back after the reload
    shows it as ``<U+200B>``, and saving stores the character itself."""
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g", "v", "w", "w", "w", "c")
        assert isinstance(app.screen, NoteEditor)
        app.screen.query_one(TextArea).insert("my\u200bthought")  # as a paste puts it
        _prepend(sample_ws, ARTICLE)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "my<U+200B>thought"
        await pilot.press("ctrl+s")
        await pilot.pause()
    (saved,) = AnnotationStore(sample_ws).highlights(ARTICLE)
    assert saved.note == "my\u200bthought"


async def test_reattach_after_the_file_changed_reloads(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    old = store.library.display(ARTICLE).text
    target = old.index("Two deals")
    orphan = store.add_highlight(ARTICLE, target, target + len("Two deals"))
    # Its words edited away, the highlight is a real orphan (one whose quote is still in the
    # text is found again as soon as the file changes).
    path = sample_ws.article_file(ARTICLE)
    path.write_text(path.read_text().replace("Two deals", "Two pacts"))
    assert store.highlights(ARTICLE)[0].orphaned
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        new = _prepend(sample_ws, ARTICLE)
        await pilot.press("g", "v", "w", "w", "w")
        sidebar = _main(app).query_one(AnnotationSidebar)
        sidebar.focus()
        sidebar.show(orphan.id)
        await pilot.press("r")
        await pilot.pause()
        (still,) = AnnotationStore(sample_ws).highlights(ARTICLE, check=False)
        assert (still.orphaned, still.quote) == (True, "Two deals")
        assert pane.display_text.text == new
        assert any("changed on disk" in m for m in _messages(app)), _messages(app)


def test_an_edit_that_keeps_size_and_mtime_is_noticed_too(
    store: AnnotationStore, article: Article
) -> None:
    """The store's library caches parsed articles by file stamp: `touch -r` after an edit of
    the same length must not leave it on the old text."""
    shown = store.library.display(article.id).text
    start = shown.index("picket line")
    path = store.workspace.article_file(article.id)
    st = path.stat()
    path.write_bytes(path.read_bytes().replace(b"picket line", b"PICKET LINE"))
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (st.st_size, st.st_mtime_ns)
    with pytest.raises(ArticleChanged):
        store.add_highlight(article.id, start, start + 11, shown_text=shown)
    made = store.add_highlight(
        article.id, start, start + 11, shown_text=store.library.display(article.id).text
    )
    assert made.quote == "PICKET LINE"


async def test_a_typed_note_whose_words_are_gone_is_shown_not_dropped(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        await pilot.press("g", "v", "w", "w", "w", "c")
        await type_text(pilot, "my [thought]")
        library = Library(sample_ws)
        article = library.get(ARTICLE)
        library.save(replace(article, body=article.body.replace("Five months after", "Later")))
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        (error,) = [n for n in notifications_shown(app) if n.severity == "error"]
        assert error.message.endswith("your note was not stored: my [thought]")
    assert AnnotationStore(sample_ws).highlights(ARTICLE) == []
