"""The article-list filter: the pure rules, the command line, and the app's dialog and sidebar."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from annotations.filtering import (
    ArticleFilter,
    ListedArticle,
    check_date,
    filter_articles,
    tag_matches,
    tags_by_article,
)
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.article_filter import FilterDialog
from reader.dialogs.tag_picker import TagPicker
from reader.screens.main import MainScreen
from reader.widgets.annotation_sidebar import AnnotationSidebar
from reader.widgets.article_list import ArticleList
from tests.waits import type_text

JOB = "netflix-ai-job-picket-line"
GAMES = "netflix-games-generative-ai-role"


def _admits(wanted: ArticleFilter, **row: object) -> bool:
    values: dict[str, object] = {
        "article_id": "a",
        "source": "The Ledger Line",
        "published": "2023-07-26",
        "read": False,
        "highlights": 0,
        "tags": None,
    }
    values.update(row)
    return wanted.admits(**values)  # type: ignore[arg-type]


def test_the_empty_filter_admits_everything() -> None:
    assert not ArticleFilter().active
    assert _admits(ArticleFilter(), published="", read=True)
    assert ArticleFilter().describe() == "all articles"


def test_each_criterion() -> None:
    assert not _admits(ArticleFilter(unread=True), read=True)
    assert _admits(ArticleFilter(unread=True), read=False)
    assert not _admits(ArticleFilter(annotated=True), highlights=0)
    assert _admits(ArticleFilter(annotated=True), highlights=3)
    assert _admits(ArticleFilter(source="The Ledger Line"))
    assert not _admits(ArticleFilter(source="The Ledger"))


@pytest.mark.parametrize(
    ("since", "until", "published", "expected"),
    [
        ("2023-07", None, "2023-07-01", True),
        ("2023-07", None, "2023-06-30", False),
        (None, "2023-07", "2023-07-31", True),  # a month as the upper bound includes all of it
        (None, "2023-07", "2023-08-01", False),
        ("2023", "2023", "2023-12-14", True),
        ("2023-07-27", "2023-07-28", "2023-07-26", False),
        ("2023-07-27", "2023-07-28", "2023-07-28", True),
        ("2023", None, "", False),  # undated articles drop out once a date is asked for
        (None, "2024", "2023-07-28T10:00:00Z", True),
    ],
)
def test_date_bounds_are_inclusive_at_any_precision(
    since: str | None, until: str | None, published: str, expected: bool
) -> None:
    assert _admits(ArticleFilter(since=since, until=until), published=published) is expected


def test_tags_include_nested_ones() -> None:
    assert tag_matches("AI", "AI")
    assert tag_matches("AI/likeness", "AI")
    assert not tag_matches("AIR", "AI")
    assert not tag_matches("AI", "AI/likeness")
    tags = {"a": {"AI/likeness"}, "b": {"pay"}}
    assert _admits(ArticleFilter(tag="AI"), article_id="a", tags=tags)
    assert not _admits(ArticleFilter(tag="AI"), article_id="b", tags=tags)
    assert not _admits(ArticleFilter(tag="AI"), article_id="c", tags=tags)


def test_describe_names_every_criterion() -> None:
    wanted = ArticleFilter(
        tag="pay", unread=True, annotated=True, source="Pixel Ledger", since="2023-07"
    )
    assert wanted.describe() == "#pay · unread · with highlights · Pixel Ledger · 2023-07 → …"


@pytest.mark.parametrize("value", ["July", "2023-7", "23-07-01", "2023-07-01x", ""])
def test_bad_dates_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        check_date(value)


def _tag_two_articles(store: AnnotationStore) -> None:
    for article_id, tag in ((JOB, "pay"), (GAMES, "AI/jobs")):
        text = store.library.display(article_id).text
        start = text.index("Netflix")
        store.add_highlight(article_id, start, start + 7, tags=[tag])


def test_tags_by_article_reads_the_stored_records(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    _tag_two_articles(store)
    assert tags_by_article(store) == {JOB: {"pay"}, GAMES: {"AI/jobs"}}
    store.workspace.highlights_db("broken").write_text("{not json")
    problems: list[str] = []
    assert tags_by_article(store, problems) == {JOB: {"pay"}, GAMES: {"AI/jobs"}}
    assert len(problems) == 1 and "broken.json" in problems[0]


def _list(ws: Workspace, *args: str) -> list[str]:
    result = CliRunner().invoke(main, ["-w", str(ws.root), "list", "--json", *args])
    assert result.exit_code == 0, result.output
    return sorted(row["id"] for row in json.loads(result.stdout))


def test_cli_list_filters(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    _tag_two_articles(store)
    store.mark_opened(JOB)
    assert len(_list(sample_ws)) == 10
    assert _list(sample_ws, "--tag", "AI") == [GAMES]
    assert _list(sample_ws, "--annotated") == sorted([JOB, GAMES])
    assert len(_list(sample_ws, "--unread")) == 9
    assert _list(sample_ws, "--annotated", "--unread") == [GAMES]
    assert len(_list(sample_ws, "--source", "The Ledger Line")) == 2
    assert len(_list(sample_ws, "--since", "2023-08")) == 5
    assert len(_list(sample_ws, "--until", "2023-07-27")) == 2


def test_cli_list_refuses_a_bad_date_in_one_line(sample_ws: Workspace) -> None:
    result = CliRunner().invoke(main, ["-w", str(sample_ws.root), "list", "--since", "July"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: 'July' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    ]


def _main(app: ReaderApp) -> MainScreen:
    screen = app.screen_stack[1]
    assert isinstance(screen, MainScreen)
    return screen


async def test_filter_dialog_by_keys_then_clear(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    _tag_two_articles(store)
    app = ReaderApp(store, JOB)  # opening it marks it read
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = _main(app)
        articles = screen.query_one(ArticleList)
        assert len(articles.rows) == 10
        await pilot.press("F")
        assert isinstance(app.screen, FilterDialog)
        # Tag select: open it, move past "any tag" and the parent AI to AI/jobs, choose it.
        await pilot.press("enter", "down", "down", "enter")
        # source, then "Unread only": tick it; then to the Apply button.
        await pilot.press("tab", "tab", "space", "tab", "tab", "tab", "tab", "enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert screen.articles.filter == ArticleFilter(tag="AI/jobs", unread=True)
        assert [r.id for r in articles.rows] == [GAMES]
        label = screen.query_one("#list-filter")
        assert label.display
        assert "#AI/jobs · unread · 1 of 10" in str(label.render())
        assert "1 of 10 articles" in screen.title

        await pilot.press("F", "ctrl+x")
        await pilot.pause()
        assert not screen.articles.filter.active
        assert len(articles.rows) == 10
        assert not screen.query_one("#list-filter").display


async def test_filter_dialog_refuses_a_bad_date(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("F", "tab", "tab", "tab", "tab")
        await type_text(pilot, "July")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)  # still open, with a warning
        await pilot.press("ctrl+u")
        await type_text(pilot, "2023-08")
        await pilot.press("enter")
        await pilot.pause()
        screen = _main(app)
        assert app.screen is screen
        assert screen.articles.filter == ArticleFilter(since="2023-08")
        assert len(screen.query_one(ArticleList).rows) == 5


async def test_sidebar_shows_one_tag_then_all(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    text = store.library.display(JOB).text
    for word, tag in (("Netflix", "pay"), ("machine", "AI/ml"), ("product", "AI")):
        start = text.index(word)
        store.add_highlight(JOB, start, start + len(word), tags=[tag])
    app = ReaderApp(store, JOB)
    async with app.run_test(size=(140, 40)) as pilot:
        await pilot.pause()
        screen = _main(app)
        sidebar = screen.query_one(AnnotationSidebar)
        assert len(sidebar.entries) == 3
        sidebar.focus()
        await pilot.press("f")
        assert isinstance(app.screen, TagPicker)
        assert [c.name for c in app.screen.choices] == ["AI", "AI/ml", "pay"]
        await type_text(pilot, "AI")
        await pilot.press("enter")
        await pilot.pause()
        assert [e.quote for e in sidebar.entries] == ["machine", "product"]
        assert "#AI · 2 of 3" in str(screen.query_one("#sidebar-title").render())
        assert len(screen.pane.highlights) == 3  # the text still shows every highlight
        await pilot.press("f")
        await pilot.pause()
        assert len(sidebar.entries) == 3


async def test_filters_on_a_renamed_tag_are_dropped(sample_ws: Workspace) -> None:
    from textual.widgets import DataTable

    from reader.screens.codebook import CodebookScreen

    store = AnnotationStore(sample_ws)
    _tag_two_articles(store)  # JOB: pay, GAMES: AI/jobs
    app = ReaderApp(store, JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = _main(app)
        screen.articles.set_filter(ArticleFilter(tag="pay"))
        screen.highlights_column.set_tag_filter("pay")
        assert [r.id for r in screen.query_one(ArticleList).rows] == [JOB]
        await pilot.press("T")
        await pilot.pause()
        codebook = app.screen
        assert isinstance(codebook, CodebookScreen)
        table = codebook.query_one(DataTable)
        await pilot.press("home")
        for _ in range([r.name for r in codebook.rows].index("pay")):
            await pilot.press("down")
        assert codebook.rows[table.cursor_row].name == "pay"
        await pilot.press("r", "ctrl+u")
        await type_text(pilot, "salary")
        await pilot.press("enter")
        await pilot.pause()
        await app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is screen
        assert screen.articles.filter == ArticleFilter()
        assert screen.highlights_column.tag_filter is None
        assert len(screen.query_one(ArticleList).rows) == 10
        assert [n for e in screen.query_one(AnnotationSidebar).entries for n, _ in e.tags] == [
            "salary"
        ]


def test_filter_articles_keeps_the_order_of_what_it_admits() -> None:
    rows = [
        ListedArticle("new", "The Ledger Line", "2023-08-02", read=False, highlights=2),
        ListedArticle("old", "The Ledger Line", "2023-07-01", read=True, highlights=0),
        ListedArticle("undated", "Picket Post", "", read=False, highlights=1),
    ]
    assert filter_articles(rows, ArticleFilter()) == rows
    assert filter_articles(rows, ArticleFilter()) is not rows  # a list of its own
    assert [r.id for r in filter_articles(rows, ArticleFilter(unread=True))] == ["new", "undated"]
    assert [r.id for r in filter_articles(rows, ArticleFilter(annotated=True))] == [
        "new",
        "undated",
    ]
    assert [r.id for r in filter_articles(rows, ArticleFilter(since="2023-07"))] == ["new", "old"]
    tags = {"old": {"AI/likeness"}, "undated": {"pay"}}
    assert [r.id for r in filter_articles(rows, ArticleFilter(tag="AI"), tags)] == ["old"]
    assert filter_articles(rows, ArticleFilter(tag="AI")) == []  # no tags known: none has it


async def test_the_app_and_reader_list_filter_alike(sample_ws: Workspace) -> None:
    """The app's list and ``reader list`` filter through one function: the same articles."""
    store = AnnotationStore(sample_ws)
    _tag_two_articles(store)  # JOB: pay, GAMES: AI/jobs
    wanted = ArticleFilter(tag="AI", unread=True, since="2023-07")
    listed = _list(sample_ws, "--tag", "AI", "--unread", "--since", "2023-07")
    app = ReaderApp(store, JOB)  # opening it marks it read, as the command sees it
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        screen = _main(app)
        screen.articles.set_filter(wanted)
        shown = [r.id for r in screen.query_one(ArticleList).rows]
    assert sorted(shown) == sorted(listed) == [GAMES]


@pytest.mark.parametrize("value", ["2023-13", "2023-00", "2023-02-30", "2023-04-31", "0000"])
def test_dates_off_the_calendar_are_refused(value: str) -> None:
    with pytest.raises(ValueError, match="not a date"):
        check_date(value)
    assert check_date("2024-02-29") == "2024-02-29"


def test_cli_list_refuses_a_month_13(sample_ws: Workspace) -> None:
    result = CliRunner().invoke(main, ["-w", str(sample_ws.root), "list", "--since", "2023-13"])
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [
        "Error: '2023-13' is not a date (YYYY, YYYY-MM or YYYY-MM-DD)"
    ]


async def test_filter_dialog_refuses_a_month_13(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("F", "tab", "tab", "tab", "tab")
        await type_text(pilot, "2023-13")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, FilterDialog)  # still open, with a warning
        assert _main(app).articles.filter == ArticleFilter()


def test_sources_match_in_any_case(sample_ws: Workspace) -> None:
    assert _admits(ArticleFilter(source="the ledger line"))
    assert not _admits(ArticleFilter(source="the ledger"))
    assert len(_list(sample_ws, "--source", "THE LEDGER LINE")) == 2
