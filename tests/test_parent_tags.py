"""Parent tags everywhere (U7): a filter on ``AI`` includes ``AI/likeness`` in exports, the
article filter, the sidebar, statistics and the tag manager, which all offer the parent."""

from __future__ import annotations

import csv
import io
from typing import Any

from click.testing import CliRunner
from textual.pilot import Pilot
from textual.widgets import DataTable

from annotations.codebook import codebook_rows
from annotations.filtering import ArticleFilter
from annotations.formats.selection import Filters, select
from annotations.stats import statistics
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.article_filter import FilterDialog
from reader.dialogs.tag_picker import TagPicker
from reader.screens.codebook import CodebookScreen
from reader.screens.main import MainScreen
from reader.screens.statistics import StatisticsScreen
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_list import ArticleList
from reader.widgets.bar_chart import BarChart

JOB = "netflix-ai-job-picket-line"
GAMES = "netflix-games-generative-ai-role"


def code(store: AnnotationStore, article: str, quote: str, tags: list[str]) -> None:
    text = store.library.display(article).text
    start = text.index(quote)
    store.add_highlight(article, start, start + len(quote), tags=tags)


def nested_only(store: AnnotationStore) -> AnnotationStore:
    """Three highlights: two under ``AI`` (which is no tag itself) on GAMES, one ``pay`` on JOB."""
    code(store, GAMES, "Netflix", ["AI/jobs"])
    code(store, GAMES, "games", ["AI/likeness", "AI/jobs"])
    code(store, JOB, "Netflix", ["pay"])
    return store


async def settle(pilot: Pilot[Any]) -> None:
    await pilot.pause()
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def test_export_by_a_parent_includes_the_nested_tags(sample_ws: Workspace) -> None:
    nested_only(AnnotationStore(sample_ws))
    result = CliRunner().invoke(
        main, ["-w", str(sample_ws.root), "export", "--format", "csv", "--tag", "AI"]
    )
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert len({row["id"] for row in rows}) == 2
    assert {row["article"] for row in rows} == {GAMES}
    assert {row["tag"] for row in rows} == {"AI/jobs", "AI/likeness"}


def test_export_filters_keep_nested_tags_and_ignore_case(sample_ws: Workspace) -> None:
    store = nested_only(AnnotationStore(sample_ws))
    assert select(store, Filters(tags=("AI",))).count() == 2
    assert select(store, Filters(tags=("ai/JOBS",))).count() == 2
    assert select(store, Filters(tags=("AI/likeness",))).count() == 1
    assert select(store, Filters(tags=("A",))).count() == 0  # a prefix is not a parent


def test_tag_manager_rows_of_a_parent_show_the_total(sample_ws: Workspace) -> None:
    store = nested_only(AnnotationStore(sample_ws))
    rows = {row.name: row for row in codebook_rows(store.tags(), *store.tag_tallies())}
    assert (rows["AI"].count, rows["AI"].total) == (0, 2)  # each highlight once
    assert (rows["AI/jobs"].count, rows["AI/jobs"].total) == (2, 2)
    assert (rows["pay"].count, rows["pay"].total) == (1, 1)


async def test_the_tag_manager_shows_a_parents_total(sample_ws: Workspace) -> None:
    store = nested_only(AnnotationStore(sample_ws))
    code(store, JOB, "strike", ["AI"])  # AI: one of its own, two nested
    async with ReaderApp(store, JOB).run_test(size=(120, 40)) as pilot:
        await pilot.press("T")
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, CodebookScreen)
        table = screen.query_one(DataTable)
        cells = {
            str(table.get_row_at(i)[1]).strip(): str(table.get_row_at(i)[2])
            for i in range(table.row_count)
        }
        assert cells["AI"] == "3 (1 own)"
        assert cells["jobs"] == "2"


def test_statistics_roll_up_parents(sample_ws: Workspace) -> None:
    stats = statistics(nested_only(AnnotationStore(sample_ws)), paragraphs=False)
    assert stats.per_parent == {"AI": 2}
    assert stats.per_tag == {"AI/jobs": 2, "AI/likeness": 1, "pay": 1}


async def test_the_statistics_screen_shows_a_parents_bar(sample_ws: Workspace) -> None:
    store = nested_only(AnnotationStore(sample_ws))
    async with ReaderApp(store, JOB).run_test(size=(120, 40)) as pilot:
        await pilot.press("percent_sign")
        await settle(pilot)
        assert isinstance(pilot.app.screen, StatisticsScreen)
        bars = pilot.app.screen.query_one("#chart-tags", BarChart).bars
        assert [(str(b.label), b.value) for b in bars] == [
            ("AI/jobs", 2),
            ("AI (all)", 2),
            ("AI/likeness", 1),
            ("pay", 1),
        ]


async def test_the_filter_dialog_offers_a_parent_tag(sample_ws: Workspace) -> None:
    store = nested_only(AnnotationStore(sample_ws))
    app = ReaderApp(store, JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("F")
        assert isinstance(app.screen, FilterDialog)
        assert app.screen.tags == ["AI", "AI/jobs", "AI/likeness", "pay"]
        # Open the tag select, move past "any tag" to the first tag (AI), choose it; then
        # enter in the first date applies.
        await pilot.press("enter", "down", "enter", "tab", "tab", "tab", "tab", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.articles.filter == ArticleFilter(tag="AI")
        assert [r.id for r in screen.query_one(ArticleList).rows] == [GAMES]


async def test_the_sidebar_filter_offers_a_parent_tag(sample_ws: Workspace) -> None:
    store = nested_only(AnnotationStore(sample_ws))
    code(store, GAMES, "generative", ["pay"])
    app = ReaderApp(store, GAMES)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        sidebar = app.screen.query_one(AnnotationSidebar)
        assert len(sidebar.entries) == 3
        sidebar.focus()
        await pilot.press("f")
        assert isinstance(app.screen, TagPicker)
        assert [(c.name, c.count) for c in app.screen.choices] == [
            ("AI", 2),
            ("AI/jobs", 2),
            ("AI/likeness", 1),
            ("pay", 1),
        ]
        await pilot.press("enter")  # the first choice: AI
        await pilot.pause()
        assert sorted(e.quote for e in sidebar.entries) == ["Netflix", "games"]
