"""Which articles a list shows: by tag, reading state, highlights, source, date and archive.

:class:`ArticleFilter` is a plain value (the app keeps one, the command line builds one from its
options); :meth:`ArticleFilter.admits` decides for one article from what a list already knows of
it, plus the tags of its highlights when a tag is asked for (:func:`tags_by_article`).
:func:`filter_articles` applies it to a whole list: ``reader list`` and the app's article list
both filter through it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal, Protocol, TypeVar

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

Archived = Literal["hidden", "only", "shown"]
"""What a list does with archived articles: leaves them out (the default), shows only them, or
shows them with the others."""
ARCHIVED_CHOICES: tuple[Archived, ...] = ("hidden", "only", "shown")

_DATE = re.compile(r"\d{4}(-\d{2}(-\d{2})?)?")


def check_date(value: str) -> str:
    """A date bound as typed: ``2023``, ``2023-07`` or ``2023-07-26``; raises ValueError."""
    value = value.strip()
    if not _DATE.fullmatch(value) or not _on_the_calendar(value):
        raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return value


def _on_the_calendar(value: str) -> bool:
    """Whether a ``YYYY[-MM[-DD]]`` bound names a real month or day (no ``2023-13``, no
    ``2023-02-30``): a bound off the calendar would silently admit or refuse everything."""
    year, month, day = ([int(part) for part in value.split("-")] + [1, 1])[:3]
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def tag_matches(name: str, wanted: str) -> bool:
    """Whether ``name`` is ``wanted`` or nested under it (``AI/likeness`` under ``AI``), without
    regard to case: tag names are told apart by more than case (see ``docs/formats.md``)."""
    name, wanted = name.casefold(), wanted.casefold()
    return name == wanted or name.startswith(wanted + "/")


@dataclass(frozen=True)
class ArticleFilter:
    """What the article list shows; the default shows every article but the archived ones.

    ``since`` and ``until`` are inclusive and may be a year, a month or a day: ``until="2023-07"``
    keeps every article published in July 2023. An article without a date is left out as soon
    as either bound is set.
    """

    tag: str | None = None
    unread: bool = False
    annotated: bool = False
    source: str | None = None
    since: str | None = None
    until: str | None = None
    archived: Archived = "hidden"

    @property
    def active(self) -> bool:
        """Whether the filter leaves out more (or other) articles than the default does."""
        return self != ArticleFilter()

    @property
    def needs_tags(self) -> bool:
        """Whether :meth:`admits` needs the tags of each article's highlights."""
        return self.tag is not None

    def describe(self) -> str:
        """The filter in a few words: ``#pay · unread · The Ledger Line · 2023-07 → …``."""
        parts: list[str] = []
        if self.tag:
            parts.append(f"#{self.tag}")
        if self.unread:
            parts.append("unread")
        if self.annotated:
            parts.append("with highlights")
        if self.source:
            parts.append(self.source)
        if self.since or self.until:
            parts.append(f"{self.since or '…'} → {self.until or '…'}")
        if self.archived == "only":
            parts.append("archived only")
        elif self.archived == "shown":
            parts.append("archived too")
        return " · ".join(parts) if parts else "all articles"

    def admits(
        self,
        *,
        article_id: str,
        source: str,
        published: str,
        read: bool,
        highlights: int,
        tags: Mapping[str, set[str]] | None = None,
        archived: bool = False,
    ) -> bool:
        """Whether the article belongs in the list. ``tags`` maps article ids to the tags of
        their highlights; it is needed only when :attr:`needs_tags`."""
        if self.archived != "shown" and archived != (self.archived == "only"):
            return False
        if self.unread and read:
            return False
        if self.annotated and not highlights:
            return False
        # Sources are typed from memory (``--source bbc``): any case matches.
        if self.source is not None and source.casefold() != self.source.casefold():
            return False
        if self.since or self.until:
            if not published:
                return False
            if self.since and published[: len(self.since)] < self.since:
                return False
            if self.until and published[: len(self.until)] > self.until:
                return False
        if self.tag is not None:
            names = (tags or {}).get(article_id, set())
            if not any(tag_matches(name, self.tag) for name in names):
                return False
        return True


class Listed(Protocol):
    """What a filter reads of one listed article (the app's rows and the command line's)."""

    @property
    def id(self) -> str: ...
    @property
    def source(self) -> str: ...
    @property
    def published(self) -> str: ...
    @property
    def read(self) -> bool: ...
    @property
    def highlights(self) -> int: ...
    @property
    def archived(self) -> bool: ...


@dataclass(frozen=True)
class ListedArticle:
    """One article as a list knows it: ``published`` is ``""`` when it has no date, and
    ``highlights`` its highlight count."""

    id: str
    source: str
    published: str
    read: bool
    highlights: int
    archived: bool = False


L = TypeVar("L", bound=Listed)


def filter_articles(
    articles: Iterable[L], wanted: ArticleFilter, tags: Mapping[str, set[str]] | None = None
) -> list[L]:
    """The articles ``wanted`` admits, in their order. ``tags`` maps article ids to the tags of
    their highlights (:func:`tags_by_article`); it is needed only when ``wanted.needs_tags``."""
    if not wanted.active:
        return [a for a in articles if not a.archived]
    return [
        a
        for a in articles
        if wanted.admits(
            article_id=a.id,
            source=a.source,
            published=a.published,
            read=a.read,
            highlights=a.highlights,
            tags=tags,
            archived=a.archived,
        )
    ]


def tags_by_article(
    store: AnnotationStore, problems: list[str] | None = None
) -> dict[str, set[str]]:
    """The tags used on each article's highlights, from the stored records (no article text
    is read). A file that cannot be read is skipped and named in ``problems`` when given,
    else its error is raised."""
    found: dict[str, set[str]] = {}
    for article_id, highlights in store.stored_by_article(problems):
        names = {name for h in highlights for name in h.tags}
        if names:
            found[article_id] = names
    return found
