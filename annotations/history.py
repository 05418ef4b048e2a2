"""Undo and redo history of a workspace: the changes made, newest last, and how to take each
one back and make it again. It is kept in ``annotations/history.json`` (the last
:data:`LIMIT` changes), so ``u`` still undoes them after a restart, and a change made by the
command line (``reader highlights delete``) can be undone in the app.

Its entries are plain dataclasses holding what to put back, not closures:

* :class:`HighlightEdit`: one highlight added, edited, re-attached or deleted, with the
  highlight as it was before (``None`` when the edit added it).
* :class:`~annotations.codebook.TagChange`: a rename, merge, delete, edit or bulk code, with the
  tag records and highlights it replaced.
* :class:`ArticleDeletion`: an article moved to the trash (:mod:`annotations.trash`), which
  undo brings back and redo deletes again.
* :class:`DetailsEdit`: an article's details (title, author, site, date) as they were
  (:mod:`annotations.article_details`).

:func:`undo` puts one entry back in the store (a dispatch on the entry's type).
:func:`snapshot` reads what the store holds now of the records an entry would replace: an
entry of the same type, so it is what puts the change back again. That is how redo works,
and how a stale undo is noticed:

Each change is kept as a :class:`Step`: ``entry`` (what applying it puts back) and ``current``
(what the store held right after the change). Undo applies a step only when the store still
holds ``current`` (otherwise another window or a command changed those records since, and the
undo would throw that work away: :class:`HistoryConflict`), and the redo stack then gets the
step turned round, ``Step(current, entry)``. Redo is the same with the stacks swapped. A new
change clears the redo stack, as every editor does.

The app and a command may share the file: :class:`History` reads it fresh under the workspace
lock before every change to it, and an undo happens in the same hold of the lock as its check.
A file that does not parse is never overwritten (:class:`HistoryUnavailable`): undo and redo
are unavailable and new changes are not recorded until a person moves it away; nothing else
is blocked. A new entry type needs a branch in :func:`undo`, :func:`snapshot`,
:func:`_same_state`, :func:`entry_to_json` and :func:`entry_from_json`.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import orjson

from annotations.article_details import FIELDS, Details, check_changes, write_details
from annotations.codebook import TagChange
from annotations.model import Highlight, Tag
from annotations.storage import StoreError
from annotations.trash import delete_articles, restore_articles
from corpus.article import ArticleFormatError
from corpus.fsutil import atomic_write_bytes
from corpus.library import ArticleNotFound
from corpus.workspace import quote_id

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

log = logging.getLogger(__name__)

LIMIT = 100
"""How many changes the undo history keeps (the oldest go first)."""
SIDE = 64_000
"""Bytes of JSON past which a step is kept in a file of its own (see :class:`History`)."""
VERSION = 1


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
    """An article deleted to the trash (:mod:`annotations.trash`): applying it brings the
    article back when ``present`` (the undo of the deletion), or moves it to the trash again
    when not (its redo)."""

    article_id: str
    title: str
    present: bool = True

    @property
    def label(self) -> str:
        return f"delete article {self.article_id}"


@dataclass(frozen=True)
class DetailsEdit:
    """An article's details changed: ``before`` is what applying this puts back (``None``:
    the article was not there to read)."""

    article_id: str
    before: Details | None

    @property
    def label(self) -> str:
        return f"editing the details of {self.article_id}"


Entry = HighlightEdit | TagChange | ArticleDeletion | DetailsEdit
"""What a history holds: a highlight edit, a codebook change, an article deletion or an
article's details changed."""


@dataclass(frozen=True)
class Step:
    """One change in the history: applying ``entry`` takes it back (or, on the redo stack,
    makes it again), which is right only while the store holds ``current``."""

    entry: Entry
    current: Entry

    @property
    def label(self) -> str:
        return self.entry.label

    def turned(self) -> Step:
        """The step that takes back what applying this one does."""
        return Step(self.current, self.entry)


class HistoryConflict(StoreError):
    """The records an undo (or redo) would put back were changed since by something the
    history did not see; nothing was changed, and the step was dropped."""


class HistoryUnavailable(StoreError):
    """The history file cannot be read: it is left untouched and undo is unavailable."""


# -- the entry types: applying, reading back, comparing, storing ---------------------------------
def undo(store: AnnotationStore, entry: Entry) -> Entry:
    """Put back in the store what ``entry`` holds, and return it. A highlight the edit added
    is deleted; one it edited, re-attached or deleted is restored as it was. Raises the store's
    errors (``StoreError``, ``OSError``), having changed nothing."""
    if isinstance(entry, TagChange):
        store.undo_tag_change(entry)
    elif isinstance(entry, ArticleDeletion):
        there = entry.article_id in store.library
        if entry.present and not there:
            done = restore_articles(store, [entry.article_id])
        elif not entry.present and there:
            done = delete_articles(store, [entry.article_id])
        else:
            return entry
        if done.problems:
            raise StoreError(f"{done.problems[0]}; nothing changed")
    elif isinstance(entry, DetailsEdit):
        if entry.before is None:
            raise StoreError(f"no article {quote_id(entry.article_id)}; nothing changed")
        write_details(store, entry.article_id, entry.before)
    elif entry.before is None:
        if _stored_highlight(store, entry.article_id, entry.highlight_id) is not None:
            store.delete_highlight(entry.article_id, entry.highlight_id)
    else:
        store.restore_highlight(entry.before)
    return entry


def snapshot(store: AnnotationStore, entry: Entry) -> Entry:
    """What the store holds now of the records ``entry`` would replace, as an entry of the
    same kind with the same label: applying it puts them back as they are now."""
    if isinstance(entry, TagChange):
        tags = {t.name: t for t in store.tags()}
        ids = [(h.article_id, h.id) for h in entry.highlights_before] + list(entry.created)
        stored = _stored_highlights(store, {article_id for article_id, _ in ids})
        present: list[Highlight] = []
        absent: list[tuple[str, str]] = []
        for key in dict.fromkeys(ids):  # each once, in order
            found = stored.get(key)
            if found is None:
                absent.append(key)
            else:
                present.append(found)
        return TagChange(
            entry.label,
            tags_before={name: tags.get(name) for name in entry.tags_before},
            highlights_before=present,
            created=absent,
        )
    if isinstance(entry, ArticleDeletion):
        return replace(entry, present=entry.article_id in store.library)
    if isinstance(entry, DetailsEdit):
        try:
            return replace(entry, before=Details.of(store.library.get(entry.article_id)))
        except (ArticleNotFound, ArticleFormatError):
            return replace(entry, before=None)
    now = _stored_highlight(store, entry.article_id, entry.highlight_id)
    return HighlightEdit(entry.article_id, entry.highlight_id, now, entry.label)


def _settled(store: AnnotationStore, now: Entry) -> Entry:
    """``now`` as the stale check compares it: a tag that no highlight carries is taken as
    absent. Undoing a highlight edit keeps a tag the edit made on the fly (it may have been
    meant), so after ``rename #pay to #t1``, then a highlight tagged ``pay`` added and undone,
    an unused ``pay`` is there again; the rename's undo puts its own ``pay`` record back over
    it, losing nothing a highlight uses."""
    if not isinstance(now, TagChange):
        return now
    present = [name for name, tag in now.tags_before.items() if tag is not None]
    if not present:
        return now
    used = store.tag_counts()
    tags = {
        name: (tag if tag is None or used.get(name) else None)
        for name, tag in now.tags_before.items()
    }
    return replace(now, tags_before=tags)


def _same_state(a: Entry, b: Entry) -> bool:
    """Whether two entries hold the same records (their labels and a bulk code's skipped
    spans aside)."""
    if isinstance(a, TagChange) and isinstance(b, TagChange):
        return (
            a.tags_before == b.tags_before
            and _by_key(a.highlights_before) == _by_key(b.highlights_before)
            and set(a.created) == set(b.created)
        )
    if isinstance(a, ArticleDeletion) and isinstance(b, ArticleDeletion):
        return (a.article_id, a.present) == (b.article_id, b.present)
    if isinstance(a, DetailsEdit) and isinstance(b, DetailsEdit):
        return (a.article_id, a.before) == (b.article_id, b.before)
    if isinstance(a, HighlightEdit) and isinstance(b, HighlightEdit):
        return (a.article_id, a.highlight_id, a.before) == (b.article_id, b.highlight_id, b.before)
    return False


def _by_key(highlights: Iterable[Highlight]) -> dict[tuple[str, str], Highlight]:
    return {(h.article_id, h.id): h for h in highlights}


def _stored_highlight(
    store: AnnotationStore, article_id: str, highlight_id: str
) -> Highlight | None:
    """A highlight as stored (not re-anchored: the history compares records), or ``None``."""
    return _stored_highlights(store, {article_id}).get((article_id, highlight_id))


def _stored_highlights(
    store: AnnotationStore, article_ids: Iterable[str]
) -> dict[tuple[str, str], Highlight]:
    return {
        (h.article_id, h.id): h
        for article_id in sorted(set(article_ids))
        for h in store.highlights(article_id, check=False)
    }


def _what(entry: Entry) -> str:
    """The records an entry is about, for a message."""
    if isinstance(entry, TagChange):
        return "the tags or highlights it touched"
    if isinstance(entry, ArticleDeletion):
        return f"article {quote_id(entry.article_id)}"
    if isinstance(entry, DetailsEdit):
        return f"the details of article {quote_id(entry.article_id)}"
    return f"highlight {quote_id(entry.highlight_id)} of article {quote_id(entry.article_id)}"


def entry_to_json(entry: Entry) -> dict[str, Any]:
    """An entry as a JSON object of ``history.json`` (docs/formats.md has the shape)."""
    if isinstance(entry, TagChange):
        return {
            "kind": "tag_change",
            "label": entry.label,
            "tags_before": {
                name: None if tag is None else tag.to_dict()
                for name, tag in entry.tags_before.items()
            },
            "highlights_before": [h.to_dict() for h in entry.highlights_before],
            "created": [list(pair) for pair in entry.created],
        }
    if isinstance(entry, ArticleDeletion):
        return {
            "kind": "article_deletion",
            "label": entry.label,
            "article_id": entry.article_id,
            "title": entry.title,
            "present": entry.present,
        }
    if isinstance(entry, DetailsEdit):
        return {
            "kind": "article_details",
            "label": entry.label,
            "article_id": entry.article_id,
            "before": None if entry.before is None else entry.before.to_dict(),
        }
    return {
        "kind": "highlight_edit",
        "label": entry.label,
        "article_id": entry.article_id,
        "highlight_id": entry.highlight_id,
        "before": None if entry.before is None else entry.before.to_dict(),
    }


def entry_from_json(data: Any) -> Entry:
    """An entry from a ``history.json`` object; ``ValueError``/``TypeError``/``KeyError``
    for one of the wrong shape."""
    kind = data["kind"]
    label = data["label"]
    if not isinstance(label, str):
        raise TypeError("label is not a string")
    if kind == "tag_change":
        tags: dict[str, Tag | None] = {}
        for name, record in data["tags_before"].items():
            tags[name] = None if record is None else Tag(**record)
        created = [(str(a), str(h)) for a, h in data["created"]]
        return TagChange(
            label,
            tags_before=tags,
            highlights_before=[Highlight.from_dict(h) for h in data["highlights_before"]],
            created=created,
        )
    if kind == "highlight_edit":
        before = data["before"]
        article_id, highlight_id = data["article_id"], data["highlight_id"]
        if not isinstance(article_id, str) or not isinstance(highlight_id, str):
            raise TypeError("article_id and highlight_id must be strings")
        return HighlightEdit(
            article_id,
            highlight_id,
            None if before is None else Highlight.from_dict(before),
            label,
        )
    if kind == "article_deletion":
        article_id, title, present = data["article_id"], data["title"], data["present"]
        if not isinstance(article_id, str) or not isinstance(title, str):
            raise TypeError("article_id and title must be strings")
        if not isinstance(present, bool):
            raise TypeError("present must be true or false")
        return ArticleDeletion(article_id, title, present)
    if kind == "article_details":
        article_id, before = data["article_id"], data["before"]
        if not isinstance(article_id, str):
            raise TypeError("article_id must be a string")
        if before is not None and not isinstance(before, dict):
            raise TypeError("before must be an object or null")
        return DetailsEdit(article_id, None if before is None else Details.from_dict(before))
    raise ValueError(f"unknown kind {kind!r}")


# -- the history ---------------------------------------------------------------------------------
Item = dict[str, Any]
"""One step as ``history.json`` holds it: ``kind`` and ``label`` of its entry, and the step
itself (``entry`` and ``current``) or the ``file`` in ``annotations/history/`` that holds it."""
_SIDE_FILE = re.compile(r"^[0-9a-f]{40}\.json$")


@dataclass
class _Stacks:
    undo: list[Item] = field(default_factory=list)
    redo: list[Item] = field(default_factory=list)


class History:
    """The undo and redo stacks of one workspace, in ``annotations/history.json``: every
    method reads the file afresh under the workspace lock, so the app and commands share it.

    A step whose JSON passes :data:`SIDE` bytes (a rename of a tag on thousands of highlights
    holds each of them twice) is written once to a file of its own in ``annotations/history/``,
    named by its content's SHA-1, and ``history.json`` only names it: every later change then
    rewrites a few kilobytes, not megabytes. Files no step names any more are removed."""

    def __init__(self, store: AnnotationStore) -> None:
        self.store = store
        self.path: Path = store.workspace.history_file
        self.steps_dir: Path = store.workspace.history_dir

    # -- reading and writing the files --------------------------------------------------------
    def _unavailable(self, exc: Exception) -> HistoryUnavailable:
        return HistoryUnavailable(
            f"{self.path}: not an undo history ({_reason(exc)}); left untouched, undo is "
            "unavailable until it is moved away"
        )

    def _read(self) -> _Stacks:
        try:
            raw = self.path.read_bytes()
        except FileNotFoundError:
            return _Stacks()
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot read ({exc.strerror or exc})") from None
        try:
            data = orjson.loads(raw)
            if not isinstance(data, dict):
                raise TypeError("not a JSON object")
            if data.get("version") != VERSION:
                raise ValueError(f"version {data.get('version')!r}, this reader knows {VERSION}")
            stacks = _Stacks(list(data["undo"]), list(data["redo"]))
            for item in stacks.undo + stacks.redo:
                _check_item(item)
        except (orjson.JSONDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise self._unavailable(exc) from None
        return stacks

    def _write(self, stacks: _Stacks) -> None:
        stacks.undo[:] = stacks.undo[-LIMIT:]
        stacks.redo[:] = stacks.redo[-LIMIT:]
        data = orjson.dumps({"version": VERSION, "undo": stacks.undo, "redo": stacks.redo})
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_bytes(self.path, data)
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot write ({exc.strerror or exc}); nothing changed"
            ) from None
        named = {item["file"] for item in stacks.undo + stacks.redo if "file" in item}
        try:
            names = os.listdir(self.steps_dir)
        except FileNotFoundError:
            return
        for name in names:
            if _SIDE_FILE.match(name) and name not in named:
                (self.steps_dir / name).unlink(missing_ok=True)

    def _item(self, step: Step) -> Item:
        """A step for ``history.json``: itself, or (a large one) the file it is written to."""
        data = {"entry": entry_to_json(step.entry), "current": entry_to_json(step.current)}
        head = {"kind": data["entry"]["kind"], "label": step.label}
        raw = orjson.dumps(data)
        if len(raw) <= SIDE:
            return head | data
        name = hashlib.sha1(raw).hexdigest() + ".json"
        target = self.steps_dir / name
        if not target.exists():  # named by its content: one already there holds the same
            self.steps_dir.mkdir(parents=True, exist_ok=True)
            try:
                atomic_write_bytes(target, raw)
            except OSError as exc:
                raise StoreError(
                    f"{target}: cannot write ({exc.strerror or exc}); nothing changed"
                ) from None
        return head | {"file": name}

    def _step(self, item: Item) -> Step:
        """The step an item holds or names; :class:`StoreError` when its file is unreadable."""
        if "file" not in item:
            return _step(item)
        path = self.steps_dir / item["file"]
        try:
            return _step(orjson.loads(path.read_bytes()))
        except OSError as exc:
            raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
        except (orjson.JSONDecodeError, ValueError, TypeError, KeyError, AttributeError) as exc:
            raise StoreError(f"{path}: not an undo step ({_reason(exc)})") from None

    # -- changes ----------------------------------------------------------------------------
    def push(self, entry: Entry) -> str | None:
        """Remember a change that was just saved (``entry`` takes it back) and forget what
        redo would have made again. Never raises: the change is saved whatever happens here;
        returns why it could not be remembered (an unreadable file, a busy lock), or ``None``."""
        try:
            with self.store.lock:
                stacks = self._read()
                stacks.undo.append(self._item(Step(entry, snapshot(self.store, entry))))
                stacks.redo.clear()
                self._write(stacks)
        except (StoreError, OSError) as exc:
            log.warning("not kept in the undo history: %s", exc)
            return str(exc)
        return None

    def undo(self) -> Step | None:
        """Take back the newest change (``None``: there is none) and return its step. Raises
        :class:`HistoryConflict` (the step is dropped: its records changed since),
        :class:`HistoryUnavailable` or the store's errors, having changed nothing in the store."""
        return self._apply(redo=False)

    def redo(self) -> Step | None:
        """Make again the change undo took back last (``None``: there is none)."""
        return self._apply(redo=True)

    def _apply(self, *, redo: bool) -> Step | None:
        verb = "redo" if redo else "undo"
        with self.store.lock:
            stacks = self._read()
            source, target = (stacks.redo, stacks.undo) if redo else (stacks.undo, stacks.redo)
            if not source:
                return None
            item = source.pop()
            try:
                step = self._step(item)
            except StoreError as exc:
                self._write(stacks)  # the step is dropped: it cannot be read
                raise StoreError(
                    f"Cannot {verb} {item['label']}: {exc}; nothing changed, and this step is "
                    f"dropped so {verb} goes on with the one before it"
                ) from None
            now = snapshot(self.store, step.entry)
            # Counting the tags in use reads every highlights file: only when the plain
            # comparison fails.
            if not _same_state(now, step.current) and not _same_state(
                _settled(self.store, now), step.current
            ):
                self._write(stacks)  # the step is dropped: it can never apply again
                raise HistoryConflict(
                    f"Cannot {verb} {step.label}: {_what(step.entry)} changed since (in another "
                    f"window or by a command); nothing changed, and this step is dropped so "
                    f"{verb} goes on with the one before it"
                )
            undo(self.store, step.entry)
            try:
                target.append(self._item(step.turned()))
                self._write(stacks)
            except StoreError:
                undo(self.store, step.current)  # put the change back: the history says it is there
                raise
            return step

    # -- looking ----------------------------------------------------------------------------
    def _stacks(self) -> _Stacks:
        """The stacks for a look (labels, counts): an unreadable file is empty here."""
        try:
            return self._read()
        except StoreError:
            return _Stacks()

    def next(self, *, redo: bool = False) -> Pending | None:
        """What undo (or redo) would apply next, or ``None`` when there is nothing (or no
        readable file): its kind and label, without reading a large step's file."""
        items = self._stacks().redo if redo else self._stacks().undo
        return Pending(items[-1]["kind"], items[-1]["label"]) if items else None

    @property
    def undo_label(self) -> str | None:
        """What undo would take back, in words ("delete", "rename #pay to #salary")."""
        pending = self.next()
        return None if pending is None else pending.label

    @property
    def redo_label(self) -> str | None:
        """What redo would make again, in words."""
        pending = self.next(redo=True)
        return None if pending is None else pending.label

    @property
    def redo_count(self) -> int:
        return len(self._stacks().redo)

    def __len__(self) -> int:
        """How many changes undo can take back."""
        return len(self._stacks().undo)

    def problem(self) -> str | None:
        """Why the history file cannot be read (``reader doctor``'s line), or ``None``."""
        try:
            self._read()
        except StoreError as exc:
            return str(exc)
        return None


@dataclass(frozen=True)
class Pending:
    """The step undo or redo would apply next: its entry's ``kind`` (``tag_change`` may
    rewrite many files: the app applies it in a thread) and ``label``."""

    kind: str
    label: str

    @property
    def many_files(self) -> bool:
        return self.kind == "tag_change"


def _check_item(item: Any) -> None:
    """Raise ``ValueError``/``TypeError`` for an item of another shape than :data:`Item`."""
    if not isinstance(item.get("kind"), str) or not isinstance(item.get("label"), str):
        raise TypeError("a step without a kind or a label")
    if "file" in item:
        if not isinstance(item["file"], str) or not _SIDE_FILE.match(item["file"]):
            raise ValueError(f"a step names the file {item['file']!r}")
    else:
        _step(item)


def _step(data: Any) -> Step:
    return Step(entry_from_json(data["entry"]), entry_from_json(data["current"]))


def _reason(exc: Exception) -> str:
    if isinstance(exc, orjson.JSONDecodeError):
        return f"not valid JSON: {exc}"
    if isinstance(exc, KeyError):
        return f"missing {exc}"
    return str(exc) or type(exc).__name__


# -- operations that record themselves -----------------------------------------------------------
@dataclass(frozen=True)
class Deleted:
    """What :func:`delete_highlights` did: the highlights deleted, each kept in the history,
    and ``not_recorded`` why the history could not keep them (``None`` when it did)."""

    highlights: list[Highlight]
    not_recorded: str | None = None


def delete_highlights(store: AnnotationStore, highlight_ids: Sequence[str]) -> Deleted:
    """Delete highlights by id, wherever they are, each kept in the undo history (``u`` in
    the app brings it back). All of them or none: an id no article has raises a
    ``StoreError`` naming it before anything is deleted."""
    from annotations.store import HighlightError

    history = History(store)
    with store.lock:
        where: dict[str, str] = {}
        wanted = set(highlight_ids)
        for article_id, highlights in store.stored_by_article():
            for h in highlights:
                if h.id in wanted:
                    where[h.id] = article_id
        missing = [i for i in dict.fromkeys(highlight_ids) if i not in where]
        if missing:
            raise HighlightError(
                f"no highlight {quote_id(missing[0])} in the workspace; nothing deleted"
            )
        deleted: list[Highlight] = []
        problem = None
        for highlight_id in dict.fromkeys(highlight_ids):
            article_id = where[highlight_id]
            removed = store.delete_highlight(article_id, highlight_id)
            deleted.append(removed)
            problem = history.push(HighlightEdit(article_id, highlight_id, removed, "delete"))
    return Deleted(deleted, problem)


@dataclass(frozen=True)
class DetailsEdited:
    """What :func:`edit_details` did: the details ``before`` and ``after`` (the same when
    nothing changed, and then nothing was written), and ``not_recorded`` why the history could
    not keep the change (``None`` when it did, or when there was none)."""

    article_id: str
    before: Details
    after: Details
    not_recorded: str | None = None

    @property
    def changed(self) -> list[str]:
        """The names of the details that changed, in :data:`FIELDS` order."""
        return [name for name in FIELDS if self.before.get(name) != self.after.get(name)]

    @property
    def what(self) -> str:
        """What changed, in words: ``title``, ``site and publication date``."""
        words = ["publication date" if name == "published" else name for name in self.changed]
        return ", ".join(words[:-1]) + " and " + words[-1] if len(words) > 1 else "".join(words)


def edit_details(
    store: AnnotationStore, article_id: str, changes: Mapping[str, str | None]
) -> DetailsEdited:
    """Change some of an article's details (``changes``: detail name to the text typed, ``""``
    or ``None`` removing it), kept in the undo history (``u`` in the app takes it back). The
    one function ``reader details`` and the app's ``E`` call. Raises
    :class:`~annotations.article_details.DetailsError` for changes that cannot be written
    (nothing written), ``ArticleNotFound``, ``ArticleFormatError`` or ``StoreError``."""
    checked = check_changes(changes)
    history = History(store)
    with store.lock:
        before = Details.of(store.library.get(article_id))
        after = before.changed(checked)
        if after == before:
            return DetailsEdited(article_id, before, after)
        write_details(store, article_id, after)
        problem = history.push(DetailsEdit(article_id, before))
    return DetailsEdited(article_id, before, after, problem)
