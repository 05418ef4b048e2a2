"""Managing articles from the article list: ``D`` deletes the article under the list's cursor
to the trash (``u`` brings it back), ``Z`` archives or unarchives it, ``m`` marks it read or
unread, ``E`` edits its details (title, author, site, date; ``u`` takes that back too).

:class:`ArticleActionsScreen` sits between the live-refresh screen and the main screen, as
``annotating.py`` and ``live_refresh.py`` do: the list only says what was asked
(:class:`ArticleList.Manage`); this does it through :mod:`annotations.trash` and the store, and
puts a deletion in the screen's undo history as an :class:`ArticleDeletion`
(:func:`annotations.history.edit_details` keeps a details edit there itself).
"""

from __future__ import annotations

from textual import on

from annotations.article_details import Details
from annotations.history import ArticleDeletion, edit_details
from annotations.trash import delete_articles
from corpus.terminal_safe import terminal_safe
from reader.screens.live_refresh import LiveRefreshScreen
from reader.widgets.article_list import ArticleList
from reader.wording import count


class ArticleActionsScreen(LiveRefreshScreen):
    """A :class:`LiveRefreshScreen` whose article list deletes, archives and marks articles."""

    @on(ArticleList.Manage)
    def _manage(self, message: ArticleList.Manage) -> None:
        if message.action == "delete":
            self._delete_article(message.article_id)
        elif message.action == "archive":
            self._toggle_archived(message.article_id)
        elif message.action == "read":
            self._toggle_read(message.article_id)
        elif message.action == "details":
            self._edit_details(message.article_id)

    def _title(self, article_id: str) -> str:
        row = next((r for r in self.articles.rows if r.id == article_id), None)
        return terminal_safe(row.title if row is not None else article_id)

    def _delete_article(self, article_id: str) -> None:
        result = self._safely(
            "Deleting the article", lambda: delete_articles(self.store, [article_id])
        )
        if result is None:
            return
        if result.problems:
            self.notify(result.problems[0], severity="warning")
            return
        trashed = result.done[0]
        self.history.push(ArticleDeletion(article_id, trashed.title))
        was_open = article_id == self.article_id
        if was_open:
            # Its position is not saved: that would give the deleted article a new state.
            self.article_id = None
        self.articles.update_articles([article_id])  # its row goes; the cursor stays put
        if was_open:
            self._open_after_deletion()
        taken = f" with {count(trashed.highlights, 'highlight')}" if trashed.highlights else ""
        self.notify(
            f"Deleted “{terminal_safe(trashed.title)}”{taken} to the trash; u brings it back.",
            timeout=6,
        )

    def _open_after_deletion(self) -> None:
        """The open article was deleted: open the one now under the list's cursor (or show
        nothing, when none is left)."""
        articles = self.query_one(ArticleList)
        index = articles.highlighted
        if index is not None and 0 <= index < len(articles.rows):
            self.open_article(articles.rows[index].id)
            articles.focus()
            return
        from corpus.markdown_text import DisplayText

        self.pane.load("", DisplayText(""), [])
        self.sub_title = ""
        self.highlights_column.show_entries([], article_open=False)

    def _toggle_archived(self, article_id: str) -> None:
        state = self._safely("Reading the reading state", lambda: self.store.state(article_id))
        if state is None:
            return
        archived = not state.archived
        if self._safely("Archiving", lambda: self.store.set_archived([article_id], archived)):
            self.articles.update_row(article_id, archived=archived)
            self.articles.show_rows()  # the row leaves the list unless archived ones are shown
            title = self._title(article_id)
            if archived and self.articles.filter.archived == "hidden":
                self.notify(f"Archived “{title}”: hidden from the list; F shows archived articles.")
            else:
                self.notify(f"{'Archived' if archived else 'Unarchived'} “{title}”.", timeout=3)

    def _toggle_read(self, article_id: str) -> None:
        state = self._safely("Reading the reading state", lambda: self.store.state(article_id))
        if state is None:
            return
        read = not state.read
        if self._safely("Marking", lambda: self.store.set_read([article_id], read)):
            self.articles.update_row(article_id, read=read)
            self.articles.show_rows()  # an "unread only" filter may now leave it out
            self.notify(
                f"Marked “{self._title(article_id)}” {'read' if read else 'unread'}.", timeout=3
            )

    def _edit_details(self, article_id: str) -> None:
        from reader.dialogs.details import DetailsDialog

        article = self._safely("Reading the article", lambda: self.store.library.get(article_id))
        if article is None:
            return

        def chosen(changes: dict[str, str | None] | None) -> None:
            if not changes:
                return  # esc, or nothing was changed
            done = self._safely(
                "Saving the details", lambda: edit_details(self.store, article_id, changes)
            )
            if done is None or not done.changed:
                return
            self.details_step_done(article_id)
            if done.not_recorded:
                self.notify(f"Not kept in the undo history: {done.not_recorded}", timeout=8)
            self.notify(f"Saved the {done.what} of “{self._title(article_id)}” (u undoes).")

        self.app.push_screen(DetailsDialog(Details.of(article), article.url), chosen)

    def details_step_done(self, article_id: str) -> None:
        """An article's details changed (``E``, or ``u``/``U`` on such a change): its row
        and, when it is open, the header's title show them."""
        self._keeping_list_cursor(lambda: self.articles.update_articles([article_id]))
        if article_id == self.article_id:
            title = self._safely(
                "Reading the article", lambda: self.store.library.get(article_id).title
            )
            if title is not None:
                self.sub_title = terminal_safe(title)

    def article_step_done(self, entry: ArticleDeletion) -> None:
        """After ``u`` brought a deleted article back (or ``U`` deleted it again): its row
        comes back under the cursor, and it opens when nothing is open; deleted again, it
        leaves the list as ``D`` does."""
        self.articles.update_articles([entry.article_id])
        if not entry.present:
            if entry.article_id == self.article_id:
                self.article_id = None
                self._open_after_deletion()
            return
        articles = self.query_one(ArticleList)
        at = next((i for i, r in enumerate(articles.rows) if r.id == entry.article_id), None)
        if at is not None:
            articles.highlighted = at
        if self.article_id is None:
            self.open_article(entry.article_id)
