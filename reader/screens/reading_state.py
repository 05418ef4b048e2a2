"""What the main screen keeps about the open article besides its highlights: where the reader
is, how far they got (the article list's progress), and the article's memo (``M``).

:class:`ReadingStateScreen` sits between
:class:`~reader.screens.article_actions.ArticleActionsScreen` and
:class:`~reader.screens.main.MainScreen`, which calls :meth:`_save_position` whenever it
leaves an article (another one opened, quit, unmount).
"""

from __future__ import annotations

from textual import on
from textual.css.query import NoMatches

from annotations.store import AnnotationStore
from reader.screens.article_actions import ArticleActionsScreen
from reader.widgets.annotation_sidebar import HighlightsColumn
from reader.widgets.article_list import ArticleColumn
from reader.widgets.article_order import progress
from reader.widgets.reading_pane import ReadingPane


class ReadingStateScreen(ArticleActionsScreen):
    """Saves the cursor and the furthest point reached of the open article, and edits and
    shows its memo."""

    def __init__(self, store: AnnotationStore) -> None:
        super().__init__(store)
        self.cursor = 0  # the pane's cursor, kept here so it can be saved after unmount
        # The furthest offset the pane painted of the open article: kept, as the cursor, for
        # a save after the pane is gone.
        self.seen = 0

    @on(ReadingPane.CursorMoved)
    def _note_seen(self, event: ReadingPane.CursorMoved) -> None:
        if event.pane.article_id == self.article_id:
            self.seen = event.pane.seen

    def _save_position(self) -> None:
        """Save the open article's cursor, and raise its furthest point to what was on screen
        (or under the cursor); the list row shows the new progress."""
        article_id = self.article_id
        if article_id is None:
            return
        length = None
        try:
            pane = self.query_one(ReadingPane)
        except NoMatches:  # unmounting: what the pane last told
            pass
        else:
            if pane.article_id == article_id:
                self.seen, length = max(self.seen, pane.seen), len(pane.display_text.text)
        seen, self.seen = self.seen, 0  # the article is being left: the next starts afresh
        state = self._safely("Reading the reading state", lambda: self.store.state(article_id))
        if state is None:
            return
        furthest = max(state.furthest, self.cursor, seen)
        if (state.position, state.furthest) == (self.cursor, furthest):
            return
        state.position, state.furthest = self.cursor, furthest
        self._safely("Saving reading position", lambda: self.store.save_state(state))
        if length is not None:
            from corpus.text_lengths import remember_length

            remember_length(self.store.library, article_id, length)
            for column in self.query(ArticleColumn):  # none while the screen is unmounting
                column.update_row(article_id, progress=progress(furthest, length))

    def _refresh_annotations(self) -> None:
        super()._refresh_annotations()
        self._show_memo()

    def _show_memo(self) -> None:
        article_id = self.article_id
        state = None
        if article_id is not None:
            state = self._safely("Reading the memo", lambda: self.store.state(article_id))
        self.query_one(HighlightsColumn).show_memo(state.memo if state else "")

    def action_memo(self) -> None:
        """Edit the open article's memo: ctrl+s saves, esc asks first when it changed."""
        from reader.dialogs.note_editor import NoteEditor

        article_id = self.article_id
        if article_id is None:
            self.notify("Open an article first: the memo is the open article's.", timeout=4)
            return
        state = self._safely("Reading the memo", lambda: self.store.state(article_id))
        if state is None:
            return
        article = self._safely("Reading the article", lambda: self.store.library.get(article_id))
        if article is None:
            return

        def saved(text: str | None) -> None:
            if text is None or text == state.memo:
                return
            if self._safely("Saving the memo", lambda: self.store.set_memo(article_id, text)):
                self.notify("Memo saved." if text else "Memo cleared.", timeout=3)
                self._show_memo()

        self.app.push_screen(NoteEditor(article.title, state.memo, title="Memo"), saved)
