"""The main screen: article list, reading pane and annotation sidebar, wired to the store.

Widgets send messages up; this screen turns them into store calls and pushes the results down.
Every change is written to the store before the screen reports it, and a store error becomes a
notification that says why nothing changed. The widgets keep their own state: the article
column its rows and filter, the highlights column its tag filter, the import runner its import;
:class:`~annotations.history.History` holds what ``u`` undoes.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, TypeVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.reactive import var
from textual.widgets import Header, OptionList
from textual.worker import Worker, WorkerState

from annotations.codebook import TagChange
from annotations.store import AnnotationStore
from corpus.terminal_safe import terminal_safe
from reader.screens.agreement_keys import AgreementKeys
from reader.screens.coder_view import CoderViewKeys
from reader.screens.highlights import HighlightsKeys
from reader.screens.reading_state import ReadingStateScreen
from reader.served import offer_download
from reader.widgets.annotation_sidebar import AnnotationSidebar, HighlightsColumn
from reader.widgets.article_list import ArticleColumn, ArticleList
from reader.widgets.empty_workspace import EmptyWorkspace
from reader.widgets.find_bar import FindBar
from reader.widgets.keys_footer import NARROW_BELOW, KeysFooter
from reader.widgets.reading_pane import ReadingPane
from reader.wording import count, sentence

if TYPE_CHECKING:  # the search screen, the importers and the progress bar load on first use
    from annotations.formats.selection import Filters
    from corpus.search import SearchIndex
    from reader.dialogs.export import ExportRequest
    from reader.screens.search import CodeAll, LastSearch
    from reader.widgets.import_runner import ImportRunner

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class Coded(Message):
    """A bulk-coding worker is done: ``change`` undoes it."""

    change: TagChange


@dataclass
class CodeRefused(Message):
    """A bulk code found other matches than the ones the user confirmed, and coded nothing."""

    request: CodeAll
    matches: int
    articles: int


class MainScreen(AgreementKeys, CoderViewKeys, HighlightsKeys, ReadingStateScreen):
    """Reading and annotating: the article list, the reading pane and the sidebar."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (140, "-wide")]
    # on_mount focuses the pane or the list: one focus change, one build of the footer's keys
    # (None would be the app's "*": the list, then the pane, two restylings, two builds).
    AUTO_FOCUS = ""
    BINDINGS = [
        Binding("a", "highlight", "Highlight"),
        Binding("t", "tag", "Tag"),
        Binding("c", "note", "Note"),
        Binding("M", "memo", "Memo", show=False),
        Binding("d", "delete", "Delete", show=False),
        Binding("u", "undo", "Undo", show=False),
        Binding("U,ctrl+y", "redo", "Redo", show=False),
        Binding("left_square_bracket", "jump(-1)", "Previous highlight", show=False),
        Binding("right_square_bracket", "jump(1)", "Next highlight", show=False),
        Binding("at", "coder_view", "One coder, then all", show=False),
        Binding("slash", "find", "Find"),
        Binding("ctrl+f", "search", "Search"),
        Binding("e", "export", "Export"),
        Binding("i", "import", "Import"),
        Binding("F", "filter", "Filter"),
        Binding("T", "codebook", "Tags", show=False),
        Binding("percent_sign", "statistics", "Statistics", show=False),
        Binding("H", "highlights", "All highlights", show=False),
        Binding("K", "agreement", "Agreement between coders", show=False),
        Binding("L", "toggle_list", "Articles", show=False),
        Binding("A", "toggle_sidebar", "Highlights", show=False),
        Binding("question_mark", "help", "Help"),
        Binding("q", "quit", "Quit"),
    ]

    show_list: var[bool] = var(True)
    show_sidebar: var[bool] = var(True)
    # Below NARROW_BELOW columns the sidebar has no room beside the text: A shows it in place of
    # the list and the reading pane instead (and A, esc or enter on a highlight goes back).
    highlights_only: var[bool] = var(False)

    def __init__(self, store: AnnotationStore, article_id: str | None = None) -> None:
        super().__init__(store)
        self.initial_article = article_id
        self.quitting = False
        self._search_index: SearchIndex | None = None  # made on the first ctrl+f
        self._last_search: LastSearch | None = None
        self._update_waiting = False  # an import updated the open article under a dialog

    def compose(self) -> ComposeResult:
        # Textual applies breakpoint classes on the first resize, after a first paint; setting
        # the right one now spares the reading pane a layout at a width it never keeps.
        width = self.app.size.width
        self.add_class([name for low, name in self.HORIZONTAL_BREAKPOINTS if width >= low][-1])
        yield Header()
        with Horizontal(id="main"):
            yield ArticleColumn(self.store, id="list-column")
            with Vertical(id="reading-column"):
                yield ReadingPane(id="reading")
                # The find bar and the import progress bar are mounted on first use (ten
                # widgets less to style before the first paint).
            yield HighlightsColumn(id="sidebar")
        yield KeysFooter()

    # -- helpers -------------------------------------------------------------------------------
    @on(ArticleColumn.Changed)
    def _show_counts(self, message: ArticleColumn.Changed) -> None:
        # Workspace and counts lead the header; the open article's title follows them.
        name = terminal_safe(self.store.workspace.root.name)
        self.title = f"{name} · {message.listed} · {count(message.highlights, 'highlight')}"

    # -- opening articles ----------------------------------------------------------------------
    def on_mount(self) -> None:
        from reader.gc_policy import resume_gc

        self.pane.call_after_paint(resume_gc)  # once the first screen is on the terminal
        self.set_timer(5, resume_gc)  # in case the pane is never painted (a no-op otherwise)
        self._backup()
        self.articles.reload()
        target = self.initial_article or self._safely(
            "Reading the last article", self.store.last_article
        )
        # The pane takes the keyboard now (set_focus), not once the first frame is drawn
        # (focus() waits for it): the footer then makes its keys once, the pane's, instead of
        # the screen's first and the pane's a frame later (a layout and a frame less to start).
        if target and target in self.store.library:
            at_start = self.initial_article is not None
            self.open_article(target, position=0 if at_start else None)
            self.set_focus(self.pane)
            return
        # First run: show the newest article, with the keyboard in it (g, }, v work at once).
        articles = self.query_one(ArticleList)
        if articles.rows:
            self.open_article(articles.rows[0].id)
            self.set_focus(self.pane)
            return
        self.highlights_column.show_entries([], article_open=False)
        # A workspace without articles says how to get some, where the text would be.
        self.query_one("#reading-column").mount(
            EmptyWorkspace(self.store.workspace.root), before=self.pane
        )
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
        self.query("#empty-workspace").remove()
        self.pane.load(article_id, display, [], position)
        self._safely("Saving reading state", lambda: self.store.mark_opened(article_id))
        self.sub_title = terminal_safe(self.store.library.get(article_id).title)
        self._refresh_annotations()
        self.articles.update_row(article_id, read=True)
        self.query_one(ArticleList).set_current(article_id)

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
            self.pane.selection_anchor = None
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
                self.go_to(result)
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
            find_matches(self._search_index, request.query, regex=request.regex, stem=request.stem),
            [request.tag],
            expect=(request.matches, request.articles),
        )
        if result.change is None:
            self.post_message(CodeRefused(request, *result.matches.total))
            return
        self.history.push(result.change)  # here: it reads the files it changed again
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
        self.articles.reload()
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

    # -- other actions -------------------------------------------------------------------------
    def action_export(self) -> None:
        self._open_export(None)

    def _open_export(self, typed: ExportRequest | None, filters: Filters | None = None) -> None:
        """The export dialog; ``typed`` (a request whose write failed) is shown in it again,
        so that only the path needs fixing. Its scopes offer the open article, and ``filters``
        (the highlights view's) as "this view"."""
        from reader.dialogs.export import ExportDialog

        def write(choice: ExportRequest | None) -> None:
            if choice is None:
                return
            result = choice.write(self.store)
            if result.refused is not None:
                log.error("Export failed: %s", result.refused)
                self.notify(result.refused, title="Export failed", severity="error", timeout=8)
                self._open_export(replace(choice, replace=False), filters)
                return
            # "Wrote 4 highlights as csv to notes/q3/ai.csv (made the folder notes/q3)": a
            # mistyped folder name shows here.
            self.notify(sentence(result.line(naming_format=True)), timeout=6)
            offer_download(self.app, result.path)
            if result.left_out is not None:
                self.notify(result.left_out, title="Not exported", severity="warning", timeout=10)

        exports, article = self.store.workspace.root / "exports", self.article_id
        dialog = ExportDialog(
            exports, "annotations", typed, store=self.store, article=article, filters=filters
        )
        self.app.push_screen(dialog, write)

    def action_import(self) -> None:
        from reader.dialogs.import_dialog import ImportDialog, ImportRequest
        from reader.widgets.import_runner import ImportRunner

        async def start(request: ImportRequest | None) -> None:
            if request is None:
                return
            runner = next(iter(self.query(ImportRunner)), None)
            if runner is None:  # mounted on first use, under the reading pane
                runner = ImportRunner(self.store, id="import-progress")
                await self.query_one("#reading-column").mount(runner)
            runner.start(list(request.sources), request.fetch_full)

        self.app.push_screen(ImportDialog(), start)

    def on_import_runner_finished(self, message: ImportRunner.Finished) -> None:
        """An import is done (the runner said what it did): show what it changed."""
        self.articles.reload()
        new = message.imported
        if len(new) == 1 or (new and self.article_id is None):
            self.open_article(new[0])  # the one imported, or the first into an empty screen
        elif self.article_id in message.updated:
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
            log.error("%s failed", event.worker.group, exc_info=event.worker.error)
            what = event.worker.group.capitalize()
            self.notify(f"{what} failed: {event.worker.error}", severity="error", timeout=10)

    def action_codebook(self) -> None:
        from reader.screens.codebook import CodebookScreen

        def closed(changed: bool | None) -> None:
            if changed:  # names, colours and counts may all have changed
                # A filter on a tag that is gone would show nothing: each drops it, saying so.
                names = [t.name for t in self._safely("Reading tags", self.store.tags) or []]
                self.articles.drop_missing_tag(names)
                self.highlights_column.drop_missing_tag(names)
                self.articles.reload()
                self._refresh_annotations()

        self.app.push_screen(CodebookScreen(self.store), closed)

    def action_statistics(self) -> None:
        from reader.screens.statistics import StatisticsScreen

        self.app.push_screen(StatisticsScreen(self.store))

    def action_help(self) -> None:
        from reader.dialogs.help import main_screen_help

        self.app.push_screen(main_screen_help(list(self.BINDINGS)))

    def action_filter(self) -> None:
        self.articles.choose_filter()

    def action_toggle_list(self) -> None:
        self.show_list = not self.show_list

    def action_toggle_sidebar(self) -> None:
        if self.narrow:
            self.highlights_only = not self.highlights_only
        else:
            self.show_sidebar = not self.show_sidebar

    @property
    def narrow(self) -> bool:
        """Too narrow for the sidebar beside the reading pane (the ``-narrow`` layout)."""
        return self.app.size.width < NARROW_BELOW

    def watch_show_list(self, show: bool) -> None:
        self.set_class(not show, "-hide-list")

    def watch_show_sidebar(self, show: bool) -> None:
        self.set_class(not show, "-hide-sidebar")

    def watch_highlights_only(self, only: bool) -> None:
        self.set_class(only, "-highlights-only")
        self.sidebar.goes_back = only
        if only:
            if self.sidebar.highlighted is None:  # so that enter has a highlight to go to
                with self.sidebar.prevent(OptionList.OptionHighlighted):
                    self.sidebar.action_first()
            self.sidebar.focus()
        elif self.sidebar.has_focus:  # the sidebar is hidden again: its keys go to the text
            self.pane.focus()

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        # Whatever moves the keyboard to the text (/ find, a search result, the list) shows
        # it again: a hidden widget with the focus would take keys nobody sees.
        if self.highlights_only and event.widget not in (self.sidebar, self.highlights_column):
            self.highlights_only = False

    def on_resize(self, event: events.Resize) -> None:
        # Widened past the breakpoint, the sidebar stands beside the text again: enter goes
        # back to editing notes, and a later narrowing starts from the usual layout.
        if self.highlights_only and not self.narrow:
            self.highlights_only = False

    @on(AnnotationSidebar.BackToText)
    def _back_to_text(self, event: AnnotationSidebar.BackToText) -> None:
        highlight = self._find(event.highlight_id) if event.highlight_id else None
        if highlight is not None and highlight.orphaned:  # no place in the text to go to
            self.notify(
                "This highlight is not in the text: select its passage there, then A and r.",
                severity="warning",
            )
            return
        self.highlights_only = False
        # Without a highlight (esc), the one last moved to in the sidebar, selected in the pane.
        selection = (highlight.start, highlight.end) if highlight else self.pane.selection
        if selection is not None:
            self.pane.select(*selection)
            # Hidden, the pane had no size to scroll by: once it is drawn again, bring it in view.
            self.pane.call_after_paint(lambda: self.pane.select(*selection))

    def _shown_in_sidebar(self) -> None:
        # Below the breakpoint the sidebar is out of sight: say where the change can be seen.
        if self.narrow and not self.highlights_only:
            self.notify("A shows the highlights with their tags and notes.", timeout=4)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Keys typed after q arrive while the app is closing: act on none of them.
        return not self.quitting

    async def action_quit(self) -> None:
        self.quitting = True
        self._save_position()
        self.app.exit()

    def on_unmount(self) -> None:
        self._save_position()
