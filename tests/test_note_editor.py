"""The note editor: esc on unchanged text closes at once; changed text is discarded only when the
person says so."""

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
        await pilot.press(*"A long thought", "escape")
        await pilot.pause()
        assert isinstance(app.screen, Confirm)
        await pilot.press("escape")  # esc again means "keep editing", never "discard"
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press(*" and more", "escape", "n")  # n keeps editing too
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
        await pilot.press(*" and an edit", "escape")
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
