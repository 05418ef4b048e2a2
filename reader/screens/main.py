"""The main screen: article list, reading pane and annotation sidebar, wired to the store.

Widgets send messages up; this screen turns them into store calls and pushes the results down.
Every change is written to the store before the screen reports it, and a store error becomes a
notification that says why nothing changed.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Header, Label
from textual.worker import Worker, WorkerState, get_current_worker

from annotations.anchoring import anchor, quote_selector
from annotations.codebook import TagChange
from annotations.counts import highlight_counts
from annotations.filtering import ArticleFilter, tag_matches, tags_by_article
from annotations.model import Highlight
from annotations.storage import StoreError
from annotations.store import AnnotationStore, ArticleChanged, DuplicateHighlight
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from corpus.terminal_safe import terminal_safe
from reader.shown import safe_content
from reader.widgets.annotation_sidebar import AnnotationSidebar, SidebarEntry
from reader.widgets.article_list import ArticleList, ArticleRow
from reader.widgets.find_bar import FindBar
from reader.widgets.keys_footer import KeysFooter
from reader.widgets.reading_pane import PaneHighlight, ReadingPane
from reader.wording import count, sentence

if TYPE_CHECKING:  # the search screen, the importers and the progress bar load on first use
    from textual.widgets import ProgressBar

    from annotations.article_import import ArticleImport
    from corpus.cancel import Cancel
    from corpus.markdown_text import DisplayText
    from corpus.search import SearchIndex
    from reader.dialogs.export import ExportRequest
    from reader.screens.search import CodeAll, LastSearch

log = logging.getLogger(__name__)
T = TypeVar("T")


class ImportProgress(Message):
    """An import worker finished one more of its items."""

    def __init__(self, done: int, total: int) -> None:
        super().__init__()
        self.done, self.total = done, total

    def can_replace(self, message: Message) -> bool:
        return isinstance(message, ImportProgress)


class ImportFinished(Message):
    """An import worker is done; ``outcomes`` says what happened to each item."""

    def __init__(self, outcomes: list[ArticleImport]) -> None:
        super().__init__()
        self.outcomes = outcomes


class Coded(Message):
    """A bulk-coding worker is done: ``change`` undoes it."""

    def __init__(self, change: TagChange) -> None:
        super().__init__()
        self.change = change


class CodeRefused(Message):
    """A bulk code found other matches than the ones the user confirmed, and coded nothing."""

    def __init__(self, request: CodeAll, matches: int, articles: int) -> None:
        super().__init__()
        self.request, self.matches, self.articles = request, matches, articles


class TagChangeUndone(Message):
    """An undo worker is done with a tag change; ``error`` says why it failed, if it did."""

    def __init__(self, change: TagChange, error: str | None) -> None:
        super().__init__()
        self.change, self.error = change, error


@dataclass
class Change:
    """One undoable change: what to put back. ``before`` is ``None`` for an addition."""

    article_id: str
    highlight_id: str
    before: Highlight | None
    label: str


def _follow(old: str, new: str, offset: int) -> int:
    """Where the words at ``offset`` of ``old`` are in ``new``: the 32 characters from there
    (before there at the end) found as a highlight is re-anchored, by their words and their
    context; else the same offset."""
    start, end = offset, min(len(old), offset + 32)
    if start == end:
        start = max(0, end - 32)
    if start == end or old == new:
        return offset
    hit = anchor(new, quote_selector(old, start, end), start, end)
    return offset if hit is None else hit.start + offset - start


class MainScreen(Screen[None]):
    """Reading and annotating."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    # on_mount focuses the pane or the list itself: one focus change, so the footer's keys
    # are built once at start-up instead of twice.
    AUTO_FOCUS = None
    BINDINGS = [
        Binding("a", "highlight", "Highlight"),
        Binding("t", "tag", "Tag"),
        Binding("c", "note", "Note"),
        Binding("d", "delete", "Delete", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("left_square_bracket", "jump(-1)", "Previous highlight", show=False),
        Binding("right_square_bracket", "jump(1)", "Next highlight", show=False),
        Binding("slash", "find", "Find"),
        Binding("ctrl+f", "search", "Search"),
        Binding("e", "export", "Export"),
        Binding("i", "import", "Import"),
        Binding("F", "filter", "Filter"),
        Binding("T", "codebook", "Tags", show=False),
        Binding("percent_sign", "statistics", "Statistics", show=False),
        Binding("L", "toggle_list", "Articles", show=False),
        Binding("A", "toggle_sidebar", "Highlights", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    show_list: var[bool] = var(True)
    show_sidebar: var[bool] = var(True)

    def __init__(self, store: AnnotationStore, article_id: str | None = None) -> None:
        super().__init__()
        self.store = store
        self.initial_article = article_id
        self.article_id: str | None = None
        self.undo_stack: list[Change | TagChange] = []
        self.cursor = 0  # the pane's cursor, kept here so it can be saved after unmount
        self.quitting = False
        self._counts: dict[str, int] = {}
        self.article_filter = ArticleFilter()
        self.sidebar_tag: str | None = None  # the sidebar shows only highlights with this tag
        self._rows: list[ArticleRow] = []  # every article, before the filter
        self._article_tags: dict[str, set[str]] | None = None  # read when a tag filter needs it
        self._search_index: SearchIndex | None = None  # made on the first ctrl+f
        self._last_search: LastSearch | None = None
        self._import_cancel: Cancel | None = None  # ends the import under way
        self._update_waiting = False  # an import updated the open article under a dialog

    def compose(self) -> ComposeResult:
        # Textual applies breakpoint classes on the first resize, after a first paint; setting
        # the right one now spares the reading pane a layout at a width it never keeps.
        width = self.app.size.width
        self.add_class([name for low, name in self.HORIZONTAL_BREAKPOINTS if width >= low][-1])
        yield Header()
        with Horizontal(id="main"):
            with Vertical(id="list-column"):
                yield Label(id="list-filter")
                yield ArticleList(id="articles")
            with Vertical(id="reading-column"):
                yield ReadingPane(id="reading")
                # The find bar and the import progress bar are mounted on first use (ten
                # widgets less to style before the first paint).
            with Vertical(id="sidebar"):
                yield Label("Highlights", id="sidebar-title")
                yield AnnotationSidebar(id="highlights")
        yield KeysFooter()

    # -- helpers -------------------------------------------------------------------------------
    @property
    def pane(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def sidebar(self) -> AnnotationSidebar:
        return self.query_one(AnnotationSidebar)

    def _safely(self, what: str, call: Callable[[], T]) -> T | None:
        """Run a store call; on failure tell the user why and that nothing changed."""
        try:
            return call()
        except (StoreError, ArticleFormatError, ArticleNotFound, OSError) as exc:
            log.exception("%s failed", what)
            self.notify(str(exc), title=f"{what} failed", severity="error", timeout=8)
            return None

    def _refresh_list(self) -> None:
        """Build the article list from the workspace (on mount: it reads every article).

        Files that cannot be read are left out of the list and each is named in a
        notification; the rest of the workspace stays usable.
        """
        problems: list[str] = []
        self._counts = highlight_counts(self.store, problems)  # cached by file stat
        states = self._safely("Reading the reading state", self.store.states) or {}
        self._rows = [
            ArticleRow(
                id=a.id,
                title=a.title,
                source=a.source,
                published=(a.published or "")[:10],
                highlights=self._counts.get(a.id, 0),
                read=states[a.id].read if a.id in states else False,
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
        self._rows.sort(key=lambda r: (r.published or "", r.title), reverse=True)
        self._article_tags = None
        self._show_rows()

    def _show_rows(self) -> None:
        """Put the rows the filter admits in the list, and say which filter is on."""
        wanted = self.article_filter
        rows = self._rows
        if wanted.active:
            if wanted.needs_tags and self._article_tags is None:
                problems: list[str] = []
                self._article_tags = tags_by_article(self.store, problems)
                for problem in problems[:3]:
                    self.notify(problem, title="Cannot read", severity="error", timeout=10)
            rows = [
                r
                for r in rows
                if wanted.admits(
                    article_id=r.id,
                    source=r.source,
                    published=r.published,
                    read=r.read,
                    highlights=r.highlights,
                    tags=self._article_tags,
                )
            ]
        self.query_one(ArticleList).set_rows(rows, self.article_id)
        label = self.query_one("#list-filter", Label)
        label.display = wanted.active
        if wanted.active:
            label.update(safe_content(f"▼ {wanted.describe()} · {len(rows)} of {len(self._rows)}"))
        self._show_counts()

    def _update_row(self, article_id: str, **changes: object) -> None:
        """Change one article's row, in the list and in the unfiltered rows behind it."""
        for index, row in enumerate(self._rows):
            if row.id == article_id:
                self._rows[index] = replace(row, **changes)  # type: ignore[arg-type]
                break
        self.query_one(ArticleList).update_row(article_id, **changes)

    def _show_counts(self) -> None:
        articles = len(self._rows)
        shown = len(self.query_one(ArticleList).rows)
        total = sum(self._counts.values())
        listed = (
            f"{shown} of {count(articles, 'article')}"
            if self.article_filter.active
            else count(articles, "article")
        )
        # Workspace and counts lead the header; the open article's title follows them.
        name = terminal_safe(self.store.workspace.root.name)
        self.title = f"{name} · {listed} · {count(total, 'highlight')}"

    def _refresh_annotations(self) -> None:
        """Redraw the open article's highlights in the pane, the sidebar and its list row."""
        if self.article_id is None:
            return
        highlights = self._safely(
            "Loading highlights", lambda: self.store.highlights(self.article_id or "")
        )
        if highlights is None:
            return
        tags = {t.name: t for t in self._safely("Reading tags", self.store.tags) or []}
        if self._article_tags is not None:
            self._article_tags[self.article_id] = {name for h in highlights for name in h.tags}
        self.pane.set_highlights(
            [
                PaneHighlight(h.id, h.start, h.end, h.display_color(tags))
                for h in highlights
                if not h.orphaned
            ]
        )
        self.sidebar.set_entries(
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
                )
                for h in highlights
                if self.sidebar_tag is None or any(tag_matches(t, self.sidebar_tag) for t in h.tags)
            ],
            filtered=self.sidebar_tag is not None,
        )
        title = self.query_one("#sidebar-title", Label)
        if self.sidebar_tag is None:
            title.update("Highlights")
        else:
            shown = len(self.sidebar.entries)
            title.update(
                safe_content(f"Highlights · #{self.sidebar_tag} · {shown} of {len(highlights)}")
            )
        self._counts[self.article_id] = len(highlights)
        self._update_row(self.article_id, highlights=len(highlights))
        self._show_counts()

    def _after_change(self) -> None:
        self._refresh_annotations()

    # -- opening articles ----------------------------------------------------------------------
    def on_mount(self) -> None:
        from reader.startup import resume_gc

        self.pane.call_after_paint(resume_gc)  # once the first screen is on the terminal
        self.set_timer(5, resume_gc)  # in case the pane is never painted (a no-op otherwise)
        self._backup()
        self._refresh_list()
        target = self.initial_article or self._safely(
            "Reading the last article", self.store.last_article
        )
        if target and target in self.store.library:
            at_start = self.initial_article is not None
            self.open_article(target, position=0 if at_start else None)
            self.pane.focus()
            return
        # First run: show the newest article, and let the list have the keyboard.
        articles = self.query_one(ArticleList)
        if articles.rows:
            self.open_article(articles.rows[0].id)
        else:
            self.sidebar.set_entries([])
        articles.focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="backup")
    def _backup(self) -> None:
        """A rolling backup of the annotations when the app opens (at most one an hour)."""
        from annotations.backups import maybe_backup

        with self.store.lock:  # not in the middle of another process's write
            maybe_backup(self.store.workspace)

    def open_article(self, article_id: str, position: int | None = None) -> None:
        """Show an article; ``position`` ``None`` restores where the reader left off."""
        self._save_position()
        display = self._safely(
            "Opening the article", lambda: self.store.library.display(article_id)
        )
        if display is None:
            return
        state = self._safely("Reading the reading state", lambda: self.store.state(article_id))
        if position is None:
            position = state.position if state is not None else 0
        self.article_id = article_id
        self.pane.load(article_id, display, [], position)
        self._safely("Saving reading state", lambda: self.store.mark_opened(article_id))
        self.sub_title = terminal_safe(self.store.library.get(article_id).title)
        self._refresh_annotations()
        self._update_row(article_id, read=True)
        self.query_one(ArticleList).set_current(article_id)

    def _save_position(self) -> None:
        article_id = self.article_id
        if article_id is None:
            return
        state = self._safely("Reading the reading state", lambda: self.store.state(article_id))
        if state is not None and state.position != self.cursor:
            state.position = self.cursor
            self._safely("Saving reading position", lambda: self.store.save_state(state))

    @on(ArticleList.Opened)
    def _open_from_list(self, event: ArticleList.Opened) -> None:
        self.open_article(event.article_id)
        self.pane.focus()

    # -- following the cursor ------------------------------------------------------------------
    @on(ReadingPane.CursorMoved)
    def _cursor_moved(self, event: ReadingPane.CursorMoved) -> None:
        self.cursor = event.offset
        hit = self.pane.highlight_at(event.offset)
        if hit is not None:
            self.sidebar.show(hit.id)

    @on(ReadingPane.HighlightClicked)
    def _highlight_clicked(self, event: ReadingPane.HighlightClicked) -> None:
        self.sidebar.show(event.highlight_id)

    @on(AnnotationSidebar.Focused)
    def _sidebar_moved(self, event: AnnotationSidebar.Focused) -> None:
        highlight = self._find(event.highlight_id)
        if highlight is not None and not highlight.orphaned:  # an orphan's range is stale
            self.pane.select(highlight.start, highlight.end)

    @on(AnnotationSidebar.EditRequested)
    def _sidebar_edit(self, event: AnnotationSidebar.EditRequested) -> None:
        highlight = self._find(event.highlight_id)
        if highlight is not None:
            self._edit_note(highlight)

    @on(AnnotationSidebar.ReattachRequested)
    def _sidebar_reattach(self, event: AnnotationSidebar.ReattachRequested) -> None:
        target = self._find(event.highlight_id)
        selection = self.pane.selection
        if target is None or self.article_id is None:
            return
        if selection is None:
            self.notify("Select the passage in the text first, then press r.", severity="warning")
            return
        article_id = self.article_id
        shown = self.pane.display_text.text

        def reattach() -> Highlight | ArticleChanged:
            try:
                return self.store.reattach(article_id, target.id, *selection, shown_text=shown)
            except ArticleChanged as exc:
                return exc

        moved = self._safely("Re-attaching", reattach)
        if isinstance(moved, ArticleChanged):
            self._changed_on_disk(selection, "r")
            return
        if moved is not None:
            self.undo_stack.append(Change(article_id, target.id, target, "re-attach"))
            self.pane.clear_selection()
            self._after_change()
            self.notify("Re-attached the highlight.", timeout=2)

    @on(AnnotationSidebar.DeleteRequested)
    def _sidebar_delete(self, event: AnnotationSidebar.DeleteRequested) -> None:
        highlight = self._find(event.highlight_id)
        if highlight is not None:
            self._delete(highlight)

    def _find(self, highlight_id: str) -> Highlight | None:
        """A highlight of the open article, or None (gone, or the store cannot read it)."""
        if self.article_id is None:
            return None
        try:
            return self.store.get_highlight(self.article_id, highlight_id)
        except StoreError:
            return None

    def _target(self) -> Highlight | None:
        """The highlight an action applies to: the sidebar's when it has focus, else the one
        under the cursor."""
        if self.sidebar.has_focus and self.sidebar.current_id:
            return self._find(self.sidebar.current_id)
        hit = self.pane.highlight_at(self.pane.cursor)
        return self._find(hit.id) if hit else None

    def _highlight_over(self, selection: tuple[int, int]) -> Highlight | None:
        """The open article's highlight over exactly ``selection``, if there is one: `t` and
        `c` on such a selection act on it instead of making a second highlight."""
        if self.article_id is None:
            return None
        article_id = self.article_id
        highlights = self._safely("Loading highlights", lambda: self.store.highlights(article_id))
        return next(
            (h for h in highlights or [] if not h.orphaned and (h.start, h.end) == selection),
            None,
        )

    def _reload_changed(
        self, selection: tuple[int, int] | None, display: DisplayText | None = None
    ) -> tuple[int, int] | None:
        """Show the open article as its file now is (its highlights re-anchored; ``display``
        when already read), after the store found that the text changed since the pane showed
        it or an import updated it, and select the words of ``selection`` again where they now
        are. Returns that range, or None when they are gone (a fuzzy match would be other
        words, so only the exact quote counts). The cursor stays on its words, on its row."""
        if self.article_id is None:
            return None
        article_id = self.article_id
        old = self.pane.display_text.text
        if display is None:
            display = self._safely(
                "Reloading the article", lambda: self.store.library.display(article_id)
            )
        if display is None:
            return None
        found = None
        if selection is not None:
            hit = anchor(display.text, quote_selector(old, *selection), *selection)
            if hit is not None and hit.method != "fuzzy":
                found = (hit.start, hit.end)
        position = found[0] if found else _follow(old, display.text, self.pane.cursor)
        self.pane.load(article_id, display, [], position, cursor_row=self.pane.cursor_row)
        self._refresh_annotations()
        if found is not None:
            self.pane.select(*found)
        return found

    def _changed_on_disk(self, selection: tuple[int, int], key: str) -> None:
        """Reload after the store refused a range into text that changed, and say so."""
        found = self._reload_changed(selection)
        then = (
            f"The words you selected are selected again: press {key} once more."
            if found is not None
            else "The words you selected are no longer in it."
        )
        self.notify(
            f"The article changed on disk and was reloaded; nothing was stored. {then}",
            title="Article changed",
            severity="warning",
            timeout=10,
        )

    # -- annotating ----------------------------------------------------------------------------
    def _add(
        self, tags: list[str] | None = None, note: str = "", key: str = "a"
    ) -> Highlight | None:
        """Highlight the selection (with tags or a note); ``key`` is the key that asked, for
        the message when the article changed on disk meanwhile."""
        selection = self.pane.selection
        if self.article_id is None or selection is None:
            return None
        article_id = self.article_id
        shown = self.pane.display_text.text

        def add() -> Highlight | DuplicateHighlight | ArticleChanged:
            try:
                return self.store.add_highlight(
                    article_id, *selection, tags=tags or [], note=note, shown_text=shown
                )
            except (DuplicateHighlight, ArticleChanged) as exc:
                return exc

        added = self._safely("Highlighting", add)
        if isinstance(added, ArticleChanged):
            if not note:
                self._changed_on_disk(selection, key)
                return None
            found = self._reload_changed(selection)
            if found is not None:  # the typed note goes back into the editor, never lost
                self.notify(
                    "The article changed on disk and was reloaded; nothing was stored. "
                    "Your note is back in the editor, on the same words.",
                    title="Article changed",
                    severity="warning",
                    timeout=10,
                )
                self._new_note(*found, draft=note)
            else:
                log.warning("note not saved, its words are gone: %r", note)
                self.notify(
                    "The article changed on disk and the words you selected are no longer "
                    f"in it; your note was not stored: {note}",
                    title="Article changed",
                    severity="error",
                    timeout=30,
                    markup=False,  # the note is shown as typed, brackets and all
                )
            return None
        if isinstance(added, DuplicateHighlight):
            existing = added.existing
            self.pane.clear_selection()
            self._after_change()  # it may be another writer's, not drawn yet
            self.sidebar.show(existing.id)
            excerpt = existing.quote if len(existing.quote) < 50 else existing.quote[:49] + "…"
            self.notify(f"Already highlighted: “{excerpt}” (selected).", timeout=3)
            return None
        if added is not None:
            self.undo_stack.append(Change(article_id, added.id, None, "highlight"))
            self.pane.clear_selection()
            self._after_change()
            self.sidebar.show(added.id)
        return added

    def action_highlight(self) -> None:
        if self.pane.selection is None:
            self.notify("Select text first: v, s, S, / or a mouse drag.", severity="warning")
            return
        added = self._add()
        if added is not None:
            excerpt = added.quote if len(added.quote) < 50 else added.quote[:49] + "…"
            self.notify(f"Highlighted “{excerpt}”", timeout=2)

    def action_tag(self) -> None:
        from reader.dialogs.tag_picker import TagChoice, TagPicker

        if self.article_id is None:
            return
        selection = self.pane.selection
        # A selection that is exactly a highlight tags that highlight, as the cursor on it would.
        target = self._highlight_over(selection) if selection else self._target()
        if selection is None and target is None:
            self.notify(
                "Select text or put the cursor on a highlight to tag it.", severity="warning"
            )
            return
        counts = self._safely("Counting tags", self.store.tag_counts)
        tags = self._safely("Reading tags", self.store.tags)
        if counts is None or tags is None:
            return
        applied = set(target.tags) if target else set()
        choices = [
            TagChoice(t.name, t.color, counts.get(t.name, 0), t.name in applied) for t in tags
        ]

        def chosen(name: str | None) -> None:
            if not name:
                return
            if target is None:
                if self._add(tags=[name], key="t") is not None:
                    self.notify(f"Highlighted and tagged #{name}", timeout=2)
                return
            removing = name in target.tags
            tags = [t for t in target.tags if t != name] if removing else [*target.tags, name]
            if self._update(target, "tag", tags=tags) and selection is not None:
                self.pane.clear_selection()
                done = f"Took #{name} off" if removing else f"Added #{name} to"
                self.notify(f"{done} the highlight already there.", timeout=2)

        self.app.push_screen(TagPicker(choices), chosen)

    def action_note(self) -> None:
        if self.article_id is None:
            return
        if self.pane.selection is not None:
            start, end = self.pane.selection
            existing = self._highlight_over((start, end))
            if existing is not None:  # its note, rather than a second highlight
                self.pane.clear_selection()
                self._edit_note(existing)
                return
            self._new_note(start, end)
            return
        target = self._target()
        if target is None:
            self.notify(
                "Select text or put the cursor on a highlight to add a note.", severity="warning"
            )
            return
        self._edit_note(target)

    def _new_note(self, start: int, end: int, draft: str = "") -> None:
        """The note editor for a new highlight of the selection ``[start, end)``."""
        from reader.dialogs.note_editor import NoteEditor

        def save_new(note: str | None) -> None:
            if note is not None:
                self._add(note=note, key="c")

        quote = self.pane.display_text.text[start:end]
        self.app.push_screen(NoteEditor(quote, draft=draft), save_new)

    def _edit_note(self, target: Highlight) -> None:
        from reader.dialogs.note_editor import NoteEditor

        def save(note: str | None) -> None:
            if note is not None and note != target.note:
                self._update(target, "note", note=note)

        self.app.push_screen(NoteEditor(target.quote, target.note), save)

    def _update(self, target: Highlight, label: str, **changes: object) -> bool:
        """Change a highlight (undoably); whether it was saved."""
        updated = self._safely(
            "Saving",
            lambda: self.store.update_highlight(target.article_id, target.id, **changes),  # type: ignore[arg-type]
        )
        if updated is not None:
            self.undo_stack.append(Change(target.article_id, target.id, target, label))
            self._after_change()
            self.sidebar.show(target.id)
        return updated is not None

    def action_delete(self) -> None:
        target = self._target()
        if target is None:
            self.notify("No highlight under the cursor.", severity="warning")
            return
        self._delete(target)

    def _delete(self, target: Highlight) -> None:
        removed = self._safely(
            "Deleting", lambda: self.store.delete_highlight(target.article_id, target.id)
        )
        if removed is not None:
            self.undo_stack.append(Change(target.article_id, target.id, removed, "delete"))
            self._after_change()
            self.notify("Deleted the highlight (u undoes).", timeout=3)

    def action_undo(self) -> None:
        if not self.undo_stack:
            self.notify("Nothing to undo.", timeout=2)
            return
        change = self.undo_stack.pop()
        if isinstance(change, TagChange):
            self.notify(f"Undoing {change.label}…", timeout=2)
            self._undo_tag_change(change)
            return
        if change.before is None:
            done = self._safely(
                "Undo", lambda: self.store.delete_highlight(change.article_id, change.highlight_id)
            )
        else:
            before = change.before
            done = self._safely("Undo", lambda: self.store.restore_highlight(before))
        if done is None:
            self.undo_stack.append(change)
            return
        if change.article_id != self.article_id:
            self.open_article(change.article_id)
        self._after_change()
        self.notify(f"Undid {change.label}.", timeout=2)

    def action_jump(self, direction: int) -> None:
        highlights = self.pane.highlights
        if not highlights:
            self.app.bell()
            return
        cursor = self.pane.cursor
        if direction > 0:
            following = [h for h in highlights if h.start > cursor]
            target = following[0] if following else highlights[0]
        else:
            earlier = [h for h in highlights if h.start < cursor and not h.start <= cursor < h.end]
            target = earlier[-1] if earlier else highlights[-1]
        self.pane.move_to(target.start)
        self.sidebar.show(target.id)

    # -- find ----------------------------------------------------------------------------------
    async def action_find(self) -> None:
        if self.article_id is None:
            return
        bar = next(iter(self.query(FindBar)), None)
        if bar is None:
            bar = FindBar(id="find")
            await self.query_one("#reading-column").mount(bar, after=self.pane)
        bar.open()

    @on(FindBar.Changed)
    def _find_changed(self, event: FindBar.Changed) -> None:
        self.query_one(FindBar).set_count(self.pane.find(event.query), event.query)

    @on(FindBar.Submitted)
    def _find_submitted(self, event: FindBar.Submitted) -> None:
        self.pane.focus()
        if self.pane.find(event.query):
            self.pane.anchor = None
            self.pane.action_next_match(1)
        elif event.query:
            self.notify(f"“{event.query}” is not in this article.", severity="warning")

    @on(FindBar.Closed)
    def _find_closed(self) -> None:
        self.pane.find("")
        self.pane.focus()

    # -- corpus search (reader/screens/search.py) ----------------------------------------------
    def action_search(self) -> None:
        from reader.screens.search import CodeAll, JumpTo, SearchScreen

        if self._search_index is None:
            from corpus.search import SearchIndex

            # Typing a query searches once per pause: files are re-checked once a second.
            self._search_index = SearchIndex(self.store.library, recheck_after=1.0)
        screen = SearchScreen(self.store, self._search_index, self._last_search)

        def done(result: JumpTo | CodeAll | None) -> None:
            self._last_search = screen.last
            if isinstance(result, JumpTo):
                if result.article_id != self.article_id:
                    self.open_article(result.article_id, position=result.start)
                if self.article_id == result.article_id:
                    self.pane.select(result.start, result.end)
                    self.pane.focus()
            elif isinstance(result, CodeAll):
                self.notify(f"Coding the matches with #{result.tag}…", timeout=2)
                self._code_all(result)

        self.app.push_screen(screen, done)

    @work(thread=True, exclusive=True, exit_on_error=False, group="bulk code")
    def _code_all(self, request: CodeAll) -> None:
        from annotations.bulk import code_matches, find_matches

        assert self._search_index is not None
        # The screen kept only the first results: the search runs again, and codes nothing if
        # an article changed between the preview and enter so that it finds other matches.
        result = code_matches(
            self.store,
            find_matches(self._search_index, request.query, regex=request.regex),
            [request.tag],
            expect=(request.matches, request.articles),
        )
        if result.change is None:
            self.post_message(CodeRefused(request, *result.matches.total))
            return
        self.post_message(Coded(result.change))

    @on(CodeRefused)
    def _code_refused(self, message: CodeRefused) -> None:
        from annotations.bulk import not_coded

        confirmed = (message.request.matches, message.request.articles)
        refused = not_coded(confirmed, (message.matches, message.articles))
        self.notify(
            f"{sentence(refused)}. Search again to see them.",
            title="Articles changed",
            severity="warning",
            timeout=10,
        )

    @on(Coded)
    def _coded(self, message: Coded) -> None:
        self.undo_stack.append(message.change)
        self._refresh_list()
        self._refresh_annotations()
        label = message.change.label  # "coded 37 passages in 12 articles with #likeness"
        if message.change.skipped:  # "…; skipped 2 matches whose text changed since the search"
            self.notify(
                f"{label[:1].upper()}{label[1:]}. Search again to see them (u undoes).",
                title="Articles changed",
                severity="warning",
                timeout=10,
            )
            return
        self.notify(f"{label[:1].upper()}{label[1:]} (u undoes).", timeout=6)

    @work(thread=True, exclusive=True, exit_on_error=False, group="undo")
    def _undo_tag_change(self, change: TagChange) -> None:
        """Undo a bulk code in a thread: it may rewrite hundreds of article files."""
        try:
            self.store.undo_tag_change(change)
        except (StoreError, OSError) as exc:
            log.exception("undo failed")
            self.post_message(TagChangeUndone(change, str(exc)))
            return
        self.post_message(TagChangeUndone(change, None))

    @on(TagChangeUndone)
    def _tag_change_undone(self, message: TagChangeUndone) -> None:
        if message.error is not None:
            self.undo_stack.append(message.change)  # nothing changed: it can be tried again
            self.notify(message.error, title="Undo failed", severity="error", timeout=8)
            return
        self._refresh_list()
        self._refresh_annotations()
        self.notify(f"Undid {message.change.label}.", timeout=3)

    # -- other actions -------------------------------------------------------------------------
    def action_export(self) -> None:
        self._open_export(None)

    def _open_export(self, typed: ExportRequest | None) -> None:
        """The export dialog; ``typed`` (a request whose write failed) is shown in it again,
        so that only the path needs fixing."""
        from annotations.formats.export import export
        from reader.dialogs.export import ExportDialog, ExportRequest

        def write(choice: ExportRequest | None) -> None:
            if choice is None:
                return
            result = export(self.store, choice.path, choice.format, replace=choice.replace)
            if result.refused is not None:
                log.error("Export failed: %s", result.refused)
                self.notify(result.refused, title="Export failed", severity="error", timeout=8)
                self._open_export(ExportRequest(choice.format, choice.path))
                return
            # "Wrote 4 highlights as csv to notes/q3/ai.csv (made the folder notes/q3)": a
            # mistyped folder name shows here.
            self.notify(sentence(result.line(naming_format=True)), timeout=6)
            if result.left_out is not None:
                self.notify(result.left_out, title="Not exported", severity="warning", timeout=10)

        self.app.push_screen(
            ExportDialog(self.store.workspace.root / "exports", "annotations", typed), write
        )

    def action_import(self) -> None:
        from corpus.cancel import Cancel
        from reader.dialogs.import_dialog import ImportDialog, ImportRequest

        async def start(request: ImportRequest | None) -> None:
            if request is not None:
                bar = await self._progress_bar()
                bar.update(total=None, progress=0)
                bar.display = True
                self._cancel_import()  # the worker is exclusive: a new import replaces it
                self._import_cancel = Cancel()
                self._import(request.source, request.fetch_full, self._import_cancel)

        self.app.push_screen(ImportDialog(), start)

    async def _progress_bar(self) -> ProgressBar:
        """The import progress bar under the reading pane, mounted on first use."""
        from textual.widgets import ProgressBar

        bar = next(self.query("#import-progress").results(ProgressBar), None)
        if bar is None:
            bar = ProgressBar(id="import-progress", show_eta=False)
            await self.query_one("#reading-column").mount(bar)
        return bar

    def _hide_progress(self) -> None:
        for bar in self.query("#import-progress"):
            bar.display = False

    def _cancel_import(self) -> None:
        """End the import under way, if any: its fetches stop at once (a worker thread blocked
        on a slow server would otherwise keep the process alive after the app quits)."""
        if self._import_cancel is not None:
            self._import_cancel.cancel()

    @work(thread=True, exclusive=True, exit_on_error=False, group="import")
    def _import(self, source: str, fetch_full: bool, cancel: Cancel) -> None:
        """Import in a thread; report only through messages (the screen is not thread-safe)."""
        from annotations.article_import import import_articles

        outcomes = []
        for outcome in import_articles(
            self.store,
            [source],
            fetch_full=fetch_full,
            on_item=lambda done, total: self.post_message(ImportProgress(done, total)),
            cancel=cancel,
        ):
            if get_current_worker().is_cancelled:
                break
            outcomes.append(outcome)
        self.post_message(ImportFinished(outcomes))

    @on(ImportProgress)
    def _import_progress(self, message: ImportProgress) -> None:
        from textual.widgets import ProgressBar

        for bar in self.query("#import-progress").results(ProgressBar):
            bar.update(total=message.total, progress=message.done)

    @on(ImportFinished)
    def _import_finished(self, message: ImportFinished) -> None:
        self._hide_progress()
        outcomes = message.outcomes
        errors = [o.error for o in outcomes if o.error]
        kept = [o.line() for o in outcomes if o.status == "kept"]
        done = [o for o in outcomes if o.status is not None]
        new = [o.article.id for o in done if o.status == "imported" and o.article]
        for error in errors[:5]:
            self.notify(error, title="Not imported", severity="error", timeout=10)
        if len(errors) > 5:
            self.notify(f"…and {len(errors) - 5} more failures", severity="error", timeout=10)
        for line in kept[:5]:
            self.notify(line, title="Kept", severity="warning", timeout=10)
        statuses = ("imported", "updated", "unchanged", "kept")
        counts = {s: sum(o.status == s for o in done) for s in statuses}
        summary = ", ".join(f"{n} {status}" for status, n in counts.items() if n)
        self.notify(summary or "Nothing imported.", title="Import", timeout=5)
        self._refresh_list()
        if len(new) == 1:
            self.open_article(new[0])
        elif any(
            o.status == "updated" and o.article.id == self.article_id for o in done if o.article
        ):
            self._show_update()

    def _show_update(self) -> None:
        """Show the open article's new text after an import updated it. Under a dialog (a note
        being written, a tag being chosen, on the old text) only once the dialog has closed:
        what it stores is checked against the text it was opened on, which the store refuses
        as changed (``ArticleChanged``) and the screen reloads, keeping the typed note. A
        reload before that would drop the selection the dialog's result is stored on."""
        if self.app.screen is not self:
            self._update_waiting = True
            return
        self._update_waiting = False
        article_id = self.article_id
        if article_id is None:
            return
        display = self._safely(
            "Reloading the article", lambda: self.store.library.display(article_id)
        )
        if display is not None and display.text != self.pane.display_text.text:
            self._reload_changed(self.pane.selection, display)

    def on_screen_resume(self) -> None:
        if self._update_waiting:
            # After the dialog's result: Textual hands it to the app's queue (call_next) when
            # the dialog is dismissed, before this screen resumes, and this goes after it.
            self.app.call_later(self._show_update)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The one place a worker's unexpected failure is reported (workers do not exit the app).
        if event.state == WorkerState.ERROR:
            if event.worker.group == "import":
                self._hide_progress()
            log.error("%s failed", event.worker.group, exc_info=event.worker.error)
            what = event.worker.group.capitalize()
            self.notify(f"{what} failed: {event.worker.error}", severity="error", timeout=10)

    def action_codebook(self) -> None:
        from reader.screens.codebook import CodebookScreen

        def closed(changed: bool | None) -> None:
            if changed:  # names, colours and counts may all have changed
                self._drop_filters_on_missing_tags()
                self._refresh_list()
                self._refresh_annotations()

        self.app.push_screen(CodebookScreen(self.store), closed)

    def _drop_filters_on_missing_tags(self) -> None:
        """After tags were renamed, merged or deleted, a filter on a tag that is gone would
        show nothing: drop it and say so."""
        names = [t.name for t in self._safely("Reading tags", self.store.tags) or []]

        def gone(tag: str | None) -> bool:
            return tag is not None and not any(tag_matches(name, tag) for name in names)

        if gone(self.article_filter.tag):
            self.notify(f"#{self.article_filter.tag} is gone: the list no longer filters by it.")
            self.article_filter = replace(self.article_filter, tag=None)
        if gone(self.sidebar_tag):
            self.notify(f"#{self.sidebar_tag} is gone: the sidebar shows every highlight.")
            self.sidebar_tag = None

    def action_statistics(self) -> None:
        from reader.screens.statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen(self.store))

    def action_help(self) -> None:
        from reader.dialogs.help import HelpScreen
        from reader.screens.codebook import CodebookScreen
        from reader.screens.search import SearchScreen
        from reader.screens.statistics import StatisticsScreen

        self.app.push_screen(
            HelpScreen(
                [
                    ("Reading pane", list(ReadingPane.BINDINGS)),
                    ("Annotating", list(self.BINDINGS)),
                    ("Sidebar", list(AnnotationSidebar.BINDINGS)),
                    ("Search (ctrl+f)", list(SearchScreen.BINDINGS)),
                    ("Tag manager (T)", list(CodebookScreen.BINDINGS)),
                    ("Statistics (%)", list(StatisticsScreen.BINDINGS)),
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
        )

    def action_filter(self) -> None:
        from reader.dialogs.article_filter import FilterDialog

        def chosen(wanted: ArticleFilter | None) -> None:
            if wanted is not None and wanted != self.article_filter:
                self.article_filter = wanted
                self._show_rows()
                shown = len(self.query_one(ArticleList).rows)
                if wanted.active and not shown:
                    self.notify("No article matches the filter (F changes it).", timeout=4)

        sources = sorted({r.source for r in self._rows if r.source}, key=str.casefold)
        tags = [t.name for t in self._safely("Reading tags", self.store.tags) or []]
        self.app.push_screen(FilterDialog(self.article_filter, tags, sources), chosen)

    @on(AnnotationSidebar.FilterRequested)
    def _filter_highlights(self) -> None:
        from reader.dialogs.tag_picker import TagChoice, TagPicker

        if self.sidebar_tag is not None:
            self.sidebar_tag = None
            self._refresh_annotations()
            return
        if self.article_id is None:
            return
        article_id = self.article_id
        highlights = self._safely("Loading highlights", lambda: self.store.highlights(article_id))
        used: dict[str, int] = {}
        for h in highlights or []:
            for name in h.tags:
                used[name] = used.get(name, 0) + 1
        if not used:
            self.notify("No tagged highlights in this article.", timeout=3)
            return
        colors = {t.name: t.color for t in self._safely("Reading tags", self.store.tags) or []}
        choices = [
            TagChoice(name, colors.get(name, "#888888"), n, False)
            for name, n in sorted(used.items(), key=lambda item: item[0].casefold())
        ]

        def chosen(name: str | None) -> None:
            if name:
                self.sidebar_tag = name
                self._refresh_annotations()

        self.app.push_screen(
            TagPicker(
                choices,
                "Show highlights tagged",
                allow_new=False,
                hint="enter shows only these highlights (f again shows all) · esc cancels",
            ),
            chosen,
        )

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list

    def action_toggle_sidebar(self) -> None:
        self.show_sidebar = not self.show_sidebar

    def watch_show_list(self, show: bool) -> None:
        self.set_class(not show, "-hide-list")

    def watch_show_sidebar(self, show: bool) -> None:
        self.set_class(not show, "-hide-sidebar")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed after q arrive while the app is closing: act on none of them.
        return not self.quitting

    async def action_quit(self) -> None:
        self.quitting = True
        self._save_position()
        self.app.exit()

    def on_unmount(self) -> None:
        self._cancel_import()
        self._save_position()
