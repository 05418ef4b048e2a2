"""Corpus search: ctrl+f on the main screen.

Typing searches every article (debounced, in a thread worker, so a big corpus never blocks the
keys); the results list each match's line of context under its article's title. Enter jumps to
the match; ctrl+t codes every match with a tag after a preview of the count. ctrl+r makes the
query a regular expression, ctrl+n searches quotes and notes, ctrl+s finds a word's other forms
too (stemming), ctrl+o lists the articles with the most matches first. The screen only
searches: it dismisses with what the main screen should do (:class:`JumpTo`, :class:`CodeAll`),
and the main screen does it and refreshes.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option
from textual.worker import Worker, WorkerState, get_current_worker

from annotations.bulk import phrase_of
from annotations.search import (
    NoteMatch,
    archived_ids,
    search_articles,
    search_notes,
    searched_ids,
)
from annotations.store import AnnotationStore
from corpus.search import SORTS, Match, SearchIndex, Sort
from corpus.terminal_safe import terminal_safe
from corpus.text_match import QueryError
from reader.later import Later
from reader.shown import safe_content
from reader.widgets.keys_footer import KeysFooter
from reader.wording import matches_in_articles

log = logging.getLogger(__name__)
SHOWN = 500  # results listed; the total is counted in full
DEBOUNCE = 0.15  # seconds of quiet typing before a search starts


@dataclass(frozen=True)
class JumpTo:
    """Open ``article_id`` and select ``[start, end)`` of its display text."""

    article_id: str
    start: int
    end: int


@dataclass(frozen=True)
class CodeAll:
    """Highlight every match of the query and tag it ``tag``, if the search still finds the
    ``matches`` in ``articles`` that the user confirmed (the screen keeps only the first
    results, so the main screen searches again)."""

    query: str
    regex: bool
    tag: str
    matches: int
    articles: int
    stem: bool = False


@dataclass(frozen=True)
class LastSearch:
    """What the search screen showed when it closed, so ctrl+f brings it back."""

    query: str = ""
    regex: bool = False
    notes: bool = False
    stem: bool = False
    sort: Sort = "article"


class _Cancelled(Exception):
    """A newer search started: stop indexing for this one (the next one carries on)."""


@dataclass
class SearchProgress(Message):
    """The index is being brought up to date: ``done`` of ``total`` articles."""

    done: int
    total: int

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, SearchProgress)


@dataclass
class SearchResults(Message):
    """Results of search number ``serial``; ``total`` (matches, articles) once counted."""

    serial: int
    matches: Sequence[Match | NoteMatch]
    total: tuple[int, int] | None


@dataclass
class SearchFailed(Message):
    """Search number ``serial`` could not run: a bad regular expression."""

    serial: int
    error: str


class ConfirmCode(ModalScreen[bool]):
    """ "Code 37 matches in 12 articles with #likeness?": enter or y codes, esc cancels."""

    BINDINGS = [
        Binding("enter,y", "answer(True)", "Code them"),
        Binding("escape,n", "answer(False)", "Cancel"),
    ]

    def __init__(self, question: str, phrase: str | None = None) -> None:
        super().__init__()
        self.question = question
        self.phrase = phrase  # several words typed without quotes: the phrase they make

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Code all matches", classes="dialog-title")
            yield Label(safe_content(self.question), id="code-question")
            if self.phrase is not None:
                yield Label(
                    safe_content(
                        f"Each word is coded on its own. For the phrase, search {self.phrase}"
                        " in quotes."
                    ),
                    id="code-phrase",
                )
            yield Label("enter or y codes them (u undoes) · esc cancels", classes="dialog-hint")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class SearchScreen(Screen[JumpTo | CodeAll | None]):
    """Search every article (or every highlight's quote and note)."""

    BINDINGS = [
        Binding("escape", "close", "Close"),
        Binding("enter", "open", "Go to match", show=False),
        Binding("ctrl+r", "toggle_regex", "Regex"),
        Binding("ctrl+n", "toggle_notes", "Notes"),
        Binding("ctrl+s", "toggle_stem", "Word forms"),
        Binding("ctrl+o", "cycle_sort", "Sort"),
        Binding("ctrl+t", "code", "Code all"),
        Binding("down", "move('down')", "Next match", show=False),
        Binding("up", "move('up')", "Previous match", show=False),
        Binding("pagedown", "move('page_down')", "Page down", show=False),
        Binding("pageup", "move('page_up')", "Page up", show=False),
    ]
    AUTO_FOCUS = "#search-input"

    def __init__(
        self, store: AnnotationStore, index: SearchIndex, last: LastSearch | None = None
    ) -> None:
        super().__init__()
        self.store = store
        self.index = index
        last = last or LastSearch()
        self.regex, self.notes = last.regex, last.notes
        self.stem: bool = last.stem
        self.sort: Sort = last.sort
        self.initial_query = last.query
        self.last = last  # kept up to date: the widgets are gone once the screen is dismissed
        self.serial = 0
        self.shown_serial = -1
        self.results: Sequence[Match | NoteMatch] = []
        self.total: tuple[int, int] | None = None
        self.typing = Later(self, DEBOUNCE)  # waiting: typed text not searched for yet

    def compose(self) -> ComposeResult:
        with Vertical(id="search-box"):
            with Horizontal(id="search-bar"):
                yield Label("Search", id="search-label")
                yield Input(
                    value=self.initial_query,
                    placeholder='words or "a phrase"',
                    id="search-input",
                    select_on_focus=True,
                )
                yield Label("", id="search-mode")
            yield Label("", id="search-status")
            yield OptionList(id="search-results")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_mode()
        self._start()

    @property
    def query_text(self) -> str:
        return self.query_one("#search-input", Input).value

    # -- searching -------------------------------------------------------------------------------
    @on(Input.Changed, "#search-input")
    def _typed(self) -> None:
        self.typing.start(self._start)

    def _start(self) -> None:
        self.typing.cancel()
        self.serial += 1
        query = self.query_text
        self.last = LastSearch(query, self.regex, self.notes, self.stem, self.sort)
        if not query.strip():
            self._status('Type words or a "quoted phrase"; ctrl+r for a regular expression.')
            self._show([], (0, 0))
            return
        self._status("Searching…")
        self._search(self.serial, query, self.regex, self.notes, self._stemmed, self.sort)

    @property
    def _stemmed(self) -> bool:
        """Whether words find their other forms: a regular expression is matched as written."""
        return self.stem and not self.regex

    @work(thread=True, exclusive=True, exit_on_error=False, group="search")
    def _search(
        self, serial: int, query: str, regex: bool, notes: bool, stem: bool, sort: Sort
    ) -> None:
        worker = get_current_worker()
        try:
            hidden = archived_ids(self.store)  # archived articles are not searched
            if notes:
                found_notes = search_notes(
                    self.store,
                    query,
                    regex=regex,
                    limit=SHOWN,
                    hidden=hidden,
                    stem=stem,
                    sort=sort,
                )
                if not worker.is_cancelled:
                    self.post_message(SearchResults(serial, found_notes.rows, found_notes.total))
                return

            def progress(done: int, total: int) -> None:
                if worker.is_cancelled:
                    raise _Cancelled
                self.post_message(SearchProgress(done, total))

            self.index.refresh(progress)
            # The first rows at once; a count of many more follows when it is done.
            found = search_articles(
                self.index,
                query,
                regex=regex,
                limit=SHOWN,
                count=False,
                hidden=hidden,
                stem=stem,
                sort=sort,
            )
            if worker.is_cancelled:
                return
            self.post_message(SearchResults(serial, found.rows, found.total))
            if found.total is None:
                ids = searched_ids(self.index, hidden)
                total = self.index.count(query, regex=regex, article_ids=ids, stem=stem)
                if not worker.is_cancelled:
                    self.post_message(SearchResults(serial, found.rows, total))
        except QueryError as exc:
            self.post_message(SearchFailed(serial, str(exc)))
        except _Cancelled:
            pass

    @on(SearchProgress)
    def _progress(self, message: SearchProgress) -> None:
        self._status(f"Indexing the articles for search: {message.done:,} of {message.total:,}…")

    @on(SearchFailed)
    def _failed(self, message: SearchFailed) -> None:
        if message.serial == self.serial:
            self.shown_serial = message.serial
            self._show([], (0, 0))
            self._status(message.error, error=True)

    @on(SearchResults)
    def _results(self, message: SearchResults) -> None:
        if message.serial != self.serial:
            return  # an older query's answer, arriving late
        if message.serial == self.shown_serial:
            self.total = message.total  # the count of a list already shown
            self._show_total()
            return
        self.shown_serial = message.serial
        self._show(message.matches, message.total)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The one place a search's unexpected failure (an unreadable index or store) shows.
        if event.state == WorkerState.ERROR:
            log.error("search failed", exc_info=event.worker.error)
            self._status(f"Search failed: {event.worker.error}", error=True)

    # -- showing ---------------------------------------------------------------------------------
    def _status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#search-status", Label)
        status.update(safe_content(text))  # errors quote the query, and files
        status.set_class(error, "-error")

    def _show_mode(self) -> None:
        shown = (
            ("regex", self.regex),
            ("word forms", self._stemmed),
            ("most matches first", self.sort == "count"),
            ("notes & quotes", self.notes),
        )
        modes = [name for name, on_ in shown if on_]
        self.query_one("#search-mode", Label).update(" · ".join(modes))
        self.query_one("#search-input", Input).placeholder = (
            "a Python regular expression" if self.regex else 'words or "a phrase"'
        ) + (" in quotes and notes" if self.notes else "")

    def _show_total(self) -> None:
        if self.total is None:
            self._status(f"{SHOWN}+ matches, counting…")
            return
        matches, articles = self.total
        text = matches_in_articles(matches, articles)
        if matches > len(self.results):
            text += f" (the first {len(self.results)} are listed)"
        if matches:
            text += "  ·  enter goes to a match, ctrl+t codes them all" if not self.notes else ""
        self._status(text if matches else f"No matches. {self._no_match_hint()}")

    def _no_match_hint(self) -> str:
        if self.notes:
            return "ctrl+n searches the articles instead."
        if self.regex:
            return "ctrl+n searches notes and quotes."
        forms = "" if self.stem else " or ctrl+s (forms)"
        return f"Whole words: try word*{forms}; ctrl+n searches notes."

    def _show(self, results: Sequence[Match | NoteMatch], total: tuple[int, int] | None) -> None:
        self.results, self.total = results, total
        options: list[Option] = []
        previous = None
        for index, result in enumerate(results):
            label = result.field if isinstance(result, NoteMatch) else None
            if result.article_id != previous:
                previous = result.article_id
                options.append(
                    Option(
                        Content.styled(terminal_safe(result.title), "bold $text-muted"),
                        disabled=True,
                    )
                )
            # A note's context is the note as written: each part shown through terminal_safe.
            context, start, end = result.context, result.context_start, result.context_end
            line = Content.assemble(
                "  ",
                (f"{label}: ", "italic $text-muted") if label else "",
                terminal_safe(context[:start]),
                (terminal_safe(context[start:end]), "bold $text-warning"),
                terminal_safe(context[end:]),
            )
            options.append(Option(line, id=str(index)))
        results_list = self.query_one("#search-results", OptionList)
        results_list.set_options(options)
        if results:
            results_list.highlighted = 1  # the first match, under its title
        if self.query_text.strip():
            self._show_total()

    # -- actions ---------------------------------------------------------------------------------
    def action_move(self, how: str) -> None:
        results_list = self.query_one("#search-results", OptionList)
        getattr(results_list, f"action_{'cursor_' if how in ('up', 'down') else ''}{how}")()

    @on(OptionList.OptionSelected, "#search-results")
    def _clicked(self) -> None:
        self.action_open()

    @on(Input.Submitted, "#search-input")
    def _submitted(self) -> None:
        self.action_open()

    def action_open(self) -> None:
        results_list = self.query_one("#search-results", OptionList)
        if results_list.highlighted is None or self.typing.waiting:
            return  # nothing listed, or the list is about to change
        option = results_list.get_option_at_index(results_list.highlighted)
        if option.id is None:
            return
        result = self.results[int(option.id)]
        if isinstance(result, NoteMatch):
            h = result.highlight
            if h.orphaned:
                self.notify(
                    "That highlight's text is no longer in the article.", severity="warning"
                )
                return
            start, end = (h.start + result.start, h.start + result.end)
            if result.field == "note":
                start, end = h.start, h.end
            self.dismiss(JumpTo(h.article_id, start, end))
        else:
            self.dismiss(JumpTo(result.article_id, result.start, result.end))

    def action_toggle_regex(self) -> None:
        self.regex = not self.regex
        self._show_mode()
        self._start()

    def action_toggle_notes(self) -> None:
        self.notes = not self.notes
        self._show_mode()
        self._start()

    def action_toggle_stem(self) -> None:
        self.stem = not self.stem
        if self.regex and self.stem:
            self.notify("Word forms apply to words: ctrl+r leaves the regular expression.")
        self._show_mode()
        self._start()

    def action_cycle_sort(self) -> None:
        self.sort = SORTS[(SORTS.index(self.sort) + 1) % len(SORTS)]
        self._show_mode()
        self._start()

    def action_code(self) -> None:
        from reader.dialogs.tag_picker import TagChoice, TagPicker

        if self.notes:
            self.notify(
                "Coding works on matches in the articles: ctrl+n first.", severity="warning"
            )
            return
        if self.total is None or self.typing.waiting or self.shown_serial != self.serial:
            self.notify("Wait for the search to finish.", severity="warning")
            return
        matches, articles = self.total
        if not matches:
            self.notify("No matches to code.", severity="warning")
            return
        query, regex, stem = self.query_text, self.regex, self._stemmed
        counts = self.store.tag_counts()
        choices = [
            TagChoice(t.name, t.color, counts.get(t.name, 0), False) for t in self.store.tags()
        ]

        def chosen(name: str | None) -> None:
            if not name:
                return

            def confirmed(yes: bool | None) -> None:
                if yes:
                    self.dismiss(CodeAll(query, regex, name, matches, articles, stem))

            question = f"Code {matches_in_articles(matches, articles)} with #{name}?"
            phrase = phrase_of(query, regex=regex)
            self.app.push_screen(ConfirmCode(question, phrase), confirmed)

        title = f"Tag all {matches} {'match' if matches == 1 else 'matches'}"
        hint = "enter tags every match with the highlighted tag · ↑↓ choose · esc cancels"
        self.app.push_screen(TagPicker(choices, title=title, hint=hint), chosen)

    def action_close(self) -> None:
        self.dismiss(None)
