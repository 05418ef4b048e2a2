"""Every highlight of the corpus: ``H`` on the main screen.

The list is :func:`annotations.highlights_view.highlights_view`'s, grouped by tag (nested tags
in tree order under their parent, each heading with its count) or by article (``g``), each
highlight as its line of context with the quote marked, then its tags, note and article. ``/``
filters by words in quotes and notes as you type, ``t`` by a tag (its nested tags included),
``@`` by coder (each coder in turn, then every coder again).
Enter opens the article with the highlight selected, as a search result is opened; ``e``
exports exactly the highlights listed, through the export dialog.

The highlights are read once, in a thread, when the screen opens (30,000 in about half a
second); filtering and regrouping work on what was read (:func:`~annotations.highlights_view.
arrange`). The rows are drawn by one Line API widget
(:class:`~reader.widgets.highlights_list.HighlightsList`) that lays out only the rows in view,
so a long corpus mounts no widget per highlight and measures no text.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input, Label
from textual.worker import Worker, WorkerState

from annotations.coder_marks import coder_label, distinct_coders, next_view
from annotations.errors import StoreError
from annotations.highlights_view import (
    GroupBy,
    HighlightsView,
    Item,
    arrange,
    read_items,
)
from annotations.model import DEFAULT_HIGHLIGHT_COLOR, with_parents
from annotations.store import AnnotationStore
from reader.later import Later
from reader.screens.annotating import AnnotatingScreen
from reader.shown import safe_content
from reader.widgets.highlights_list import HighlightsList
from reader.widgets.keys_footer import KeysFooter
from reader.wording import count

if TYPE_CHECKING:
    from annotations.formats.selection import Filters
    from reader.dialogs.export import ExportRequest
    from reader.screens.search import JumpTo

log = logging.getLogger(__name__)
DEBOUNCE = 0.15  # seconds of quiet typing before the list is filtered again
MUTED = "$text-muted"


@dataclass
class Read(Message):
    """The worker read the highlights (``problems``: files it could not read)."""

    items: list[Item]
    problems: list[str]


@dataclass(frozen=True)
class Shown:
    """What the view showed when it closed, so ``H`` opens it the same way again."""

    text: str = ""
    tag: str | None = None
    by: GroupBy = "tag"
    coder: str | None = None


class HighlightsScreen(Screen["JumpTo | None"]):
    """All highlights, grouped and filtered; dismisses with the highlight to go to."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "open", "Open the article at the highlight", show=False),
        Binding("slash", "focus_filter", "Filter"),
        Binding("t", "tag_filter", "By tag"),
        Binding("at", "coder_filter", "By coder", show=False),
        Binding("g", "regroup", "Group by"),
        Binding("e", "export", "Export these"),
    ]
    AUTO_FOCUS = "#highlights-list"

    def __init__(
        self,
        store: AnnotationStore,
        export: Callable[[tuple[str, ...]], None],
        shown: Shown | None = None,
    ) -> None:
        """``export`` opens the export dialog for the highlight ids given."""
        super().__init__()
        self.store = store
        self.export = export
        shown = shown or Shown()
        self.tag, self.by, self.initial_text = shown.tag, shown.by, shown.text
        self.coder = shown.coder  # one coder's highlights only (None: every coder's)
        self.last = shown  # kept up to date: the widgets are gone once the screen is dismissed
        self.items: list[Item] | None = None  # None until read
        self.view: HighlightsView | None = None
        self.rows: list[Item] = []  # by option id
        self.typing = Later(self, DEBOUNCE)

    def compose(self) -> ComposeResult:
        with Vertical(id="highlights-box"):
            with Horizontal(id="highlights-bar"):
                yield Label("Highlights", id="highlights-label")
                yield Input(
                    value=self.initial_text,
                    placeholder="/ filters by words in quotes and notes",
                    id="highlights-filter",
                )
                yield Label("", id="highlights-mode")
            yield Label("Reading the highlights…", id="highlights-status")
            yield HighlightsList(id="highlights-list")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_mode()
        self._read(max(self.app.size.width - 8, 40))

    @work(thread=True, exclusive=True, exit_on_error=False, group="highlights")
    def _read(self, width: int) -> None:
        problems: list[str] = []
        items = read_items(self.store, width=width, problems=problems)
        self.post_message(Read(items, problems))

    @on(Read)
    def _got(self, message: Read) -> None:
        self.items = message.items
        self._arrange()
        if message.problems:
            self.notify(
                "; ".join(message.problems), title="Left out", severity="warning", timeout=10
            )

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        if event.state == WorkerState.ERROR:
            log.error("reading the highlights failed", exc_info=event.worker.error)
            self._status(f"Cannot read the highlights: {event.worker.error}", error=True)

    # -- filtering -------------------------------------------------------------------------------
    @on(Input.Changed, "#highlights-filter")
    def _typed(self) -> None:
        self.typing.start(self._arrange)

    @on(Input.Submitted, "#highlights-filter")
    def _submitted(self) -> None:
        self._arrange()
        self.query_one(HighlightsList).focus()

    def _arrange(self) -> None:
        """Filter and group what was read, and list it."""
        self.typing.cancel()
        if self.items is None:
            return
        text = self.query_one("#highlights-filter", Input).value
        tags = (self.tag,) if self.tag else ()
        coders = () if self.coder is None else (self.coder,)
        self.last = Shown(text, self.tag, self.by, self.coder)
        self.view = arrange(self.items, tags=tags, text=text, by=self.by, coders=coders)
        self._list(self.view)

    def _list(self, view: HighlightsView) -> None:
        colors = {t.name: t.color for t in self.store.tags()}
        self.query_one(HighlightsList).show_view(view, colors)
        self._show_status(view)

    def _show_status(self, view: HighlightsView) -> None:
        assert self.items is not None
        if not self.items:
            self._status("No highlights yet: select text and press a to make one.")
            return
        shown = f"{count(len(view.items), 'highlight')} in {count(view.articles, 'article')}"
        if len(view.items) < len(self.items):
            shown += f" (of {len(self.items):,})"
        if not view.items:
            self._status(f"No highlights match. {self._how_to_widen()}")
            return
        self._status(f"{shown}  ·  enter opens one, e exports these")

    def _how_to_widen(self) -> str:
        if self.tag:
            return "t and the same tag shows every tag again."
        if self.coder is not None:
            return "@ shows the next coder, and then every coder."
        return "Change the words after /."

    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#highlights-status", Label)
        status.update(safe_content(text))
        status.set_class(error, "-error")

    def _show_mode(self) -> None:
        mode = "by tag" if self.by == "tag" else "by article"
        if self.tag:
            mode += f" · #{self.tag}"
        if self.coder is not None:
            mode += f" · {coder_label(self.coder)}"
        self.query_one("#highlights-mode", Label).update(safe_content(mode))

    # -- actions ---------------------------------------------------------------------------------
    def action_focus_filter(self) -> None:
        self.query_one("#highlights-filter", Input).focus()

    def action_regroup(self) -> None:
        self.by = "article" if self.by == "tag" else "tag"
        self._show_mode()
        self._arrange()

    def action_tag_filter(self) -> None:
        from reader.dialogs.tag_picker import TagChoice, TagPicker

        if not self.items:
            return
        colors = {t.name: t.color for t in self.store.tags()}
        names = with_parents({name for item in self.items for name in item.tags})
        if not names:
            self.notify("No tagged highlights yet.", timeout=3)
            return
        counts = arrange(self.items, by="tag").groups
        totals = {group.key: group.count for group in counts}
        choices = [
            TagChoice(
                name,
                colors.get(name, DEFAULT_HIGHLIGHT_COLOR),
                totals.get(name, 0),
                name == self.tag,
            )
            for name in names
        ]

        def chosen(name: str | None) -> None:
            if name is None:
                return
            self.tag = None if name == self.tag else name  # the ✓ tag again: every tag
            self._show_mode()
            self._arrange()

        self.app.push_screen(
            TagPicker(
                choices,
                "Show highlights tagged",
                allow_new=False,
                hint="enter shows the tag (its nested tags too; a ✓ one shows all) · esc cancels",
            ),
            chosen,
        )

    def action_coder_filter(self) -> None:
        """Show one coder's highlights, then the next coder's; after the last, every coder's."""
        if not self.items:
            return
        coders = distinct_coders(item.highlight for item in self.items)
        if len(coders) < 2 and self.coder is None:
            self.notify("Every highlight here is by one coder.", timeout=3)
            return
        self.coder = next_view(self.coder, coders)
        self._show_mode()
        self._arrange()

    @on(HighlightsList.Chosen)
    def _chosen(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        from reader.screens.search import JumpTo

        item = self.query_one(HighlightsList).current
        if item is None:
            return
        try:  # where it is now: the article may have changed since the list was read
            highlight = self.store.get_highlight(item.article_id, item.id)
        except StoreError as exc:
            self.notify(str(exc), title="Cannot open it", severity="warning")
            return
        if highlight.orphaned:
            self.notify("That highlight's text is no longer in the article.", severity="warning")
            return
        self.dismiss(JumpTo(highlight.article_id, highlight.start, highlight.end))

    def action_export(self) -> None:
        if self.view is None or not self.view.items:
            self.notify("No highlights listed to export.", severity="warning")
            return
        self.export(self.view.ids)

    def action_close(self) -> None:
        self.dismiss(None)


class HighlightsKeys(AnnotatingScreen):
    """The main screen's ``H``: open the view, go to the highlight chosen, export the view."""

    _highlights_shown: Shown | None = None

    def _open_export(self, typed: ExportRequest | None, filters: Filters | None = None) -> None:
        """The export dialog, showing ``typed``, with ``filters`` as its "this view" scope (the
        main screen's)."""
        raise NotImplementedError

    def action_highlights(self) -> None:
        from reader.screens.search import JumpTo

        screen = HighlightsScreen(self.store, self._export_highlights, self._highlights_shown)

        def done(result: JumpTo | None) -> None:
            self._highlights_shown = screen.last
            if isinstance(result, JumpTo):
                self.go_to(result)

        self.app.push_screen(screen, done)

    def _export_highlights(self, ids: tuple[str, ...]) -> None:
        from annotations.formats.selection import Filters

        self._open_export(None, Filters(highlights=ids))

    def go_to(self, place: JumpTo) -> None:
        """Open ``place``'s article and select its text (a search result, a highlight)."""
        if place.article_id != self.article_id:
            self.open_article(place.article_id, position=place.start)
        if self.article_id == place.article_id:
            self.pane.select(place.start, place.end)
            self.pane.focus()
