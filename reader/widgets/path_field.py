"""Path fields for the import and export dialogs: tab completes the path being typed
(:mod:`reader.path_completion`), and tab with nothing to complete moves on as it does elsewhere.

:class:`PathInput` is the export dialog's one-line field. :class:`PathsArea` is the import
dialog's: one path or URL per line, because a line is the one separator no path needs (a
space is in many file names, and a pasted path must not need quoting). Enter imports them
all; ctrl+j (or shift+enter, where the terminal tells it apart) starts another line, and a
pasted list of lines stays a list.
"""

from __future__ import annotations

from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.message import Message
from textual.widgets import Input, TextArea

from reader.path_completion import complete


@dataclass
class Completed(Message):
    """Tab found several entries that fit: the dialog lists them (``()``: it clears the list)."""

    matches: tuple[str, ...]


def matches_line(matches: tuple[str, ...], limit: int = 8) -> str:
    """The entries that fit, on one line for a dialog hint."""
    shown = "  ".join(matches[:limit])
    more = f"  …{len(matches) - limit} more" if len(matches) > limit else ""
    return f"{len(matches)} fit: {shown}{more}"


class PathInput(Input):
    """A one-line path field whose tab completes the path."""

    BINDINGS = [Binding("tab", "complete", "Complete path", show=False)]

    def action_complete(self) -> None:
        typed = self.value[: self.cursor_position]
        done = complete(typed)
        if done.text == typed and not done.matches:
            self.screen.focus_next()  # nothing to complete: tab moves on, as everywhere
            return
        self.value = done.text + self.value[self.cursor_position :]
        self.cursor_position = len(done.text)
        self.post_message(Completed(done.matches))


class PathsArea(TextArea):
    """Paths and URLs, one per line; tab completes the line's path up to the cursor, enter
    submits them all (:class:`PathsArea.Submitted`)."""

    BINDINGS = [
        Binding("tab", "complete", "Complete path", show=False),
        Binding("ctrl+j,shift+enter", "new_line", "New line", show=False),
    ]

    @dataclass
    class Submitted(Message):
        """Enter: the lines that are not blank, stripped."""

        area: PathsArea
        sources: list[str]

        @property
        def control(self) -> PathsArea:
            """The field submitted (what ``@on(PathsArea.Submitted, "#id")`` matches)."""
            return self.area

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, soft_wrap=False, show_line_numbers=False, tab_behavior="focus")

    @property
    def sources(self) -> list[str]:
        """Every line that is not blank, stripped of the spaces around it."""
        return [line.strip() for line in self.text.splitlines() if line.strip()]

    async def _on_key(self, event: events.Key) -> None:
        # TextArea inserts a newline for enter before any binding is looked at.
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            self.post_message(self.Submitted(self, self.sources))
            return
        await super()._on_key(event)

    def action_new_line(self) -> None:
        self.insert("\n")

    def action_complete(self) -> None:
        row, column = self.cursor_location
        typed = self.document.get_line(row)[:column]
        done = complete(typed.lstrip())
        indent = typed[: len(typed) - len(typed.lstrip())]
        if indent + done.text == typed and not done.matches:
            self.screen.focus_next()
            return
        self.replace(indent + done.text, (row, 0), (row, column))
        self.post_message(Completed(done.matches))
