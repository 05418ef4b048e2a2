"""The app driven with real key presses (Textual's Pilot), checked against the real store."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.sample_corpus import sample_articles
from corpus.text_match import FoldedText, find_all
from corpus.workspace import Workspace
from reader import motions
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.note_editor import NoteEditor
from reader.dialogs.tag_picker import TagPicker
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown, screen_strips
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.find_bar import FindBar
from reader.widgets.keys_footer import KeysFooter
from reader.widgets.reading_pane import PARTIAL_LAYOUT_FROM, ReadingPane
from tests.waits import type_text

ARTICLE = "netflix-ai-job-picket-line"


def _screen(app: ReaderApp) -> MainScreen:
    for screen in app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("main screen is not open")


async def test_keyboard_flow_survives_restart(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    first_sentence = text[slice(*motions.sentence_at(store.library.display(ARTICLE), 0))]

    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert pane.has_focus and pane.cursor == 0
        await pilot.press("s")
        assert pane.selection == (0, len(first_sentence))
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
        await pilot.press("q")
    store.close()

    reopened = AnnotationStore(sample_ws)
    (saved,) = reopened.highlights(ARTICLE)
    assert saved.quote == first_sentence
    assert saved.tags == ["strike"]
    assert saved.note == "Key figure"

    app = ReaderApp(reopened)  # no article given: restores the last one
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = _screen(app)
        assert screen.article_id == ARTICLE
        sidebar = screen.query_one(AnnotationSidebar)
        assert [e.id for e in sidebar.entries] == [saved.id]
        assert sidebar.entries[0].tags[0][0] == "strike"
        assert [h.id for h in screen.query_one(ReadingPane).highlights] == [saved.id]

    result = CliRunner().invoke(
        main, ["--workspace", str(sample_ws.root), "export", "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    exported = json.loads(result.stdout)
    (article,) = exported["articles"]
    assert article["highlights"][0]["quote"] == first_sentence
    assert article["highlights"][0]["tags"] == ["strike"]
    assert article["highlights"][0]["note"] == "Key figure"


async def test_reading_position_is_restored(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("}", "}", "w")
        moved_to = app.screen.query_one(ReadingPane).cursor
        assert moved_to > 0
        await pilot.press("q")
    app = ReaderApp(AnnotationStore(sample_ws))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert app.screen.query_one(ReadingPane).cursor == moved_to
        assert AnnotationStore(sample_ws).state(ARTICLE).read


async def test_mouse_drag_selects_and_highlights(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        top = pane.content_region.y - pane.region.y  # the pane's top padding
        start = pane.offset_at(pane.margin + 2, 1)
        end = pane.offset_at(pane.margin + 20, 2)
        await pilot.mouse_down(pane, offset=(pane.margin + 2, top + 1))
        await pilot.hover(pane, offset=(pane.margin + 20, top + 2))
        await pilot.mouse_up(pane, offset=(pane.margin + 20, top + 2))
        await pilot.pause()
        assert pane.selection == (start, end + 1)
        await pilot.press("a")
        await pilot.pause()
    (saved,) = store.highlights(ARTICLE)
    assert (saved.start, saved.end) == (start, end + 1)
    assert saved.quote == store.library.display(ARTICLE).text[start : end + 1]


async def test_click_on_highlight_selects_it(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    made = store.add_highlight(ARTICLE, 5, 30)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        line = pane.text_layout.lines[0]
        column = pane._column(line, 10)
        top = pane.content_region.y - pane.region.y
        await pilot.click(pane, offset=(pane.margin + column, top))
        await pilot.pause()
        assert pane.selection == (made.start, made.end)


async def test_find_selects_match_and_n_moves(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    found = [start for start, _ in find_all(FoldedText(text), "strike")]
    assert len(found) >= 2
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("slash")
        await type_text(pilot, "STRIKE")
        await pilot.press("enter")
        await pilot.pause()
        assert pane.selection == (found[0], found[0] + 6)
        await pilot.press("n")
        assert pane.selection == (found[1], found[1] + 6)
        await pilot.press("N")
        assert pane.selection == (found[0], found[0] + 6)
        await pilot.press("a")
        await pilot.pause()
        await pilot.press("slash", "escape", "slash")  # the bar mounted on first use, reused
        assert len(app.screen.query(FindBar)) == 1 and app.screen.query_one(FindBar).display
    (saved,) = store.highlights(ARTICLE)
    assert saved.quote.casefold() == "strike"


async def test_delete_and_undo(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s", "a")
        await pilot.pause()
        (made,) = store.highlights(ARTICLE)
        await pilot.press("d")  # the cursor rests on the new highlight's last character
        await pilot.pause()
        assert store.highlights(ARTICLE) == []
        await pilot.press("u")
        await pilot.pause()
        assert store.highlights(ARTICLE) == [made]
        await pilot.press("u")  # undoes the highlight itself
        await pilot.pause()
        assert store.highlights(ARTICLE) == []


async def test_an_undo_that_cannot_be_written_can_be_tried_again(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("s", "a")
        await pilot.pause()
        (made,) = store.highlights(ARTICLE)
        highlights_file = sample_ws.highlights_db(ARTICLE)
        highlights_file.chmod(0o444)  # the store refuses to write a file without write permission
        await pilot.press("u")
        await pilot.pause()
        assert any(n.title == "Undo failed" for n in notifications_shown(app))
        assert store.highlights(ARTICLE) == [made]
        highlights_file.chmod(0o644)
        await pilot.press("u")  # the same undo again, not the one before it
        await pilot.pause()
        assert store.highlights(ARTICLE) == []
        await pilot.press("u")
        await pilot.pause()
        assert any("Nothing to undo" in n.message for n in notifications_shown(app))


async def test_visual_mode_and_motions(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    display = store.library.display(ARTICLE)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        await pilot.press("v", "w", "w")
        second_word = motions.word_forward(display, motions.word_forward(display, 0))
        # the first two words, ending on the second's last letter (findings U8)
        assert pane.selection == (0, motions.word_end(display, second_word) + 1)
        await pilot.press("escape")
        assert pane.selection is None
        await pilot.press("G")
        assert pane.cursor == motions.clamp(display, len(display.text))
        await pilot.press("g", "shift+right", "shift+right")
        assert pane.selection == (0, 3)


async def test_tag_picker_adds_existing_tag_to_highlight(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    store.ensure_tag("likeness")
    made = store.add_highlight(ARTICLE, 0, 20)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t", "l", "i", "enter")  # "li" filters to the existing tag
        await pilot.pause()
    assert store.get_highlight(ARTICLE, made.id).tags == ["likeness"]


async def test_narrow_terminal_folds_sidebar(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar")
        assert not sidebar.display or sidebar.region.width == 0
        await pilot.press("A")
        await pilot.pause()
        await pilot.press("A")
        await pilot.pause()
        assert app.screen.query_one(ReadingPane).region.width >= 40


async def test_store_error_is_notified_and_nothing_lost(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        # Corrupt this article's highlights file behind the app's back.
        bad = sample_ws.highlights_db(ARTICLE)
        bad.write_text("{not json")
        await pilot.press("s", "a")
        await pilot.pause()
        messages = [n.message for n in notifications_shown(app)]
        assert any(str(bad) in m for m in messages)
        assert bad.read_text() == "{not json"


async def test_tag_picker_creates_a_new_tag_that_prefixes_an_old_one(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    store.ensure_tag("strikes")
    made = store.add_highlight(ARTICLE, 0, 20)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("t")
        await type_text(pilot, "strike")
        await pilot.pause()
        await pilot.press("down", "enter")  # past "strikes" to "+ new tag “strike”"
        await pilot.pause()
    assert store.get_highlight(ARTICLE, made.id).tags == ["strike"]
    assert {t.name for t in store.tags()} == {"strike", "strikes"}


@pytest.mark.parametrize("presses,suffix", [((), ".json"), (("down", "down", "down"), ".csv")])
async def test_export_dialog_writes_the_chosen_format(
    sample_ws: Workspace, presses: tuple[str, ...], suffix: str
) -> None:
    store = AnnotationStore(sample_ws)
    store.add_highlight(ARTICLE, 0, 20, tags=["pay"])
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        if presses:
            await pilot.press("shift+tab", "enter", *presses, "enter", "tab")
            await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        written = sample_ws.root / "exports" / f"annotations{suffix}"
        assert written.is_file()
        assert any(str(written) in n.message for n in notifications_shown(app))
    content = written.read_text(encoding="utf-8")
    assert store.highlights(ARTICLE)[0].quote in content


async def test_import_dialog_imports_a_page_and_opens_it(sample_ws: Workspace) -> None:
    page = Path(__file__).parent / "fixtures" / "ledger-page.html"
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("i")
        await type_text(pilot, str(page))
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = _screen(app)
        imported = [a for a in store.library.articles() if a.title.startswith("Netflix Posts")]
        assert len(imported) == 1 and screen.article_id == imported[0].id
        assert any(row.id == imported[0].id for row in screen.query_one("#articles").rows)
        assert screen.query_one("#import-progress").display is False  # shown, then hidden
        await pilot.press("i")
        await type_text(pilot, "/no/such/file.html")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert any("/no/such/file.html" in n.message for n in notifications_shown(app))


@pytest.mark.parametrize("width", [100, 140])
async def test_wide_terminals_show_the_sidebar(sample_ws: Workspace, width: int) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(width, 30)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one("#sidebar")
        assert sidebar.display and sidebar.region.width >= 30
        await pilot.press("A")  # and it toggles
        await pilot.pause()
        assert not sidebar.display or sidebar.region.width == 0


async def test_orphan_is_listed_apart_and_reattached_to_a_selection(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    article = store.library.get(ARTICLE)
    text = article.display.text
    start = text.index("machine learning system")
    orphan = store.add_highlight(ARTICLE, start, start + len("machine learning system"))
    article.body = article.body.replace("machine learning system", "recommendation engine")
    store.library.save(article)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        sidebar = app.screen.query_one(AnnotationSidebar)
        assert [e.orphaned for e in sidebar.entries] == [True]
        assert pane.highlights == []  # not drawn on text it no longer matches
        await pilot.press("s", "tab", "down", "r")
        await pilot.pause()
    moved = store.get_highlight(ARTICLE, orphan.id)
    first = store.library.display(ARTICLE).text
    assert not moved.orphaned
    assert moved.quote == first[moved.start : moved.end] and moved.start == 0


async def test_opening_the_app_takes_a_rolling_backup(sample_ws: Workspace) -> None:
    from annotations.backups import backups

    store = AnnotationStore(sample_ws)
    store.add_highlight(ARTICLE, 0, 10)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await app.workers.wait_for_complete()
    assert len(backups(sample_ws)) == 1


async def test_long_article_paints_first_then_lays_out_the_rest(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    long_id = long_article(store)
    text = store.library.display(long_id).text
    assert len(text) > PARTIAL_LAYOUT_FROM
    deep = text.index("Deep Fake Love", len(text) // 2)
    state = store.state(long_id)
    state.position = deep
    store.save_state(state)
    store.mark_opened(long_id)

    app = ReaderApp(store)  # restores the long article at the saved position
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        assert pane.article_id == long_id and pane.cursor == deep
        # The first paint's partial layout was completed right after it, unasked.
        assert pane._layout is not None and pane._layout.complete
        layout = pane.text_layout
        assert layout.complete
        row = layout.line_of(deep)
        assert pane.scroll_offset.y <= row < pane.scroll_offset.y + pane.size.height
        assert pane.virtual_size.height == len(layout.lines)
        await pilot.press("G")
        assert pane.cursor >= len(text) - 2


def long_article(store: AnnotationStore) -> str:
    """Add an article long enough for the pane's partial first layout; return its id."""
    body = "\n\n".join(a.body for a in sample_articles())
    body = "\n\n".join([body] * (PARTIAL_LAYOUT_FROM // len(body) + 2))
    return store.library.add(Article(id="", title="Long read", body=body)).article.id


async def test_a_selection_made_off_screen_is_shown_with_text_around_it(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    found = [start for start, _ in find_all(FoldedText(text), "strike")]
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 24)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        for start in (found[-1], found[0], found[len(found) // 2]):
            pane.select(start, start + 6)
            await pilot.pause()
            row = pane.text_layout.line_of(start)
            top = int(pane.scroll_offset.y)
            assert top + 2 <= row <= top + pane.size.height - 3, (start, row, top)


@pytest.mark.parametrize(("width", "narrow"), [(80, True), (99, True), (100, False), (160, False)])
async def test_the_footer_is_compact_in_a_narrow_terminal(
    sample_ws: Workspace, width: int, narrow: bool
) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(width, 24)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        assert footer.compact is narrow
        assert footer.show_command_palette is not narrow
        await pilot.resize_terminal(180 if narrow else 80, 24)
        await pilot.pause()
        assert footer.compact is not narrow


async def test_the_sidebar_shows_a_notes_first_three_lines(sample_ws: Workspace) -> None:
    """A note of several lines shows its first three in the sidebar (blank lines left out, a
    "…" when there are more), as the memo shows its own; enter edits the whole note."""
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    long_note = "Key claim.\n\nContested by AMPTP.\nSee the timeline.\nFourth line, not shown."
    short_note = "One line.\nTwo lines: \x1b]0;title\x07 shown, not obeyed."
    for i, note in enumerate((long_note, short_note)):
        start = text.index(" ", 40 * (i + 1)) + 1
        store.add_highlight(ARTICLE, start, start + 10, note=note)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AnnotationSidebar)
        long_prompt, short_prompt = (
            sidebar._prompt(entry).plain.split("\n", 1)[1] for entry in sidebar.entries
        )
        assert long_prompt == ("  ✎ Key claim.\n    Contested by AMPTP.\n    See the timeline. …")
        assert short_prompt.startswith("  ✎ One line.\n    Two lines: ")
        assert "\x1b" not in short_prompt and "\x07" not in short_prompt
        shown = "\n".join(strip.text for strip in screen_strips(app.screen))
        for line in ("✎ Key claim.", "Contested by AMPTP.", "See the timeline. …", "One line."):
            assert line in shown
        assert "Fourth line" not in shown
