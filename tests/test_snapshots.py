"""Snapshots of the main screens (pytest-textual-snapshot). Update with --snapshot-update."""

from __future__ import annotations

from typing import Any

import pytest

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp

ARTICLE = "netflix-ai-job-picket-line"


@pytest.fixture
def annotated_app(sample_ws: Workspace) -> ReaderApp:
    """The sample corpus with two highlights on the open article, one tagged and noted."""
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    quote = "$300,000 to $900,000"
    start = text.index(quote)
    store.add_highlight(ARTICLE, start, start + len(quote), tags=["pay"], note="The range.")
    start = text.index("health")
    store.add_highlight(ARTICLE, start, start + 30, tags=["health-plan"])
    return ReaderApp(store, ARTICLE)


def test_main_screen(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(140, 40), press=["}", "s"])


def test_main_screen_80x24(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(80, 24))


def test_help_screen(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(120, 40), press=["question_mark"])


def test_tag_picker(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(120, 40), press=["s", "t", "p"])


def test_main_screen_80x24_with_the_sidebar(snap_compare: Any, annotated_app: ReaderApp) -> None:
    # Below 100 columns A shows the highlights in place of the list and the text (U6).
    assert snap_compare(annotated_app, terminal_size=(80, 24), press=["A"])


def test_help_screen_80x24(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(80, 24), press=["question_mark"])


async def _note_editor_open(pilot: Any) -> None:
    from textual.widgets import TextArea

    from tests.waits import settle

    await settle(pilot)
    await pilot.press("}", "s", "c")
    await pilot.pause()
    # The cursor shown, not blinking: a blink timer that fires on a loaded machine before
    # the picture is taken would hide it.
    pilot.app.screen.query_one(TextArea).cursor_blink = False
    await pilot.pause()


def test_note_editor_80x24(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(80, 24), run_before=_note_editor_open)


async def _details_open(pilot: Any) -> None:
    from reader.widgets.article_list import ArticleList

    await pilot.pause()
    pilot.app.screen.query_one(ArticleList).focus()
    await pilot.press("E")
    await pilot.pause()
    await pilot.press("tab", "tab", "tab")  # to the date: the focused field's look too
    await pilot.pause()
    pilot.app.screen.focused.cursor_blink = False
    await pilot.pause()


def test_details_dialog_80x24(snap_compare: Any, annotated_app: ReaderApp) -> None:
    assert snap_compare(annotated_app, terminal_size=(80, 24), run_before=_details_open)


async def _agreement_on_a_passage(pilot: Any) -> None:
    from tests.waits import settle

    await pilot.press("K")
    await settle(pilot)
    await pilot.press("down", "down", "down")  # #strikes: a passage only ana marked
    await pilot.pause()


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
def test_agreement_screen(snap_compare: Any, sample_ws: Workspace, size: tuple[int, int]) -> None:
    from tests.test_agreement_screen import code_two

    code_two(sample_ws)
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    assert snap_compare(app, terminal_size=size, run_before=_agreement_on_a_passage)


def test_main_screen_two_coders(snap_compare: Any, sample_ws: Workspace) -> None:
    """Two coders' highlights, overlapping: each coder's mark over the tag colour, and the
    sidebar's title as the legend (issue 18)."""
    from tests.test_coder_view import ARTICLE as OPEN
    from tests.test_coder_view import _two_coders

    _two_coders(sample_ws)
    app = ReaderApp(AnnotationStore(sample_ws, coder="ana"), OPEN)
    assert snap_compare(app, terminal_size=(140, 40), press=["}"])
