"""What an export covers: the filters every format shares (article, tag, since)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from annotations.model import Highlight, Tag, parse_time
from annotations.store import AnnotationStore
from corpus.article import Article


@dataclass(frozen=True)
class Filters:
    """Export filters. Empty means everything; several articles or tags mean any of them."""

    articles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: dt.datetime | None = None

    def keeps(self, highlight: Highlight) -> bool:
        if self.tags and not set(self.tags) & set(highlight.tags):
            return False
        return not (self.since and parse_time(highlight.updated or highlight.created) < self.since)


@dataclass
class Selection:
    """The articles and highlights an export writes, in article-id and document order."""

    articles: list[Article]
    highlights: dict[str, list[Highlight]]
    tags: list[Tag] = field(default_factory=list)

    def count(self) -> int:
        return sum(len(v) for v in self.highlights.values())


def select(store: AnnotationStore, filters: Filters = Filters()) -> Selection:
    """Gather what ``filters`` keep. An article named with ``--article`` is kept even when it
    has no highlights; otherwise only articles with kept highlights appear."""
    wanted: Iterable[str] = filters.articles or store.annotated_article_ids()
    articles: list[Article] = []
    highlights: dict[str, list[Highlight]] = {}
    for article_id in wanted:
        kept = [h for h in store.highlights(article_id) if filters.keeps(h)]
        if not kept and not filters.articles:
            continue
        articles.append(store.library.get(article_id))
        highlights[article_id] = kept
    used = {name for hs in highlights.values() for h in hs for name in h.tags}
    tags = [
        t
        for t in store.tags()
        if t.name in used or not (filters.articles or filters.tags or filters.since)
    ]
    return Selection(articles, highlights, tags)
