"""Undo history: the changes a screen made, newest last, and how to take each one back.

One :class:`History` serves the main screen (highlight edits and bulk codes) and the tag manager
(codebook changes). Its entries are plain dataclasses holding what to put back, not closures, so
that a later redo or a history kept on disk can be built on them:

* :class:`HighlightEdit`: one highlight added, edited, re-attached or deleted, with the
  highlight as it was before (``None`` when the edit added it).
* :class:`~annotations.codebook.TagChange`: a rename, merge, delete, edit or bulk code, with the
  tag records and highlights it replaced.
* :class:`ArticleDeletion`: an article moved to the trash (:mod:`annotations.trash`), which
  undo restores.

:func:`undo` puts one entry back in the store. An undo that fails has changed nothing, so the
screen gives the entry back (:meth:`History.put_back`) and it can be tried again.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotations.codebook import TagChange
from annotations.errors import StoreError
from annotations.model import Highlight
from annotations.trash import restore_articles

if TYPE_CHECKING:
    from annotations.store import AnnotationStore


@dataclass(frozen=True)
class HighlightEdit:
    """One undoable change to one highlight: ``before`` is the highlight as it was, ``None``
    when the change added it. ``label`` names the change in messages ("highlight", "delete")."""

    article_id: str
    highlight_id: str
    before: Highlight | None
    label: str


@dataclass(frozen=True)
class ArticleDeletion:
    """An article moved to the trash, with its highlights and state; undo restores it."""

    article_id: str
    title: str

    @property
    def label(self) -> str:
        return f"delete article {self.article_id}"


Entry = HighlightEdit | TagChange | ArticleDeletion
"""What a history holds: a highlight edit, a codebook change or an article deletion."""


class History:
    """The undoable changes of one screen, newest last."""

    def __init__(self) -> None:
        self._entries: list[Entry] = []

    def push(self, entry: Entry) -> None:
        """Remember a change that was just saved."""
        self._entries.append(entry)

    def peek(self) -> Entry | None:
        """The change undo would take back, or ``None`` when there is none."""
        return self._entries[-1] if self._entries else None

    def pop(self) -> Entry | None:
        """Take the newest change off, to undo it; ``None`` when there is none."""
        return self._entries.pop() if self._entries else None

    def put_back(self, entry: Entry) -> None:
        """Return a change whose undo failed (so nothing changed): it is the next undo again."""
        self._entries.append(entry)

    @property
    def undo_label(self) -> str | None:
        """What undo would take back, in words ("delete", "rename #pay to #salary")."""
        entry = self.peek()
        return None if entry is None else entry.label

    def __len__(self) -> int:
        return len(self._entries)

    def __iter__(self) -> Iterator[Entry]:
        """The entries, oldest first."""
        return iter(self._entries)


def undo(store: AnnotationStore, entry: Entry) -> Entry:
    """Put back in the store what ``entry`` changed, and return it. A highlight the edit added
    is deleted; one it edited, re-attached or deleted is restored as it was; a deleted article
    comes back from the trash. Raises the store's errors (``StoreError``, ``OSError``), having
    changed nothing."""
    if isinstance(entry, TagChange):
        store.undo_tag_change(entry)
    elif isinstance(entry, ArticleDeletion):
        restored = restore_articles(store, [entry.article_id])
        if restored.problems:
            raise StoreError(f"{restored.problems[0]}; nothing changed")
    elif entry.before is None:
        store.delete_highlight(entry.article_id, entry.highlight_id)
    else:
        store.restore_highlight(entry.before)
    return entry
