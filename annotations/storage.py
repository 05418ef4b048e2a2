"""A TinyDB storage that is durable and refuses to overwrite what it cannot read.

TinyDB's default ``JSONStorage`` truncates the file and writes it in place, so a crash mid-write
loses the database, and it overwrites a file that failed to parse. This storage:

* serialises with orjson (several times faster than ``json`` for the same output),
* writes a temporary file, fsyncs it, ``os.replace``-s it over the old one and fsyncs the folder,
  so a reader or a crash sees the old file or the new one, never a mix,
* raises :class:`CorruptFileError` (a one-line message naming the file) for a file that does not
  parse, and TinyDB then never reaches ``write``, so the bad file is left for a person to inspect,
* writes files that merge: :func:`database_bytes` keys each record of reader's tables by a number
  drawn from what names it (a highlight's id, a tag's name, an article id) instead of TinyDB's
  counter, which two coders adding records would both increment, and writes one field per line
  in a stable order, so that git merges two people's changes to different records line by line.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import orjson
from tinydb.storages import Storage

from annotations.errors import CorruptFileError, StoreError
from corpus.fsutil import atomic_write_bytes

# The errors live in annotations.errors (model.py raises them too); most callers import them
# from here, beside the storage that raises them.
__all__ = ["AtomicJSONStorage", "Check", "CorruptFileError", "StoreError", "read_database"]

Check = Callable[[Mapping[str, Mapping[str, Any]]], "str | None"]


# The field that names a record in each of reader's tables: its document id is drawn from it.
# Records of other tables, and records without that field, keep the id they have.
NATURAL_KEYS = {"highlights": "id", "tags": "name", "state": "article_id", "meta": "key"}
_JSON_OPTIONS = orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS


def natural_doc_id(value: str) -> int:
    """The document id of the record named ``value``: 48 bits of its BLAKE2 hash, so the same
    record has the same id in every copy of a workspace, and two new records almost never the
    same one (a clash is resolved by the next free id)."""
    digest = hashlib.blake2b(value.encode("utf-8", "surrogatepass"), digest_size=6).digest()
    return int.from_bytes(digest, "big") or 1


def keyed(data: Mapping[str, Mapping[str, Any]]) -> dict[str, dict[str, Any]]:
    """``data`` with the records of reader's tables under their natural document ids (see
    :data:`NATURAL_KEYS`): no record is dropped, two records named alike included."""
    out: dict[str, dict[str, Any]] = {}
    for table_name, table in data.items():
        field = NATURAL_KEYS.get(table_name)
        if field is None:
            out[table_name] = dict(table)
            continue
        named = [(doc_id, r) for doc_id, r in table.items() if isinstance(r.get(field), str)]
        rekeyed: dict[str, Any] = {
            doc_id: r for doc_id, r in table.items() if not isinstance(r.get(field), str)
        }
        for _, record in sorted(named, key=lambda item: (item[1][field], item[0])):
            doc_id = natural_doc_id(record[field])
            while str(doc_id) in rekeyed:
                doc_id += 1
            rekeyed[str(doc_id)] = record
        out[table_name] = rekeyed
    return out


def database_bytes(data: Mapping[str, Mapping[str, Any]]) -> bytes:
    """A database as reader writes it: records under natural ids (:func:`keyed`), keys sorted,
    one field per line, and a final newline."""
    return orjson.dumps(keyed(data), option=_JSON_OPTIONS) + b"\n"


def read_database(path: Path, check: Check | None = None) -> dict[str, dict[str, Any]] | None:
    """Parse a TinyDB file; ``None`` if it does not exist. Raises :class:`CorruptFileError`,
    also when ``check(data)`` names a problem (a record of the wrong shape)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    if not raw.strip():
        raise CorruptFileError(f"{path}: empty file, expected a JSON database; left untouched")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise CorruptFileError(f"{path}: not valid JSON ({exc}); left untouched") from None
    if not isinstance(data, dict) or not all(
        isinstance(t, dict) and all(isinstance(r, dict) for r in t.values()) for t in data.values()
    ):
        raise CorruptFileError(
            f"{path}: not a database (expected tables of records); left untouched"
        )
    problem = check(data) if check is not None else None
    if problem is not None:
        raise CorruptFileError(f"{path}: {problem}; left untouched")
    return data


class AtomicJSONStorage(Storage):
    """TinyDB storage with atomic, fsynced writes; see the module docstring. With ``check``,
    a file whose records it finds fault with is refused as corrupt, on every read, and so
    before any write (TinyDB reads the file, changes it, and writes it whole)."""

    def __init__(self, path: str | Path, check: Check | None = None) -> None:
        self.path = Path(path)
        self.check = check

    def read(self) -> dict[str, dict[str, Any]] | None:
        return read_database(self.path, self.check)

    def write(self, data: dict[str, dict[str, Any]]) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            atomic_write_bytes(self.path, database_bytes(data))
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot write ({exc.strerror or exc}); nothing changed"
            ) from None

    def close(self) -> None:
        pass
