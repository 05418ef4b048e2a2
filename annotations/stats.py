"""Counts over a workspace's annotations: per tag, per article, tag co-occurrence, reading progress.

Pure functions over an :class:`~annotations.store.AnnotationStore`; they read and never write.
Each public function reads what it needs; :func:`statistics` computes everything in one pass
over the highlight files, for a screen that shows it all.
"""

from __future__ import annotations

from bisect import bisect_right
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from itertools import combinations
from typing import TYPE_CHECKING, Literal

from annotations.model import Highlight, implied_parents, with_parents
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound

if TYPE_CHECKING:
    from annotations.store import AnnotationStore

Scope = Literal["highlight", "paragraph"]
Pairs = dict[tuple[str, str], int]


@dataclass(frozen=True)
class ReadingProgress:
    """How far through the corpus: articles in all, opened at least once, with highlights."""

    total: int
    read: int
    annotated: int


@dataclass
class Statistics:
    """Everything the statistics screen shows, from one reading of the workspace."""

    per_tag: dict[str, int] = field(default_factory=dict)
    # Each parent (``AI`` of ``AI/jobs``): highlights with it or a name nested in it, each once.
    per_parent: dict[str, int] = field(default_factory=dict)
    per_article: list[tuple[str, str, int]] = field(default_factory=list)
    by_highlight: Pairs = field(default_factory=dict)
    by_paragraph: Pairs | None = None  # None: not counted (it needs every article's text)
    progress: ReadingProgress = ReadingProgress(0, 0, 0)
    highlights: int = 0


def _read_all(store: AnnotationStore) -> dict[str, list[Highlight]]:
    # Stored offsets, not re-anchored: counting must not write (paragraphs re-check below).
    return dict(store.stored_by_article())


def _per_tag(store: AnnotationStore, everything: Mapping[str, list[Highlight]]) -> dict[str, int]:
    counts: Counter[str] = Counter({tag.name: 0 for tag in store.tags()})
    for highlights in everything.values():
        for h in highlights:
            counts.update(set(h.tags))
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))


def _per_parent(everything: Mapping[str, list[Highlight]]) -> dict[str, int]:
    totals: Counter[str] = Counter()
    parents: set[str] = set()
    for highlights in everything.values():
        for h in highlights:
            totals.update(with_parents(h.tags))
            parents.update(p for name in h.tags for p in implied_parents(name))
    counts = {name: totals[name] for name in parents}
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0].casefold())))


def _title(store: AnnotationStore, article_id: str) -> str:
    try:
        return store.library.get(article_id).title
    except (ArticleNotFound, ArticleFormatError):
        return article_id


def _per_article(
    store: AnnotationStore, everything: Mapping[str, list[Highlight]], limit: int | None
) -> list[tuple[str, str, int]]:
    counts = sorted(((aid, len(hs)) for aid, hs in everything.items() if hs), key=lambda r: -r[1])
    # Titles are read only for the rows returned: each is a parse of an article file.
    return [(aid, _title(store, aid), n) for aid, n in counts[:limit]]


def _count_pairs(groups: Iterable[Iterable[str]]) -> Pairs:
    pairs: Counter[tuple[str, str]] = Counter()
    for group in groups:
        pairs.update(combinations(sorted(set(group)), 2))
    return dict(sorted(pairs.items(), key=lambda item: (-item[1], item[0])))


def _by_highlight(everything: Mapping[str, list[Highlight]]) -> Pairs:
    return _count_pairs(h.tags for hs in everything.values() for h in hs)


class Stopped(Exception):
    """A count was stopped part-way because its ``stop()`` said so."""


def _never() -> bool:
    return False


def _by_paragraph(
    store: AnnotationStore,
    everything: Mapping[str, list[Highlight]],
    stop: Callable[[], bool] = _never,
) -> Pairs:
    """Pairs of tags found in one display block (a paragraph, heading, list item, ...),
    counted once per block, whether on one highlight or on two. A highlight over several
    blocks belongs to each; orphans and highlights whose text moved are left out.
    ``stop`` is asked before each article; when it says so, :class:`Stopped` is raised."""
    groups: list[set[str]] = []
    for article_id, highlights in everything.items():
        if not any(len(h.tags) for h in highlights):
            continue
        if stop():
            raise Stopped
        try:
            display = store.library.display(article_id)
        except (ArticleNotFound, ArticleFormatError):
            continue
        ends = [block.end for block in display.blocks]
        blocks: dict[int, set[str]] = {}
        for h in highlights:
            if h.orphaned or not h.tags or display.text[h.start : h.end] != h.quote:
                continue
            index = bisect_right(ends, h.start)  # the first block ending after the start
            while index < len(ends) and display.blocks[index].start < h.end:
                blocks.setdefault(index, set()).update(h.tags)
                index += 1
        groups.extend(blocks.values())
    return _count_pairs(groups)


def _progress(store: AnnotationStore, everything: Mapping[str, list[Highlight]]) -> ReadingProgress:
    ids = set(store.library.ids())
    states = store.states()
    read = sum(1 for aid in ids if aid in states and states[aid].read)
    annotated = sum(1 for aid, hs in everything.items() if hs and aid in ids)
    return ReadingProgress(len(ids), read, annotated)


def per_tag(store: AnnotationStore) -> dict[str, int]:
    """Highlights carrying each tag (codebook tags without any count 0), most used first."""
    return _per_tag(store, _read_all(store))


def per_article(store: AnnotationStore, limit: int | None = None) -> list[tuple[str, str, int]]:
    """``(article_id, title, highlights)`` for each article that has any (the ``limit`` with
    the most), most first, ties by id."""
    return _per_article(store, _read_all(store), limit)


def cooccurrence(
    store: AnnotationStore, scope: Scope, *, stop: Callable[[], bool] = _never
) -> Pairs:
    """How often two tags go together, by pair ``(a, b)`` with ``a < b``, most first.

    ``"highlight"``: highlights that carry both. ``"paragraph"``: display blocks holding both,
    on one highlight or on two; it reads every annotated article, so it asks ``stop`` before
    each one and raises :class:`Stopped` when told to.
    """
    everything = _read_all(store)
    if scope == "highlight":
        return _by_highlight(everything)
    return _by_paragraph(store, everything, stop)


def reading_progress(store: AnnotationStore) -> ReadingProgress:
    """Articles in the workspace, how many were opened, how many have highlights."""
    return _progress(store, _read_all(store))


def statistics(
    store: AnnotationStore, *, paragraphs: bool = True, top_articles: int | None = None
) -> Statistics:
    """All of the above from a single reading of the highlight files. Without
    ``paragraphs`` the paragraph co-occurrence, which renders every annotated article, is
    left out (``None``); ``top_articles`` limits :attr:`Statistics.per_article`."""
    everything = _read_all(store)
    return Statistics(
        per_tag=_per_tag(store, everything),
        per_parent=_per_parent(everything),
        per_article=_per_article(store, everything, top_articles),
        by_highlight=_by_highlight(everything),
        by_paragraph=_by_paragraph(store, everything) if paragraphs else None,
        progress=_progress(store, everything),
        highlights=sum(len(hs) for hs in everything.values()),
    )
