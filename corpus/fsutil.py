"""Durable file writes shared by the article files and the annotation store."""

from __future__ import annotations

import contextlib
import errno
import os
from collections.abc import Sequence
from pathlib import Path

PARALLEL_WRITES = 8


def fsync_dir(folder: Path) -> None:
    """Flush a directory entry so a rename inside it survives a power cut."""
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` so that readers see the old or the new file, never half.

    Write a temporary file beside it, flush and fsync it, ``os.replace`` it over the target and
    fsync the directory. A crash at any point leaves the previous content intact.
    """
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        _write_and_replace(tmp, path, data)
    except OSError as exc:
        # Name the file the caller asked for, not the temporary one (or none: os.write's
        # ENOSPC carries no file name), so every error message can say what was not written.
        raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    fsync_dir(path.parent)


def atomic_create_bytes(path: Path, data: bytes) -> None:
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
    names that target.
    """
    if len(files) <= 1:
        for path, data in files:
            atomic_write_bytes(path, data)
        return
    temps = [
        (path.with_name(f".{path.name}.{os.getpid()}.tmp"), path, data) for path, data in files
    ]

    def write(item: tuple[Path, Path, bytes]) -> None:
        tmp, path, data = item
        try:
            _write_temp(tmp, data)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None

    from concurrent.futures import ThreadPoolExecutor  # ~3 ms to import: not at start-up

    try:
        with ThreadPoolExecutor(min(PARALLEL_WRITES, len(temps))) as pool:
            for _ in pool.map(write, temps):
                pass
    except BaseException:
        for tmp, _, _ in temps:
            with contextlib.suppress(OSError):
                tmp.unlink()
        raise
    for tmp, path, _ in temps:
        try:
            os.replace(tmp, path)
        except OSError as exc:
            raise OSError(exc.errno, exc.strerror or str(exc), str(path)) from None
    for folder in dict.fromkeys(path.parent for _, path, _ in temps):
        fsync_dir(folder)


def _write_temp(tmp: Path, data: bytes) -> None:
    """Write and fsync a temporary file (removed again if that fails)."""
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        view = memoryview(data)
        while view:
            written = os.write(fd, view)
            view = view[written:]
        os.fsync(fd)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    os.close(fd)


def _write_and_replace(tmp: Path, path: Path, data: bytes) -> None:
    _write_temp(tmp, data)
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
