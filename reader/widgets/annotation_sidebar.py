"""The annotation sidebar: the open article's highlights in document order.

:class:`HighlightsColumn` holds it under its title, and owns the tag filter (``f``): it is given
every highlight of the open article and shows those with the chosen tag.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.reactive import var
from textual.widgets import Label, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from annotations.coder_marks import MARKS, NO_MARK, coder_label, legend
from annotations.filtering import tag_matches
from annotations.model import with_parents
from corpus.terminal_safe import terminal_safe
from reader.shown import safe_content
from reader.wording import first_lines

if TYPE_CHECKING:
    from annotations.model import Highlight, Tag

EXCERPT = 140
NOTE_LINES = 3  # of a highlight's note, its blank lines left out (long lines wrap)


@dataclass(frozen=True)
class SidebarEntry:
    """What the sidebar shows of one highlight."""

    id: str
    quote: str
    tags: tuple[tuple[str, str], ...]  # (name, colour)
    note: str
    color: str
    orphaned: bool = False
    coder: str = ""  # who made it ("" when not recorded): shown as @name
    mark: int = NO_MARK  # the coder's mark in the reading pane: @name is drawn in it too


class AnnotationSidebar(OptionList):
    """Highlights of the open article; moving through them scrolls the reading pane."""

    BINDINGS = [
        # Below 100 columns the sidebar stands in place of the text (A): enter goes back to
        # the text at the highlight there (c still edits the note), and esc goes back.
        Binding("enter", "select", "Edit note"),
        Binding("enter", "back_to_text(True)", "Show in text"),
        Binding("escape", "back_to_text(False)", "Back"),
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

    @dataclass
    class BackToText(Message):
        """Show the reading pane again in the sidebar's place, at this highlight if any."""

        highlight_id: str | None

    goes_back: var[bool] = var(False, bindings=True)
    """The sidebar stands in place of the reading pane (a narrow terminal): enter and esc go
    back to the text."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.entries: list[SidebarEntry] = []

    def set_entries(
        self,
        entries: list[SidebarEntry],
        *,
        filtered: bool = False,
        article_open: bool = True,
        empty: str | None = None,
    ) -> None:
        """Show these entries; ``filtered`` says a tag filter left out others, and
        ``article_open`` false that there is no article to select text in; ``empty`` is what
        to say when a filter left out every one."""
        keep = self.highlighted
        # Orphans (quotes no longer in the text) come last, under their own heading.
        self.entries = [e for e in entries if not e.orphaned] + [e for e in entries if e.orphaned]
        if not entries:
            self.set_options(
                [
                    Option(
                        Content.styled(
                            empty or "No highlights with this tag here.\nf shows them all."
                            if filtered
                            else "No highlights yet.\nSelect text (v, s or a drag) and press a."
                            if article_open
                            else "No article open.",
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
        if entry.tags or entry.coder:
            parts.append("\n ")
            parts.extend(
                (f" #{terminal_safe(name)}", f"bold {color}") for name, color in entry.tags
            )
        if entry.coder:
            mark = f" {MARKS[entry.mark]}" if entry.mark != NO_MARK else ""
            parts.append(" ")
            parts.append((f"@{terminal_safe(entry.coder)}", f"$text-muted{mark}"))
        lines = [terminal_safe(line) for line in entry.note.splitlines() if line.strip()]
        if lines:  # the note's first lines, as the memo above shows its own; enter edits it
            shown = first_lines(lines, NOTE_LINES)
            parts.append(("\n  ✎ " + "\n    ".join(shown), "$text-muted"))
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

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "back_to_text":
            return self.goes_back
        if action == "select":
            return not self.goes_back
        return True

    def action_back_to_text(self, at_highlight: bool) -> None:
        self.post_message(self.BackToText(self.current_id if at_highlight else None))

    def action_reattach(self) -> None:
        if self.current_id is not None:
            self.post_message(self.ReattachRequested(self.current_id))

    def action_filter(self) -> None:
        self.post_message(self.FilterRequested())

    def action_delete(self) -> None:
        if self.current_id is not None:
            self.post_message(self.DeleteRequested(self.current_id))


def _in_title(mark: str) -> str:
    """A coder's mark as the (bold, muted) title shows it: on the text's colour, and not bold
    unless bold is the mark."""
    return f"$text {mark}" if mark == "bold" else f"$text not bold {mark}"


MEMO_LINES = 3  # of an article's memo, in the sidebar (long lines wrap, up to a line more)


class HighlightsColumn(Vertical):
    """The sidebar under its title, and the tag filter: ``f`` picks a tag among the open
    article's highlights, and the sidebar shows only those with it (or a nested tag) until
    ``f`` again. The screen's coder view (``@``) narrows it to one coder's highlights too,
    and its title names the view, or the coders' marks (a legend) when every coder shows."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.tag_filter: str | None = None
        self.coder_view: str | None = None  # one coder's highlights only (None: every coder's)
        self.coder_marks: dict[str, int] = {}  # each coder's mark in the reading pane
        self.all_entries: list[SidebarEntry] = []  # every highlight of the open article
        self.article_open = False

    def compose(self) -> ComposeResult:
        memo = Label(id="sidebar-memo")
        memo.display = False
        yield memo
        yield Label("Highlights", id="sidebar-title")
        yield AnnotationSidebar(id="highlights")

    def show_memo(self, memo: str) -> None:
        """Show the open article's memo above its highlights, cut to its first lines (M edits
        it whole); nothing when it has none."""
        label = self.query_one("#sidebar-memo", Label)
        lines = memo.strip().splitlines()
        label.display = bool(lines)
        if lines:
            shown = first_lines(lines, MEMO_LINES)
            label.update(safe_content("Memo · " + "\n".join(shown), multiline=True))

    @property
    def sidebar(self) -> AnnotationSidebar:
        return self.query_one(AnnotationSidebar)

    def show_highlights(self, highlights: list[Highlight], tags: Mapping[str, Tag]) -> None:
        """Show the open article's highlights (those the tag filter admits), with the colours
        of ``tags``, the codebook by name."""
        self.show_entries(
            [
                SidebarEntry(
                    h.id,
                    h.quote,
                    tuple(
                        (name, tags[name].color if name in tags else "#888888") for name in h.tags
                    ),
                    h.note,
                    h.display_color(tags),
                    h.orphaned,
                    h.coder,
                    self.coder_marks.get(h.coder, NO_MARK),
                )
                for h in highlights
            ]
        )

    def show_entries(self, entries: list[SidebarEntry], *, article_open: bool = True) -> None:
        """Show these entries (those the tag filter admits); ``article_open`` false when no
        article is open."""
        self.all_entries, self.article_open = entries, article_open
        wanted, coder = self.tag_filter, self.coder_view
        shown = [
            e
            for e in entries
            if (wanted is None or any(tag_matches(n, wanted) for n, _ in e.tags))
            and (coder is None or e.coder == coder)
        ]
        filtered = wanted is not None or coder is not None
        empty = None
        if coder is not None:
            by = f"by {terminal_safe(coder_label(coder))}" if coder else "without a coder"
            empty = f"No highlights {by} here.\n@ shows every coder."
        self.sidebar.set_entries(shown, filtered=filtered, article_open=article_open, empty=empty)
        title = self.query_one("#sidebar-title", Label)
        marks = self.coder_marks
        parts: list[str | tuple[str, str]] = ["Highlights"]
        if coder is not None:  # named in its mark, as the pane draws it
            mark = _in_title(MARKS[marks[coder]]) if coder in marks else ""
            parts += [" · ", (terminal_safe(coder_label(coder)), mark)]
        if wanted is not None:
            parts.append(f" · #{terminal_safe(wanted)}")
        if filtered:
            parts.append(f" · {len(self.sidebar.entries)} of {len(entries)}")
        if coder is None and marks:  # every coder shows, each in a mark: whose is which
            parts.append(" ·")
            for who, style in legend(marks):
                parts += [" ", (terminal_safe(who), _in_title(style))]
        heading = Content.assemble(*parts)
        title.update(heading)

    def set_tag_filter(self, tag: str | None) -> None:
        self.tag_filter = tag
        self.show_entries(self.all_entries, article_open=self.article_open)

    def drop_missing_tag(self, names: list[str]) -> None:
        """After tags were renamed, merged or deleted, a filter on a tag that is gone (not in
        ``names``) would show nothing: drop it and say so (the next :meth:`show_entries` shows
        every highlight)."""
        tag = self.tag_filter
        if tag is not None and not any(tag_matches(name, tag) for name in names):
            self.notify(f"#{tag} is gone: the sidebar shows every highlight.")
            self.tag_filter = None

    @on(AnnotationSidebar.FilterRequested)
    def _filter_requested(self, event: AnnotationSidebar.FilterRequested) -> None:
        from reader.dialogs.tag_picker import TagChoice, TagPicker

        event.stop()
        if self.tag_filter is not None:
            self.set_tag_filter(None)
            return
        if not self.article_open:
            return
        # Of the highlights the coder view shows: the filter narrows what can be seen.
        seen = [e for e in self.all_entries if self.coder_view in (None, e.coder)]
        colors = {name: color for entry in seen for name, color in entry.tags}
        if not colors:
            self.notify("No tagged highlights in this article.", timeout=3)
            return
        # Parents are offered too (a parent's filter shows what is nested in it), each with
        # the highlights it would show.
        choices = [
            TagChoice(
                name,
                colors.get(name, "#888888"),
                sum(any(tag_matches(n, name) for n, _ in e.tags) for e in seen),
                False,
            )
            for name in with_parents(colors)
        ]

        def chosen(name: str | None) -> None:
            if name:
                self.set_tag_filter(name)

        self.app.push_screen(
            TagPicker(
                choices,
                "Show highlights tagged",
                allow_new=False,
                hint="enter shows only these highlights (f again shows all) · esc cancels",
            ),
            chosen,
        )
