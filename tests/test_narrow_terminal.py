"""80x24 is a full citizen: below 100 columns `A` shows the highlights sidebar in place of the
text, with everything it offers (tags, notes, orphans, the tag filter), and the footer keeps
`? Help` and `q Quit` at every width (issue 16, findings U6 and U15)."""

from __future__ import annotations

import pytest

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.note_editor import NoteEditor
from reader.dialogs.tag_picker import TagPicker
from reader.textual_private import notifications_shown, screen_strips
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.find_bar import FindBar
from reader.widgets.keys_footer import KeysFooter
from reader.widgets.reading_pane import ReadingPane
from tests.waits import type_text

ARTICLE = "netflix-ai-job-picket-line"


def _rows(app: ReaderApp) -> list[str]:
    """The screen as the terminal shows it, one string a row."""
    return [strip.text for strip in screen_strips(app.screen)]


def _annotated(ws: Workspace) -> tuple[AnnotationStore, str]:
    """The sample corpus with one tagged and noted highlight on ARTICLE, and its id."""
    store = AnnotationStore(ws)
    text = store.library.display(ARTICLE).text
    start = text.index("$300,000 to $900,000")
    added = store.add_highlight(ARTICLE, start, start + 20, tags=["pay"], note="The range.")
    return store, added.id


async def test_a_at_80x24_shows_the_highlights_with_tags_and_notes(sample_ws: Workspace) -> None:
    store, _ = _annotated(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AnnotationSidebar)
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("A")
        await pilot.pause()
        assert sidebar.region.width >= 70  # the whole width, in place of list and text
        assert sidebar.has_focus
        assert pane.region.width == 0
        shown = "\n".join(_rows(app))
        assert "#pay" in shown and "✎ The range." in shown
        await pilot.press("A")  # and back
        await pilot.pause()
        assert pane.has_focus and pane.region.width >= 40
        assert sidebar.region.width == 0


async def test_80x24_keyboard_only_highlight_tag_note_then_see_them(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        sidebar = app.screen.query_one(AnnotationSidebar)
        await pilot.press("}", "s", "a")
        await pilot.pause()
        # The sidebar is out of sight: the toast says how to see what was just made.
        assert any("A shows" in n.message for n in notifications_shown(app))
        await pilot.press("t")
        assert isinstance(app.screen, TagPicker)
        await type_text(pilot, "strike")
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("c")
        assert isinstance(app.screen, NoteEditor)
        await type_text(pilot, "Key figure")
        await pilot.press("ctrl+s")
        await pilot.pause()
        (saved,) = store.highlights(ARTICLE)
        assert (saved.tags, saved.note) == (["strike"], "Key figure")
        await pilot.press("G", "A")  # the end of the text, away from the highlight
        await pilot.pause()
        shown = "\n".join(_rows(app))
        assert "#strike" in shown and "✎ Key figure" in shown
        assert "? Help" in _rows(app)[-1]
        await pilot.press("enter")  # back to the text, at the highlight
        await pilot.pause()
        assert pane.has_focus and sidebar.region.width == 0
        assert pane.selection == (saved.start, saved.end)
        top = int(pane.scroll_offset.y)
        assert top <= pane.text_layout.line_of(saved.start) < top + pane.size.height


async def test_80x24_sidebar_keeps_its_filter_orphans_and_esc_goes_back(
    sample_ws: Workspace,
) -> None:
    store, _ = _annotated(sample_ws)
    article = store.library.get(ARTICLE)
    text = article.display.text
    start = text.index("machine learning system")
    store.add_highlight(ARTICLE, start, start + len("machine learning system"))
    article.body = article.body.replace("machine learning system", "recommendation engine")
    store.library.save(article)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        assert any("Not found in the text (1)" in row for row in _rows(app))
        await pilot.press("f")
        assert isinstance(app.screen, TagPicker)
        await pilot.press("enter")
        await pilot.pause()
        assert any("Highlights · #pay · 1 of 2" in row for row in _rows(app))
        await pilot.press("escape")
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert pane.has_focus and pane.region.width >= 40


async def test_widening_the_terminal_puts_the_sidebar_beside_the_text(
    sample_ws: Workspace,
) -> None:
    store, _ = _annotated(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        await pilot.resize_terminal(140, 30)
        await pilot.pause()
        screen = app.screen
        assert screen.query_one(ReadingPane).region.width >= 40
        sidebar = screen.query_one(AnnotationSidebar)
        assert sidebar.region.width >= 30
        sidebar.focus()
        await pilot.pause()
        await pilot.press("enter")  # beside the text, enter edits the note as before
        assert isinstance(app.screen, NoteEditor)


@pytest.mark.parametrize("width", [80, 90, 100, 120, 140])
@pytest.mark.parametrize("focus", ["pane", "sidebar", "list"])
async def test_the_footer_keeps_help_and_quit_at_every_width(
    sample_ws: Workspace, width: int, focus: str
) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        screen = app.screen
        if focus == "sidebar":
            await pilot.press("A")
            if width >= 100:
                await pilot.press("A")  # the A above hid it: show it again and go there
                screen.query_one(AnnotationSidebar).focus()
        elif focus == "list":
            screen.query_one("#articles").focus()
        await pilot.pause()
        await pilot.pause()
        footer = screen.query_one(KeysFooter)
        assert footer.region.width == width
        last_row = _rows(app)[-1]
        assert "? Help" in last_row and "q Quit" in last_row, last_row


async def test_80x24_a_key_that_goes_to_the_text_shows_it_again(sample_ws: Workspace) -> None:
    store, _ = _annotated(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("slash")  # find: its bar is under the text, which shows again
        await pilot.pause()
        assert app.screen.query_one(FindBar).region.width >= 40
        assert app.screen.query_one(ReadingPane).region.width >= 40
        assert app.screen.query_one(AnnotationSidebar).region.width == 0
