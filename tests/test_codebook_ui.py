"""The tag manager (T) and the statistics screen (%), driven by real key presses."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from textual.message import Message
from textual.notifications import Notify
from textual.pilot import Pilot
from textual.widgets import DataTable

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.help import HelpScreen, _rows
from reader.screens.codebook import CodebookScreen
from reader.screens.main import MainScreen
from reader.screens.statistics import StatisticsScreen
from reader.textual_private import notifications_shown
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.bar_chart import BarChart
from tests.waits import paste, type_text

ARTICLE = "netflix-ai-job-picket-line"
SIZE = (120, 40)


def code(store: AnnotationStore, quote: str, tags: list[str], article: str = ARTICLE) -> str:
    text = store.library.display(article).text
    start = text.index(quote)
    return store.add_highlight(article, start, start + len(quote), tags=tags).id


@pytest.fixture
def store(sample_ws: Workspace) -> AnnotationStore:
    """Four highlights on the sample corpus: pay (2, one also AI/likeness), health-plan, AI."""
    store = AnnotationStore(sample_ws)
    code(store, "$300,000 to $900,000", ["pay"])
    code(store, "health", ["health-plan", "pay"])
    code(store, "machine learning", ["AI", "AI/likeness"])
    code(store, "Netflix", ["AI"], "netflix-games-generative-ai-role")
    store.update_tag("AI", description="Artificial intelligence, any kind")
    return store


async def settle(pilot: Pilot[Any]) -> None:
    """Let workers finish and their messages arrive."""
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def open_codebook(pilot: Pilot[Any]) -> CodebookScreen:
    await pilot.press("T")
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, CodebookScreen)
    return screen


async def go_to(pilot: Pilot[Any], screen: CodebookScreen, name: str) -> None:
    table = screen.query_one(DataTable)
    await pilot.press("home")
    for _ in range([r.name for r in screen.rows].index(name)):
        await pilot.press("down")
    assert screen.rows[table.cursor_row].name == name


def table_names(screen: CodebookScreen) -> list[str]:
    table = screen.query_one(DataTable)
    return [str(table.get_row_at(i)[1]).strip() for i in range(table.row_count)]


def all_tags(store: AnnotationStore) -> list[list[str]]:
    return [h.tags for aid in store.annotated_article_ids() for h in store.highlights(aid)]


async def test_the_table_lists_tags_nested_with_counts(store: AnnotationStore) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        assert table_names(screen) == ["AI", "likeness", "health-plan", "pay"]
        table = screen.query_one(DataTable)
        assert [str(table.get_row_at(i)[2]).strip() for i in range(4)] == ["2", "1", "1", "2"]


async def test_rename_by_keys_changes_the_store_the_table_and_the_main_screen(
    store: AnnotationStore,
) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "AI")
        await pilot.press("r", "ctrl+u")
        await type_text(pilot, "ML")
        await pilot.press("enter")
        await settle(pilot)
        assert [t.name for t in store.tags()] == ["health-plan", "ML", "ML/likeness", "pay"]
        assert table_names(screen) == ["health-plan", "ML", "likeness", "pay"]
        assert len(all_tags(store)) == 4
        await pilot.press("escape")
        await pilot.pause()
        main = pilot.app.screen
        assert isinstance(main, MainScreen)
        sidebar_tags = {n for e in main.query_one(AnnotationSidebar).entries for n, _ in e.tags}
        assert "ML" in sidebar_tags and "AI" not in sidebar_tags


async def test_merge_by_keys(store: AnnotationStore) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "health-plan")
        await pilot.press("m")
        await type_text(pilot, "pay")
        await pilot.press("enter")
        await settle(pilot)
        assert "health-plan" not in [t.name for t in store.tags()]
        assert store.tag_counts()["pay"] == 2  # "health" had both: it keeps one pay
        assert len(all_tags(store)) == 4
        assert table_names(screen) == ["AI", "likeness", "pay"]


async def test_the_toasts_name_tags_as_they_are_written(store: AnnotationStore) -> None:
    """Tags keep their case in what a change says (U-D23): only the sentence's verb is
    capitalised."""
    seen: list[Message] = []  # every toast, also those that timed out before the end
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE, message_hook=seen.append) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "AI/likeness")
        await pilot.press("r", "ctrl+u")
        await type_text(pilot, "AI/Face")
        await pilot.press("enter")
        await settle(pilot)
        table = screen.query_one(DataTable)
        assert screen.rows[table.cursor_row].name == "AI/Face"  # the renamed tag stays chosen
        await pilot.press("c", "tab", "ctrl+u")
        await type_text(pilot, "#102030")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await type_text(pilot, "Faces")
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("down")
        assert screen.rows[table.cursor_row].name == "health-plan"
        await pilot.press("m", "ctrl+u")
        await type_text(pilot, "AI")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("n")
        await type_text(pilot, "Law/EU")
        await pilot.press("enter")
        await settle(pilot)
    messages = [m.notification.message for m in seen if isinstance(m, Notify)]
    assert "AI/Face" in [t.name for t in store.tags()]
    assert messages == [
        "Renamed #AI/likeness to #AI/Face. Saved (u undoes).",
        "Recoloured #AI/Face. Saved (u undoes).",
        "Described #AI/Face. Saved (u undoes).",
        "Merged #health-plan into #AI. Saved (u undoes).",
        "Created #Law/EU. Saved (u undoes).",
    ]


async def test_delete_asks_then_deletes_and_undo_puts_it_back(store: AnnotationStore) -> None:
    before = {
        aid: [h.to_dict() for h in store.highlights(aid)] for aid in store.annotated_article_ids()
    }
    tags_before = store.tags()
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "pay")
        await pilot.press("d")
        await pilot.pause()
        assert "2 highlights will lose the tag" in str(
            pilot.app.screen.query_one(".dialog-question").render()
        )
        await pilot.press("n")  # declined: nothing happens
        await settle(pilot)
        assert store.tag_counts()["pay"] == 2
        await pilot.press("d", "y")
        await settle(pilot)
        assert "pay" not in store.tag_counts() and "pay" not in table_names(screen)
        assert len(all_tags(store)) == 4  # the highlights stay
        await pilot.press("u")
        await settle(pilot)
        assert "pay" in table_names(screen)
    after = {
        aid: [h.to_dict() for h in store.highlights(aid)] for aid in store.annotated_article_ids()
    }
    assert after == before and store.tags() == tags_before


async def test_colour_describe_and_new_tag(store: AnnotationStore) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "pay")
        await pilot.press("c", "tab", "ctrl+u")
        await type_text(pilot, "#102030")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("e")
        await type_text(pilot, "Money")
        await pilot.press("ctrl+s")
        await settle(pilot)
        pay = next(t for t in store.tags() if t.name == "pay")
        assert (pay.color, pay.description) == ("#102030", "Money")
        await pilot.press("n")
        await type_text(pilot, "AI/voice")
        await pilot.press("enter")
        await settle(pilot)
        assert "AI/voice" in [t.name for t in store.tags()]
        assert table_names(screen) == ["AI", "likeness", "voice", "health-plan", "pay"]


async def test_a_store_error_is_a_notification_and_changes_nothing(
    store: AnnotationStore,
) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "pay")
        await pilot.press("r", "ctrl+u")
        await type_text(pilot, "health-plan")
        await pilot.press("enter")
        await settle(pilot)
        messages = [n.message for n in notifications_shown(pilot.app)]
        assert any("tag 'health-plan' already exists" in m for m in messages)
        assert store.tag_counts()["pay"] == 2 and len(screen.history) == 0


async def test_an_undo_that_cannot_be_written_can_be_tried_again(store: AnnotationStore) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "pay")
        await pilot.press("r", "ctrl+u")
        await type_text(pilot, "salary")
        await pilot.press("enter")
        await settle(pilot)
        assert "salary" in store.tag_counts()
        codebook_file = store.workspace.workspace_db
        codebook_file.chmod(0o444)  # the store refuses to write a file without write permission
        await pilot.press("u")
        await settle(pilot)
        assert any(n.title == "Nothing changed" for n in notifications_shown(pilot.app))
        assert "salary" in [t.name for t in store.tags()] and len(screen.history) == 1
        codebook_file.chmod(0o644)
        await pilot.press("u")
        await settle(pilot)
        assert store.tag_counts()["pay"] == 2 and "salary" not in store.tag_counts()
        assert len(screen.history) == 0


async def test_redo_and_one_history_with_the_main_screen(store: AnnotationStore) -> None:
    """U redoes what u undid here; the history is the workspace's, so the main screen's u
    takes back a rename made in the tag manager."""
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        screen = await open_codebook(pilot)
        await go_to(pilot, screen, "pay")
        await pilot.press("r", "ctrl+u")
        await paste(pilot, "salary")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("u")
        await settle(pilot)
        assert "pay" in store.tag_counts() and "salary" not in store.tag_counts()
        await pilot.press("U")
        await settle(pilot)
        assert store.tag_counts()["salary"] == 2 and "pay" not in store.tag_counts()
        assert "salary" in table_names(screen)
        await pilot.press("ctrl+y")
        await settle(pilot)
        messages = [n.message for n in notifications_shown(pilot.app)]
        assert "Redid: renamed #pay to #salary. Saved." in messages
        assert messages[-1] == "Nothing to redo."
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, MainScreen)
        await pilot.press("u")
        await settle(pilot)
        assert store.tag_counts()["pay"] == 2 and "salary" not in store.tag_counts()
        assert notifications_shown(pilot.app)[-1].message == "Undid renamed #pay to #salary."


def chart(pilot: Pilot[Any], name: str) -> list[tuple[str, int]]:
    bars = pilot.app.screen.query_one(f"#chart-{name}", BarChart).bars
    return [(str(b.label), b.value) for b in bars]


async def test_statistics_show_counts_that_follow_a_rename(store: AnnotationStore) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.press("percent_sign")
        await settle(pilot)
        assert isinstance(pilot.app.screen, StatisticsScreen)
        assert chart(pilot, "tags") == [
            ("AI", 2),
            ("pay", 2),
            ("AI/likeness", 1),
            ("health-plan", 1),
        ]
        assert chart(pilot, "progress") == [("Read", 1), ("Annotated", 2)]
        assert chart(pilot, "pairs") == [("● AI  ● AI/likeness", 1), ("● health-plan  ● pay", 1)]
        await pilot.press("p")
        await pilot.pause()
        assert chart(pilot, "pairs")[0] == ("● AI  ● AI/likeness", 1)
        await pilot.press("escape", "T")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CodebookScreen)
        await go_to(pilot, screen, "health-plan")
        await pilot.press("m")
        await type_text(pilot, "AI")
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("escape", "percent_sign")
        await settle(pilot)
        assert chart(pilot, "tags") == [("AI", 3), ("pay", 2), ("AI/likeness", 1)]


async def test_closing_statistics_stops_the_paragraph_count(
    store: AnnotationStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    rendered: list[str] = []
    closed = threading.Event()
    display = store.library.display

    def display_until_closed(article_id: str) -> Any:
        rendered.append(article_id)
        closed.wait(10)  # a long article: still rendering when the screen is closed
        return display(article_id)

    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.pause()
        monkeypatch.setattr(store.library, "display", display_until_closed)
        await pilot.press("percent_sign")
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(pilot.app.screen, MainScreen)
        closed.set()
        await settle(pilot)
    assert len(rendered) <= 1  # of the two annotated articles: stopped before the second


async def test_the_new_keys_are_in_the_help_screen(store: AnnotationStore) -> None:
    async with ReaderApp(store, ARTICLE).run_test(size=SIZE) as pilot:
        await pilot.press("question_mark")
        await pilot.pause()
        help_screen = pilot.app.screen
        assert isinstance(help_screen, HelpScreen)
        groups = dict(help_screen.groups)
        assert {"Tag manager (T)", "Statistics (%)"} <= groups.keys()
        assert ("%", "Statistics") in _rows(groups["Annotating"])
        assert ("T", "Tags") in _rows(groups["Annotating"])
        assert ("r", "Rename") in _rows(groups["Tag manager (T)"])


async def open_statistics(pilot: Pilot[Any]) -> None:
    await pilot.press("percent_sign")
    await settle(pilot)


def test_statistics_snapshot(snap_compare: Any, store: AnnotationStore) -> None:
    assert snap_compare(ReaderApp(store, ARTICLE), terminal_size=SIZE, run_before=open_statistics)


def test_statistics_snapshot_80x24(snap_compare: Any, store: AnnotationStore) -> None:
    assert snap_compare(
        ReaderApp(store, ARTICLE), terminal_size=(80, 24), run_before=open_statistics
    )


def test_codebook_snapshot(snap_compare: Any, store: AnnotationStore) -> None:
    async def open_it(pilot: Pilot[Any]) -> None:
        await open_codebook(pilot)

    assert snap_compare(ReaderApp(store, ARTICLE), terminal_size=SIZE, run_before=open_it)
