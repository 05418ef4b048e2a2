"""No control character from content reaches the terminal from the app (reliability findings D4).

A workspace whose title, author, site, body, tags, tag description and note carry escape sequences
(OSC 0 window title, OSC 52 clipboard, OSC 8 link, CSI), BEL, C1 controls, bidi overrides,
zero-width characters and Textual markup is opened, and every screen that shows them is
visited by key presses. After each step, what Textual would send the terminal for the whole
screen (every strip rendered with its styles, as the driver writes it) holds colour sequences
and nothing else, and the payload is on the screen, shown.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.terminal_safe import terminal_safe
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.dialogs.article_filter import FilterDialog
from reader.dialogs.codebook_dialogs import TextPrompt
from reader.dialogs.note_editor import NoteEditor
from reader.dialogs.tag_picker import TagPicker
from reader.screens.codebook import CodebookScreen
from reader.screens.main import MainScreen
from reader.screens.search import SearchScreen
from reader.screens.statistics import StatisticsScreen
from reader.text_layout import CURSOR_MARK
from reader.textual_private import screen_strips
from reader.widgets.reading_pane import ReadingPane
from tests.waits import settle, type_text

PAYLOAD = (
    "\x1b]0;PWNED-TITLE\x07 \x1b]52;c;UFdORUQtQ0xJUA==\x07 \x1b[31mRED\x1b[0m "
    "\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\ \x9b2J \x9d0;C1-TITLE\x9c "
    "\x1b[2J \u202egnp.exe \u2066iso\u2069 a\u200bb [@click=app.quit]markup[/] [/]"
)
NOTE = f"note {PAYLOAD}"
TAGS = ["tag\u202eflip", "a\u200b", "[b]bold"]  # ("/" would nest)
ARTICLE = "hostile"


@pytest.fixture
def store(tmp_path: Path) -> AnnotationStore:
    workspace = Workspace(tmp_path / "ws \x1b]0;DIR-PWN\x07")
    opened = AnnotationStore(workspace)
    opened.library.save(
        Article(
            ARTICLE,
            f"Evil {PAYLOAD}",
            "First paragraph about faces.\n\nSecond paragraph about faces and unions.\n\n"
            f"Body {PAYLOAD}\n",
            author=f"Author {PAYLOAD}",
            site=f"Site {PAYLOAD}",
            published="2024-01-02",
        )
    )
    opened.library.save(Article("plain", "Plain", "Another article about faces.\n"))
    text = opened.library.display(ARTICLE).text
    start = text.index("Second paragraph")
    opened.add_highlight(ARTICLE, start, start + 16, tags=TAGS, note=NOTE)
    opened.update_tag(TAGS[0], description=f"described {PAYLOAD}")
    return opened


def sent(pilot: Pilot[None]) -> str:
    """What Textual sends the terminal to draw the active screen now."""
    app = pilot.app
    strips = screen_strips(app.screen)
    return "\n".join(strip.render(app.console) for strip in strips)


def assert_safe(pilot: Pilot[None], *visible: str) -> None:
    output = sent(pilot)
    sequences = re.findall(r"\x1b[^\[]|\x1b\[[0-9;:]*[^0-9;:]", output)
    assert all(seq.startswith("\x1b[") and seq.endswith("m") for seq in sequences), sequences
    text = re.sub(r"\x1b\[[0-9;:]*m", "", output)
    bad = [ch for ch in text if unicodedata.category(ch) in ("Cc", "Cf") and ch != "\n"]
    assert bad == [], type(pilot.app.screen).__name__
    for needle in visible:
        if needle not in text:
            print(text)
        assert needle in text, (needle, type(pilot.app.screen).__name__)


async def test_every_screen_shows_the_payload_and_sends_none_of_it(
    store: AnnotationStore, tmp_path: Path
) -> None:
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:  # toasts drawn
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        # Header (workspace folder and title), article list (title, site), sidebar (quote,
        # tags, note).
        assert_safe(pilot, "PWNED-TITLE", "DIR-PWN", "<U+202E>", "markup[/]", "#[b]bold")

        await pilot.press("i")  # an import whose file name carries the payload: the toast
        app.screen.query_one("#import-source", TextArea).text = str(tmp_path / f"x{PAYLOAD}.md")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, MainScreen)
        assert_safe(pilot, "PWNED-TITLE")
        assert app.return_code is None  # [@click=app.quit] in it was not an action

        await pilot.press("ctrl+f")
        await type_text(pilot, "faces")
        await settle(pilot)
        assert isinstance(app.screen, SearchScreen)
        assert_safe(pilot, "PWNED-TITLE", "faces")
        await pilot.press("ctrl+n")  # notes and quotes
        app.screen.query_one("#search-input", Input).value = "note"
        await settle(pilot)
        assert_safe(pilot, "PWNED-TITLE", "note")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("T")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen)
        assert_safe(pilot, "tag<U+202E>flip", "described", "a<U+200B>")
        for row, shown in enumerate(["#[b]bold", "#a<U+200B>", "#tag<U+202E>flip"]):
            await pilot.press("home", *["down"] * row, "r")  # the rename prompt names the tag
            await settle(pilot)
            assert isinstance(app.screen, TextPrompt)
            assert_safe(pilot, f"Rename {shown}")
            await pilot.press("escape")
            await settle(pilot)
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("percent_sign")
        await settle(pilot)
        assert isinstance(app.screen, StatisticsScreen)
        assert_safe(pilot, "tag<U+202E>flip", "PWNED")
        await pilot.press("escape")
        await settle(pilot)

        assert isinstance(app.screen, MainScreen)
        await pilot.press("right_square_bracket", "t")  # the tag picker on the highlight
        await settle(pilot)
        assert isinstance(app.screen, TagPicker)
        assert_safe(pilot, "a<U+200B>", "[b]bold")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("c")  # the note editor
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert_safe(pilot, "PWNED-TITLE")
        await pilot.press("escape")
        await settle(pilot)

        await pilot.press("F")  # the filter dialog, its tag list open
        await settle(pilot)
        assert isinstance(app.screen, FilterDialog)
        await pilot.press("enter")
        await settle(pilot)
        assert_safe(pilot, "<U+202E>")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert app.return_code is None
    # Nothing was changed by looking: the note and the tags are as they were written.
    (highlight,) = store.highlights(ARTICLE)
    assert highlight.note == NOTE and highlight.tags == TAGS


async def test_saving_an_unchanged_note_keeps_it_as_written(store: AnnotationStore) -> None:
    """The editor shows the note made safe; saving it untouched changes nothing."""
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "c")
        await settle(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
    (highlight,) = store.highlights(ARTICLE)
    assert highlight.note == NOTE


async def test_editing_a_note_changes_only_what_was_edited(store: AnnotationStore) -> None:
    """The editor shows the note made safe; typed at its end, every control and invisible
    character of it is saved as it was, not as the ``�`` or ``<U+202E>`` shown for it."""
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("right_square_bracket", "c")
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        assert app.screen.query_one(TextArea).text == terminal_safe(NOTE, multiline=True)
        await pilot.press("ctrl+end", "Z", "ctrl+s")
        await settle(pilot)
    (highlight,) = store.highlights(ARTICLE)
    assert highlight.note == NOTE + "Z"


async def test_renaming_and_describing_a_tag_changes_only_what_was_edited(
    store: AnnotationStore,
) -> None:
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("T")
        await settle(pilot)
        await pilot.press("home", "down", "down", "r")  # tag<U+202E>flip
        await settle(pilot)
        assert isinstance(app.screen, TextPrompt)
        assert app.screen.query_one(Input).value == "tag<U+202E>flip"
        await pilot.press("end", "s", "enter")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen)
        await pilot.press("home", "down", "down", "e")  # its description, now a memo
        await settle(pilot)
        assert isinstance(app.screen, NoteEditor)
        shown = terminal_safe(f"described {PAYLOAD}", multiline=True)
        assert app.screen.query_one(TextArea).text == shown
        await pilot.press("Z", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, CodebookScreen)
    (highlight,) = store.highlights(ARTICLE)
    assert highlight.tags == ["tag\u202eflips", "a\u200b", "[b]bold"]
    (tag,) = [t for t in store.tags() if t.name == "tag\u202eflips"]
    assert tag.description == f"described {PAYLOAD}Z"


# The reading pane draws the display text, which keeps every character of the body (offsets are
# the highlights' contract): invisible format characters are left out where it draws, except a
# joiner that joins (an emoji sequence, Persian text), which is drawn with its neighbours.
CODER = "\U0001f469\u200d\U0001f4bb"  # woman technologist: woman, ZWJ, laptop
PERSIAN = "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"  # "I want", with a ZWNJ
INVISIBLE_BODY = (
    "# Flipped \u202edcba\n\n"
    f"zero\u200bwidth, \u2066isolated\u2069, \u200fmarked and \ufeffbom. {CODER} codes; "
    f"{PERSIAN} joins.\n"
)


def under_cursor(app: ReaderApp) -> list[str]:
    """The text of the reading pane's segments drawn in the cursor's colours, as it renders them."""
    pane = app.screen.query_one(ReadingPane)
    cursor = pane.get_component_rich_style("reading-pane--cursor", partial=True)
    return [
        segment.text
        for y in range(pane.size.height)
        for segment in pane.render_line(y)
        if segment.style is not None and segment.style.bgcolor == cursor.bgcolor
    ]


async def test_the_reading_pane_sends_no_invisible_character(tmp_path: Path) -> None:
    opened = AnnotationStore(Workspace(tmp_path / "ws"))
    opened.library.save(Article("flipped", "Flipped", INVISIBLE_BODY))
    text = opened.library.display("flipped").text
    assert "\u202e" in text and "\u200b" in text  # the display text keeps them
    app = ReaderApp(opened, "flipped")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        output = sent(pilot)
        shown = re.sub(r"\x1b\[[0-9;:]*m", "", output)
        for char in "\u202e\u200b\u2066\u2069\u200f\ufeff":
            assert char not in output, f"U+{ord(char):04X} sent"
        for words in ("Flipped dcba", "zerowidth, isolated, marked and bom.", "codes;"):
            assert words in shown, words
        # Joined sequences are sent whole, no colour sequence between their parts.
        assert CODER in output and PERSIAN in output


async def test_a_cursor_on_an_invisible_character_shows(tmp_path: Path) -> None:
    opened = AnnotationStore(Workspace(tmp_path / "ws"))
    opened.library.save(Article("flipped", "Flipped", INVISIBLE_BODY))
    text = opened.library.display("flipped").text
    app = ReaderApp(opened, "flipped")
    async with app.run_test(size=(120, 30)) as pilot:
        await settle(pilot)
        pane = app.screen.query_one(ReadingPane)
        pane.focus()
        pane.move_to(text.index("zero") + 3)
        await pilot.press("right")  # onto the zero-width space
        await pilot.pause()
        assert pane.cursor == text.index("\u200b")
        assert under_cursor(app) == [CURSOR_MARK]
        assert "\u200b" not in sent(pilot)
        # On any part of an emoji sequence, the whole sequence is the cursor, drawn whole.
        for part in range(3):
            pane.move_to(text.index(CODER) + part)
            await pilot.pause()
            assert under_cursor(app) == [CODER], part
            assert CODER in sent(pilot)
