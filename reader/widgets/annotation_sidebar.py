"""The annotation sidebar: the open article's highlights in document order."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

EXCERPT = 140


@dataclass(frozen=True)
class SidebarEntry:
    """What the sidebar shows of one highlight."""

    id: str
    quote: str
    tags: tuple[tuple[str, str], ...]  # (name, colour)
    note: str
    color: str


class AnnotationSidebar(OptionList):
    """Highlights of the open article; moving through them scrolls the reading pane."""

    BINDINGS = [
        Binding("enter", "select", "Edit note"),
        Binding("d", "delete", "Delete"),
    ]

    class Focused(Message):
        """The highlighted entry changed: the reading pane should show this highlight."""

        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, AnnotationSidebar.Focused)

    class EditRequested(Message):
        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    class DeleteRequested(Message):
        def __init__(self, highlight_id: str) -> None:
            super().__init__()
            self.highlight_id = highlight_id

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[SidebarEntry] = []

    def set_entries(self, entries: list[SidebarEntry]) -> None:
        keep = self.highlighted
        self.entries = entries
        if not entries:
            self.set_options(
                [
                    Option(
                        Content.styled(
                            "No highlights yet.\nSelect text (v, s or a drag) and press a.",
                            "italic $text-muted",
                        ),
                        disabled=True,
                    )
                ]
            )
            return
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(Option(self._prompt(entry), id=entry.id) for entry in entries)
            if keep is not None:
                self.highlighted = min(keep, len(entries) - 1)

    def show(self, highlight_id: str | None) -> None:
        """Move the sidebar's cursor to a highlight without scrolling the pane back."""
        for index, entry in enumerate(self.entries):
            if entry.id == highlight_id:
                with self.prevent(OptionList.OptionHighlighted):
                    self.highlighted = index
                return

    @property
    def current_id(self) -> str | None:
        if self.highlighted is None or not self.entries:
            return None
        return self.entries[self.highlighted].id

    def _prompt(self, entry: SidebarEntry) -> Content:
        quote = " ".join(entry.quote.split())
        if len(quote) > EXCERPT:
            quote = quote[: EXCERPT - 1].rstrip() + "…"
        parts: list[str | tuple[str, str]] = [("▌", entry.color), (f"“{quote}”", "italic")]
        if entry.tags:
            parts.append("\n ")
            parts.extend((f" #{name}", f"bold {color}") for name, color in entry.tags)
        lines = entry.note.strip().splitlines()
        if lines:
            parts.append((f"\n  ✎ {lines[0]}{' …' if len(lines) > 1 else ''}", "$text-muted"))
        return Content.assemble(*parts)

    @on(OptionList.OptionHighlighted)
    def _moved(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        # Only the reader moving through the list should move the reading pane.
        if event.option.id is not None and self.has_focus:
            self.post_message(self.Focused(event.option.id))

    @on(OptionList.OptionSelected)
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id is not None:
            self.post_message(self.EditRequested(event.option.id))

    def action_delete(self) -> None:
        if self.current_id is not None:
            self.post_message(self.DeleteRequested(self.current_id))
