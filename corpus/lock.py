"""The workspace lock: one writer at a time, across threads and processes.

Every write to a workspace (an article imported, a highlight saved) runs inside ``with lock:``.
The lock is an exclusive ``flock`` on ``annotations/.lock`` plus a re-entrant thread lock. A
second process waits up to ``timeout`` seconds and then gets :class:`WorkspaceBusy` with the
holder's pid, instead of a lost write. Holding it only around writes lets the app and the
command line share a workspace. The wait is :data:`DEFAULT_TIMEOUT` unless the caller names one
or ``READER_LOCK_TIMEOUT`` (seconds) is set, which lets tests of a stuck holder run commands
in subprocesses without waiting the whole default.

It lives in ``corpus`` because importing articles needs it too, and ``corpus`` imports nothing
from ``annotations``; :mod:`annotations.lock` makes its errors store errors. A ``flock`` belongs
to one open file, so two lock objects on one file in one process would wait for each other:
the library and the annotation store of a workspace share one object.
"""

from __future__ import annotations

import fcntl
import math
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


DEFAULT_TIMEOUT = 5.0  # seconds a writer waits for another process's write to end
TIMEOUT_ENV_VAR = "READER_LOCK_TIMEOUT"


def configured_timeout() -> float | None:
    """The wait set by ``READER_LOCK_TIMEOUT``, or None if it is unset or empty.

    Raises :class:`ValueError` (one line naming the variable) for a value that is not a
    finite number of seconds, zero or more.
    """
    raw = os.environ.get(TIMEOUT_ENV_VAR, "").strip()
    if not raw:
        return None
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not (math.isfinite(seconds) and seconds >= 0):
        raise ValueError(f"{TIMEOUT_ENV_VAR}={raw!r}: not a number of seconds (0 or more)")
    return seconds


class WorkspaceLock:
    """A re-entrant inter-process lock on one file.

    ``open_error`` and ``busy_error`` are the exceptions it raises when the lock file cannot be
    opened and when another process holds it too long (subclasses choose their own).
    """

    open_error: type[LockError] = LockError
    busy_error: type[LockError] = WorkspaceBusy

    def __init__(
        self,
        path: Path,
        timeout: float | None = None,
        on_acquire: Callable[[], None] | None = None,
    ) -> None:
        """``timeout`` is how long to wait for another process (None: ``READER_LOCK_TIMEOUT``
        if set, else :data:`DEFAULT_TIMEOUT`; read when the lock is taken, so a bad value is
        an ``open_error`` there, reported like any other).

        ``on_acquire`` runs each time this process takes the lock (not when it nests), before
        the caller's work: the annotation store rolls back an interrupted multi-file
        write there (:mod:`annotations.journal`). If it raises, the lock is let go and the
        error raised."""
        self.path = path
        self.timeout = timeout
        self.on_acquire = on_acquire
        self._thread_lock = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    def wait_limit(self) -> float:
        """Seconds :meth:`acquire` waits for another process (raises :class:`ValueError` for a
        bad ``READER_LOCK_TIMEOUT``)."""
        if self.timeout is not None:
            return self.timeout
        configured = configured_timeout()
        return DEFAULT_TIMEOUT if configured is None else configured

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
        try:
            timeout = self.wait_limit()
        except ValueError as exc:
            os.close(fd)
            self._thread_lock.release()
            raise self.open_error(f"{self.path}: {exc}") from None
        deadline = time.monotonic() + timeout
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
                        f"{self._holder()} for over {timeout:g} s); try again"
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
