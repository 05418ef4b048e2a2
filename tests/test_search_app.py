"""The search screen (ctrl+f) driven by real key presses: jump to a match, bulk code, undo."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Label

from annotations.store import AnnotationStore
from corpus.library import Library
from corpus.search import SearchIndex
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.tag_picker import TagPicker
from reader.screens.main import MainScreen
from reader.screens.search import ConfirmCode, SearchScreen
from reader.textual_private import notifications_shown
from tests.waits import settle, type_text

PHRASE = '"the union"'


async def _search(pilot: Pilot[None], query: str) -> None:
    """Open the search screen, type ``query`` and wait for its results."""
    await pilot.press("ctrl+f")
    assert isinstance(pilot.app.screen, SearchScreen)
    await type_text(pilot, query)
    await settle(pilot)


def _status(app: ReaderApp) -> str:
    return str(app.screen.query_one("#search-status", Label).content)


def _spans(store: AnnotationStore) -> list[tuple[str, int, int]]:
    return sorted((h.article_id, h.start, h.end) for h in store.all_highlights())


async def test_enter_opens_the_article_with_the_match_selected(sample_ws: Workspace) -> None:
    expected = SearchIndex(Library(sample_ws)).search(PHRASE)
    app = ReaderApp(AnnotationStore(sample_ws))
    async with app.run_test(size=(120, 40)) as pilot:
        await _search(pilot, PHRASE)
        articles = len({m.article_id for m in expected})
        assert _status(app).startswith(f"{len(expected)} matches in {articles} articles")
        await pilot.press("down", "enter")  # the second match
        screen = app.screen
        assert isinstance(screen, MainScreen)
        second = expected[1]
        assert screen.article_id == second.article_id
        assert screen.pane.selection == (second.start, second.end)
        assert screen.pane.has_focus
        text = screen.store.library.display(second.article_id).text
        assert text[second.start : second.end].lower() == "the union"

        # ctrl+f again shows the same query; enter goes to the first match.
        await pilot.press("ctrl+f")
        await settle(pilot)
        assert _status(app).startswith(f"{len(expected)} matches")
        await pilot.press("enter")
        first = expected[0]
        assert screen.article_id == first.article_id
        assert screen.pane.selection == (first.start, first.end)


async def test_bulk_code_preview_confirm_and_undo(sample_ws: Workspace) -> None:
    expected = SearchIndex(Library(sample_ws)).search(PHRASE)
    articles = len({m.article_id for m in expected})
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _search(pilot, PHRASE)
        await pilot.press("ctrl+t")
        assert isinstance(app.screen, TagPicker)
        await type_text(pilot, "unions")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmCode)
        question = str(app.screen.query_one("#code-question", Label).content)
        assert question == f"Code {len(expected)} matches in {articles} articles with #unions?"
        await pilot.press("enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert _spans(store) == sorted((m.article_id, m.start, m.end) for m in expected)
        assert all(h.tags == ["unions"] for h in store.all_highlights())
        assert store.tag_counts() == {"unions": len(expected)}
        assert sum(row.highlights for row in screen.query_one("#articles").rows) == len(expected)

        await pilot.press("u")  # undone in a worker: it may rewrite many files
        await settle(pilot)
        assert _spans(store) == []
        assert "unions" not in {t.name for t in store.tags()}
        assert sum(row.highlights for row in screen.query_one("#articles").rows) == 0


async def test_escape_on_the_preview_codes_nothing(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _search(pilot, PHRASE)
        await pilot.press("ctrl+t")
        await type_text(pilot, "unions")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmCode)
        await pilot.press("escape")
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("ctrl+t", "escape")  # the tag picker, cancelled
        assert isinstance(app.screen, SearchScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert _spans(store) == []
        assert store.tags() == []


async def test_an_article_changed_after_the_preview_is_not_coded(sample_ws: Workspace) -> None:
    expected = SearchIndex(Library(sample_ws)).search(PHRASE)
    store = AnnotationStore(sample_ws)
    app = ReaderApp(store)
    async with app.run_test(size=(120, 40)) as pilot:
        await _search(pilot, PHRASE)
        await pilot.press("ctrl+t")
        await type_text(pilot, "unions")
        await pilot.press("enter")
        assert isinstance(app.screen, ConfirmCode)
        # Another program adds a match while the question is on screen.
        changed = store.library.get(expected[0].article_id)
        changed.body += "\n\nThe union said so once more.\n"
        store.library.save(changed)
        # The app's index re-checks files at most once a second (recheck_after): that second
        # has passed.
        main = app.screen_stack[1]
        assert isinstance(main, MainScreen) and main._search_index is not None
        main._search_index.recheck_after = 0
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert _spans(store) == []
        assert store.tags() == []
        (warning,) = [n for n in notifications_shown(app) if n.severity == "warning"]
        was = f"{len(expected)} matches"
        assert f"finds {len(expected) + 1} matches" in warning.message and was in warning.message


async def test_regex_mode_and_a_bad_expression(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws))
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f", "ctrl+r")
        await type_text(pilot, "digital (")
        await settle(pilot)
        assert "bad regular expression" in _status(app)
        await pilot.press("backspace")
        await type_text(pilot, r"\w+")
        await settle(pilot)
        expected = SearchIndex(Library(sample_ws)).search(r"digital \w+", regex=True)
        assert expected and _status(app).startswith(f"{len(expected)} matches")


async def test_notes_mode_finds_a_note_and_enter_selects_its_highlight(
    sample_ws: Workspace,
) -> None:
    store = AnnotationStore(sample_ws)
    article_id = "netflix-ai-job-picket-line"
    text = store.library.display(article_id).text
    start = text.index("health")
    noted = store.add_highlight(article_id, start, start + 6, note="Compare the Café survey")
    app = ReaderApp(store, "feature-the-price-of-a-face")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+f", "ctrl+n")
        await type_text(pilot, "cafe")
        await settle(pilot)
        assert _status(app).startswith("1 match in 1 article")
        await pilot.press("enter")
        screen = app.screen
        assert isinstance(screen, MainScreen)
        assert screen.article_id == article_id
        assert screen.pane.selection == (noted.start, noted.end)


def test_search_screen_snapshot(snap_compare: Any, sample_ws: Workspace) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await _search(pilot, "likeness consent")
        await pilot.press("down")

    app = ReaderApp(AnnotationStore(sample_ws))
    assert snap_compare(app, terminal_size=(110, 30), run_before=run_before)
