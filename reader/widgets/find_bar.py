"""The find bar: `/` opens it, typing marks matches, enter selects the next one."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Input, Label


class FindBar(Horizontal):
    """A one-line search field docked under the reading pane."""

    BINDINGS = [Binding("escape", "close", "Close find")]

    @dataclass
    class Changed(Message):
        """The query was edited: mark its matches (sent per key, so a newer one replaces)."""

        query: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, FindBar.Changed)

    @dataclass
    class Submitted(Message):
        """Enter in the field: select the next match of ``query``."""

        query: str

    @dataclass
    class Closed(Message):
        """The bar was closed (esc): clear the matches."""

    def compose(self) -> ComposeResult:
        yield Label("Find ", id="find-label")
        yield Input(placeholder="text in this article", id="find-input")
        yield Label("", id="find-count")

    def open(self) -> None:
        self.display = True
        self.query_one(Input).focus()

    def set_count(self, count: int, query: str) -> None:
        label = self.query_one("#find-count", Label)
        label.update("" if not query else f" {count} match{'es' if count != 1 else ''}")

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(event.value))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.display = False
        self.post_message(self.Submitted(event.value))

    def action_close(self) -> None:
        self.display = False
        self.post_message(self.Closed())
