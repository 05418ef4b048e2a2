"""What an annotation file holds once parsed, before it is merged: the articles it refers to
and their highlights (:class:`Incoming`), and the field checks every parser shares, each error
naming the file and the field (:class:`AnnotationImportError`). The parsers
(:mod:`annotations.formats.importing`, :mod:`~annotations.formats.hypothesis`,
:mod:`~annotations.formats.qdpx_import`) import from here, and the merge from them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from annotations.model import Highlight, Tag, check_highlight_id, clean_coder, parse_time
from annotations.storage import StoreError
from corpus.workspace import InvalidId, check_id


class AnnotationImportError(StoreError):
    """A file that cannot be imported; ``str()`` names the file and the line or field."""


@dataclass
class IncomingArticle:
    """An article the file refers to: by id, by URL, or (doccano) by its whole text."""

    id: str | None = None
    url: str | None = None
    title: str | None = None
    text: str | None = None
    # Whether ``id`` may name a local article: a doccano line's string id is one of ours (our
    # export writes article ids); doccano's own numbers are not.
    local_id: bool = True
    memo: str = ""  # the article's memo, "" for none
    # For an article made from ``text``: where it came from (else ``doccano:<id>``), its
    # metadata, and whether it takes ``id`` when no article has it (a REFI-QDA project's).
    origin: str | None = None
    author: str | None = None
    site: str | None = None
    published: str | None = None
    keep_id: bool = False
    body: str | None = None  # Markdown whose display text is ``text`` exactly
    # Highlights as the file has them; ``article_id`` is filled in when the article is found.
    highlights: list[Highlight] = field(default_factory=list)


@dataclass
class Incoming:
    format: str
    articles: list[IncomingArticle]
    tags: list[Tag] = field(default_factory=list)
    # What the file holds that is not imported, one line each (Hypothesis' page notes, replies).
    remarks: list[str] = field(default_factory=list)


# -- field checking ---------------------------------------------------------------------------
def need(
    obj: Any, key: str, kind: type | tuple[type, ...], where: str, optional: bool = False
) -> Any:
    if not isinstance(obj, dict):
        raise AnnotationImportError(f"{where}: expected an object")
    if key not in obj or obj[key] is None:
        if optional:
            return None
        raise AnnotationImportError(f"{where}.{key}: missing")
    value = obj[key]
    if isinstance(value, bool) and kind in (int, (int,)):
        raise AnnotationImportError(f"{where}.{key}: expected an integer, got {value!r}")
    if not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise AnnotationImportError(f"{where}.{key}: expected {names}, got {type(value).__name__}")
    return value


def time_field(obj: Any, key: str, where: str) -> str:
    """An optional ISO 8601 date-time field ("" when absent)."""
    value = need(obj, key, str, where, optional=True) or ""
    try:
        if value:
            parse_time(value)
    except ValueError:
        raise AnnotationImportError(f"{where}.{key}: {value!r} is not an ISO date-time") from None
    return str(value)


def strings(obj: Any, key: str, where: str) -> list[str]:
    values = need(obj, key, list, where, optional=True) or []
    for i, value in enumerate(values):
        if not isinstance(value, str):
            raise AnnotationImportError(f"{where}.{key}[{i}]: expected a string")
    return list(values)


def checked_id(value: object, where: str, kind: str = "article id") -> str:
    """An article id from the file, if it is one the workspace could have made: an id names
    files, and one like ``../../x`` would name a file outside the workspace."""
    try:
        return check_highlight_id(value) if kind == "highlight id" else check_id(value, kind)
    except InvalidId as exc:
        raise AnnotationImportError(f"{where}: {exc}") from None


def unique_id(highlight_id: str, where: str, seen: dict[str, str]) -> str:
    """A highlight id that can be one (see ``HIGHLIGHT_ID_RULE``) and is not used earlier in
    the file (a second one would be dropped unseen)."""
    checked_id(highlight_id, where, "highlight id")
    if highlight_id in seen:
        raise AnnotationImportError(
            f"{where}: highlight id {highlight_id!r} is used twice (first at {seen[highlight_id]})"
        )
    seen[highlight_id] = where
    return highlight_id


def coder_name(name: str, where: str) -> str:
    """A coder's name as the store keeps it; an unusable one is an import error naming it."""
    try:
        return clean_coder(name)
    except StoreError as exc:
        raise AnnotationImportError(f"{where}: {exc}") from None
