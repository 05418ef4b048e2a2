"""Annotating the open article: highlight, tag, note, delete, re-attach, undo and redo.

:class:`AnnotatingScreen` is the part of the main screen that turns the annotating keys (and
the sidebar's requests) into store calls on the article the reading pane shows, remembers each
change in the workspace's :class:`~annotations.history.History` for ``u`` (undo) and ``U``
(redo), and redraws the article's highlights. When the store refuses a range because the
article's file changed since the pane showed it (``ArticleChanged``), it reloads the article
and selects the same words again.
:class:`~reader.screens.main.MainScreen` builds on it with the panes, the article list and
everything else.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from textual import on, work
from textual.message import Message
from textual.screen import Screen

from annotations.anchoring import find_again, follow
from annotations.coder_marks import NO_MARK, coder_label, coder_marks, visible
from annotations.history import ArticleDeletion, DetailsEdit, HighlightEdit, History, Step
from annotations.model import Highlight, Tag
from annotations.storage import StoreError
from annotations.store import AnnotationStore, ArticleChanged, DuplicateHighlight
from corpus.terminal_safe import terminal_safe
from reader.store_calls import safely
from reader.widgets.annotation_sidebar import AnnotationSidebar, HighlightsColumn
from reader.widgets.article_list import ArticleColumn
from reader.widgets.reading_pane import PaneHighlight, ReadingPane
from reader.wording import excerpt

if TYPE_CHECKING:
    from corpus.markdown_text import DisplayText

log = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass
class TagChangeUndone(Message):
    """An undo (or redo) worker is done with a tag change: ``step`` is what it took back
    (``None``: nothing was left to), ``error`` says why it failed, if it did."""

    step: Step | None
    error: str | None
    redo: bool = False


class AnnotatingScreen(Screen[None]):
    """Annotating the article shown in the screen's :class:`ReadingPane`; the screen composes
    the pane, an :class:`AnnotationSidebar` in a :class:`HighlightsColumn` and an
    :class:`ArticleColumn`, and opens articles (:meth:`open_article`)."""

    def __init__(self, store: AnnotationStore) -> None:
        super().__init__()
        self.store = store
        self.article_id: str | None = None  # the article the pane shows
        # What u undoes and U redoes: the workspace's history, kept in its files.
        self.history = History(store)
        # The highlights and codebook the pane and sidebar were last drawn from: live refresh
        # redraws only when the files hold something else.
        self._drawn: tuple[list[Highlight], dict[str, Tag]] | None = None
        # The coder view (``@``): one coder's highlights only, or None for every coder's; and
        # the coders whose highlights the screen has seen (the workspace's, once read), whose
        # marks the pane draws when there are two or more.
        self.coder_view: str | None = None
        self.known_coders: set[str] = set()

    def open_article(self, article_id: str, position: int | None = None) -> None:
        """Show an article; ``position`` ``None`` restores where the reader left off."""
        raise NotImplementedError

    @property
    def pane(self) -> ReadingPane:
        return self.query_one(ReadingPane)

    @property
    def sidebar(self) -> AnnotationSidebar:
        return self.query_one(AnnotationSidebar)

    @property
    def articles(self) -> ArticleColumn:
        """The article list with its rows and filter."""
        return self.query_one(ArticleColumn)

    @property
    def highlights_column(self) -> HighlightsColumn:
        """The sidebar with its title and tag filter."""
        return self.query_one(HighlightsColumn)

    def _safely(self, what: str, call: Callable[[], T]) -> T | None:
        """Run a store call; on failure tell the user why and that nothing changed."""
        return safely(self, what, call)

    def _refresh_annotations(self) -> None:
        """Redraw the open article's highlights in the pane, the sidebar and its list row."""
        article_id = self.article_id
        if article_id is None:
            return
        highlights = self._safely("Loading highlights", lambda: self.store.highlights(article_id))
        if highlights is None:
            return
        tags = {t.name: t for t in self._safely("Reading tags", self.store.tags) or []}
        self._drawn = (highlights, tags)
        self.known_coders.update(h.coder for h in highlights)
        marks = coder_marks(self.known_coders)
        self.pane.set_highlights(
            [
                PaneHighlight(
                    h.id, h.start, h.end, h.display_color(tags), marks.get(h.coder, NO_MARK)
                )
                for h in visible(highlights, self.coder_view)
                if not h.orphaned
            ]
        )
        column = self.highlights_column
        column.coder_view, column.coder_marks = self.coder_view, marks
        column.show_highlights(highlights, tags)
        self.articles.set_highlights(article_id, highlights)

    def _after_change(self) -> None:
        self._refresh_annotations()

    def _show_coder_of(self, highlight: Highlight) -> None:
        """A highlight made or brought back by another coder than the view shows: show every
        coder again (and say so), rather than have a change the user cannot see. The caller
        redraws."""
        if self.coder_view in (None, highlight.coder):
            return
        self.coder_view = None
        self.notify(
            "Showing every coder's highlights again, so that the one just changed is in sight.",
            timeout=4,
        )

    def _shown_in_sidebar(self) -> None:
        """A highlight was added or changed and the sidebar shows it: a screen whose sidebar
        can be out of sight says here how to see it."""

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
            self.history.push(HighlightEdit(article_id, target.id, target, "re-attach"))
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
        """The open article's highlight over exactly ``selection`` made by this coder, if
        there is one: `t` and `c` on such a selection act on it instead of making a second
        highlight. Another coder's highlight of the same words is theirs: a selection of it
        makes this coder's own (an agreement study compares the two)."""
        if self.article_id is None:
            return None
        article_id = self.article_id
        highlights = self._safely("Loading highlights", lambda: self.store.highlights(article_id))
        return next(
            (
                h
                for h in visible(highlights or [], self.coder_view)
                if not h.orphaned and (h.start, h.end) == selection and h.coder == self.store.coder
            ),
            None,
        )

    def _reload_changed(
        self, selection: tuple[int, int] | None, display: DisplayText | None = None
    ) -> tuple[int, int] | None:
        """Show the open article as its file now is (its highlights re-anchored; ``display``
        when already read), after the store found that the text changed since the pane showed
        it or an import updated it, and select the words of ``selection`` again where they now
        are. Returns that range, or None when they are gone. The cursor stays on its words, on
        its row."""
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
        found = None if selection is None else find_again(old, display.text, *selection)
        position = found[0] if found else follow(old, display.text, self.pane.cursor)
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
            if self.coder_view not in (None, existing.coder):  # the view hides it: say whose
                who = terminal_safe(coder_label(existing.coder))
                self.notify(
                    f"Already highlighted by {who}: “{excerpt}” (@ shows every coder).",
                    timeout=5,
                    markup=False,
                )
                return None
            self.notify(f"Already highlighted: “{excerpt}” (selected).", timeout=3)
            return None
        if added is not None:
            self.history.push(HighlightEdit(article_id, added.id, None, "highlight"))
            self.pane.clear_selection()
            self._show_coder_of(added)
            self._after_change()
            self.sidebar.show(added.id)
            self._shown_in_sidebar()
        return added

    def action_highlight(self) -> None:
        if self.pane.selection is None:
            self.notify("Select text first: v, s, S, / or a mouse drag.", severity="warning")
            return
        added = self._add()
        if added is not None:
            self.notify(f"Highlighted “{excerpt(added.quote)}”", timeout=2)

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
            self.history.push(HighlightEdit(target.article_id, target.id, target, label))
            self._after_change()
            self.sidebar.show(target.id)
            self._shown_in_sidebar()
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
            self.history.push(HighlightEdit(target.article_id, target.id, removed, "delete"))
            self._after_change()
            # The quote says which one went: overlapping highlights look alike on screen.
            self.notify(f"Deleted “{excerpt(removed.quote)}” (u undoes).", timeout=3)

    def article_step_done(self, entry: ArticleDeletion) -> None:
        """An undo or redo brought an article back from the trash or deleted it again: the
        screen with the article list shows it (see ``reader/screens/article_actions.py``)."""

    def details_step_done(self, article_id: str) -> None:
        """An undo or redo changed an article's details: the screen with the article list
        shows them."""

    def action_undo(self) -> None:
        self._step(redo=False)

    def action_redo(self) -> None:
        self._step(redo=True)

    def _step(self, *, redo: bool) -> None:
        """Undo the workspace's newest change, or redo the one undo took back last. The history
        is the workspace's (annotations/history.json): a change made in the tag manager or by
        ``reader highlights delete`` is taken back here too."""
        verb = "redo" if redo else "undo"
        pending = self.history.next(redo=redo)
        if pending is None:
            problem = self.history.problem()
            if problem is not None:
                self.notify(problem, title="Undo unavailable", severity="error", timeout=10)
            else:
                self.notify(f"Nothing to {verb}.", timeout=2)
            return
        if pending.many_files:  # a bulk code or codebook change: in a thread
            self.notify(f"{'Redoing' if redo else 'Undoing'} {pending.label}…", timeout=2)
            self._undo_tag_change(redo)
            return
        step = self._safely(verb.capitalize(), self.history.redo if redo else self.history.undo)
        if step is None:
            return
        done = step.entry
        if isinstance(done, ArticleDeletion):
            self.article_step_done(done)
        elif isinstance(done, DetailsEdit):
            self.details_step_done(done.article_id)
        elif isinstance(done, HighlightEdit) and done.article_id != self.article_id:
            self.open_article(done.article_id)
        if isinstance(done, HighlightEdit):
            back = self._find(done.highlight_id)  # None when the step deleted it
            if back is not None:
                self._show_coder_of(back)
        self._after_change()
        self.notify(f"{'Redid' if redo else 'Undid'} {step.label}.", timeout=2)

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

    @work(thread=True, exclusive=True, exit_on_error=False, group="undo")
    def _undo_tag_change(self, redo: bool) -> None:
        """Undo or redo a bulk code in a thread: it may rewrite hundreds of article files."""
        try:
            step = self.history.redo() if redo else self.history.undo()
        except (StoreError, OSError) as exc:
            log.exception("undo failed")
            self.post_message(TagChangeUndone(None, str(exc), redo))
            return
        self.post_message(TagChangeUndone(step, None, redo))

    @on(TagChangeUndone)
    def _tag_change_undone(self, message: TagChangeUndone) -> None:
        verb = "Redo" if message.redo else "Undo"
        if message.error is not None:  # nothing changed: it can be tried again
            self.notify(message.error, title=f"{verb} failed", severity="error", timeout=8)
            return
        self.articles.reload()
        self._refresh_annotations()
        if message.step is not None:
            done = "Redid" if message.redo else "Undid"
            self.notify(f"{done} {message.step.label}.", timeout=3)
