"""An article's details: its title, author, site and publication date, the ones the article
list shows, the filters (``F``, ``reader list --source``/``--since``) sort out and the
exports carry. A page imported from the web often has them wrong or missing; a researcher who
codes coverage by outlet and date corrects them here.

:func:`check_changes` reads what was typed (one line each: a line break becomes a space; a
date is ``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``; the title cannot be empty; an empty author,
site or date removes it) and :func:`write_details` writes them into the article's front
matter, under the workspace lock, by the library's atomic write. The body is written back as
it was read, so the display text and every highlight's offsets stay as they are. The URL and
the import's origin are not details: they are how a later import of the same page finds this
article (``Library.find_existing``), so they are left as the import set them. The front
matter's ``edited`` key names the details a person set, and an import that updates the
article from its source keeps those (``Article.keep_edits_of``): a newer copy of the page
does not undo a correction.

:func:`annotations.history.edit_details` is the one function ``reader details`` and the
app's ``E`` call: it writes the changes and keeps them in the undo history.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING

from annotations.filtering import check_date
from annotations.storage import StoreError
from corpus.article import EDITABLE, Article

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

FIELDS = EDITABLE
"""The details a person may change, in the order they are shown."""

# C0 and C1 control characters: none belongs in a one-line detail (tab and line breaks are
# turned into spaces before this is checked).
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


class DetailsError(StoreError):
    """Details that cannot be written as typed; the message is one line naming the field,
    ``field`` (``None`` for a name that is not a detail)."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Details:
    """What an article's front matter says of it (``None``: it says nothing)."""

    title: str
    author: str | None = None
    site: str | None = None
    published: str | None = None
    edited: tuple[str, ...] = ()  # the ones a person set, in FIELDS order

    @classmethod
    def of(cls, article: Article) -> Details:
        return cls(article.title, article.author, article.site, article.published, article.edited)

    def get(self, name: str) -> str | None:
        value: str | None = getattr(self, name)
        return value

    def changed(self, changes: Mapping[str, str | None]) -> Details:
        """These details with ``changes`` (checked ones: :func:`check_changes`) made."""
        values = {name: self.get(name) for name in FIELDS} | dict(changes)
        edited = [
            name
            for name in FIELDS
            if name in self.edited or (name in changes and changes[name] != self.get(name))
        ]
        return Details(
            values["title"] or self.title,
            values["author"],
            values["site"],
            values["published"],
            tuple(edited),
        )

    def to_dict(self) -> dict[str, str | list[str] | None]:
        return {name: self.get(name) for name in FIELDS} | {"edited": list(self.edited)}

    @classmethod
    def from_dict(cls, data: Mapping[str, object]) -> Details:
        """The inverse of :meth:`to_dict`; ``TypeError`` for values of another kind."""
        title = data.get("title")
        if not isinstance(title, str):
            raise TypeError("title must be a string")
        edited = data.get("edited", [])
        if not isinstance(edited, list) or not all(name in FIELDS for name in edited):
            raise TypeError(f"edited must be a list of {', '.join(FIELDS)}")
        return cls(
            title,
            _text_or_none(data, "author"),
            _text_or_none(data, "site"),
            _text_or_none(data, "published"),
            tuple(str(name) for name in edited),
        )


def _text_or_none(data: Mapping[str, object], name: str) -> str | None:
    value = data.get(name)
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or null")
    return value


def check_changes(changes: Mapping[str, str | None]) -> dict[str, str | None]:
    """The changes as they will be written: each value on one line (line breaks and tabs
    become spaces, runs of spaces one, the ends trimmed), an empty one ``None``. Raises
    :class:`DetailsError` for a field that is not a detail, an empty title, a control
    character, or a date off the calendar."""
    checked: dict[str, str | None] = {}
    for name, value in changes.items():
        if name not in FIELDS:
            raise DetailsError(f"{name!r} is not a detail (the details: {', '.join(FIELDS)})")
        text = " ".join((value or "").split())
        if _CONTROL.search(text):
            raise DetailsError(f"{name}: control characters are not allowed", name)
        if name == "title" and not text:
            raise DetailsError("title: an article needs a title", name)
        if name == "published" and text:
            try:
                text = check_date(text)
            except ValueError as exc:
                raise DetailsError(f"published: {exc}", name) from None
        checked[name] = text or None
    return checked


def write_details(store: AnnotationStore, article_id: str, details: Details) -> Details:
    """Write ``details`` into the article's front matter (its body and every other key as
    they are) and return the details it had. Raises ``ArticleNotFound``,
    ``ArticleFormatError``, or :class:`StoreError` when the file cannot be written (then
    nothing changed). ``details`` are written as given: :func:`check_changes` checks typing."""
    with store.lock:
        article = store.library.get(article_id)
        before = Details.of(article)
        if details != before:
            changed = replace(
                article,
                title=details.title,
                author=details.author,
                site=details.site,
                published=details.published,
                extra=dict(article.extra),  # the library's cached copy stays as read
            )
            changed.mark_edited(details.edited)
            try:
                store.library.save(changed)
            except OSError as exc:
                path = store.workspace.article_file(article_id)
                raise StoreError(
                    f"{path}: cannot write ({exc.strerror or exc}); nothing changed"
                ) from None
    return before
