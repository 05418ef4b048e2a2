"""How the article list is ordered and narrowed while the reader looks: the sort (``o`` cycles
newest first, by title, most highlights), the quick title filter (``f``: an input over the list,
narrowing it as one types) and the reading progress each row shows.

Pure functions over the list's rows, and the one small input widget; the article column
(:mod:`reader.widgets.article_list`) holds the state and calls them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar, Literal, Protocol, TypeVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input

from corpus.text_match import fold

if TYPE_CHECKING:
    from annotations.model import ArticleState
    from annotations.store import AnnotationStore
    from reader.widgets.article_list import ArticleList

Sort = Literal["date", "title", "highlights"]
SORTS: tuple[Sort, ...] = ("date", "title", "highlights")
SORT_NAMES: dict[Sort, str] = {
    "date": "newest first",
    "title": "by title",
    "highlights": "most highlights",
}


class Sortable(Protocol):
    """What sorting needs of a row."""

    @property
    def id(self) -> str: ...
    @property
    def title(self) -> str: ...
    @property
    def published(self) -> str: ...
    @property
    def highlights(self) -> int: ...


R = TypeVar("R", bound=Sortable)


def next_sort(sort: Sort) -> Sort:
    """The sort ``o`` goes to from ``sort``."""
    return SORTS[(SORTS.index(sort) + 1) % len(SORTS)]


def sort_rows(rows: Sequence[R], sort: Sort) -> list[R]:
    """``rows`` in the order ``sort`` names; ties keep the id order, so the list is stable."""
    by_id = sorted(rows, key=lambda r: r.id)
    if sort == "title":
        return sorted(by_id, key=lambda r: (fold(r.title), r.title))
    newest = sorted(by_id, key=lambda r: (r.published or "", r.title), reverse=True)
    if sort == "highlights":
        return sorted(newest, key=lambda r: r.highlights, reverse=True)
    return newest


def titled(rows: Sequence[R], typed: str) -> list[R]:
    """The rows whose title holds every word typed, folded as find and search fold (case and
    accents aside: ``cafe`` finds “Café”)."""
    words = fold(typed).split()
    if not words:
        return list(rows)
    return [row for row in rows if all(word in fold(row.title) for word in words)]


def progress(furthest: int, length: int) -> int:
    """How much of a text of ``length`` characters was read, in percent, when the furthest
    point reached is ``furthest``: 100 only at the end (the last character or past it), so a
    row marked finished was read to its end."""
    if length <= 0 or furthest <= 0:
        return 0
    if furthest >= length - 1:
        return 100
    return min(99, max(1, furthest * 100 // length))


def progress_mark(percent: int) -> str:
    """What a row shows of its progress: nothing before any reading, ``42%``, ``✓`` finished."""
    if percent <= 0:
        return ""
    return "✓" if percent >= 100 else f"{percent}%"


def progress_of(state: ArticleState | None, lengths: dict[str, int]) -> int:
    """An article's progress from its stored state and its display text's length, if known."""
    if state is None or not state.furthest:
        return 0
    return progress(state.furthest, lengths.get(state.article_id, 0))


class TitleFilter(Input):
    """The quick filter over the article list: it narrows the list as one types; enter goes
    into the list (the filter stays), esc clears it and hides it."""

    BINDINGS = [
        Binding("escape", "clear", "Clear filter"),
        Binding("down", "to_list", "To the list", show=False),
    ]

    @dataclass
    class Done(Message):
        """The reader left the filter: ``cleared`` when with esc (the filter is gone)."""

        cleared: bool

    def action_clear(self) -> None:
        self.value = ""
        self.post_message(self.Done(cleared=True))

    def action_to_list(self) -> None:
        self.post_message(self.Done(cleared=False))

    async def action_submit(self) -> None:
        self.post_message(self.Done(cleared=False))


class OrderedColumn(Vertical):
    """The sort, the title filter and the lengths behind the progress of the article column
    (:class:`~reader.widgets.article_list.ArticleColumn`, which shows the rows through
    :meth:`show_rows` and changes one through :meth:`update_row`)."""

    store: AnnotationStore

    @dataclass
    class Measured(Message):
        """The display-text lengths of articles the cache did not know, measured."""

        lengths: dict[str, int]

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("o", "cycle_sort", "Sort"),
        Binding("f", "find_title", "Find title"),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.sort: Sort = "date"
        self.sort_chosen = False  # once o was pressed, the line above the list names the order
        self.title_query = ""

    @property
    def articles(self) -> ArticleList:
        raise NotImplementedError

    def show_rows(self) -> None:
        """Show the rows the filters admit, in the order :attr:`sort` names."""
        raise NotImplementedError

    def update_row(self, article_id: str, **changes: object) -> None:
        raise NotImplementedError

    def _lengths(self, article_ids: Iterable[str]) -> dict[str, int]:
        """The display-text lengths of these articles (the ones read at all) that the cache
        knows (:mod:`corpus.text_lengths`); the others are measured in the background and
        their rows' progress shown when they are (rendering 3,000 articles takes seconds)."""
        from corpus.text_lengths import text_lengths

        wanted = list(article_ids)
        found = text_lengths(self.store.library, wanted, render=False)
        missing = [article_id for article_id in wanted if article_id not in found]
        if missing:
            self._measure(missing)
        return found

    @work(thread=True, exclusive=True, exit_on_error=False, group="article lengths")
    def _measure(self, article_ids: list[str]) -> None:
        from corpus.text_lengths import text_lengths

        self.post_message(self.Measured(text_lengths(self.store.library, article_ids)))

    @on(Measured)
    def _measured(self, message: Measured) -> None:
        from reader.store_calls import safely

        states = safely(self, "Reading the reading state", self.store.states) or {}
        for article_id, length in message.lengths.items():
            state = states.get(article_id)
            if state is not None:
                self.update_row(article_id, progress=progress(state.furthest, length))

    def action_cycle_sort(self) -> None:
        """Order the list by the next of date (newest first), title and highlights (most
        first), keeping the highlighted article under the cursor."""
        self.sort, self.sort_chosen = next_sort(self.sort), True
        self._keeping_cursor(self.show_rows)
        self.notify(f"Articles {SORT_NAMES[self.sort]} (o changes it).", timeout=2)

    def _keeping_cursor(self, change: Callable[[], None]) -> None:
        """Make ``change`` to the rows, the list's cursor staying on the same article."""
        articles = self.articles
        at = articles.highlighted
        kept = articles.rows[at].id if at is not None and at < len(articles.rows) else None
        change()
        index = articles._index.get(kept) if kept is not None else None
        if index is not None:
            articles.highlighted = index

    async def action_find_title(self) -> None:
        """Show the title filter and type into it."""
        field = next(iter(self.query(TitleFilter)), None)
        if field is None:
            field = TitleFilter(placeholder="title…", id="title-filter")
            await self.mount(field, before=self.articles)
        field.display = True
        field.focus()

    @on(Input.Changed, "#title-filter")
    def _title_typed(self, event: Input.Changed) -> None:
        event.stop()
        self.title_query = event.value
        self.show_rows()
        if self.articles.rows:
            self.articles.highlighted = 0

    @on(TitleFilter.Done)
    def _title_done(self, event: TitleFilter.Done) -> None:
        event.stop()
        field = self.query_one(TitleFilter)
        if event.cleared:
            field.display = False
            if self.title_query:
                self.title_query = ""
                self._keeping_cursor(self.show_rows)
        self.articles.focus()
