"""The on-disk shape of the annotation files: the one module that reads and writes it.

Both files are TinyDB databases (JSON objects of tables, each table an object of records keyed
by TinyDB's document ids ``"1"``, ``"2"``…), kept by :class:`AtomicJSONStorage`:

* ``annotations/highlights/<article-id>.json``: one table, ``highlights``, of
  :meth:`Highlight.to_dict` records.
* ``annotations/workspace.json``: the tables ``meta`` (the schema version, the last article),
  ``tags`` (the codebook: :meth:`Tag.to_dict` records) and ``state`` (reading state).

:class:`~annotations.store.AnnotationStore` works through this module and nothing else touches
the files: a one-record change goes through TinyDB's tables (:func:`highlights_table`,
:func:`workspace_database`); two things do not, for speed, and they are here so that the shape
is known in one place:

* **Reading highlights** (:func:`read_highlights`, :func:`count_highlights`) parses the file
  with orjson and makes the records into :class:`Highlight` objects directly. TinyDB would
  parse the same file with the same storage and then copy every record into a ``Document``
  first: 1.1 to 2 times as long for files of 10 to 1,000 highlights, and the app and every
  export read all of them (tests/test_records.py checks that both give the same highlights).
* **Changing many records at once** (:func:`write_highlight_files`, :func:`write_tags`) builds
  each file's new content here and writes it once: TinyDB writes the whole file again for every
  call, and a codebook change rewrites thousands of records in many files, which
  :func:`corpus.fsutil.atomic_write_many` replaces together (all of them or none).

Every write, TinyDB's and these, goes through :func:`annotations.storage.database_bytes`: each
record is keyed by a number drawn from its highlight id, tag name or article id rather than
TinyDB's counter, one field per line, so that two coders' changes to one file merge in git.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from tinydb import TinyDB
from tinydb.table import Table

from annotations.model import Highlight, Tag, workspace_problem
from annotations.storage import (
    AtomicJSONStorage,
    CorruptFileError,
    StoreError,
    database_bytes,
    read_database,
)
from corpus.fsutil import atomic_write_many

HIGHLIGHTS_TABLE = "highlights"
# The tables of workspace.json (their records' shapes: annotations.model.workspace_problem).
META_TABLE, TAGS_TABLE, STATE_TABLE = "meta", "tags", "state"

# What one highlights file gets in a multi-file write: highlights to put (replacing the record
# with the same highlight id, or added) and the ids of highlights to remove.
HighlightChanges = tuple[Iterable[Highlight], Iterable[str]]


# -- highlights files ---------------------------------------------------------------------------
def read_highlights(path: Path) -> list[Highlight]:
    """The highlights of one file in document order (``[]`` if there is no file). A file that
    does not parse, or a record of the wrong shape, raises :class:`CorruptFileError`."""
    data = read_database(path)
    if not data:
        return []
    try:
        items = [Highlight.from_dict(doc) for doc in data.get(HIGHLIGHTS_TABLE, {}).values()]
    except TypeError as exc:
        raise CorruptFileError(f"{path}: bad highlight record ({exc}); left untouched") from None
    items.sort(key=lambda h: (h.start, h.end, h.created, h.id))
    return items


def count_highlights(path: Path) -> int:
    """How many highlight records a file holds, without making them into objects (0 for no
    file); a file that does not parse raises :class:`CorruptFileError`."""
    data = read_database(path) or {}
    return len(data.get(HIGHLIGHTS_TABLE, {}))


def stored_highlight_ids(path: Path) -> list[str]:
    """The highlight id of every record, as stored (``reader doctor`` looks for ids used
    twice, which :func:`read_highlights` would not show)."""
    data = read_database(path) or {}
    return [str(doc.get("id")) for doc in data.get(HIGHLIGHTS_TABLE, {}).values()]


def stored_coders(path: Path) -> set[str]:
    """The coders of a file's highlight records, as stored ("" for records without one),
    without making them into objects: what the app's coder view asks of every file."""
    data = read_database(path) or {}
    return {str(doc.get("coder") or "") for doc in data.get(HIGHLIGHTS_TABLE, {}).values()}


# The table in which a merge keeps the versions of a highlight it did not keep, in the file
# itself (:mod:`annotations.merging`; reader reads only its own tables, and ``reader doctor``
# names this one).
CONFLICTS_TABLE = "conflicts"


def kept_conflicts(path: Path) -> list[dict[str, Any]]:
    """The versions a merge did not keep, in the file's ``conflicts`` table, oldest first."""
    data = read_database(path) or {}
    return list(data.get(CONFLICTS_TABLE, {}).values())


@contextmanager
def highlights_table(path: Path) -> Iterator[Table]:
    """The TinyDB table of one highlights file, for a change of a few records (each call on it
    reads the file and writes it whole, atomically)."""
    db = TinyDB(path, storage=AtomicJSONStorage)
    try:
        yield db.table(HIGHLIGHTS_TABLE, cache_size=0)
    finally:
        db.close()


def write_highlight_files(
    changes: Mapping[Path, HighlightChanges],
    conflicts: Mapping[Path, Iterable[Mapping[str, Any]]] | None = None,
) -> None:
    """Put and remove highlights in several files (see :data:`HighlightChanges`), each file
    written once, all of them together: every file is read first (one that does not parse
    raises :class:`CorruptFileError` and nothing is written), and if any cannot be written,
    none changes. Records of other highlights are kept as stored. ``conflicts`` adds, per
    file, versions a merge did not keep to its :data:`CONFLICTS_TABLE`."""
    kept = conflicts or {}
    files = [
        (path, _highlights_bytes(path, put, remove, kept.get(path, ())))
        for path, (put, remove) in changes.items()
    ]
    try:
        atomic_write_many(files)
    except OSError as exc:
        raise StoreError(
            f"{exc.filename}: cannot write ({exc.strerror or exc}); nothing changed"
        ) from None


def _highlights_bytes(
    path: Path,
    put: Iterable[Highlight],
    remove: Iterable[str],
    conflicts: Iterable[Mapping[str, Any]] = (),
) -> bytes:
    """A highlights file's new content: highlights replaced (or added) by id, others removed,
    ``conflicts`` added to the conflicts table (numbered on from 1, as a git merge numbers it:
    the table has no natural key)."""
    data = read_database(path) or {}
    table: dict[str, Any] = data.setdefault(HIGHLIGHTS_TABLE, {})
    gone = set(remove)
    ids: dict[str, str] = {}
    for doc_id, record in list(table.items()):
        if record.get("id") in gone:
            del table[doc_id]
        else:
            ids[record.get("id", "")] = doc_id
    for n, highlight in enumerate(put):
        # A new record's key is temporary: database_bytes gives it its natural id.
        table[ids.get(highlight.id) or f"new-{n}"] = highlight.to_dict()
    for record in conflicts:
        kept = data.setdefault(CONFLICTS_TABLE, {})
        n = len(kept) + 1
        while str(n) in kept:
            n += 1
        kept[str(n)] = dict(record)
    return database_bytes(data)


# -- workspace.json -----------------------------------------------------------------------------
def read_workspace(path: Path) -> dict[str, dict[str, Any]] | None:
    """``workspace.json`` parsed, its records not yet checked (``None``: no file yet); the
    store checks them, and migrates, as it opens."""
    return read_database(path)


def workspace_database(path: Path) -> TinyDB:
    """``workspace.json`` as a TinyDB database, whose every read refuses malformed records
    (:func:`annotations.model.workspace_problem`), and so before any write."""
    return TinyDB(path, storage=AtomicJSONStorage, check=workspace_problem)


def write_tags(path: Path, after: Mapping[str, Tag | None]) -> None:
    """Set each named record of the codebook (``None`` removes it), in one write of
    ``workspace.json``; the other tables and records are kept as they are."""
    if not after:
        return
    data = read_database(path, workspace_problem) or {}
    table: dict[str, Any] = data.setdefault(TAGS_TABLE, {})
    ids = {record.get("name"): doc_id for doc_id, record in table.items()}
    for n, (name, tag) in enumerate(after.items()):
        found = ids.get(name)
        if tag is None:
            if found is not None:
                del table[found]
            continue
        # A new record's key is temporary: the storage gives it its natural id.
        table[found or f"new-{n}"] = tag.to_dict()
    AtomicJSONStorage(path).write(data)


# -- whole files --------------------------------------------------------------------------------
def read_any_database(path: Path) -> dict[str, dict[str, Any]]:
    """A highlights file or ``workspace.json`` as stored, unchecked beyond being a database of
    tables (``{}`` for a missing or empty file: git hands a merge driver an empty file for a
    side that has none). Raises :class:`CorruptFileError` for one that does not parse."""
    try:
        if path.stat().st_size == 0:
            return {}
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    return read_database(path) or {}


def write_database(path: Path, data: Mapping[str, Mapping[str, Any]]) -> None:
    """Write a whole annotation file (a merge's result) in the shape every write has."""
    try:
        atomic_write_many([(path, database_bytes(data))])
    except OSError as exc:
        raise StoreError(f"{path}: cannot write ({exc.strerror or exc}); nothing changed") from None
