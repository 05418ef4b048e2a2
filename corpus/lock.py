"""The workspace lock: one writer at a time, across threads and processes.

Every write to a workspace (an article imported, a highlight saved) runs inside ``with lock:``.
The lock is an exclusive ``flock`` on ``annotations/.lock`` plus a re-entrant thread lock. A
second process waits up to ``timeout`` seconds and then gets :class:`WorkspaceBusy` with the
holder's pid, instead of a lost write. Holding it only around writes lets the app and the
command line share a workspace.

It lives in ``corpus`` because importing articles needs it too, and ``corpus`` imports nothing
from ``annotations``; :mod:`annotations.lock` makes its errors store errors. A ``flock`` belongs
to one open file, so two lock objects on one file in one process would wait for each other:
the library and the annotation store of a workspace share one object.
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import TracebackType


class LockError(Exception):
    """The workspace lock cannot be taken; ``str()`` is one line naming the workspace."""


class WorkspaceBusy(LockError):
    """Another process held the workspace lock for longer than we were willing to wait."""


class WorkspaceLock:
    """A re-entrant inter-process lock on one file.

    ``open_error`` and ``busy_error`` are the exceptions it raises when the lock file cannot be
    opened and when another process holds it too long (subclasses choose their own).
    """

    open_error: type[LockError] = LockError
    busy_error: type[LockError] = WorkspaceBusy

    def __init__(
        self, path: Path, timeout: float = 5.0, on_acquire: Callable[[], None] | None = None
    ) -> None:
        """``on_acquire`` runs each time this process takes the lock (not when it nests),
        before the caller's work: the annotation store rolls back an interrupted multi-file
        write there (:mod:`annotations.journal`). If it raises, the lock is let go and the
        error raised."""
        self.path = path
        self.timeout = timeout
        self.on_acquire = on_acquire
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def _holder(self) -> str:
        try:
            return self.path.read_text().strip() or "unknown"
        except OSError:
            return "unknown"

    def acquire(self) -> None:
        self._thread_lock.acquire()
        if self._depth:
            self._depth += 1
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            self._thread_lock.release()
            raise self.open_error(
                f"{self.path}: cannot open lock file ({exc.strerror or exc})"
            ) from None
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    os.close(fd)
                    self._thread_lock.release()
                    raise self.busy_error(
                        f"{self.path.parent.parent}: workspace is busy (locked by pid "
                        f"{self._holder()} for over {self.timeout:g} s); try again"
                    ) from None
                time.sleep(0.01)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd
        self._depth = 1
        if self.on_acquire is not None:
            try:
                self.on_acquire()
            except BaseException:
                self.release()
                raise

    def release(self) -> None:
        self._depth -= 1
        if self._depth == 0 and self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
        self._thread_lock.release()

    def __enter__(self) -> WorkspaceLock:
        self.acquire()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.release()
