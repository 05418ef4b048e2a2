"""Live refresh: what another process changes in the workspace shows in the open app.

``reader annotate``, ``reader import``, a tag rename on the command line, a second app or a
``git pull`` change files under the app. :class:`LiveRefreshScreen`, the base of the main
screen, looks for changes twice a second (:class:`annotations.watch.Watcher`, in a thread: a
look costs well under a millisecond, but after a write a folder of 10,000 files is listed
again, 50-150 ms) and shows only what changed:

- article files added, changed or removed: their rows in the article list (the row under the
  list's cursor stays under it); many changed files at once, the whole list;
- another article's highlights: its row's count;
- the open article's highlights, or the codebook (a tag renamed, recoloured): the pane and the
  sidebar, only when what they would show differs from what they show, so the app's own
  writes (which change the same files) redraw nothing and move no cursor or selection;
- the open article's text: it is reloaded as after an import updated it
  (``MainScreen._show_update``): highlights re-anchored, cursor and selection on the same words.

Nothing is reloaded while a dialog or another screen is on top (a note or a tag being chosen
acts on the selection it was opened on); the changes wait and are shown when this screen is
back. A re-anchoring write the reload makes is seen by the next look, and finds nothing to
redraw, so no write is repeated.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from textual import on, work
from textual.message import Message

from annotations.model import Highlight, Tag
from annotations.store import AnnotationStore
from annotations.watch import Changes, Watcher
from corpus.terminal_safe import terminal_safe
from reader.screens.annotating import AnnotatingScreen
from reader.widgets.article_list import ArticleList

log = logging.getLogger(__name__)

LOOK_EVERY = 0.5  # seconds between looks: a change shows within about a second
# List rows read again one by one at most; more changed files (a bulk code, a pull) read the
# whole list again (about 0.5 s on 10,000 articles), rather than walk the rows for each.
ROWS_ONE_BY_ONE = 20


@dataclass
class WorkspaceChanged(Message):
    """A look found files changed (by anyone, this app included)."""

    changes: Changes


class LiveRefreshScreen(AnnotatingScreen):
    """An :class:`AnnotatingScreen` that shows the workspace's changes as they happen."""

    def __init__(self, store: AnnotationStore) -> None:
        super().__init__(store)
        self._watcher: Watcher | None = None  # made by the first look, off the start-up path
        self._looking = False  # a look is running in its thread
        self._unseen = Changes()  # found while another screen was on top
        self.looks = 0  # looks done (tests wait for the next one)

    def _show_update(self) -> None:
        """Show the open article's text as its file now is (the main screen's)."""
        raise NotImplementedError

    def on_mount(self) -> None:
        self.set_interval(LOOK_EVERY, self._look_for_changes, name="live refresh")

    def _look_for_changes(self) -> None:
        if self.app.screen is not self:
            return  # changes wait in the files until this screen is back
        if self._unseen:
            self._show_changes(self._unseen)
        if not self._looking:
            self._looking = True
            self._look()

    @work(thread=True, exit_on_error=False, group="live refresh")
    def _look(self) -> None:
        try:
            if self._watcher is None:
                # The first look stamps what the screen was built from (a moment late: a
                # change in the first half-second shows at the next change to its file).
                self._watcher = Watcher(self.store.workspace)
                return
            try:
                found = self._watcher.look()
            except OSError as exc:  # a folder that cannot be listed: look again later
                log.warning("cannot look for changes: %s", exc)
                return
            if found:
                self.post_message(WorkspaceChanged(found))
        finally:
            self.looks += 1
            self._looking = False

    @on(WorkspaceChanged)
    def _changed(self, message: WorkspaceChanged) -> None:
        if self.app.screen is not self:
            self._unseen = self._unseen | message.changes
            return
        self._show_changes(self._unseen | message.changes)

    def _show_changes(self, found: Changes) -> None:
        """Show what changed in the files, and only that."""
        self._unseen = Changes()
        open_id = self.article_id
        if len(found.articles) + len(found.highlights) > ROWS_ONE_BY_ONE:
            self._keeping_list_cursor(self.articles.reload)
        else:
            if found.articles:
                self._keeping_list_cursor(lambda: self.articles.update_articles(found.articles))
            for article_id in found.highlights - found.articles - {open_id}:
                self._show_count(article_id)
        if found.workspace_db:
            # A filter on a tag renamed or deleted elsewhere would show nothing: each drops it.
            names = [t.name for t in self._safely("Reading tags", self.store.tags) or []]
            self.articles.drop_missing_tag(names)
            self.highlights_column.drop_missing_tag(names)
        if open_id is None or open_id in found.removed:
            return
        if open_id in found.articles:
            self._show_update()  # the text, its highlights re-anchored
            article_id = open_id
            title = self._safely(
                "Reading the article", lambda: self.store.library.get(article_id).title
            )
            if title is not None:  # the header's title
                self.sub_title = terminal_safe(title)
        if open_id in found.highlights or found.workspace_db:
            self._show_highlights_if_changed()

    def _show_count(self, article_id: str) -> None:
        """Another article's highlights changed: its row's count (and tags, for the filter)."""
        highlights = self._safely(
            "Reading highlights", lambda: self.store.highlights(article_id, check=False)
        )
        if highlights is not None:
            self.articles.set_highlights(article_id, highlights)

    def _keeping_list_cursor(self, reload: Callable[[], None]) -> None:
        """Read list rows again with ``reload``, the list's cursor staying on its article
        (rows added above it would otherwise move it onto another)."""
        articles = self.query_one(ArticleList)
        index = articles.highlighted
        keep = articles.rows[index].id if index is not None and index < len(articles.rows) else None
        reload()
        at = next((i for i, row in enumerate(articles.rows) if row.id == keep), None)
        if at is not None:
            articles.highlighted = at

    def _show_highlights_if_changed(self) -> None:
        """Redraw the open article's highlights if they (or their tags) are not what the pane
        and the sidebar show; the sidebar's cursor stays on its highlight."""
        article_id = self.article_id
        if article_id is None:
            return
        highlights: list[Highlight] | None = self._safely(
            "Loading highlights", lambda: self.store.highlights(article_id)
        )
        codebook = self._safely("Reading tags", self.store.tags) or []
        tags: dict[str, Tag] = {t.name: t for t in codebook}
        if highlights is None or (highlights, tags) == self._drawn:
            return
        current = self.sidebar.current_id
        self._refresh_annotations()
        self.sidebar.show(current)
