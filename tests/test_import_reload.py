"""When the app's own import updates the open article, the pane shows the new text at once
(UI review item 5): re-rendered, its highlights re-anchored, the cursor on the same words. It
had gone on showing the old text, with highlights at their old places, until a later `a`."""

from __future__ import annotations

from pathlib import Path

from annotations.article_import import import_articles
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.note_editor import NoteEditor
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown
from reader.widgets.import_runner import ImportRunner
from reader.widgets.reading_pane import ReadingPane
from tests.waits import paste, type_text

SOURCE = """\
# Trust Test Article

Paragraph one sets the scene for the strike and the people in it.

Paragraph 2 talks about the strike and the studios. The unions answered in kind.

{filler}

Paragraph three is where the reader was reading, about digital replicas of actors.

Paragraph four closes the article with one more sentence about the union.
"""
SOURCE = SOURCE.replace(
    "{filler}",
    "\n\n".join(f"Filler paragraph {n} is about the pickets and the studios." for n in range(60)),
)
REVISED = SOURCE.replace("Paragraph 2 talks", "Paragraph two now talks at more length")


def _imported(tmp_path: Path) -> tuple[AnnotationStore, Path, str]:
    """A workspace holding the article imported from a file, so that importing the file again
    after an edit is an update of it; returns the store, the file and the article's id."""
    ws = Workspace(tmp_path / "ws")
    ws.ensure()
    source = tmp_path / "trust-test.md"
    source.write_text(SOURCE, encoding="utf-8")
    store = AnnotationStore(ws)
    (first,) = import_articles(store, [str(source)])
    assert first.status == "imported" and first.article is not None
    return store, source, first.article.id


def _messages(app: ReaderApp) -> list[str]:
    return [n.message for n in notifications_shown(app)]


def _cursor_row(pane: ReadingPane) -> int:
    """The row of the view the cursor is drawn on."""
    return pane.text_layout.line_of(pane.cursor) - int(pane.scroll_offset.y)


def _on_screen(pane: ReadingPane) -> str:
    return "\n".join(
        "".join(segment.text for segment in pane.render_line(y)) for y in range(pane.size.height)
    )


async def test_an_import_that_updates_the_open_article_shows_its_new_text(
    tmp_path: Path,
) -> None:
    store, source, article_id = _imported(tmp_path)
    old = store.library.display(article_id).text
    start = old.index("digital replicas")
    made = store.add_highlight(article_id, start, start + len("digital replicas"))
    source.write_text(REVISED, encoding="utf-8")
    app = ReaderApp(store, article_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        await pilot.press("G")  # the end in view, then the cursor up to a word in it
        pane.move_to(old.index("where the reader"))
        await pilot.pause()
        row = _cursor_row(pane)
        assert pane.scroll_offset.y > 0 and 2 < row < pane.size.height - 2
        await pilot.press("i")
        await paste(pilot, str(source))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("1 updated" in m for m in _messages(app)), _messages(app)
        new = store.library.display(article_id).text
        assert "Paragraph two now talks" in new
        assert pane.display_text.text == new
        moved = new.index("digital replicas")
        assert [(h.id, h.start, h.end) for h in pane.highlights] == [
            (made.id, moved, moved + len("digital replicas"))
        ]
        assert new[pane.cursor :].startswith("where the reader")  # the same words, moved
        assert _cursor_row(pane) == row  # on the same row of the view
        # the next highlight is made on the new text, with no "changed on disk" detour
        await pilot.press("s", "a")
        await pilot.pause()
        assert not any("changed on disk" in m for m in _messages(app)), _messages(app)
        await pilot.press("g")
        await pilot.pause()
        shown = _on_screen(pane)
        assert "Paragraph two now talks" in shown and "Paragraph 2" not in shown
    quotes = sorted(h.quote for h in AnnotationStore(store.workspace).highlights(article_id))
    assert quotes == [
        "Paragraph three is where the reader was reading, about digital replicas of actors.",
        "digital replicas",
    ]


async def test_a_note_being_written_when_the_import_lands_is_not_lost(tmp_path: Path) -> None:
    """The update rewrites the words a note is being written on: when the note is saved, it is
    checked against the text it was written on and shown, not dropped with the selection."""
    store, source, article_id = _imported(tmp_path)
    old = store.library.display(article_id).text
    app = ReaderApp(store, article_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        pane = main.query_one(ReadingPane)
        pane.focus()
        start = old.index("Paragraph 2")
        pane.select(start, start + len("Paragraph 2"))
        await pilot.press("c")
        await type_text(pilot, "my careful note")
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        source.write_text(REVISED, encoding="utf-8")
        outcomes = list(import_articles(store, [str(source)]))  # as the import worker does
        main.post_message(ImportRunner.Finished(outcomes))
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert any("my careful note" in m for m in _messages(app)), _messages(app)
        assert pane.display_text.text == store.library.display(article_id).text
    assert AnnotationStore(store.workspace).highlights(article_id) == []


async def test_an_update_that_lands_under_a_dialog_shows_when_it_closes(tmp_path: Path) -> None:
    store, source, article_id = _imported(tmp_path)
    old = store.library.display(article_id).text
    app = ReaderApp(store, article_id)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        main = app.screen
        assert isinstance(main, MainScreen)
        pane = main.query_one(ReadingPane)
        pane.focus()
        pane.move_to(old.index("Paragraph 2"))
        await pilot.press("s", "c")  # the note editor, on the sentence
        await pilot.pause()
        assert isinstance(app.screen, NoteEditor)
        source.write_text(REVISED, encoding="utf-8")
        main.post_message(ImportRunner.Finished(list(import_articles(store, [str(source)]))))
        await pilot.pause()
        assert pane.display_text.text == old  # not under the open dialog
        await pilot.press("escape")  # nothing typed: closes at once, stores nothing
        await pilot.pause()
        assert app.screen is main
        new = store.library.display(article_id).text
        assert pane.display_text.text == new
        assert pane.selection is None  # its words are gone
        assert new[pane.cursor :].startswith(". The unions answered")  # the cursor's are not
