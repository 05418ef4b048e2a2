"""The command palette's commands on the main screen: every key of the screen, the reading
pane, the sidebar and the article list's own (sort, find by title) by name, and one "Keys"
entry that opens the help screen.

The commands are made from the bindings themselves (:data:`COMMANDS` only names them), so a
key added to one of the three without a palette name fails ``tests/test_palette.py`` rather
than going missing from the palette.
"""

from __future__ import annotations

from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING, Literal

from textual.app import SystemCommand
from textual.binding import Binding, BindingType

from reader.dialogs.help import key_label

if TYPE_CHECKING:
    from textual.widget import Widget

    from reader.screens.main import MainScreen

Target = Literal["screen", "pane", "sidebar", "list", "column"]

# (where the binding is, its action) -> the palette's title and help line. Titles hold the
# words people search for ("delete", "filter", "next", "sentence", "mark"): the palette
# matches titles only.
COMMANDS: dict[tuple[Target, str], tuple[str, str]] = {
    ("screen", "highlight"): ("Highlight selection", "Highlight the selected text"),
    ("screen", "tag"): ("Tag", "Tag the selection or the highlight under the cursor"),
    ("screen", "note"): ("Note", "Write a note on the selection or highlight"),
    ("screen", "memo"): ("Article memo", "Write the open article's memo, many lines"),
    ("screen", "delete"): ("Delete highlight", "Delete the highlight under the cursor"),
    ("screen", "undo"): ("Undo", "Undo the last highlight, tag, note, delete or code"),
    ("screen", "redo"): ("Redo", "Make again the change undo took back last"),
    ("screen", "jump(-1)"): ("Previous highlight", "Move to the previous highlight"),
    ("screen", "jump(1)"): ("Next highlight", "Move to the next highlight"),
    ("screen", "coder_view"): (
        "Show one coder's highlights",
        "Every coder's highlights, each coder's in turn, every coder's again",
    ),
    ("screen", "find"): ("Find in article", "Find text in the open article"),
    ("screen", "search"): (
        "Search all articles",
        "Words, phrases or a regex in every article; code the matches",
    ),
    ("screen", "export"): ("Export annotations", "Write highlights to a file"),
    ("screen", "import"): ("Import articles", "Files, folders, URLs or feeds"),
    ("screen", "filter"): (
        "Filter articles",
        "Show only the articles with a tag, unread, annotated, from a source or dates",
    ),
    ("screen", "codebook"): (
        "Tag manager",
        "Rename, merge, recolour, describe and delete tags",
    ),
    ("screen", "statistics"): (
        "Statistics",
        "Highlights per tag and article, tags together",
    ),
    ("screen", "highlights"): (
        "All highlights",
        "Every highlight of every article, by tag or article; filter, open, export",
    ),
    ("screen", "agreement"): (
        "Agreement between coders",
        "Per tag: percent agreement, kappa, alpha; the passages only one coder marked",
    ),
    ("screen", "toggle_list"): ("Toggle article list", "Show or hide the article list"),
    ("screen", "toggle_sidebar"): ("Toggle highlights sidebar", "Show or hide the sidebar"),
    ("screen", "help"): ("Keys", "Every key of the app, by where it works"),
    ("pane", "move('left')"): ("Move left", "Cursor one character left"),
    ("pane", "move('right')"): ("Move right", "Cursor one character right"),
    ("pane", "move('up')"): ("Move up", "Cursor one line up"),
    ("pane", "move('down')"): ("Move down", "Cursor one line down"),
    ("pane", "move('word')"): ("Next word", "Cursor to the next word"),
    ("pane", "move('word_back')"): ("Previous word", "Cursor to the previous word"),
    ("pane", "move('sentence')"): ("Next sentence", "Cursor to the next sentence"),
    ("pane", "move('sentence_back')"): ("Previous sentence", "Cursor to the previous sentence"),
    ("pane", "move('paragraph')"): ("Next paragraph", "Cursor to the next paragraph"),
    ("pane", "move('paragraph_back')"): (
        "Previous paragraph",
        "Cursor to the previous paragraph",
    ),
    ("pane", "move('start')"): ("Start of article", "Cursor to the start"),
    ("pane", "move('end')"): ("End of article", "Cursor to the end"),
    ("pane", "move('page_down')"): ("Page down", "One screen down"),
    ("pane", "move('page_up')"): ("Page up", "One screen up"),
    ("pane", "move('word_end')"): ("End of word", "Cursor to the end of the word (selecting)"),
    ("pane", "extend('left')"): ("Extend selection left", "Selection one character left"),
    ("pane", "extend('right')"): ("Extend selection right", "Selection one character right"),
    ("pane", "extend('up')"): ("Extend selection up", "Selection one line up"),
    ("pane", "extend('down')"): ("Extend selection down", "Selection one line down"),
    ("pane", "visual"): (
        "Set mark (start a selection)",
        "Start a selection at the cursor; motions extend it",
    ),
    ("pane", "select_sentence"): ("Select sentence", "Select the sentence under the cursor"),
    ("pane", "select_paragraph"): ("Select paragraph", "Select the paragraph under the cursor"),
    ("pane", "clear_selection"): ("Cancel selection", "Drop the selection and the mark"),
    ("pane", "next_match(1)"): ("Next match", "The next match of the find"),
    ("pane", "next_match(-1)"): ("Previous match", "The previous match of the find"),
    ("sidebar", "select"): ("Edit note of sidebar highlight", "Edit the selected highlight's note"),
    ("sidebar", "back_to_text(True)"): (
        "Show sidebar highlight in the text",
        "Below 100 columns: back to the text, at the sidebar's highlight",
    ),
    ("sidebar", "back_to_text(False)"): (
        "Back to the text",
        "Below 100 columns: back to the text as it was",
    ),
    ("sidebar", "reattach"): (
        "Re-attach orphan to selection",
        "Attach the sidebar's orphan to the text selected in the reading pane",
    ),
    ("list", "manage('delete')"): (
        "Delete article to the trash",
        "Delete the article under the list's cursor, with its highlights (u undoes)",
    ),
    ("list", "manage('archive')"): (
        "Archive article",
        "Archive or unarchive the article under the list's cursor",
    ),
    ("list", "manage('read')"): (
        "Mark article read or unread",
        "Mark the article under the list's cursor read or unread",
    ),
    ("list", "manage('details')"): (
        "Edit article details",
        "Title, author, site and publication date of the article under the list's cursor",
    ),
    ("sidebar", "filter"): (
        "Filter highlights by tag",
        "Show only the sidebar's highlights with one tag; again shows all",
    ),
    ("column", "cycle_sort"): ("Sort articles", "Order the list by date, title or highlights"),
    ("column", "find_title"): ("Find article by title", "Narrow the article list as you type"),
}

# Bindings with no command of their own: the screen's "Delete highlight" already deletes the
# sidebar's highlight when the sidebar has the focus, and Textual's own "Quit" runs the
# app's quit, which asks about an unsaved note as q does.
SAME_AS_ANOTHER: frozenset[tuple[Target, str]] = frozenset(
    {("sidebar", "delete"), ("screen", "quit")}
)


def bindings(screen_bindings: list[BindingType]) -> Iterator[tuple[Target, Binding]]:
    """Every binding the palette covers, with where it is: the main screen's own
    (``screen_bindings``), the reading pane's, the sidebar's, the article list's keys that
    manage an article (its moving keys are the list's alone) and the article column's (sort,
    find by title)."""
    from reader.widgets.annotation_sidebar import AnnotationSidebar
    from reader.widgets.article_list import ArticleColumn, ArticleList
    from reader.widgets.reading_pane import ReadingPane

    targets: tuple[tuple[Target, list[BindingType]], ...] = (
        ("screen", screen_bindings),
        ("pane", list(ReadingPane.BINDINGS)),
        ("sidebar", list(AnnotationSidebar.BINDINGS)),
        ("list", list(ArticleList.MANAGING)),
        ("column", list(ArticleColumn.BINDINGS)),
    )
    for target, listed in targets:
        for binding in listed:
            if isinstance(binding, Binding):
                yield target, binding


def main_screen_commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """The palette's commands for ``screen``: each runs its binding's action where the key
    would, and its help line ends with the key."""
    from reader.widgets.article_list import ArticleList

    nodes: dict[Target, Widget] = {
        "screen": screen,
        "pane": screen.pane,
        "sidebar": screen.sidebar,
        "list": screen.query_one(ArticleList),
        "column": screen.articles,
    }
    for target, binding in bindings(list(screen.BINDINGS)):
        named = COMMANDS.get((target, binding.action))
        if named is None:
            continue
        title, help_text = named
        keys = ", ".join(key_label(k.strip()) for k in binding.key.split(","))
        yield SystemCommand(
            title, f"{help_text} · key {keys}", partial(nodes[target].run_action, binding.action)
        )
