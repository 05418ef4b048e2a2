"""What changed in a workspace since the last look: the app's live refresh, without Textual.

Another process (``reader annotate``, a second app, ``git pull``, an editor) may change the
workspace while the app shows it. :func:`snapshot` takes the stamp (modification time, size and
inode, as :mod:`corpus.file_cache` does) of every article file, every highlights file and
``workspace.json``: one ``scandir`` per folder and one ``stat`` per file, no file read.
:func:`changes` compares two snapshots and names the article files and highlights files added,
changed or removed, and whether ``workspace.json`` (the codebook and the reading states)
changed. The store replaces files on every write (``os.replace``), so every write gives a new
inode, and an edit in place changes the size or the modification time.

The caller decides what to reload; its own writes show here too, so what it reloads must be
what it would draw anyway (the app compares before it redraws).

A full snapshot of a 10,000-article workspace takes 50-100 ms (20,000 ``stat`` calls), too much
to repeat twice a second. :class:`Watcher` looks at the folders first: adding, removing or
replacing a file (every store write, every import, ``git pull``) changes its folder's
modification time, so a folder is listed again only when that changed. An edit in place (an
editor writing into the file) leaves the folder as it was; a workspace whose full snapshot is
quick (under :data:`QUICK_SCAN` seconds) is therefore snapshotted whole on every look, and a
larger one every :data:`FULL_SCAN_EVERY` seconds.
"""

from __future__ import annotations

import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace

from corpus.workspace import Workspace, is_valid_id

Stamp = tuple[int, int, int]
"""One version of a file: modification time (ns), size, inode."""


@dataclass(frozen=True)
class Snapshot:
    """The stamps of a workspace's files at one moment."""

    articles: Mapping[str, Stamp]  # article id -> stamp of articles/<id>.md
    highlights: Mapping[str, Stamp]  # article id -> stamp of annotations/highlights/<id>.json
    workspace_db: Stamp | None  # annotations/workspace.json, None when missing


@dataclass(frozen=True)
class Changes:
    """What differs between two snapshots; false when nothing does."""

    articles: frozenset[str] = field(default_factory=frozenset)  # added, changed or removed
    added: frozenset[str] = field(default_factory=frozenset)  # article files that are new
    removed: frozenset[str] = field(default_factory=frozenset)  # article files that are gone
    highlights: frozenset[str] = field(default_factory=frozenset)  # highlights files, any change
    workspace_db: bool = False  # the codebook or a reading state may have changed

    def __bool__(self) -> bool:
        return bool(self.articles or self.highlights or self.workspace_db)

    def __or__(self, later: Changes) -> Changes:
        """Both changes as one (what a caller that waited must still show)."""
        articles = self.articles | later.articles
        removed = (self.removed - later.added) | later.removed
        return Changes(
            articles=articles,
            added=(self.added - later.removed) | later.added,
            removed=removed,
            highlights=self.highlights | later.highlights,
            workspace_db=self.workspace_db or later.workspace_db,
        )


def _stamps(folder: str, suffix: str) -> dict[str, Stamp]:
    """``{id: stamp}`` for the files ``<id><suffix>`` in ``folder`` (none if it is missing);
    hidden and temporary files (``.<file>.<pid>.tmp``) are not valid ids and are left out."""
    out: dict[str, Stamp] = {}
    cut = len(suffix)
    try:
        with os.scandir(folder) as entries:
            for entry in entries:
                name = entry.name
                if not name.endswith(suffix) or not is_valid_id(name[:-cut]):
                    continue
                try:
                    st = entry.stat()
                except OSError:  # removed since the listing
                    continue
                out[name[:-cut]] = (st.st_mtime_ns, st.st_size, st.st_ino)
    except (FileNotFoundError, NotADirectoryError):
        pass
    return out


def snapshot_file(path: os.PathLike[str] | str) -> Stamp | None:
    """The stamp of one file, ``None`` when it is missing."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def snapshot(workspace: Workspace) -> Snapshot:
    """The stamps of ``workspace``'s article files, highlights files and ``workspace.json``."""
    return Snapshot(
        _stamps(str(workspace.articles_dir), ".md"),
        _stamps(str(workspace.highlights_dir), ".json"),
        snapshot_file(workspace.workspace_db),
    )


def _differ(old: Mapping[str, Stamp], new: Mapping[str, Stamp]) -> frozenset[str]:
    if old == new:  # the usual case, and a fast one
        return frozenset()
    return frozenset(k for k in old.keys() | new.keys() if old.get(k) != new.get(k))


def changes(old: Snapshot, new: Snapshot) -> Changes:
    """What changed from ``old`` to ``new``."""
    articles = _differ(old.articles, new.articles)
    return Changes(
        articles=articles,
        added=frozenset(a for a in articles if a not in old.articles),
        removed=frozenset(a for a in articles if a not in new.articles),
        highlights=_differ(old.highlights, new.highlights),
        workspace_db=old.workspace_db != new.workspace_db,
    )


QUICK_SCAN = 0.005  # seconds: a workspace scanned this fast is scanned whole every time
FULL_SCAN_EVERY = 10.0  # seconds between whole scans of a larger one (edits in place)
# File systems stamp with a coarse clock (a few ms): a folder changed twice within one tick
# keeps its first modification time. A folder modified this recently is listed again on the
# next look too, as git does with racily clean files.
RACY = 2.0


def _folder_stamp(path: str) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_mtime_ns, st.st_ino)


class Watcher:
    """Tells what changed in a workspace since the last :meth:`look`, cheaply enough to ask
    twice a second. Not thread-safe: one caller at a time."""

    def __init__(self, workspace: Workspace) -> None:
        self.workspace = workspace
        # Folders are stamped before they are listed, never after: a change in between is
        # then listed again next time, instead of hidden behind a stamp that already has it.
        self._folders = self._folder_stamps()
        self.last = Snapshot({}, {}, None)
        self._full_at = 0.0
        self._full_seconds = 0.0  # how long the last whole snapshot took
        self._took_full()

    def _folder_stamps(self) -> dict[str, tuple[int, int] | None]:
        """The stamps of the two folders, with ``None`` for one modified too recently to be
        trusted as unchanged (see :data:`RACY`)."""
        now = time.time_ns()
        out: dict[str, tuple[int, int] | None] = {}
        for folder in (self.workspace.articles_dir, self.workspace.highlights_dir):
            found = _folder_stamp(str(folder))
            racy = found is not None and now - found[0] < RACY * 1e9
            out[str(folder)] = None if racy else found
        return out

    def _took_full(self) -> None:
        start = time.perf_counter()
        self.last = snapshot(self.workspace)
        self._full_seconds = time.perf_counter() - start
        self._full_at = time.monotonic()

    def look(self) -> Changes:
        """What changed since the last look (or since the watcher was made)."""
        old = self.last
        due = self._full_seconds < QUICK_SCAN or time.monotonic() - self._full_at >= FULL_SCAN_EVERY
        if due:
            folders = self._folder_stamps()
            self._took_full()
            self._folders = folders
            return changes(old, self.last)
        articles_dir = str(self.workspace.articles_dir)
        highlights_dir = str(self.workspace.highlights_dir)
        previous, folders = self._folders, self._folder_stamps()
        new = replace(old, workspace_db=snapshot_file(self.workspace.workspace_db))
        if folders[articles_dir] is None or folders[articles_dir] != previous[articles_dir]:
            new = replace(new, articles=_stamps(articles_dir, ".md"))
        if folders[highlights_dir] is None or folders[highlights_dir] != previous[highlights_dir]:
            new = replace(new, highlights=_stamps(highlights_dir, ".json"))
        self._folders, self.last = folders, new
        return changes(old, new)
