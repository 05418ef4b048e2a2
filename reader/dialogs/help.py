"""The help screen: every key, grouped by where it works."""

from __future__ import annotations

from rich.table import Table
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.keys import REPLACED_KEYS, key_to_character
from textual.screen import ModalScreen
from textual.widgets import Label, Static


def key_label(name: str) -> str:
    """A key as typed: "%" for percent_sign, "/" for slash; names of keys that type
    no visible character (escape, space, left) stay as they are."""
    # Textual's friendlier names (slash, minus, at) are not the Unicode names that
    # key_to_character looks up (solidus, hyphen-minus, commercial at): it finds no "/".
    character = key_to_character(REPLACED_KEYS.get(name, name))
    return character if character and character.isprintable() and character != " " else name


def _rows(bindings: list[BindingType]) -> list[tuple[str, str]]:
    rows = []
    for binding in bindings:
        if isinstance(binding, Binding):
            keys = ", ".join(key_label(k.strip()) for k in binding.key.split(","))
            rows.append((keys, binding.description))
    return rows


class HelpScreen(ModalScreen[None]):
    """Lists key bindings; any of esc, q or ? closes it."""

    BINDINGS = [Binding("escape,q,question_mark", "close", "Close help")]

    def __init__(self, groups: list[tuple[str, list[BindingType]]]) -> None:
        super().__init__()
        self.groups = groups

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog help-dialog"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                for title, bindings in self.groups:
                    table = Table(
                        title=title,
                        title_justify="left",
                        show_header=False,
                        box=None,
                        padding=(0, 2, 0, 0),
                        expand=True,
                    )
                    table.add_column("key", style="bold", no_wrap=True, width=20)
                    table.add_column("does", ratio=1)
                    for keys, description in _rows(bindings):
                        table.add_row(keys, description)
                    yield Static(table, classes="help-group")
            yield Label("esc closes", classes="dialog-hint")

    def action_close(self) -> None:
        self.dismiss(None)


def main_screen_help(annotating: list[BindingType]) -> HelpScreen:
    """The help screen of the main screen, whose own keys are ``annotating``: every key of the
    app, by the pane or screen where it works."""
    from reader.screens.agreement import agreement_keys
    from reader.screens.codebook import CodebookScreen
    from reader.screens.highlights import HighlightsScreen
    from reader.screens.search import SearchScreen
    from reader.screens.statistics import StatisticsScreen
    from reader.widgets.annotation_sidebar import AnnotationSidebar
    from reader.widgets.article_list import ArticleColumn, ArticleList
    from reader.widgets.reading_pane import ReadingPane

    return HelpScreen(
        [
            ("Reading pane", list(ReadingPane.BINDINGS)),
            ("Annotating", annotating),
            ("Sidebar", list(AnnotationSidebar.BINDINGS)),
            (
                "Article list",
                [*ArticleList.BINDINGS[:1], *ArticleList.MANAGING, *ArticleColumn.BINDINGS],
            ),
            ("Search (ctrl+f)", list(SearchScreen.BINDINGS)),
            ("All highlights (H)", list(HighlightsScreen.BINDINGS)),
            ("Tag manager (T)", list(CodebookScreen.BINDINGS)),
            ("Statistics (%)", list(StatisticsScreen.BINDINGS)),
            ("Agreement between coders (K)", agreement_keys()),
            (
                "Everywhere",
                [
                    Binding("tab,shift+tab", "", "Next / previous pane"),
                    Binding("ctrl+p", "", "Command palette"),
                    Binding("ctrl+q", "", "Quit"),
                ],
            ),
        ]
    )
