"""The article list: title, source, date, highlight count, reading progress, unread marker; the
open one marked. Its order and the quick title filter are :mod:`reader.widgets.article_order`'s.

A Line API widget (:class:`~reader.widgets.rows_view.RowsView`): a row is laid out only when
it scrolls into view, so a workspace of 10,000 articles lists as fast as one of ten. Every
row's height is known from its data (one line, plus one when it has a source, date or count:
the list never wraps), so ``set_rows`` is a pass over the rows with no text measured. It looks
and behaves like Textual's ``OptionList`` (same component classes, keys and mouse), which it
replaced: that widget measures every option's wrapped height up front, about 0.27 ms each.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.cache import LRUCache
from textual.content import Content
from textual.geometry import clamp
from textual.message import Message
from textual.reactive import reactive
from textual.strip import Strip
from textual.style import Style
from textual.visual import Padding
from textual.widgets import Label

from annotations.counts import highlight_counts
from annotations.errors import StoreError
from annotations.filtering import ArticleFilter, filter_articles, tag_matches, tags_by_article
from corpus.terminal_safe import terminal_safe
from reader.shown import safe_content
from reader.store_calls import safely
from reader.widgets.article_order import (
    SORT_NAMES,
    OrderedColumn,
    progress_mark,
    progress_of,
    sort_rows,
    titled,
)
from reader.widgets.rows_view import RowsView
from reader.wording import count

if TYPE_CHECKING:
    from annotations.model import Highlight
    from annotations.store import AnnotationStore


@dataclass(frozen=True)
class ArticleRow:
    """What the list shows of one article."""

    id: str
    title: str
    source: str
    published: str
    highlights: int
    read: bool
    archived: bool = False
    progress: int = 0  # percent of the text read (100: to the end)

    @property
    def meta(self) -> str:
        # The count and the progress lead, so they stay visible when a narrow list cuts the
        # line short.
        count = f"✎ {self.highlights}" if self.highlights else ""
        parts = (count, progress_mark(self.progress), self.source, self.published)
        return " · ".join(part for part in parts if part)


class ArticleList(RowsView, can_focus=True):
    """Lists the workspace's articles; enter or a click opens one. ``D``, ``Z``, ``m`` and
    ``E`` ask the screen to delete, archive, mark the article under the cursor or edit its
    details (:class:`Manage`)."""

    # The keys that manage the article under the cursor (the help screen and the palette
    # name them); the screen does the work (reader/screens/article_actions.py).
    MANAGING: ClassVar[list[BindingType]] = [
        Binding("D", "manage('delete')", "Delete article"),
        Binding("Z", "manage('archive')", "Archive"),
        Binding("m", "manage('read')", "Read/unread"),
        Binding("E", "manage('details')", "Edit details"),
    ]

    BINDINGS: ClassVar[list[BindingType]] = [
        *RowsView.MOVING,
        *MANAGING,
    ]

    # OptionList's look, under the same component class names (reader.tcss styles them).
    DEFAULT_CSS = """
    ArticleList {
        height: auto;
        max-height: 100%;
        color: $foreground;
        overflow-x: hidden;
        border: tall $border-blurred;
        padding: 0 1;
        background: $surface;
        & > .option-list--option-highlighted {
            color: $foreground;
            background: $block-cursor-blurred-background;
            text-style: $block-cursor-blurred-text-style;
        }
        &:focus {
            border: tall $border;
            background-tint: $foreground 5%;
            & > .option-list--option-highlighted {
                color: $block-cursor-foreground;
                background: $block-cursor-background;
                text-style: $block-cursor-text-style;
            }
        }
        & > .option-list--option-hover {
            background: $block-hover-background;
        }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "option-list--option",
        "option-list--option-highlighted",
        "option-list--option-hover",
    }

    """Index of the row the keyboard is on, or ``None``."""
    _hover: reactive[int | None] = reactive(None)

    @dataclass
    class Opened(Message):
        """The user chose an article to read."""

        article_id: str

    @dataclass
    class Manage(Message):
        """A key asked to ``delete``, ``archive`` (or unarchive), mark ``read`` (or unread)
        the article ``article_id``, or edit its ``details``."""

        article_id: str
        action: str

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[ArticleRow] = []
        self.current: str | None = None
        self._index: dict[str, int] = {}
        self._starts: list[int] = [0]  # first line of each row, then the total line count
        self._strips: LRUCache[tuple[ArticleRow, bool, Style, int], list[Strip]] = LRUCache(512)

    # -- the public API --------------------------------------------------------------------------
    def set_rows(self, rows: list[ArticleRow], current: str | None) -> None:
        """Show these rows, keeping the highlighted row where it was."""
        keep = self.highlighted
        self.rows, self.current = rows, current
        self._index = {row.id: i for i, row in enumerate(rows)}
        starts, line = [0], 0
        for row in rows:
            line += 2 if row.meta else 1
            starts.append(line)
        self._starts = starts
        self._update_virtual_size()
        if keep is not None and rows:
            self.highlighted = min(keep, len(rows) - 1)
        elif current is not None:
            self.show_current()
        self.refresh()

    def update_row(self, article_id: str, **changes: object) -> None:
        """Change one row (its count, its read flag) without rebuilding the list."""
        index = self._index.get(article_id)
        if index is None:
            return
        old = self.rows[index]
        new = replace(old, **changes)  # type: ignore[arg-type]
        self.rows[index] = new
        if bool(new.meta) != bool(old.meta):  # the row's height changed: lay the list out again
            self.set_rows(self.rows, self.current)
        else:
            self._refresh_row(index)

    def set_current(self, article_id: str) -> None:
        """Mark the open article (and unmark the one before)."""
        previous, self.current = self.current, article_id
        for row_id in (previous, article_id):
            index = self._index.get(row_id) if row_id is not None else None
            if index is not None:
                self._refresh_row(index)
        self.show_current()

    def show_current(self) -> None:
        """Move the list's highlight to the open article."""
        index = self._index.get(self.current) if self.current is not None else None
        if index is not None:
            self.highlighted = index

    # -- keys and mouse --------------------------------------------------------------------------
    # Up and down wrap around at the ends, as they did in OptionList.
    def action_cursor_down(self) -> None:
        if self.rows:
            after = -1 if self.highlighted is None else self.highlighted
            self.highlighted = (after + 1) % len(self.rows)

    def action_cursor_up(self) -> None:
        if self.rows:
            before = 0 if self.highlighted is None else self.highlighted
            self.highlighted = (before - 1) % len(self.rows)

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(len(self.rows) - 1)

    def action_page_down(self) -> None:
        self._move_page(1)

    def action_page_up(self) -> None:
        self._move_page(-1)

    def action_manage(self, action: str) -> None:
        index = self.highlighted
        if index is None or not 0 <= index < len(self.rows):
            self.app.bell()
            return
        self.post_message(self.Manage(self.rows[index].id, action))

    def action_select(self) -> None:
        if self.highlighted is not None and self.rows:
            self.post_message(self.Opened(self.rows[self.highlighted].id))

    def _move_to(self, index: int) -> None:
        if self.rows:
            self.highlighted = clamp(index, 0, len(self.rows) - 1)

    def _move_page(self, direction: int) -> None:
        if not self.rows:
            return
        if self.highlighted is None:
            self._move_to(0 if direction < 0 else len(self.rows) - 1)
            return
        height = self.scrollable_content_region.height
        line = self._starts[self.highlighted] + direction * height
        self._move_to(self._row_at(clamp(line, 0, self._starts[-1] - 1)))

    async def _on_click(self, event: events.Click) -> None:
        index = event.style.meta.get("option")
        if index is not None:
            self.highlighted = index
            self.action_select()

    def _on_mouse_move(self, event: events.MouseMove) -> None:
        self._hover = event.style.meta.get("option")

    def _on_leave(self, _: events.Leave) -> None:
        self._hover = None

    # -- layout and rendering ----------------------------------------------------------------------
    def watch__hover(self, old: int | None, new: int | None) -> None:
        for index in (old, new):
            if index is not None and index < len(self.rows):
                self._refresh_row(index)

    def on_show(self) -> None:
        self.scroll_to_highlight()

    def _row_style(self, index: int) -> Style:
        if index == self._hover and index != self.highlighted:
            return self.get_visual_style("option-list--option", "option-list--option-hover")
        return super()._row_style(index)

    def _row_key(self, index: int, style: Style, width: int) -> Any:
        row = self.rows[index]
        return (row, row.id == self.current, style, width)

    def _draw_row(self, index: int, style: Style, width: int) -> list[Strip]:
        """The row's lines at this width, drawn as OptionList draws an option."""
        row = self.rows[index]
        padding = self.get_component_styles("option-list--option").padding
        visual = Padding(self._prompt(row, row.id == self.current), padding)
        strips = visual.to_strips(self, visual, width, None, style)
        meta = {"option": index}
        return [s.extend_cell_length(width, style.rich_style).apply_meta(meta) for s in strips]

    @staticmethod
    def _prompt(row: ArticleRow, open_now: bool) -> Content:
        if open_now:
            marker = ("▶ ", "bold $accent")
        elif not row.read:
            marker = ("● ", "bold $primary")
        else:
            marker = ("  ", "")
        title = terminal_safe(row.title)  # from the article's file: shown, never obeyed
        parts: list[str | tuple[str, str]] = [marker, (title, "bold" if not row.read else "")]
        meta = terminal_safe(row.meta)
        if meta:
            parts.append(("\n  " + meta, "dim"))
        return Content.assemble(*parts)


class ArticleColumn(OrderedColumn):
    """The article list and its filter line: every article's row, the highlight counts, the
    active filter, the quick title filter and the sort. Rows are read from the store by
    :meth:`reload`; the screen tells it of what changes afterwards (:meth:`update_row`,
    :meth:`set_highlights`)."""

    filter: ArticleFilter  # what the filter dialog (F) chose

    @dataclass
    class Changed(Message):
        """What the list counts changed: ``listed`` ("3 of 10 articles") and ``highlights``,
        every highlight in the workspace."""

        listed: str
        highlights: int

        def can_replace(self, message: Message) -> bool:
            return isinstance(message, ArticleColumn.Changed)

    def __init__(self, store: AnnotationStore, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.store = store
        self.filter = ArticleFilter()
        self.rows: list[ArticleRow] = []  # every article, before the filter
        self.counts: dict[str, int] = {}  # highlights per article, unlisted files included
        self._article_tags: dict[str, set[str]] | None = None  # read when a tag filter needs it

    def compose(self) -> ComposeResult:
        yield Label(id="list-filter")
        # The title filter (f) is mounted on first use, above the list.
        yield ArticleList(id="articles")

    @property
    def articles(self) -> ArticleList:
        return self.query_one(ArticleList)

    def reload(self) -> None:
        """Read every article's row from the workspace (it reads every article, from the
        summary cache where it can). Files that cannot be read are left out, and each is named
        in a notification; the rest of the workspace stays usable."""
        problems: list[str] = []
        self.counts = highlight_counts(self.store, problems)  # cached by file stat
        states = safely(self, "Reading the reading state", self.store.states) or {}
        lengths = self._lengths(s.article_id for s in states.values() if s.furthest)
        self.rows = [
            ArticleRow(
                id=a.id,
                title=a.title,
                source=a.source,
                published=(a.published or "")[:10],
                highlights=self.counts.get(a.id, 0),
                read=states[a.id].read if a.id in states else False,
                archived=states[a.id].archived if a.id in states else False,
                progress=progress_of(states.get(a.id), lengths),
            )
            for a in self.store.library.summaries(problems)
        ]
        for problem in problems[:5]:
            self.notify(problem, title="Cannot read", severity="error", timeout=10)
        if len(problems) > 5:
            self.notify(
                f"…and {len(problems) - 5} more (reader doctor lists them all)",
                severity="error",
                timeout=10,
            )
        self.rows.sort(key=lambda r: (r.published or "", r.title), reverse=True)
        self._article_tags = None
        self.show_rows()

    @property
    def narrowed(self) -> bool:
        """Whether the filter or the title filter leaves articles out."""
        return self.filter.active or bool(self.title_query.strip())

    def show_rows(self) -> None:
        """Put the rows the filter and the title filter admit in the list, in the chosen order,
        and say which filter and order are on."""
        wanted = self.filter
        if wanted.needs_tags and self._article_tags is None:
            problems: list[str] = []
            self._article_tags = tags_by_article(self.store, problems)
            for problem in problems[:3]:
                self.notify(problem, title="Cannot read", severity="error", timeout=10)
        rows = titled(filter_articles(self.rows, wanted, self._article_tags), self.title_query)
        if self.sort != "date":  # the rows are kept newest first
            rows = sort_rows(rows, self.sort)
        self.articles.set_rows(rows, self.articles.current)
        label = self.query_one("#list-filter", Label)
        parts = [wanted.describe()] if wanted.active else []
        if self.title_query.strip():
            parts.append(f"“{self.title_query.strip()}”")
        if parts:
            parts.append(f"{len(rows)} of {len(self.rows)}")
        if self.sort_chosen:
            parts.append(f"⇅ {SORT_NAMES[self.sort]}")
        label.display = bool(parts)
        if parts:
            label.update(safe_content(("▼ " if self.narrowed else "") + " · ".join(parts)))
        self._counted()

    def _counted(self) -> None:
        articles = len(self.rows)
        listed = count(articles, "article")
        if self.narrowed or len(self.articles.rows) != articles:  # archived ones hidden
            listed = f"{len(self.articles.rows)} of {listed}"
        self.post_message(self.Changed(listed, sum(self.counts.values())))

    def update_row(self, article_id: str, **changes: object) -> None:
        """Change one article's row, in the list and in the unfiltered rows behind it."""
        for index, row in enumerate(self.rows):
            if row.id == article_id:
                self.rows[index] = replace(row, **changes)  # type: ignore[arg-type]
                break
        self.articles.update_row(article_id, **changes)

    def set_highlights(self, article_id: str, highlights: list[Highlight]) -> None:
        """An article's highlights as they now are: its count, and its tags for the filter."""
        if self._article_tags is not None:
            self._article_tags[article_id] = {name for h in highlights for name in h.tags}
        self.counts[article_id] = len(highlights)
        self.update_row(article_id, highlights=len(highlights))
        self._counted()

    def update_articles(self, article_ids: Collection[str]) -> None:
        """Read these articles' rows again (files added, changed or removed by another
        process), leaving the others as they are: on 10,000 articles :meth:`reload` takes
        about half a second. A file that cannot be read is left out and named."""
        from corpus.article import ArticleFormatError
        from corpus.library import ArticleNotFound, ArticleSummary

        rows = {row.id: row for row in self.rows}
        for article_id in article_ids:
            rows.pop(article_id, None)
            self.counts.pop(article_id, None)
            try:
                summary = ArticleSummary.of(self.store.library.get(article_id))
                highlights = self.store.highlights(article_id, check=False)
                state = self.store.state(article_id)
            except ArticleNotFound:
                continue  # removed
            except (ArticleFormatError, StoreError) as exc:
                self.notify(str(exc), title="Cannot read", severity="error", timeout=10)
                continue
            if highlights:
                self.counts[article_id] = len(highlights)
            if self._article_tags is not None:
                self._article_tags[article_id] = {name for h in highlights for name in h.tags}
            rows[article_id] = ArticleRow(
                id=article_id,
                title=summary.title,
                source=summary.source,
                published=(summary.published or "")[:10],
                highlights=len(highlights),
                read=state.read,
                archived=state.archived,
                progress=progress_of(state, self._lengths([article_id] if state.furthest else [])),
            )
        # As reload sorts: by id, then newest first (equal dates and titles stay by id).
        by_id = sorted(rows.values(), key=lambda r: r.id)
        self.rows = sorted(by_id, key=lambda r: (r.published or "", r.title), reverse=True)
        self.show_rows()

    def set_filter(self, wanted: ArticleFilter) -> None:
        """List only the articles ``wanted`` admits (and say so when none is left)."""
        if wanted == self.filter:
            return
        self.filter = wanted
        self.show_rows()
        if wanted.active and not self.articles.rows:
            self.notify("No article matches the filter (F changes it).", timeout=4)

    def choose_filter(self) -> None:
        """The filter dialog, offering the workspace's tags and the articles' sources."""
        from reader.dialogs.article_filter import FilterDialog

        def chosen(wanted: ArticleFilter | None) -> None:
            if wanted is not None:
                self.set_filter(wanted)

        sources = sorted({r.source for r in self.rows if r.source}, key=str.casefold)
        tags = [t.name for t in safely(self, "Reading tags", self.store.tags) or []]
        self.app.push_screen(FilterDialog(self.filter, tags, sources), chosen)

    def drop_missing_tag(self, names: list[str]) -> None:
        """After tags were renamed, merged or deleted, a filter on a tag that is gone (not in
        ``names``) would show nothing: drop it and say so (the next :meth:`reload` shows it)."""
        tag = self.filter.tag
        if tag is not None and not any(tag_matches(name, tag) for name in names):
            self.notify(f"#{tag} is gone: the list no longer filters by it.")
            self.filter = replace(self.filter, tag=None)
