"""The trash: deleted articles, kept in the workspace with their highlights until restored.

Deleting an article moves three things into ``trash/<id>--<UTC time>/``: the article's file
(``<id>.md``), its highlights file (``<id>.json``, when it has one) and its reading state
(``state.json``: the :class:`~annotations.model.ArticleState` record, memo included, or
``null``). Restoring puts the newest trashed copy back, byte for byte, so its highlights come
back at the same offsets. While an article is in the trash nothing else sees it: its file and
its highlights file are gone from the workspace, so the list, search (the index drops an
article whose file is gone, at its next look), exports and statistics leave it out.

**Crash safety: copy, then remove.** Under the workspace lock, :func:`delete_articles`

1. copies the three files into a hidden folder ``trash/.<id>--<time>.partial/`` (each file
   fsynced), then renames it to ``trash/<id>--<time>/``: the trash entry appears whole or not
   at all;
2. removes the article's file: the moment it is deleted;
3. removes its highlights file and its reading state.

A kill before step 2 leaves the article as it was (and perhaps a complete trash entry beside
it, or a ``.partial`` folder that nothing reads); a kill after it leaves the article in the
trash, with perhaps its highlights file and state still in the workspace, which a restore
writes over with the same bytes. The article is never only half in either place.

:func:`restore_articles` works the other way round: the highlights file and the state first,
the article's file last (the moment it is back), then the trash entry is renamed to a hidden
``.gone`` name and removed. An article whose id is in use again (an import took it) is not
restored: the one line says to delete or rename that article first.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import shutil
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from annotations.model import ArticleState, workspace_problem
from annotations.records import count_highlights
from annotations.storage import StoreError
from corpus.article import ArticleFormatError, parse_article
from corpus.fsutil import atomic_write_bytes, fsync_dir
from corpus.library import ArticleNotFound
from corpus.workspace import check_id, is_valid_id, quote_id

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

STATE_FILE = "state.json"
_SEPARATOR = "--"  # between the id and the time: an id may hold "--", a time never does
_TIME_FORMAT = "%Y%m%dT%H%M%S.%fZ"


class TrashError(StoreError):
    """An article that cannot be deleted or restored (unknown id, id in use, unreadable
    trash entry); one line naming it."""


@dataclass(frozen=True)
class Trashed:
    """One deleted article in the trash: ``deleted`` is the UTC time of the deletion
    (``2026-12-06T20:22:31Z``), ``highlights`` how many it took along."""

    article_id: str
    title: str
    deleted: str
    highlights: int
    folder: Path

    def to_json(self) -> dict[str, Any]:
        return {
            "id": self.article_id,
            "title": self.title,
            "deleted": self.deleted,
            "highlights": self.highlights,
            "folder": str(self.folder),
        }


@dataclass
class TrashResult:
    """What a delete or a restore did: the articles ``done`` (as they are in the trash), and
    one line for each id that was refused (``problems``), the others having been done."""

    action: str  # "deleted" or "restored"
    done: list[Trashed] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        """One line per article done: ``deleted a-strike (3 highlights): A Strike…``."""
        out = []
        for item in self.done:
            count = f"{item.highlights} highlight{'s' * (item.highlights != 1)}"
            out.append(f"{self.action} {item.article_id} ({count}): {item.title}")
        return out


def _now_stamp() -> str:
    return dt.datetime.now(dt.UTC).strftime(_TIME_FORMAT)


def _deleted_time(stamp: str) -> str:
    try:
        when = dt.datetime.strptime(stamp, _TIME_FORMAT).replace(tzinfo=dt.UTC)
    except ValueError:
        return stamp
    return when.replace(microsecond=0).isoformat().replace("+00:00", "Z")


def _copy_durably(source: Path, target: Path) -> None:
    """Copy a file's bytes, unchanged, to a new file and flush it to disk."""
    shutil.copyfile(source, target)
    fd = os.open(target, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _entry(folder: Path) -> Trashed | None:
    """The trash entry a folder is, or ``None`` for a name that is not one (a ``.partial``
    or ``.gone`` folder, anything put there by hand)."""
    article_id, sep, stamp = folder.name.rpartition(_SEPARATOR)
    if not sep or not is_valid_id(article_id) or not folder.is_dir():
        return None
    article_file = folder / f"{article_id}.md"
    if not article_file.is_file():
        return None
    try:
        title = parse_article(article_id, article_file.read_text("utf-8")).title
    except (OSError, UnicodeDecodeError, ArticleFormatError):
        title = article_id
    highlights = 0
    with contextlib.suppress(StoreError, OSError):
        highlights = count_highlights(folder / f"{article_id}.json")
    return Trashed(article_id, title, _deleted_time(stamp), highlights, folder)


def trashed(store: AnnotationStore) -> list[Trashed]:
    """Every article in the trash, the most recently deleted first (an id deleted twice is
    there twice: restore brings back the newest)."""
    try:
        folders = list(store.workspace.trash_dir.iterdir())
    except FileNotFoundError:
        return []
    found = [entry for folder in folders if (entry := _entry(folder)) is not None]
    return sorted(
        found, key=lambda e: (e.folder.name.rpartition(_SEPARATOR)[2], e.article_id), reverse=True
    )


def delete_articles(store: AnnotationStore, article_ids: Iterable[str]) -> TrashResult:
    """Move each article, with its highlights file and its reading state, to the trash (see
    the module for the order of the steps). An id with no article is named in
    ``problems``; the others are still deleted. Raises ``OSError`` or :class:`StoreError`
    when a file cannot be copied or removed: the article in hand is then still whole in the
    workspace (or already whole in the trash)."""
    result = TrashResult("deleted")
    with store.lock:
        for article_id in dict.fromkeys(article_ids):
            if article_id not in store.library:
                result.problems.append(_unknown(article_id))
                continue
            result.done.append(_delete_one(store, article_id))
    return result


def _unknown(article_id: str) -> str:
    return str(ArticleNotFound(article_id))


def _delete_one(store: AnnotationStore, article_id: str) -> Trashed:
    ws = store.workspace
    article_file = ws.article_file(article_id)
    highlights_file = store.highlights_file(article_id)
    states = store.states()
    state = states.get(article_id)
    trash = ws.trash_dir
    trash.mkdir(parents=True, exist_ok=True)
    stamp = _now_stamp()
    name = f"{article_id}{_SEPARATOR}{stamp}"
    staging = trash / f".{name}.partial"
    staging.mkdir()
    try:
        _copy_durably(article_file, staging / article_file.name)
        if highlights_file.exists():
            _copy_durably(highlights_file, staging / highlights_file.name)
        state_data = None if state is None else state.to_dict()
        atomic_write_bytes(staging / STATE_FILE, json.dumps(state_data, indent=2).encode())
        fsync_dir(staging)
        folder = trash / name
        os.rename(staging, folder)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    fsync_dir(trash)
    # The article's file goes first: from here on it is deleted, and what is left of it in
    # the workspace (highlights, state) is written over by a restore with the same bytes.
    store.library.remove(article_id)
    if highlights_file.exists():
        highlights_file.unlink()
        fsync_dir(highlights_file.parent)
    if state is not None:
        store.forget_states([article_id])
    entry = _entry(folder)
    assert entry is not None  # just written whole
    return entry


def restore_articles(store: AnnotationStore, article_ids: Iterable[str]) -> TrashResult:
    """Bring each article back from the trash (its newest trashed copy): file, highlights and
    reading state as they were. An id with nothing in the trash, or whose id an article uses
    again, is named in ``problems`` and left in the trash; the others are still restored."""
    result = TrashResult("restored")
    with store.lock:
        entries = trashed(store)
        for article_id in dict.fromkeys(article_ids):
            newest = next((e for e in entries if e.article_id == article_id), None)
            if newest is None:
                result.problems.append(f"{quote_id(article_id)} is not in the trash")
            elif article_id in store.library:
                result.problems.append(
                    f"{article_id}: an article with this id exists again; delete it first "
                    f"(reader delete {article_id}), then restore"
                )
            else:
                _restore_one(store, newest)
                result.done.append(newest)
    return result


def _restore_one(store: AnnotationStore, entry: Trashed) -> None:
    article_id = check_id(entry.article_id)
    folder = entry.folder
    try:
        data = (folder / f"{article_id}.md").read_bytes()
        saved_state = json.loads((folder / STATE_FILE).read_bytes())
    except (OSError, ValueError) as exc:
        raise TrashError(f"{folder}: cannot read this trash entry ({exc})") from None
    state = None
    if saved_state is not None:
        # Checked as workspace.json's records are, before anything is written: a hand-edited
        # state.json must not put a record there that every later read would refuse.
        record = saved_state if isinstance(saved_state, dict) else {}
        problem = workspace_problem({"state": {"1": {**record, "article_id": article_id}}})
        if problem is not None or not isinstance(saved_state, dict):
            raise TrashError(f"{folder / STATE_FILE}: {problem or 'not a state record'}")
        state = ArticleState(article_id)
        for key in ArticleState.__dataclass_fields__:
            if key in saved_state and key != "article_id":
                setattr(state, key, saved_state[key])
    highlights_copy = folder / f"{article_id}.json"
    highlights_file = store.highlights_file(article_id)
    if highlights_copy.exists():
        highlights_file.parent.mkdir(parents=True, exist_ok=True)
        temp = highlights_file.with_name(f".{highlights_file.name}.{os.getpid()}.tmp")
        _copy_durably(highlights_copy, temp)
        os.replace(temp, highlights_file)
        fsync_dir(highlights_file.parent)
    if state is not None:
        store.save_state(state)
    # The article's file last: it is back the moment it is there, with all the rest.
    store.library.restore_file(article_id, data)
    gone = folder.with_name(f".{folder.name}.gone")
    os.rename(folder, gone)
    shutil.rmtree(gone, ignore_errors=True)
