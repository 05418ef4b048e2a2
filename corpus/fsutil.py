"""Durable file writes shared by the article files and the annotation store."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path


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


def _write_and_replace(tmp: Path, path: Path, data: bytes) -> None:
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
    try:
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
