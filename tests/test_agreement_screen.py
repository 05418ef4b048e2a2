"""The agreement screen (K): the per-tag table equals ``agreement_in``'s report, enter on a
passage only one coder marked opens the article with it selected and in view; fewer than two
coders is one message; more than two are picked, A then B, and the pair is remembered."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from rich.text import Text
from textual.widgets import DataTable, Select

from annotations.agreement import AgreementReport, agreement_in
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.terminal_safe import terminal_safe
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.help import HelpScreen
from reader.screens.agreement import (
    FRAME,
    NO_CODER,
    AgreementScreen,
    PassageTable,
    TagTable,
    pick_pair,
    tag_cells,
)
from reader.screens.main import MainScreen
from tests.waits import LIMIT, settle, type_text, until

JOB = "netflix-ai-job-picket-line"
GAMES = "netflix-games-generative-ai-role"


def _mark(store: AnnotationStore, article_id: str, quote: str, *tags: str, extra: int = 0) -> None:
    text = store.library.display(article_id).text
    start = text.index(quote)
    store.add_highlight(article_id, start, start + len(quote) + extra, tags=tags)


def _last_paragraph_quote(store: AnnotationStore, article_id: str) -> str:
    """The first words of the article's last paragraph: far below the first screen."""
    last = store.library.display(article_id).text.rsplit("\n\n", 1)[1]
    return last[: last.index(" ", 20)]


def code_two(ws: Workspace) -> None:
    """Ana and Ben code two sample articles, agreeing in part."""
    with AnnotationStore(ws, coder="ana") as store:
        _mark(store, JOB, "$900,000", "pay")
        _mark(store, JOB, _last_paragraph_quote(store, JOB), "strikes")
        _mark(store, GAMES, "generative AI", "AI")
    with AnnotationStore(ws, coder="ben") as store:
        _mark(store, JOB, "$900,000", "pay", extra=7)  # "$900,000 a year"
        _mark(store, GAMES, "generative AI", "AI/jobs")


@pytest.fixture
def two_coders(sample_ws: Workspace) -> Workspace:
    code_two(sample_ws)
    return sample_ws


def _plain(table: DataTable[Any], row: int) -> list[str]:
    """A row's cells as shown: each a Rich ``Text`` (a ``str`` cell would be read as markup)."""
    cells = table.get_row_at(row)
    assert all(isinstance(cell, Text) for cell in cells)
    return [cell.plain for cell in cells]


async def _open(pilot: Any) -> AgreementScreen:
    await pilot.press("K")
    screen = pilot.app.screen
    assert isinstance(screen, AgreementScreen)
    await settle(pilot)
    return screen


async def test_k_shows_the_report_and_enter_goes_to_the_passage(two_coders: Workspace) -> None:
    store = AnnotationStore(two_coders)
    report = agreement_in(store, "ana", "ben")
    app = ReaderApp(store, GAMES)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert screen.pair == ("ana", "ben")  # the only two: compared at once
        table = screen.query_one(TagTable)
        assert [t.tag for t in report.tags] == ["AI", "AI/jobs", "pay", "strikes"]
        assert [_plain(table, i) for i in range(table.row_count)] == [
            list(tag_cells(t)) for t in report.tags
        ]
        assert [str(c.label) for c in table.columns.values()][-2:] == ["ana marked", "ben marked"]
        assert table.has_focus
        # The first tag's passages: ana's AI on "generative AI", which ben tagged AI/jobs (a
        # tag nested in AI counts for AI): no passage.
        passages = screen.query_one(PassageTable)
        assert passages.row_count == 0
        # down to #pay: ben's " a year" past ana's "$900,000".
        await pilot.press("down", "down")
        pay = report.tags[2]
        assert [(d.start, d.end, d.coder) for d in pay.disagreements] == [
            (pay.disagreements[0].end - 7, pay.disagreements[0].end, "b")
        ]
        assert _plain(passages, 0)[1:3] == [
            f"{pay.disagreements[0].start}-{pay.disagreements[0].end}",
            "only ben",
        ]
        # #strikes: a passage at the end of the article; tab to it, enter opens it.
        await pilot.press("down", "tab")
        assert passages.has_focus
        strikes = report.tags[3].disagreements[0]
        assert _plain(passages, 0) == [
            _plain(passages, 0)[0],
            f"{strikes.start}-{strikes.end}",
            "only ana",
            report.passage(store, strikes, 300),
        ]
        assert _plain(passages, 0)[0].startswith("Netflix Lists a")
        await pilot.press("question_mark")
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("escape")
        await pilot.press("enter")
        await pilot.pause()
        main_screen = app.screen
        assert isinstance(main_screen, MainScreen)
        assert main_screen.article_id == JOB
        pane = main_screen.pane
        assert pane.selection == (strikes.start, strikes.end)
        assert pane.has_focus
        await pilot.pause()
        row = pane.text_layout.line_of(strikes.start)
        assert pane.scroll_offset.y <= row < pane.scroll_offset.y + pane.size.height


@pytest.mark.parametrize(
    ("coders", "words"),
    [(["ana"], "needs two coders; every highlight here is by ana"), ([], "No highlights yet")],
)
async def test_fewer_than_two_coders_is_one_message_and_nothing_else(
    sample_ws: Workspace, coders: list[str], words: str
) -> None:
    for coder in coders:
        with AnnotationStore(sample_ws, coder=coder) as store:
            _mark(store, JOB, "$900,000", "pay")
    app = ReaderApp(AnnotationStore(sample_ws), JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert words in str(screen.query_one("#agreement-status").render())
        for selector in ("#agreement-table", "#agreement-passages", "#agreement-coders"):
            assert not screen.query_one(selector).display
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)


async def test_a_file_that_cannot_be_read_is_named_in_one_line(two_coders: Workspace) -> None:
    path = two_coders.annotations_dir / "highlights" / f"{JOB}.json"
    path.write_text("{not json")
    app = ReaderApp(AnnotationStore(two_coders), GAMES)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        status = screen.query_one("#agreement-status")
        assert str(status.render()).startswith(f"{path}: not valid JSON")
        assert status.has_class("-error")
        assert not screen.query_one(TagTable).display
    assert path.read_text() == "{not json"


async def test_more_coders_are_picked_a_then_b_and_the_pair_is_remembered(
    two_coders: Workspace,
) -> None:
    store = AnnotationStore(two_coders)  # no coder: a third
    _mark(store, JOB, "$900,000", "pay", extra=2)
    app = ReaderApp(store, JOB)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        assert screen.pair is None and screen.report is None
        assert screen.query_one("#agreement-coders").display
        assert "Pick coder A" in str(screen.query_one("#agreement-status").render())
        a = screen.query_one("#coder-a", Select)
        assert a.has_focus
        # The picker's options: "" is "(no coder)", then ana and ben.
        await pilot.press("enter", "down", "down", "enter")  # blank, (no coder), ana
        assert a.value == "ana"
        b = screen.query_one("#coder-b", Select)
        assert b.has_focus
        await pilot.press("enter", "down", "down", "down", "enter")
        await settle(pilot)
        assert screen.pair == ("ana", "ben")
        report = agreement_in(store, "ana", "ben")
        table = screen.query_one(TagTable)
        assert [_plain(table, i) for i in range(table.row_count)] == [
            list(tag_cells(t)) for t in report.tags
        ]
        # "(no coder)" against ana: one more pick, the table follows.
        b.focus()
        await pilot.press("enter", "up", "up", "enter")  # ben, ana, (no coder)
        await settle(pilot)
        assert screen.pair == ("ana", "")
        assert "ana and (no coder) over 1 article" in str(
            screen.query_one("#agreement-summary").render()
        )
        assert [str(c.label) for c in table.columns.values()][-1] == f"{NO_CODER} marked"
        # The same coder twice says so.
        b.focus()
        await pilot.press("enter", "down", "enter")
        await pilot.pause()
        assert "two different coders" in str(screen.query_one("#agreement-status").render())
        assert not table.display
        # Back to the pair shown before: it is shown again.
        b.focus()
        await pilot.press("enter", "up", "enter")  # (no coder)
        await settle(pilot)
        assert screen.pair == ("ana", "") and table.display
        b.focus()
        await pilot.press("enter", "down", "down", "enter")  # ben
        await settle(pilot)
        assert screen.pair == ("ana", "ben")
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        # K again: the last pair, compared at once.
        again = await _open(pilot)
        assert again.pair == ("ana", "ben") and again.report is not None
        assert again.query_one("#coder-a", Select).value == "ana"
        assert again.query_one("#coder-b", Select).value == "ben"
        assert again.query_one(TagTable).has_focus


async def test_the_palette_opens_it(two_coders: Workspace) -> None:
    app = ReaderApp(AnnotationStore(two_coders), JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await type_text(pilot, "agreement between")
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AgreementScreen)
        assert app.screen.report is not None


async def test_titles_and_tags_are_shown_as_text_not_markup(ws: Workspace) -> None:
    title = "[b]Scans[/b] [@click=app.quit]x[/] \x1b[31mred"
    body = "The studio scanned the faces of background actors for one day's pay, forever."
    Library(ws).save(Article(id="scans", title=title, body=body))
    with AnnotationStore(ws, coder="ana") as store:
        store.add_highlight("scans", 4, 30, tags=["[bold]AI[@click=app.quit]"])
    with AnnotationStore(ws, coder="ben") as store:
        store.add_highlight("scans", 11, 40, tags=["[bold]AI[@click=app.quit]"])
    app = ReaderApp(AnnotationStore(ws), "scans")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open(pilot)
        assert _plain(screen.query_one(TagTable), 0)[0] == "[bold]AI[@click=app.quit]"
        passages = screen.query_one(PassageTable)
        shown = _plain(passages, 0)[0]
        assert shown == terminal_safe(title)[: len(shown) - 1] + "…"
        assert "\x1b" not in shown
        assert [_plain(passages, i)[2] for i in range(passages.row_count)] == [
            "only ana",
            "only ben",
        ]


async def test_it_says_comparing_while_the_comparison_runs(
    two_coders: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    import reader.screens.agreement as screen_module

    # The real comparison, held until the screen has had time to say what it is doing.
    gate = threading.Event()

    def held(*args: Any, **kwargs: Any) -> AgreementReport:
        gate.wait(LIMIT)
        return agreement_in(*args, **kwargs)

    monkeypatch.setattr(screen_module, "agreement_in", held)
    app = ReaderApp(AnnotationStore(two_coders), JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("K")
        screen = app.screen
        assert isinstance(screen, AgreementScreen)
        status = screen.query_one("#agreement-status")
        await until(pilot, lambda: "Comparing ana and ben…" in str(status.render()), "Comparing…")
        assert not screen.query_one(TagTable).display
        gate.set()
        await settle(pilot)
        assert screen.report is not None and screen.query_one(TagTable).display
        assert "Comparing" not in str(status.render())


async def test_work_that_ended_is_not_said_to_be_running(two_coders: Workspace) -> None:
    """The "Reading the coders…" timer fires while the worker's answer waits in the screen's
    queue: Textual then queues the timer's callback behind the answer. The answer stops the
    spent timer and says "Pick coder A"; the queued callback must not overwrite that."""
    store = AnnotationStore(two_coders)
    _mark(store, JOB, "$900,000", "pay", extra=2)  # a third coder: the screen asks for a pick
    app = ReaderApp(store, JOB)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _open(pilot)
        status = screen.query_one("#agreement-status")

        async def answered_after_the_timer_fired() -> None:
            screen._busy("Reading the coders…")
            await asyncio.sleep(FRAME * 6)  # the timer fires now: its callback is queued
            screen._idle()
            screen._status("Pick coder A, then coder B.")

        screen.call_later(answered_after_the_timer_fired)
        await pilot.pause(FRAME * 12)
        await settle(pilot)
        assert str(status.render()) == "Pick coder A, then coder B."


@given(st.lists(st.sampled_from(["", "ana", "ben", "cleo"]), unique=True), st.data())
def test_a_pair_is_picked_only_from_the_coders_there(coders: list[str], data: Any) -> None:
    remembered = data.draw(
        st.none() | st.tuples(st.sampled_from(["", "ana", "dan"]), st.sampled_from(["ana", "ben"]))
    )
    pair = pick_pair(sorted(coders), remembered)
    if remembered is not None and remembered[0] != remembered[1] and set(remembered) <= set(coders):
        assert pair == remembered
    elif len(coders) == 2:
        assert pair == tuple(sorted(coders))
    else:
        assert pair is None


async def test_a_passage_opens_with_both_coders_shown_after_at_showed_one(
    two_coders: Workspace,
) -> None:
    """Ben's view on (@ twice: ana, then ben), K, a passage only ana marked: the pane shows
    every coder again, ana's highlight at the passage among them."""
    store = AnnotationStore(two_coders)
    strikes = agreement_in(store, "ana", "ben").tags[3].disagreements[0]
    app = ReaderApp(store, GAMES)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("at", "at")
        main_screen = app.screen
        assert isinstance(main_screen, MainScreen)
        await until(pilot, lambda: main_screen.coder_view == "ben", "ben's view")
        await _open(pilot)
        await pilot.press("down", "down", "down", "tab", "enter")
        await until(
            pilot,
            lambda: app.screen is main_screen and main_screen.article_id == JOB,
            "the passage's article",
        )
        assert main_screen.coder_view is None
        assert main_screen.pane.selection == (strikes.start, strikes.end)
        shown = {(h.start, h.end) for h in main_screen.pane.highlights}
        assert (strikes.start, strikes.end) in shown
