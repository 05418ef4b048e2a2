"""The annotation sidebar: the open article's highlights in document order."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from corpus.terminal_safe import terminal_safe

EXCERPT = 140


@dataclass(frozen=True)
class SidebarEntry:
    """What the sidebar shows of one highlight."""

    id: str
    quote: str
    tags: tuple[tuple[str, str], ...]  # (name, colour)
    note: str
    color: str
    orphaned: bool = False


class AnnotationSidebar(OptionList):
    """Highlights of the open article; moving through them scrolls the reading pane."""

    BINDINGS = [
        Binding("enter", "select", "Edit note"),
        Binding("d", "delete", "Delete"),
        Binding("r", "reattach", "Re-attach to selection"),
        Binding("f", "filter", "Filter by tag"),
    ]

    @dataclass
    class Focused(Message):
        """The highlighted entry changed: the reading pane should show this highlight."""

        highlight_id: str

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, AnnotationSidebar.Focused)

    @dataclass
    class EditRequested(Message):
        """Edit this highlight's note (enter on its entry)."""

        highlight_id: str

    @dataclass
    class ReattachRequested(Message):
        """Put this (orphaned) highlight on the reading pane's selection."""

        highlight_id: str

    @dataclass
    class FilterRequested(Message):
        """Show only the highlights with one tag, or all again when a filter is on."""

    @dataclass
    class DeleteRequested(Message):
        """Delete this highlight (d on its entry)."""

        highlight_id: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[SidebarEntry] = []

    def set_entries(self, entries: list[SidebarEntry], *, filtered: bool = False) -> None:
        """Show these entries; ``filtered`` says a tag filter left out others."""
        keep = self.highlighted
        # Orphans (quotes no longer in the text) come last, under their own heading.
        self.entries = [e for e in entries if not e.orphaned] + [e for e in entries if e.orphaned]
        if not entries:
            self.set_options(
                [
                    Option(
                        Content.styled(
                            "No highlights with this tag here.\nf shows them all."
                            if filtered
                            else "No highlights yet.\nSelect text (v, s or a drag) and press a.",
                            "italic $text-muted",
                        ),
                        disabled=True,
                    )
                ]
            )
            return
        entries = self.entries
        options: list[Option | None] = [Option(self._prompt(e), id=e.id) for e in entries]
        orphans = sum(e.orphaned for e in entries)
        if orphans:
            heading = Option(
                Content.styled(
                    f"Not found in the text ({orphans}): select text, press r", "bold $warning"
                ),
                disabled=True,
            )
            options.insert(len(entries) - orphans, heading)
        with self.prevent(OptionList.OptionHighlighted):
            self.set_options(options)
            if keep is not None:
                self.highlighted = min(keep, len(options) - 1)

    def show(self, highlight_id: str | None) -> None:
        """Move the sidebar's cursor to a highlight without scrolling the pane back."""
        if highlight_id is None:
            return
        try:
            index = self.get_option_index(highlight_id)
        except OptionDoesNotExist:
            return
        with self.prevent(OptionList.OptionHighlighted):
            self.highlighted = index

    @property
    def current_id(self) -> str | None:
        if self.highlighted is None or not self.entries:
            return None
        return self.get_option_at_index(self.highlighted).id

    def _prompt(self, entry: SidebarEntry) -> Content:
        # Quotes, tags and notes come from files (imports, other tools): each is shown through
        # terminal_safe, so no control character or bidi override of theirs reaches the screen.
        quote = terminal_safe(" ".join(entry.quote.split()))
        if len(quote) > EXCERPT:
            quote = quote[: EXCERPT - 1].rstrip() + "…"
        bar = ("⚠", "$warning") if entry.orphaned else ("▌", entry.color)
        parts: list[str | tuple[str, str]] = [bar, (f"“{quote}”", "italic")]
        if entry.tags:
            parts.append("\n ")
            parts.extend(
                (f" #{terminal_safe(name)}", f"bold {color}") for name, color in entry.tags
            )
        lines = entry.note.strip().splitlines()
        if lines:
            first = terminal_safe(lines[0])
            parts.append((f"\n  ✎ {first}{' …' if len(lines) > 1 else ''}", "$text-muted"))
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

    def action_reattach(self) -> None:
        if self.current_id is not None:
            self.post_message(self.ReattachRequested(self.current_id))

    def action_filter(self) -> None:
        self.post_message(self.FilterRequested())

    def action_delete(self) -> None:
        if self.current_id is not None:
            self.post_message(self.DeleteRequested(self.current_id))
