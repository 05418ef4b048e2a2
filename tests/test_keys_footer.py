"""The footer: one widget that draws the keys of the focused widget and the screen as Textual's
``Footer`` draws them (tests/test_snapshots.py compares the look), and answers the mouse as it
does: a click presses a key, a disabled key is dim and rings the bell, the key under the mouse
is lit and shows its tooltip."""

from __future__ import annotations

import itertools

import pytest
from rich.style import Style
from textual import events
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Static

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.help import HelpScreen
from reader.textual_private import screen_strips
from reader.widgets.keys_footer import KeysFooter
from reader.widgets.reading_pane import ReadingPane

ARTICLE = "netflix-ai-job-picket-line"


def last_row(app: App[object]) -> str:
    return screen_strips(app.screen)[-1].text


def columns_of(footer: KeysFooter, description: str) -> tuple[int, int]:
    """The columns of the key whose description is ``description``."""
    for key, span in zip(footer.keys, footer.spans, strict=True):
        if key.description == description:
            return span
    raise AssertionError(f"no key {description!r} in {[k.description for k in footer.keys]}")


class Keys(App[None]):
    """Three keys: one that works, one the app says cannot be used now, one with a tooltip."""

    BINDINGS = [
        Binding("x", "count", "Count"),
        Binding("y", "later", "Later"),
        Binding("z", "count", "Count too", tooltip="Counts again", show=False),
        Binding("w", "tip", "Tip", tooltip="A key with a tooltip"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.counted = 0
        self.bells = 0

    def compose(self) -> ComposeResult:
        yield Static("body")
        yield KeysFooter()

    def action_count(self) -> None:
        self.counted += 1

    def action_tip(self) -> None:
        pass

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return None if action == "later" else True  # None: shown, but disabled

    def bell(self) -> None:
        self.bells += 1


async def test_a_click_presses_the_key_and_a_disabled_key_rings_the_bell() -> None:
    app = Keys()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        assert " x Count  y Later  w Tip " in last_row(app)
        start, end = columns_of(footer, "Count")
        await pilot.click(KeysFooter, offset=(start, 0))
        await pilot.click(KeysFooter, offset=(end - 1, 0))
        assert app.counted == 2
        start, _ = columns_of(footer, "Later")
        await pilot.click(KeysFooter, offset=(start + 1, 0))
        assert (app.counted, app.bells) == (2, 1)
        await pilot.click(KeysFooter, offset=(60, 0))  # between the keys and the palette's
        assert (app.counted, app.bells) == (2, 1)


async def test_a_disabled_key_is_dim_and_the_others_are_not() -> None:
    app = Keys()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        # Textual draws dim text in a colour between the text's and the background's.
        colours = {
            segment.text.strip(): (segment.style or Style()).color
            for segment in screen_strips(app.screen)[-1]
        }
        assert colours["x"] == colours["w"] != colours["y"]
        assert colours["Count"] == colours["Tip"] != colours["Later"]


async def test_the_key_under_the_mouse_is_lit_and_shows_its_tooltip() -> None:
    app = Keys()
    async with app.run_test(size=(120, 10)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        start, end = columns_of(footer, "Tip")

        def backgrounds() -> list[object]:
            cells: list[object] = []
            for segment in screen_strips(app.screen)[-1]:
                style = segment.style or Style()
                cells.extend([style.bgcolor] * len(segment.text))
            return cells

        before = backgrounds()
        await pilot.hover(KeysFooter, offset=(start + 1, 0))
        await pilot.pause()
        assert footer.tooltip == "A key with a tooltip"
        lit = backgrounds()
        assert set(lit[start:end]) != set(before[start:end])  # the key under the mouse
        assert lit[:start] == before[:start] and lit[end:] == before[end:]  # only it
        await pilot.hover(Static)
        await pilot.pause()
        assert footer.tooltip is None
        assert backgrounds() == before


async def test_the_keys_shown_fit_and_help_and_quit_are_always_there(sample_ws: Workspace) -> None:
    """At each width the terminal is resized to, across the narrow breakpoint both ways."""
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 24)) as pilot:
        for width in [60, 80, 99, 100, 120, 99, 140]:
            await pilot.resize_terminal(width, 24)
            await pilot.pause()
            await pilot.pause()
            footer = app.screen.query_one(KeysFooter)
            row = last_row(app)
            assert len(row) == width
            assert "? Help" in row and "q Quit" in row, (width, row)
            spans = footer.spans
            assert all(0 <= start < end <= width for start, end in spans)
            assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))  # no overlap
            for key, (start, end) in zip(footer.keys, spans, strict=True):
                assert key.description in row[start:end]  # each where it is said to be
            assert ("^p palette" in row) is (width >= 100), (width, row)


async def test_the_keys_are_worked_out_again_only_when_they_change(sample_ws: Workspace) -> None:
    """The screen tells the footer its bindings may have changed at every change of focus and
    of any reactive bindings depend on; the footer draws its line again only when the keys
    differ."""
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        shown = footer.keys
        assert shown
        app.screen.refresh_bindings()  # what a focus change or a bindings reactive does
        await pilot.pause()
        await pilot.pause()
        assert footer.keys is shown
        app.screen.query_one("#articles").focus()  # the list's keys are other keys
        await pilot.pause()
        await pilot.pause()
        assert footer.keys is not shown and footer.keys != shown
        assert "? Help" in last_row(app) and "q Quit" in last_row(app)


async def test_the_app_starts_with_the_reading_panes_keys_worked_out_once(
    sample_ws: Workspace, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The pane has the keyboard before the footer first learns the screen's bindings, so the
    footer works out its keys once, the pane's, not first the screen's and then the pane's."""
    fitted: list[list[str]] = []
    fit = KeysFooter.fitted

    def counted(footer: KeysFooter, keys: list[object]) -> list[object]:
        result = fit(footer, keys)  # type: ignore[arg-type]
        fitted.append([key.description for key in result])
        return result  # type: ignore[return-value]

    monkeypatch.setattr(KeysFooter, "fitted", counted)
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        await pilot.pause()
        assert app.focused is app.screen.query_one(ReadingPane)
        with_keys = [keys for keys in fitted if keys]
        assert len(with_keys) == 1, f"the footer's keys were worked out {len(with_keys)} times"
        assert "v Select" in last_row(app), last_row(app)  # a key of the pane


async def test_the_keyboard_goes_straight_to_the_pane_at_start(sample_ws: Workspace) -> None:
    """No widget is focused on the way: Textual's AUTO_FOCUS would give the list the keyboard
    first (a restyling and a round of bindings), then the screen's mount the pane."""
    seen: list[Message] = []
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 30), message_hook=seen.append) as pilot:
        await pilot.pause()
        focused = {type(m.widget).__name__ for m in seen if isinstance(m, events.DescendantFocus)}
        assert focused == {"ReadingPane"}


async def test_clicking_help_in_the_footer_opens_the_help(sample_ws: Workspace) -> None:
    app = ReaderApp(AnnotationStore(sample_ws), ARTICLE)
    async with app.run_test(size=(120, 30)) as pilot:
        await pilot.pause()
        footer = app.screen.query_one(KeysFooter)
        start, _ = columns_of(footer, "Help")
        await pilot.click(KeysFooter, offset=(start + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
