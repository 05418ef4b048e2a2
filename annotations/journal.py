"""All of a write to several files or none of it, even across a crash: an undo journal.

``reader import-annotations`` writes many files (highlights files, new articles, the codebook).
Each file is replaced atomically, but a writer killed half-way would leave some replaced and
some not. So, holding the workspace lock, before it replaces the first file, it

1. keeps each file it may replace: a hard link ``.<name>.<pid>.undo.tmp`` beside it (every
   write replaces a file, never edits it, so the link keeps the old bytes; where links are not
   possible, a copy), and notes the files that do not exist yet;
2. writes the journal, ``annotations/.undo-journal.json`` (atomically), naming them all.

Then it writes. When it is done it deletes the journal (that is the commit) and then the undo
files. When it fails it puts every file back and deletes the journal.

A writer killed in between leaves the journal behind, and the lock (a ``flock``) with its
death. Whoever takes the lock next, before doing anything else (:class:`WorkspaceLock` calls
:func:`recover` as it is acquired; opening a store takes it), puts each file back from its undo
file, deletes the files that did not exist, then the journal. Every write takes the lock, so no
write lands on the half-written state, and none is undone by the roll-back. Rolling back is
idempotent: a crash during it is finished by the next lock holder.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import orjson

from annotations.storage import StoreError
from corpus.article import now_iso
from corpus.fsutil import atomic_write_bytes, fsync_dir
from corpus.workspace import Workspace

log = logging.getLogger(__name__)
JOURNAL_NAME = ".undo-journal.json"
UNDO_SUFFIX = ".undo.tmp"


def journal_path(workspace: Workspace) -> Path:
    return workspace.annotations_dir / JOURNAL_NAME


@dataclass
class Journal:
    """The files a multi-file write may replace, each with the file that keeps its old bytes
    (``None``: it did not exist)."""

    workspace: Workspace
    what: str
    files: dict[Path, Path | None]

    @classmethod
    def begin(cls, workspace: Workspace, paths: Iterable[Path], what: str) -> Journal:
        """Keep the files and write the journal; call with the workspace lock held, before
        writing any of ``paths``. Nothing is kept if this fails."""
        journal = cls(workspace, what, {})
        try:
            for path in dict.fromkeys(paths):
                journal.files[path] = _keep(path)
            for folder in {undo.parent for undo in journal.files.values() if undo is not None}:
                fsync_dir(folder)  # the links are on disk before the journal that names them
            atomic_write_bytes(journal_path(workspace), journal._dump())
        except BaseException:
            journal._discard()
            raise
        return journal

    def commit(self) -> None:
        """The write is complete: drop the journal, then the old files."""
        path = journal_path(self.workspace)
        path.unlink()
        fsync_dir(path.parent)
        self._discard()

    def roll_back(self) -> int:
        """Put every file back as it was, then drop the journal; returns how many files were
        put back or removed. A file that cannot be put back is logged and the journal kept,
        so the next lock holder tries again."""
        changed, failed = 0, 0
        # Files that did not exist go first: removing them frees the space a full disk needs.
        for path, undo in sorted(self.files.items(), key=lambda item: item[1] is not None):
            try:
                if undo is None:
                    if path.exists():
                        path.unlink()
                        changed += 1
                elif undo.exists():
                    if path.is_symlink():
                        # The write went through the link to its file: so does putting it back
                        # (a rename would put a plain file in the link's place).
                        atomic_write_bytes(path, undo.read_bytes())
                        undo.unlink()
                    else:
                        os.replace(undo, path)
                        undo.unlink(missing_ok=True)  # rename does nothing if both name one file
                    changed += 1
            except OSError as exc:
                failed += 1
                log.error("%s: could not put back (%s)", path, exc.strerror or exc)
        if not failed:
            for folder in {path.parent for path in self.files if path.parent.is_dir()}:
                fsync_dir(folder)
            journal_path(self.workspace).unlink(missing_ok=True)
        return changed

    def _discard(self) -> None:
        for undo in self.files.values():
            if undo is not None:
                undo.unlink(missing_ok=True)

    def _dump(self) -> bytes:
        root = self.workspace.root
        return orjson.dumps(
            {
                "what": self.what,
                "pid": os.getpid(),
                "started": now_iso(),
                "files": [
                    [str(path.relative_to(root)), None if undo is None else undo.name]
                    for path, undo in self.files.items()
                ],
            }
        )


def _keep(path: Path) -> Path | None:
    """A hard link to ``path`` (else a copy) beside it; ``None`` if it does not exist."""
    undo = path.with_name(f".{path.name}.{os.getpid()}{UNDO_SUFFIX}")
    undo.unlink(missing_ok=True)
    try:
        os.link(path, undo)
    except FileNotFoundError:
        return None
    except OSError:  # no hard links here: a copy
        try:
            data = path.read_bytes()
        except FileNotFoundError:
            return None
        atomic_write_bytes(undo, data)
    return undo


def recover(workspace: Workspace) -> None:
    """Roll back a multi-file write whose writer died (see the module); call with the lock
    held. Raises :class:`StoreError` when the journal cannot be read or followed, so that
    nothing is written over the half-written state."""
    path = journal_path(workspace)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return
    except OSError as exc:
        raise StoreError(f"{path}: cannot read ({exc.strerror or exc})") from None
    journal = _load(workspace, path, raw)
    changed = journal.roll_back()
    if path.exists():
        raise StoreError(
            f"{path}: an interrupted {journal.what} could not be rolled back (see the log); "
            "nothing written"
        )
    log.warning(
        "%s: rolled back an interrupted %s (%d files put back as they were)",
        workspace.root,
        journal.what,
        changed,
    )


def _load(workspace: Workspace, path: Path, raw: bytes) -> Journal:
    """The journal in ``raw``; every file it names must be inside the workspace."""
    bad = StoreError(f"{path}: not an undo journal; left untouched")
    try:
        data: Any = orjson.loads(raw)
        entries = data["files"]
        what = str(data.get("what") or "write")
    except (orjson.JSONDecodeError, KeyError, TypeError, AttributeError):
        raise bad from None
    files: dict[Path, Path | None] = {}
    for entry in entries if isinstance(entries, list) else [None]:
        if not (isinstance(entry, list) and len(entry) == 2 and isinstance(entry[0], str)):
            raise bad
        relative, undo = Path(entry[0]), entry[1]
        if relative.is_absolute() or ".." in relative.parts or not relative.parts:
            raise bad
        # Only our own undo files are ever renamed, beside the file they keep.
        if undo is not None and not (
            isinstance(undo, str)
            and "/" not in undo
            and undo.startswith(f".{relative.name}.")
            and undo.endswith(UNDO_SUFFIX)
        ):
            raise bad
        target = workspace.root / relative
        files[target] = None if undo is None else target.with_name(undo)
    return Journal(workspace, what, files)
