"""The highlights view's screen (H): filter, open with the highlight selected, export what it
shows; snapshots at 120x40 and 80x24."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.export import ExportDialog
from reader.screens.highlights import HighlightsScreen
from reader.screens.main import MainScreen
from reader.widgets.highlights_list import HighlightsList
from tests.test_highlights_view import GAMES, JOB, code_samples
from tests.waits import paste, settle, until


@pytest.fixture
def coded(sample_ws: Workspace) -> AnnotationStore:
    return code_samples(sample_ws)


def _quotes(items: Any) -> set[str]:
    return {item.highlight.quote for item in items}


# -- the H screen --------------------------------------------------------------------------------
async def test_h_filters_opens_with_the_highlight_selected_and_exports_what_it_shows(
    coded: AnnotationStore, tmp_path: Path
) -> None:
    app = ReaderApp(coded, JOB)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("H")
        screen = app.screen
        assert isinstance(screen, HighlightsScreen)
        await until(pilot, lambda: screen.view is not None, "the highlights to be read")
        listing = screen.query_one(HighlightsList)
        first = listing.current
        assert first is not None and first.highlight.quote == "Machine Learning Platform"
        # / then words: the list keeps what matches, as it is typed.
        await pilot.press("slash")
        await paste(pilot, "ai")
        await pilot.press("enter")
        assert screen.view is not None and _quotes(screen.view.items) == {
            "generative AI",
            "Machine Learning Platform",
        }
        assert listing.has_focus
        # e: the export dialog, for exactly these; its write keeps only them.
        await pilot.press("e")
        assert isinstance(app.screen, ExportDialog)
        await pilot.press("end", "ctrl+u")
        await paste(pilot, str(tmp_path / "shown.json"))
        await pilot.press("enter")
        await settle(pilot)
        data = json.loads((tmp_path / "shown.json").read_text())
        written = {h["id"] for a in data["articles"] for h in a["highlights"]}
        assert written == set(screen.view.ids)
        assert app.screen is screen  # back in the view
        # g groups by article; down and enter open the second one, selected.
        await pilot.press("g", "down", "enter")
        main_screen = app.screen
        assert isinstance(main_screen, MainScreen)
        expected = coded.get_highlight(GAMES, screen.view.groups[1].items[0].id)
        assert expected.quote == "generative AI"
        assert main_screen.article_id == GAMES
        assert main_screen.pane.selection == (expected.start, expected.end)
        # H again opens it as it was left.
        await pilot.press("H")
        again = app.screen
        assert isinstance(again, HighlightsScreen)
        await until(pilot, lambda: again.view is not None, "the highlights to be read")
        assert again.view is not None and again.view.by == "article"
        assert len(again.view.items) == 2
        await pilot.press("escape")
        assert app.screen is main_screen


# -- snapshots -----------------------------------------------------------------------------------
async def _open_view(pilot: Any) -> None:
    await pilot.press("H")
    screen = pilot.app.screen
    await until(pilot, lambda: screen.view is not None, "the highlights to be read")
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_highlights_view_snapshot(
    snap_compare: Any, coded: AnnotationStore, size: tuple[int, int]
) -> None:
    assert snap_compare(ReaderApp(coded, JOB), terminal_size=size, run_before=_open_view)
