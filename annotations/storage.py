"""A TinyDB storage that is durable and refuses to overwrite what it cannot read.

TinyDB's default ``JSONStorage`` truncates the file and writes it in place, so a crash mid-write
loses the database, and it overwrites a file that failed to parse. This storage:

* serialises with orjson (several times faster than ``json`` for the same output),
* writes a temporary file, fsyncs it, ``os.replace``-s it over the old one and fsyncs the folder,
  so a reader or a crash sees the old file or the new one, never a mix,
* raises :class:`CorruptFileError` (a one-line message naming the file) for a file that does not
  parse, and TinyDB then never reaches ``write``, so the bad file is left for a person to inspect.
"""

from __future__ import annotations

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
            atomic_write_bytes(self.path, orjson.dumps(data))
        except OSError as exc:
            raise StoreError(
                f"{self.path}: cannot write ({exc.strerror or exc}); nothing changed"
            ) from None

    def close(self) -> None:
        pass
