"""Running a store call from the UI: a failure becomes a notification, never a crash.

Every screen and widget that reads or writes the workspace goes through :func:`safely`, so a
file that cannot be read or written is named in one notification that says what failed, and
the caller learns of it by getting ``None``.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import TYPE_CHECKING, TypeVar

from annotations.storage import StoreError
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound

if TYPE_CHECKING:
    from textual.widget import Widget

log = logging.getLogger(__name__)
T = TypeVar("T")


def safely(node: Widget, what: str, call: Callable[[], T]) -> T | None:
    """Run a store call; on failure tell the user why and that nothing changed (``None``)."""
    try:
        return call()
    except (StoreError, ArticleFormatError, ArticleNotFound, OSError) as exc:
        log.exception("%s failed", what)
        node.notify(str(exc), title=f"{what} failed", severity="error", timeout=8)
        return None
