"""``reader list --json``'s whole output, kept in ``.cache/list-json.bin`` with what it was made
from, and given again while nothing it was made from has changed (issue 22).

The list's own caches (``articles.json``, ``highlight-counts.json``: :mod:`corpus.file_cache`)
spare parsing 80 MB of articles, but a list still built 10,000 rows from them, filtered them,
serialised them and escaped the result: 0.5 s of a 0.9 s command, after 0.2 s of imports. This
cache keeps the printed bytes instead, keyed by a *fingerprint* of everything they depend on:

* every file of ``articles/`` ending in ``.md`` and of ``annotations/highlights/`` ending in
  ``.json``: its name, modification time, size and inode (one directory scan and one ``stat``
  each; a file edited in place changes its time or size, and one replaced, as the store always
  does, its inode);
* ``annotations/workspace.json`` (reading state and archiving) and the undo journal, the same
  way (a journal left by a killed writer: the list is then made again once it is gone);
* the source files of ``corpus``, ``annotations`` and ``reader`` (name, time and size): a new
  version of the code may print other bytes.

The fingerprint is compared in full (no hash that could collide), and the output carries a
CRC-32: a cache that is missing, truncated, corrupt, of another version or of another
fingerprint is not used; the command then builds the list from the files as it always did and
writes the cache again. A cache that cannot be written is no error. Any file changed between
the fingerprint and the reads after it makes the next fingerprint differ, so a change is never
hidden, only answered one run later from the files.

A leaf module (nothing but the standard library): :mod:`reader.startup` answers ``reader list
--json`` from here before importing click or the store.
"""

from __future__ import annotations

import contextlib
import os
import time
import zlib
from array import array

VERSION = 1
_MAGIC = b"reader-list-json"
NAME = "list-json.bin"
_PACKAGES = ("corpus", "annotations", "reader")
SETTLED_NS = 3_000_000_000  # coarser than any file system's clock (FAT: 2 s)
_RELATIVE_STAT = os.stat in os.supports_dir_fd and os.listdir in os.supports_fd
_ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def cache_file(root: str) -> str:
    """Where the cache of the workspace at ``root`` lives (``Workspace.cache_dir``)."""
    return os.path.join(root, ".cache", NAME)


def _scan(folder: str, suffix: str, newest: list[int]) -> bytes:
    """The names, modification times, sizes and inodes of the entries of ``folder`` ending in
    ``suffix`` (in the folder's own order: another order only makes the fingerprint differ),
    packed; ``-`` when the folder is missing. Raises ``OSError`` for anything else. Each
    ``stat`` is relative to the open folder where the system allows it (a third less system
    time than by path), the names come from ``listdir`` (no ``DirEntry`` each: 15 % less time
    than ``scandir``) and the numbers go into an array (no tuple each). ``newest`` gets the
    newest modification time."""
    fd: int | None = None
    numbers: list[int] = []
    try:
        try:
            if _RELATIVE_STAT:
                fd = os.open(folder, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
            listed = os.listdir(folder if fd is None else fd)
        except FileNotFoundError:
            return b"-"
        names = [name for name in listed if name.endswith(suffix)]
        stat = os.stat
        for name in names:
            st = stat(name, dir_fd=fd) if fd is not None else stat(os.path.join(folder, name))
            numbers += (st.st_mtime_ns, st.st_size, st.st_ino)
    finally:
        if fd is not None:
            os.close(fd)
    return _packed(names, numbers, newest)


def _packed(names: list[str], numbers: list[int], newest: list[int]) -> bytes:
    packed = "/".join(names).encode("utf-8", "surrogateescape")
    stamps = array("q", numbers).tobytes()
    newest.append(max(numbers[::3], default=0))
    return b"%d %d:%s%s" % (len(packed), len(stamps), packed, stamps)


def _code(folder: str, out: list[tuple[str, int, int]]) -> None:
    """``(path, mtime, size)`` of every source file under ``folder``."""
    with os.scandir(folder) as found:
        for entry in found:
            if entry.name.endswith(".py"):
                st = entry.stat()
                out.append((entry.path, st.st_mtime_ns, st.st_size))
            elif entry.is_dir() and not entry.name.startswith((".", "__")):
                _code(entry.path, out)


def _stamp(path: str) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_mtime_ns, st.st_size, st.st_ino)


def fingerprint(root: str) -> tuple[bytes, bool] | None:
    """What the list of the workspace at ``root`` is made from (see the module), and whether
    it may be cached: not while a file it names was modified less than ``SETTLED_NS`` before
    (a file rewritten in place within the same tick of the file system's clock, with the same
    size, would keep its stamp). ``None`` when it cannot be told (a folder that cannot be
    read): nothing is then cached or given."""
    started = time.time_ns()
    newest: list[int] = [0]
    try:
        code: list[tuple[str, int, int]] = []
        for package in _PACKAGES:
            _code(os.path.join(_ROOT, package), code)
        code.sort()
        annotations = os.path.join(root, "annotations")
        articles = _scan(os.path.join(root, "articles"), ".md", newest)
        highlights = _scan(os.path.join(annotations, "highlights"), ".json", newest)
        state = _stamp(os.path.join(annotations, "workspace.json"))
        journal = _stamp(os.path.join(annotations, ".undo-journal.json"))
    except (OSError, OverflowError):  # an inode number past 2**63: not cached
        return None
    if articles == b"-":  # no workspace: the command makes one and says so
        return None
    if state is not None:
        newest.append(state[0])
    made_from = b"%d %s %s %s\n%s\n%s" % (
        VERSION,
        repr(code).encode("utf-8", "surrogateescape"),
        repr(state).encode(),
        repr(journal).encode(),
        articles,
        highlights,
    )
    return made_from, max(newest) < started - SETTLED_NS


_taken: dict[str, tuple[bytes, bool]] = {}


def hand_on(root: str, made_from: tuple[bytes, bool]) -> None:
    """Keep a fingerprint that did not match the cache for :func:`taken`: the command that
    builds the list next, in this process, need not scan the folders again (0.1 s)."""
    _taken.clear()
    _taken[root] = made_from


def taken(root: str) -> tuple[bytes, bool] | None:
    """The fingerprint :func:`hand_on` kept for ``root`` (once), else a new one. Taken before
    anything was read, it is as good as a new one: a file changed since only makes the next
    fingerprint differ from it."""
    made_from = _taken.pop(root, None)
    return made_from if made_from is not None else fingerprint(root)


def _header(made_length: int, body_length: int, crc: int) -> bytes:
    return b"%s %d %d %d %d\n" % (_MAGIC, VERSION, made_length, body_length, crc)


def load(root: str, made_from: bytes) -> bytes | None:
    """The output cached for the workspace at ``root`` when it was made from what
    ``made_from`` (its :func:`fingerprint`) describes and is whole; else ``None``."""
    try:
        with open(cache_file(root), "rb") as f:
            data = f.read()
    except OSError:
        return None
    end = data.find(b"\n", 0, 200)
    if end < 0:
        return None
    try:
        magic, version, made_length, body_length, crc = data[:end].split(b" ")
        if magic != _MAGIC or int(version) != VERSION:
            return None
        start, size, expected = int(made_length), int(body_length), int(crc)
    except ValueError:
        return None
    head = end + 1
    if start != len(made_from) or len(data) != head + start + size:
        return None
    if data[head : head + start] != made_from:
        return None
    body = data[head + start :]
    if zlib.crc32(body) != expected:
        return None
    return body


def save(root: str, made_from: bytes, body: bytes) -> None:
    """Keep ``body`` as the output made from ``made_from``. Written beside and renamed, not
    synced: a file torn by a crash fails its length or CRC and is made again, and the 0.3 s an
    ``fsync`` of 6 MB took on a busy disk is not paid. A cache that cannot be written (a
    read-only workspace, a full disk) is no error: the old one, if any, stays, and is never
    given for another fingerprint."""
    path = cache_file(root)
    tmp = os.path.join(os.path.dirname(path), f".{NAME}.{os.getpid()}.tmp")
    data = _header(len(made_from), len(body), zlib.crc32(body)) + made_from + body
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(tmp, "wb") as f:
            f.write(data)
        os.replace(tmp, path)
    except OSError:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
