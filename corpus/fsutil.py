"""Durable file writes shared by the article files and the annotation store.

A file is replaced, never edited: a temporary file is written beside it and renamed over it.
What the user set on the file is kept across that: its permission bits (a ``chmod 600``
highlights file stays private), and a symbolic link (the file it points to is replaced, in
that file's own folder, and the link is left as it is). A file without write permission for
its owner (``chmod 444``) is refused, with an ``OSError`` naming it, and left as it is.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
from collections.abc import Iterable, Sequence
from pathlib import Path

PARALLEL_WRITES = 8
WRITE_BUFFER = 1 << 20  # bytes gathered from the pieces of a streamed write before each write
NEW_FILE_MODE = 0o644  # less the umask, as open() would make it


def _target(path: Path) -> tuple[Path, int | None]:
    """The file a write to ``path`` replaces (the end of its symbolic links, if it is one)
    and the permission bits to give the new file (``None``: a new file, the default).

    Raises ``OSError`` (EACCES) for a file its owner may not write, and for one this process
    may not write (another user's): replacing it would bypass the permission.
    """
    real = Path(os.path.realpath(path)) if os.path.islink(path) else path
    try:
        st = os.stat(real)
    except FileNotFoundError:
        return real, None
    if stat.S_ISREG(st.st_mode) and (not st.st_mode & stat.S_IWUSR or not os.access(real, os.W_OK)):
        raise OSError(errno.EACCES, "read-only file, left as it is", str(path))
    return real, stat.S_IMODE(st.st_mode)


def fsync_dir(folder: Path) -> None:
    """Flush a directory entry so a rename inside it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half.
    ``data`` may come in pieces (an export made as it is written): never all in memory.

    Write a temporary file beside it, flush and fsync it, ``os.replace`` it over the target and
    fsync the directory. A crash at any point leaves the previous content intact. The file
    keeps its permission bits, and a symbolic link is written through (see the module).
    """
    try:
        real, mode = _target(path)
        tmp = real.with_name(f".{real.name}.{os.getpid()}.tmp")
        _write_and_replace(tmp, real, data, mode)
    except OSError as exc:
        # Name the file the caller asked for, not the temporary one (or none: os.write's
        # ENOSPC carries no file name), so every error message can say what was not written.
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    fsync_dir(real.parent)


def atomic_create_bytes(path: Path, data: bytes | Iterable[bytes]) -> None:
    """Write a new file ``path`` as :func:`atomic_write_bytes` does, but raise
    :class:`FileExistsError` rather than replace a file that is there.

    The finished temporary file is hard-linked to ``path``, which fails if ``path`` exists (even
    one created a moment ago by another process); on a file system without hard links it is
    renamed after a last check.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_temp(tmp, data)
        try:
            os.link(tmp, path)
        except FileExistsError:
            raise
        except OSError:
            if path.exists():
                raise FileExistsError(errno.EEXIST, os.strerror(errno.EEXIST), str(path)) from None
            os.replace(tmp, path)
    except FileExistsError:
        raise
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    fsync_dir(path.parent)


def atomic_write_many(files: Sequence[tuple[Path, bytes]]) -> None:
    """Replace several files, each as :func:`atomic_write_bytes` would, for about the cost of a
    few: the temporary files are written and fsynced on several threads (``fsync`` lets go of
    the GIL, and the disk absorbs concurrent flushes together), renamed over their targets only
    once every one is on disk, and each folder is fsynced once at the end.

    If any temporary file cannot be written, none of the targets is touched and the error
    names that target (as the path given: a symbolic link's name, not its target's).
    """
    if len(files) <= 1:
        for path, data in files:
            atomic_write_bytes(path, data)
        return
    temps: list[tuple[Path, Path, bytes, int | None, Path]] = []
    for path, data in files:
        try:
            real, mode = _target(path)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
        temps.append((real.with_name(f".{real.name}.{os.getpid()}.tmp"), real, data, mode, path))

    def write(item: tuple[Path, Path, bytes, int | None, Path]) -> None:
        tmp, _, data, mode, path = item
        try:
            _write_temp(tmp, data, mode)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None

    from concurrent.futures import ThreadPoolExecutor  # ~3 ms to import: not at start-up

    try:
        with ThreadPoolExecutor(min(PARALLEL_WRITES, len(temps))) as pool:
            for _ in pool.map(write, temps):
                pass
    except BaseException:
        for tmp, *_ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    for tmp, real, _, _, path in temps:
        try:
            os.replace(tmp, real)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    for folder in dict.fromkeys(real.parent for _, real, *_ in temps):
        fsync_dir(folder)


def _write_temp(tmp: Path, data: bytes | Iterable[bytes], mode: int | None = None) -> None:
    """Write and fsync a temporary file (removed again if that fails, also when making the
    pieces of ``data`` fails), with the permission bits ``mode`` (exactly: the file it
    replaces had them), else the default for a new file."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, NEW_FILE_MODE)
    try:
        if mode is not None:
            os.fchmod(fd, mode)  # not subject to the umask, unlike open()'s mode
        if isinstance(data, bytes | bytearray | memoryview):
            _write_all(fd, data)
        else:
            buffer = bytearray()
            for piece in data:
                buffer += piece
                if len(buffer) >= WRITE_BUFFER:
                    _write_all(fd, buffer)
                    buffer.clear()
            _write_all(fd, buffer)
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)


def _write_all(fd: int, data: bytes | bytearray | memoryview) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _write_and_replace(
    tmp: Path, path: Path, data: bytes | Iterable[bytes], mode: int | None
) -> None:
    _write_temp(tmp, data, mode)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
