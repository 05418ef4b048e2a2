"""The errors of the annotation store, apart from the store so that :mod:`annotations.model`
(which knows nothing of TinyDB) can raise them for a tag name it refuses."""

from __future__ import annotations


class StoreError(Exception):
    """Any failure of the annotation store; ``str()`` is one line fit to show a user."""


class CorruptFileError(StoreError):
    """A database file that exists but is not a valid database."""
