"""The workspace lock as the annotation store uses it: :class:`corpus.lock.WorkspaceLock`,
raising store errors (:class:`WorkspaceLocked` is a :class:`~annotations.storage.StoreError`),
so every caller that reports a store error reports a busy workspace the same way.

The lock itself, and why it lives in ``corpus``, is described in :mod:`corpus.lock`.
"""

from __future__ import annotations

from annotations.storage import StoreError
from corpus import lock as _corpus_lock
from corpus.lock import LockError, WorkspaceBusy


class LockFileError(StoreError, LockError):
    """The lock file cannot be opened (a folder in its place, no permission)."""


class WorkspaceLocked(StoreError, WorkspaceBusy):
    """Another process held the workspace lock for longer than we were willing to wait."""


class WorkspaceLock(_corpus_lock.WorkspaceLock):
    """A re-entrant inter-process lock on one file, raising store errors."""

    open_error = LockFileError
    busy_error = WorkspaceLocked
