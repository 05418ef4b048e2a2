"""Selections made with `v` and a motion end where people expect (findings U8): on the last
letter of the word, sentence or paragraph, never on the first letter of the next one; `e` moves
to the end of a word while selecting; the cursor keeps a few rows of context (scroll-off)."""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given
from hypothesis import strategies as st

from annotations.store import AnnotationStore
from corpus.markdown_text import DisplayText, render
from corpus.workspace import Workspace
from reader import motions
from reader.app import ReaderApp
from reader.dialogs.export import ExportDialog
from reader.widgets.reading_pane import SCROLL_OFF, ReadingPane

ARTICLE = "netflix-ai-job-picket-line"

WORDS = st.sampled_from(["work", "AI", "rights.", "Dr.", "“hi.”", "the", "end!", "人工知能。", "—"])
PARAGRAPH = st.lists(WORDS, min_size=1, max_size=12).map(" ".join)
MARKDOWN = st.lists(
    st.one_of(PARAGRAPH, PARAGRAPH.map(lambda p: "- " + p)), min_size=1, max_size=5
).map("\n\n".join)
FORWARD = st.sampled_from(
    [motions.word_forward, motions.sentence_forward, motions.paragraph_forward]
)


@given(MARKDOWN, FORWARD, st.data())
def test_a_selection_extended_forward_ends_on_its_unit(
    markdown: str, forward: Callable[[DisplayText, int], int], data: st.DataObject
) -> None:
    display = render(markdown)
    text = display.text
    pos = motions.clamp(display, data.draw(st.integers(0, max(0, len(text) - 1))))
    end = motions.unit_end(display, pos, forward)
    last = motions.clamp(display, len(text))
    assert pos <= end <= last
    if end == last:
        return
    assert end > pos and not text[end].isspace()
    # What follows the selection up to the next unit is only spaces (or a list marker): the
    # selection took its unit whole and nothing of the next one.
    following = forward(display, end)
    assert following > end
    between = text[end + 1 : following]
    assert not between.replace("•", "").strip(), (between, text[end - 5 : following + 5])


async def _quote(ws: Workspace, *keys: str) -> str:
    """The quote of the highlight that `keys` and then `a` make in the sample article."""
    store = AnnotationStore(ws)
    before = {h.id for h in store.highlights(ARTICLE)}
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press(*keys, "a")
        await pilot.pause()
    (made,) = [h for h in AnnotationStore(ws).highlights(ARTICLE) if h.id not in before]
    return made.quote


async def test_v_paragraph_takes_the_paragraph_and_nothing_more(sample_ws: Workspace) -> None:
    display = AnnotationStore(sample_ws).library.display(ARTICLE)
    second = display.blocks[1]
    quote = await _quote(sample_ws, "g", "}", "v", "}")
    assert quote == display.text[second.start : second.end]


async def test_v_sentence_takes_the_sentence_and_nothing_more(sample_ws: Workspace) -> None:
    display = AnnotationStore(sample_ws).library.display(ARTICLE)
    start = display.blocks[1].start
    quote = await _quote(sample_ws, "g", "}", "v", ")")
    assert quote == display.text.__getitem__(slice(*motions.sentence_at(display, start)))


async def test_v_words_end_on_a_last_letter(sample_ws: Workspace) -> None:
    display = AnnotationStore(sample_ws).library.display(ARTICLE)
    words = display.text.split()
    assert words[1:3] == ["recruiting", "post"]
    # The cursor on "recruiting": `v w` takes the word it is on, `w` again the next one.
    assert await _quote(sample_ws, "g", "w", "v", "w", "w") == "recruiting post"


async def test_e_ends_the_word_while_selecting(sample_ws: Workspace) -> None:
    assert await _quote(sample_ws, "g", "w", "v", "e") == "recruiting"
    assert await _quote(sample_ws, "g", "w", "l", "v", "e", "e") == "ecruiting post"


async def test_e_without_a_selection_still_exports(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, ReadingPane)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)


async def test_the_cursor_keeps_rows_of_context(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        height = pane.size.height
        # Past the bottom edge and a few rows on: enough to see the view scroll ahead.
        for _ in range(height + 2 * SCROLL_OFF):
            await pilot.press("j")
            assert SCROLL_OFF <= pane.cursor_row <= height - 1 - SCROLL_OFF or (
                pane.scroll_offset.y in (0, pane.max_scroll_y)
            )
        await pilot.press("}", "}", "}")
        assert (
            pane.cursor_row <= height - 1 - SCROLL_OFF or pane.scroll_offset.y == pane.max_scroll_y
        )
        for _ in range(height + 2 * SCROLL_OFF):
            await pilot.press("k")
            assert pane.cursor_row >= SCROLL_OFF or pane.scroll_offset.y == 0


async def test_a_cursor_move_draws_what_drawing_the_whole_pane_draws(sample_ws: Workspace) -> None:
    """A cursor move draws only the rows from the old cursor's to the new one's again (the
    cursor and a selection's moving edge are on them): after every key the pane's rows are the
    ones a redraw of the whole pane gives, through moves, a selection growing forward and back
    across its anchor and over several rows, a scroll, the selection's end and a new one."""
    from reader.textual_private import screen_strips

    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    keys = ["j", "l", "l", "w", "v", "w", "w", "j", "j", "b", "k", "k", "k", "b", "b"]
    keys += ["j", "j", "j", "escape", "l", "s", "w", "j", "pagedown", "w", "escape", "v", "e"]
    async with app.run_test(size=(100, 24)) as pilot:
        await pilot.pause()
        pane = app.screen.query_one(ReadingPane)
        region = pane.region
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            rows = screen_strips(app.screen)[region.y : region.bottom]
            drawn = [strip.text for strip in rows]
            styles = [[segment.style for segment in strip] for strip in rows]
            pane.refresh()
            await pilot.pause()
            whole = screen_strips(app.screen)[region.y : region.bottom]
            assert drawn == [strip.text for strip in whole], key
            assert styles == [[segment.style for segment in strip] for strip in whole], key
