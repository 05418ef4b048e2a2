"""The coder view (issue 18): ``@`` on the main screen shows one coder's highlights in the
reading pane and the sidebar, then the next coder's, then every coder's again; every coder's
highlights carry each coder's mark when two or more coders have highlights; ``@`` in ``H``
filters by coder. Two coders, ana and ben, highlight overlapping passages of one article in a
real workspace."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.segment import Segment
from textual.content import Content
from textual.widgets import Label

from annotations.coder_marks import (
    MARKS,
    NO_MARK,
    coder_marks,
    distinct_coders,
    next_view,
    visible,
    workspace_coders,
)
from annotations.errors import StoreError
from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.screens.highlights import HighlightsScreen
from reader.screens.main import MainScreen
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.reading_pane import MARK_STYLES, ReadingPane
from tests.waits import settle, until

ARTICLE = "netflix-ai-job-picket-line"
OTHER = "deep-fake-love"
ANA_1 = "willing to pay as much as $900,000 a year"
BEN_1 = "as much as $900,000 a year to find the right person"  # overlaps ANA_1
ANA_2 = "Machine Learning Platform is the internal infrastructure"
BEN_2 = "personalization"


def _highlight(store: AnnotationStore, article: str, quote: str, tag: str) -> Highlight:
    text = store.library.display(article).text
    start = text.index(quote)
    return store.add_highlight(article, start, start + len(quote), tags=[tag])


def _two_coders(ws: Workspace) -> dict[str, Highlight]:
    """ana's and ben's highlights on ARTICLE, ben's first passage overlapping ana's."""
    ana, ben = AnnotationStore(ws, coder="ana"), AnnotationStore(ws, coder="ben")
    return {
        "ana1": _highlight(ana, ARTICLE, ANA_1, "pay"),
        "ben1": _highlight(ben, ARTICLE, BEN_1, "pay"),
        "ana2": _highlight(ana, ARTICLE, ANA_2, "AI"),
        "ben2": _highlight(ben, ARTICLE, BEN_2, "AI"),
    }


def _main(app: ReaderApp) -> MainScreen:
    screen = app.screen
    assert isinstance(screen, MainScreen)
    return screen


def _drawn(screen: MainScreen) -> set[str]:
    return {h.id for h in screen.pane.highlights}


def _listed(screen: MainScreen) -> set[str]:
    return {e.id for e in screen.query_one(AnnotationSidebar).entries}


def _title(screen: MainScreen) -> str:
    return str(screen.query_one("#sidebar-title").render())


def _title_styles(screen: MainScreen) -> dict[str, str]:
    """Each styled piece of the sidebar's title and its style."""
    title = screen.query_one("#sidebar-title", Label).visual
    assert isinstance(title, Content)
    return {title.plain[span.start : span.end]: str(span.style) for span in title.spans}


def _segments_at(pane: ReadingPane, offset: int) -> list[Segment]:
    """The segments of the drawn row holding ``offset`` that show its character."""
    pane.move_to(max(0, offset - 200))  # the cursor elsewhere: its style is not the mark's
    row = pane.text_layout.line_of(offset) - int(pane.scroll_offset.y)
    assert 0 <= row < pane.size.height, "the offset is on screen"
    line = pane.text_layout.lines[pane.text_layout.line_of(offset)]
    text = pane.display_text.text
    strip = pane.render_line(row)
    # The row's text follows its margin and indent: walk the segments over it.
    at = line.start - (pane.margin + line.indent)
    found = []
    for segment in strip:
        if at <= offset < at + len(segment.text) and at >= line.start:
            found.append(segment)
        at += len(segment.text)
    assert found and all(s.text in text[line.start : line.end] for s in found)
    return found


# -- the pure part ---------------------------------------------------------------------------------
names = st.text(alphabet="abcdefghij", min_size=0, max_size=4)


@given(st.lists(names, min_size=1, max_size=8))
def test_the_cycle_shows_each_coder_once_then_every_coder(coders: list[str]) -> None:
    seen = []
    view = next_view(None, coders)
    while view is not None:
        seen.append(view)
        view = next_view(view, coders)
    assert seen == sorted(set(coders))


@given(st.lists(names, max_size=10))
def test_marks_tell_named_coders_apart_and_none_for_one_coder(coders: list[str]) -> None:
    marks = coder_marks(coders)
    named = sorted({c for c in coders if c})
    if len(named) < 2:
        assert marks == {}  # one coder (and highlights from before coders): nothing changes
        return
    assert set(marks) == set(named)  # "" (no coder recorded) carries no mark
    first = [marks[c] for c in named[: len(MARKS)]]
    assert len(set(first)) == len(first)
    assert marks == coder_marks(reversed(coders))  # the same marks whatever the order


def test_a_view_keeps_one_coders_highlights(ws: Workspace, article: Any) -> None:
    ana, ben = AnnotationStore(ws, coder="ana"), AnnotationStore(ws, coder="ben")
    a = ana.add_highlight(article.id, 0, 5)
    b = ben.add_highlight(article.id, 10, 15)
    both = [a, b]
    assert distinct_coders(both) == ["ana", "ben"]
    assert visible(both, None) == both
    assert visible(both, "ben") == [b]
    assert len(MARK_STYLES) == len(MARKS)
    assert next_view("cem", ["ana", "ben"]) is None  # a coder gone: every coder again


def test_workspace_coders_reads_every_file_and_names_one_it_cannot(
    ws: Workspace, article: Any
) -> None:
    ana, ben = AnnotationStore(ws, coder="ana"), AnnotationStore(ws, coder="ben")
    ana.add_highlight(article.id, 0, 5)
    ben.add_highlight(article.id, 10, 15)
    AnnotationStore(ws).add_highlight(article.id, 20, 25)
    assert workspace_coders(ana) == {"ana", "ben", ""}
    broken = ws.highlights_db("broken")
    broken.write_text("{not json")
    problems: list[str] = []
    assert workspace_coders(ana, problems) == {"ana", "ben", ""}
    assert len(problems) == 1 and "broken" in problems[0]
    with pytest.raises(StoreError):
        workspace_coders(ana)


# -- the main screen -------------------------------------------------------------------------------
async def test_at_cycles_ana_ben_all_in_the_pane_and_the_sidebar(sample_ws: Workspace) -> None:
    made = _two_coders(sample_ws)
    ana = {made["ana1"].id, made["ana2"].id}
    ben = {made["ben1"].id, made["ben2"].id}
    app = ReaderApp(AnnotationStore(sample_ws, coder="ana"), ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _main(app)
        assert _drawn(screen) == _listed(screen) == ana | ben
        assert _title(screen) == "Highlights · @ana @ben"  # the legend, each in their mark
        styles = _title_styles(screen)
        assert "underline" in styles["@ana"] and "not bold" in styles["@ana"]
        assert "bold" in styles["@ben"] and "not bold" not in styles["@ben"]
        await pilot.press("at")
        assert screen.coder_view == "ana"
        assert _drawn(screen) == _listed(screen) == ana
        assert "@ana · 2 of 4" in _title(screen)
        await pilot.press("at")
        assert _drawn(screen) == _listed(screen) == ben
        assert "@ben · 2 of 4" in _title(screen)
        await pilot.press("at")
        assert screen.coder_view is None
        assert _drawn(screen) == _listed(screen) == ana | ben


async def test_overlapping_highlights_of_two_coders_show_both_marks(
    sample_ws: Workspace,
) -> None:
    made = _two_coders(sample_ws)
    app = ReaderApp(AnnotationStore(sample_ws, coder="ana"), ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        pane = _main(app).pane
        ana, ben = made["ana1"], made["ben1"]
        assert ana.start < ben.start < ana.end < ben.end
        both = _segments_at(pane, ben.start + 1)
        assert all(s.style and s.style.underline and s.style.bold for s in both)
        only_ana = _segments_at(pane, ana.start + 1)
        assert all(s.style and s.style.underline and not s.style.bold for s in only_ana)
        only_ben = _segments_at(pane, ben.end - 2)
        assert all(s.style and s.style.bold and not s.style.underline for s in only_ben)
        # The marks are drawn over the text: the characters and offsets are the article's.
        assert "".join(s.text for s in both) in BEN_1
        # ben alone: his highlights keep their mark (the workspace has two coders).
        await pilot.press("at", "at")
        assert {h.mark for h in pane.highlights} == {1}
        only_ben = _segments_at(pane, ben.start + 1)
        assert all(s.style and s.style.bold and not s.style.underline for s in only_ben)


async def test_one_coder_draws_no_marks(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws, coder="ana")
    made = _highlight(store, ARTICLE, ANA_1, "pay")
    _highlight(AnnotationStore(sample_ws), ARTICLE, BEN_2, "AI")  # no coder recorded
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _main(app)
        assert {h.mark for h in screen.pane.highlights} == {NO_MARK}
        for segment in _segments_at(screen.pane, made.start + 1):
            assert segment.style and not segment.style.underline and not segment.style.bold
        assert _title(screen) == "Highlights"


async def test_marks_follow_the_workspaces_coders_not_only_the_open_articles(
    sample_ws: Workspace,
) -> None:
    """Only ben highlighted the open article, ana another one: ben's highlights carry his
    mark (read from every file in a thread after the first paint)."""
    _highlight(AnnotationStore(sample_ws, coder="ben"), ARTICLE, BEN_2, "AI")
    ana = AnnotationStore(sample_ws, coder="ana")
    ana.add_highlight(OTHER, 0, 20)
    app = ReaderApp(AnnotationStore(sample_ws, coder="ben"), ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        screen = _main(app)
        await until(pilot, lambda: screen.known_coders == {"ana", "ben"}, "the coders read")
        await settle(pilot)
        assert {h.mark for h in screen.pane.highlights} == {1}
        assert _title(screen) == "Highlights · @ana @ben"
        # ana's view of this article: nothing drawn, and the sidebar says why.
        await pilot.press("at")
        assert screen.coder_view == "ana" and screen.pane.highlights == []
        sidebar = screen.query_one(AnnotationSidebar)
        assert "No highlights by @ana here" in str(sidebar.get_option_at_index(0).prompt)


async def test_next_previous_and_delete_act_only_on_visible_highlights(
    sample_ws: Workspace,
) -> None:
    made = _two_coders(sample_ws)
    store = AnnotationStore(sample_ws, coder="ana")
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _main(app)
        pane = screen.pane
        await pilot.press("at")  # ana only
        pane.move_to(0)
        await pilot.press("right_square_bracket")
        assert pane.cursor == made["ana1"].start
        await pilot.press("right_square_bracket")  # ben's, starting in between, is passed over
        assert pane.cursor == made["ana2"].start
        await pilot.press("left_square_bracket")
        assert pane.cursor == made["ana1"].start
        # d on a passage only ben highlighted deletes nothing: it is not shown.
        pane.move_to(made["ben2"].start)
        await pilot.press("d")
        assert {h.id for h in store.highlights(ARTICLE)} == {h.id for h in made.values()}
        # t on ben's exact range tags nothing of ben's: it would make ana's own highlight.
        ben1 = made["ben1"]
        pane.select(ben1.start, ben1.end)
        assert screen._highlight_over((ben1.start, ben1.end)) is None


async def test_a_new_highlight_while_another_coder_shows_shows_every_coder(
    sample_ws: Workspace,
) -> None:
    _two_coders(sample_ws)
    store = AnnotationStore(sample_ws, coder="ana")
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _main(app)
        await pilot.press("at", "at")
        assert screen.coder_view == "ben"
        screen.pane.move_to(0)
        await pilot.press("s", "a")  # the first sentence, highlighted as ana
        await pilot.pause()
        new = [h for h in store.highlights(ARTICLE) if h.start == 0]
        assert len(new) == 1 and new[0].coder == "ana"
        assert screen.coder_view is None  # the view shows it
        assert new[0].id in _drawn(screen) and new[0].id in _listed(screen)


async def test_undo_bringing_back_a_hidden_coders_highlight_shows_every_coder(
    sample_ws: Workspace,
) -> None:
    made = _two_coders(sample_ws)
    store = AnnotationStore(sample_ws, coder="ana")
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _main(app)
        ana1 = made["ana1"]
        screen.pane.move_to(ana1.start + 1)  # on ana's words, before ben's overlap
        await pilot.press("d")
        assert ana1.id not in {h.id for h in store.highlights(ARTICLE)}
        await pilot.press("at", "at")
        assert screen.coder_view == "ben"
        await pilot.press("u")
        assert ana1.id in {h.id for h in store.highlights(ARTICLE)}
        assert screen.coder_view is None
        assert ana1.id in _drawn(screen)


async def test_show_all_coders_for_other_screens(sample_ws: Workspace) -> None:
    made = _two_coders(sample_ws)
    app = ReaderApp(AnnotationStore(sample_ws, coder="ana"), ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        screen = _main(app)
        await pilot.press("at")
        assert len(_drawn(screen)) == 2
        screen.show_all_coders()
        await pilot.pause()
        assert screen.coder_view is None
        assert _drawn(screen) == {h.id for h in made.values()}


async def test_the_palette_runs_the_coder_view(sample_ws: Workspace) -> None:
    from tests.waits import type_text

    _two_coders(sample_ws)
    app = ReaderApp(AnnotationStore(sample_ws, coder="ana"), ARTICLE)
    async with app.run_test(size=(140, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await type_text(pilot, "one coder")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert _main(app).coder_view == "ana"


# -- the highlights view (H) -----------------------------------------------------------------------
async def test_h_filters_by_coder(sample_ws: Workspace) -> None:
    made = _two_coders(sample_ws)
    app = ReaderApp(AnnotationStore(sample_ws, coder="ana"), ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("H")
        screen = app.screen
        assert isinstance(screen, HighlightsScreen)
        await until(pilot, lambda: screen.view is not None, "the highlights to be read")

        def shown() -> set[str]:
            assert screen.view is not None
            return set(screen.view.ids)

        def mode() -> str:
            return str(screen.query_one("#highlights-mode").render())

        assert shown() == {h.id for h in made.values()}
        await pilot.press("at")
        assert shown() == {made["ana1"].id, made["ana2"].id}
        assert "@ana" in mode()
        await pilot.press("at")
        assert shown() == {made["ben1"].id, made["ben2"].id}
        assert "@ben" in mode()
        await pilot.press("at")
        assert shown() == {h.id for h in made.values()}
        assert "@" not in mode()
        # H again opens as it was left, the coder included.
        await pilot.press("at", "escape", "H")
        again = app.screen
        assert isinstance(again, HighlightsScreen)
        await until(pilot, lambda: again.view is not None, "the highlights to be read")
        assert again.coder == "ana"


def test_two_coders_may_highlight_the_same_words(sample_ws: Workspace) -> None:
    """The same span by another coder is that coder's coding, not a duplicate; the same
    coder's again is refused as before."""
    from annotations.store import DuplicateHighlight

    ana, ben = AnnotationStore(sample_ws, coder="ana"), AnnotationStore(sample_ws, coder="ben")
    article = ARTICLE
    first = ben.add_highlight(article, 0, 5, tags=["pay"])
    second = ana.add_highlight(article, 0, 5, tags=["pay"])
    assert (first.coder, second.coder) == ("ben", "ana")
    with pytest.raises(DuplicateHighlight):
        ana.add_highlight(article, 0, 5, tags=["pay"])


async def test_a_selection_of_another_coders_highlight_makes_this_coders_own(
    sample_ws: Workspace,
) -> None:
    """Ben highlighted the first sentence. Ana selects it (s) and tags it (t): ana gets her own
    highlight over the same words; ben's keeps its tags. Ana's s t again tags her own."""
    from tests.waits import type_text

    async with ReaderApp(AnnotationStore(sample_ws, coder="ben"), ARTICLE).run_test(
        size=(120, 40)
    ) as pilot:
        await settle(pilot)
        await pilot.press("s", "a")
        await settle(pilot)
    (bens,) = AnnotationStore(sample_ws).highlights(ARTICLE)
    store = AnnotationStore(sample_ws, coder="ana")
    async with ReaderApp(store, ARTICLE).run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        for tag in ("pay", "AI"):
            await pilot.press("s", "t")
            await settle(pilot)
            await type_text(pilot, tag)
            await pilot.press("enter")
            await settle(pilot)
    by_coder = {h.coder: h for h in store.highlights(ARTICLE)}
    assert sorted(by_coder) == ["ana", "ben"]
    assert (by_coder["ana"].start, by_coder["ana"].end) == (bens.start, bens.end)
    assert sorted(by_coder["ana"].tags) == ["AI", "pay"]
    assert by_coder["ben"] == bens
