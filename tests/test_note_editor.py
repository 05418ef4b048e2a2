"""The note editor never loses or rewrites what a person typed: esc or quitting the app on
unchanged text closes at once, changed text is discarded only when the person says so, and an
edit of a note with hidden characters keeps the ones not touched."""

from __future__ import annotations

from textual.widgets import TextArea

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.codebook_dialogs import Confirm
from reader.dialogs.note_editor import NoteEditor
from reader.screens.main import MainScreen
from reader.widgets.reading_pane import ReadingPane
from tests.waits import settle, type_text


def _span(store: AnnotationStore, article: Article, quote: str) -> tuple[int, int]:
    start = store.library.display(article.id).text.index(quote)
    return start, start + len(quote)


async def test_esc_on_a_typed_note_asks_and_keep_editing_keeps_it(
    ws: Workspace, article: Article
) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).select(*span)
        await pilot.press("c")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "A long thought")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # esc again means "keep editing", never "discard"
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, " and more")
        await pilot.press("escape", "n")  # n keeps editing too
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    (saved,) = AnnotationStore(ws).highlights(article.id)
    assert saved.quote == "picket line"
    assert saved.note == "A long thought and more"


async def test_esc_then_discard_throws_the_text_away(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    first = store.add_highlight(article.id, *span, note="kept as it was")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).move_to(span[0])
        await pilot.press("c")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, " and an edit")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    (only,) = AnnotationStore(ws).highlights(article.id)
    assert (only.id, only.note) == (first.id, "kept as it was")


async def test_esc_on_unchanged_text_closes_at_once(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    store.add_highlight(article.id, *span, note="a note")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).move_to(span[0])
        await pilot.press("c")
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        # typed, then taken back: nothing would be lost, so nothing is asked either
        await pilot.press("c", "x", "backspace", "escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        app.screen.query_one(ReadingPane).select(span[0], span[1] - 1)
        await pilot.press("c", "escape")  # a new note, nothing typed
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert len(AnnotationStore(ws).highlights(article.id)) == 1


async def test_editing_a_note_keeps_its_invisible_characters(
    ws: Workspace, article: Article
) -> None:
    """The UI review's reproduction: the editor shows ``rlo <U+202E>abc zw<U+200B>x``; a ``Z``
    typed at the end must not store the ``<U+202E>`` shown in place of the character."""
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    note = "rlo \u202eabc zw\u200bx"
    store.add_highlight(article.id, *span, note=note)
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("tab", "down", "enter")  # the sidebar's highlight: edit its note
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == "rlo <U+202E>abc zw<U+200B>x"
        await pilot.press("ctrl+end", "Z", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    (saved,) = AnnotationStore(ws).highlights(article.id)
    assert saved.note == "rlo \u202eabc zw\u200bxZ"


async def test_ctrl_q_on_a_typed_note_asks_and_keep_editing_keeps_it(
    ws: Workspace, article: Article
) -> None:
    """The UI review's reproduction: ``s c``, type, ``ctrl+q`` quit at once and the text was
    gone. Now it asks, as esc does, and "Keep editing" (n, esc, enter) is the default."""
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).select(*span)
        await pilot.press("c")
        await type_text(pilot, "unsaved important text")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        assert isinstance(app.screen, Confirm)
        await pilot.press("ctrl+q")  # again: still the one question
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        assert isinstance(app.screen_stack[-2], NoteEditor)
        for keep_editing in ("n", "escape", "enter"):
            await pilot.press(keep_editing)
            await pilot.pause()
            assert isinstance(app.screen, NoteEditor)
            assert app.screen.query_one(TextArea).text == "unsaved important text"
            await pilot.press("ctrl+q")
            await pilot.pause()
            assert isinstance(app.screen, Confirm)
        await pilot.press("n", "escape")  # esc's own question on top of the editor: quit asks
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert app.return_code is None
        assert [type(s) for s in app.screen_stack[-3:]] == [NoteEditor, Confirm, Confirm]
        await pilot.press("n", "n", "ctrl+s")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        await pilot.press("ctrl+q")  # saved: nothing to ask about
        await pilot.pause()
        assert app.return_code == 0
    (saved,) = AnnotationStore(ws).highlights(article.id)
    assert saved.note == "unsaved important text"


async def test_quit_then_discard_quits_and_stores_nothing(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).select(*span)
        await pilot.press("c")
        await type_text(pilot, "not wanted")
        await pilot.press("ctrl+q")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("y")
        await pilot.pause()
        assert app.return_code == 0
    assert AnnotationStore(ws).highlights(article.id) == []


async def test_the_palettes_quit_asks_too(ws: Workspace, article: Article) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    store.add_highlight(article.id, *span, note="first thought")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).move_to(span[0])
        await pilot.press("c")
        await type_text(pilot, ", second thought")
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "quit")
        await settle(pilot)  # the palette's search runs in a worker
        await pilot.press("enter")
        await pilot.pause()
        assert app.return_code is None
        assert isinstance(app.screen, Confirm)
        await pilot.press("n", "ctrl+s")
        await pilot.pause()
    (saved,) = AnnotationStore(ws).highlights(article.id)
    assert saved.note == "first thought, second thought"


async def test_quit_with_an_unchanged_note_open_quits_at_once(
    ws: Workspace, article: Article
) -> None:
    store = AnnotationStore(ws)
    span = _span(store, article, "picket line")
    store.add_highlight(article.id, *span, note="a note")
    app = ReaderApp(store, article.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        app.screen.query_one(ReadingPane).move_to(span[0])
        await pilot.press("c", "x", "backspace", "ctrl+q")  # typed and taken back: nothing lost
        await pilot.pause()
        assert app.return_code == 0
