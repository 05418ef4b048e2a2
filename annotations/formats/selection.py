"""What an export covers: the filters every format shares (article, tag, since, until).

Reading highlights through the store checks each one still quotes its article, which means
rendering every annotated article: 8 s of Markdown parsing for 9,500 articles, most of an
export of 100,000 highlights. The check depends only on the article file and the highlights
file, so :func:`select` remembers, in ``.cache/anchor-checks.json``, the pairs of files (by
modification time, size and inode) it found in order, and checks again only articles where
either file changed since. Workspaces with fewer than ``CHECK_CACHE_FROM`` annotated articles
keep no such file. When many articles have no remembered check (a first export), they are
checked in worker processes (:mod:`annotations.check_workers`) while their highlights are read.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from annotations.check_workers import PARALLEL_FROM, CheckAhead, workers
from annotations.filtering import check_date, tag_matches
from annotations.model import Highlight, Tag, parse_time
from annotations.storage import StoreError
from annotations.store import AnnotationStore
from corpus.article import Article, ArticleFormatError
from corpus.file_cache import load_records, path_stamp, save_records
from corpus.library import ArticleNotFound, ArticleSummary
from corpus.markdown_text import RENDERER_VERSION

CHECK_CACHE_FROM = 200
CHECK_CACHE_VERSION = 1
CHECK_CACHE_NAME = "anchor-checks.json"
_CHECK_HEADER = {"version": CHECK_CACHE_VERSION, "renderer": RENDERER_VERSION}


@dataclass(frozen=True)
class Filters:
    """Export filters. Empty means everything; several articles or tags mean any of them.
    ``since`` and ``until`` bound when a highlight was last changed, both included."""

    articles: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    since: dt.datetime | None = None
    until: dt.datetime | None = None
    # Highlight ids: only these (the app's highlights view exports exactly what it lists).
    highlights: tuple[str, ...] = ()
    # Coders: only highlights made by one of them ("" names highlights with no coder).
    coders: tuple[str, ...] = ()

    @cached_property
    def _highlight_ids(self) -> frozenset[str]:
        return frozenset(self.highlights)

    def keeps(self, highlight: Highlight) -> bool:
        """Whether the highlight is exported: a tag asked for keeps the tags nested in it."""
        if self.highlights and highlight.id not in self._highlight_ids:
            return False
        if self.coders and highlight.coder not in self.coders:
            return False
        if self.tags and not any(
            tag_matches(name, wanted) for wanted in self.tags for name in highlight.tags
        ):
            return False
        if self.since is None and self.until is None:
            return True
        changed = parse_time(highlight.updated or highlight.created)
        if self.since is not None and changed < self.since:
            return False
        return self.until is None or changed <= self.until

    @property
    def narrowed(self) -> bool:
        """Whether anything but the article ids narrows what is kept."""
        return bool(self.tags or self.since or self.until or self.highlights or self.coders)


def date_bound(value: str, *, end: bool = False) -> dt.datetime:
    """A typed date as a bound for :class:`Filters`: ``2024``, ``2024-05`` or ``2024-05-01``
    (the first moment of that year, month or day; with ``end``, the last, so an ``until``
    date includes its whole day), or an ISO date-time taken as it is. Naive times are UTC.
    Raises ValueError with a one-line message."""
    try:
        day = check_date(value)
    except ValueError:
        try:
            return parse_time(value.strip())
        except ValueError:
            raise ValueError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)") from None
    year, month, day_of_month = ([int(part) for part in day.split("-")] + [0, 0])[:3]
    start = dt.datetime(year, month or 1, day_of_month or 1, tzinfo=dt.UTC)
    if not end:
        return start
    if day_of_month:
        after = start + dt.timedelta(days=1)
    elif month:
        after = start.replace(year=year + (month == 12), month=month % 12 + 1)
    else:
        after = start.replace(year=year + 1)
    return after - dt.timedelta(microseconds=1)


def count_kept(store: AnnotationStore, filters: Filters = Filters()) -> int:
    """How many highlights an export with ``filters`` writes, cheaply: from the stored
    highlights as they are (no re-anchoring, no article text read), for a dialog to show while
    a scope is chosen. Articles whose file is gone or whose highlights cannot be read count
    nothing, as :func:`select` leaves them out."""
    if not filters.narrowed and not filters.articles:
        from annotations.counts import highlight_counts

        # Counts cached by file stamp (.cache/highlight-counts.json): no file parsed twice.
        counts = highlight_counts(store, [])
        return sum(n for article_id, n in counts.items() if article_id in store.library)
    wanted: Iterable[str] = filters.articles or store.annotated_article_ids()
    total = 0
    for article_id in wanted:
        if article_id not in store.library:
            continue
        try:
            if not filters.narrowed:
                total += store.highlight_count(article_id)
            else:
                stored = store.highlights(article_id, check=False)
                total += sum(1 for h in stored if filters.keeps(h))
        except StoreError:
            continue
    return total


@dataclass(frozen=True)
class LeftOut:
    """An annotated article an export could not include, and why (one short phrase)."""

    article_id: str
    highlights: int | None  # None: its highlights file is what cannot be read
    reason: str


@dataclass
class Selection:
    """The articles and highlights an export writes, in article-id and document order.

    The articles' bodies are read only for a format that needs the text (``select(...,
    texts=True)``, the default); otherwise each article carries its metadata and an empty body.
    ``left_out`` names the annotated articles that could not be read, so that one missing or
    broken file costs the export only its own highlights. ``memos`` holds the memo of each
    article of the export that has one (by id); a tag's memo is its ``description``.
    """

    articles: list[Article]
    highlights: dict[str, list[Highlight]]
    tags: list[Tag] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)
    memos: dict[str, str] = field(default_factory=dict)

    def count(self) -> int:
        return sum(len(v) for v in self.highlights.values())

    def left_out_line(self) -> str | None:
        """One line saying what was left out and why, or ``None`` when nothing was."""
        if not self.left_out:
            return None
        counts = [item.highlights for item in self.left_out]
        n = len(counts)
        articles = f"{n} article{'s' if n != 1 else ''}"
        what = "; ".join(f"{item.article_id} ({item.reason})" for item in self.left_out)
        if None in counts:
            return f"left out the highlights of {articles}: {what}"
        total = sum(c or 0 for c in counts)
        return f"left out {total} highlight{'s' if total != 1 else ''} of {articles}: {what}"


def select(
    store: AnnotationStore, filters: Filters = Filters(), *, texts: bool = True
) -> Selection:
    """Gather what ``filters`` keep. An article named with ``--article`` is kept even when it
    has no highlights; otherwise only articles with kept highlights appear, and, in an export
    without filters (everything), the articles that have a memo and no highlights: a memo is
    annotation work too. Each article of the export brings its memo. Without ``texts`` the
    articles come from the library's cached summaries, with empty bodies."""
    memos = {i: state.memo for i, state in store.states().items() if state.memo.strip()}
    everything = filters == Filters()  # no filter at all, whatever filters there are
    memo_only: set[str] = set()
    wanted: Iterable[str] = filters.articles
    if not filters.articles:
        annotated = store.annotated_article_ids()
        if everything:
            # A memo kept for an article that is gone (deleted) has nothing to export with.
            listed = set(annotated)
            memo_only = {i for i in memos if i not in listed and i in store.library}
        wanted = sorted({*annotated, *memo_only}) if memo_only else annotated
    articles: list[Article] = []
    highlights: dict[str, list[Highlight]] = {}
    if not isinstance(wanted, list):
        wanted = list(wanted)
    checks = _AnchorChecks(store, [a for a in wanted if a not in memo_only])
    # Parsing 9,500 article files for their front matter took 0.7 s of a 100,000-highlight export.
    summaries = {} if texts or filters.articles else {s.id: s for s in store.library.summaries()}
    left_out: list[LeftOut] = []
    with checks:
        for article_id in wanted:
            try:
                kept = (
                    []
                    if article_id in memo_only
                    else [h for h in checks.highlights(article_id) if filters.keeps(h)]
                )
                if not kept and not filters.articles and not (everything and article_id in memos):
                    continue
                summary = summaries.get(article_id)
                article = _without_body(summary) if summary else store.library.get(article_id)
                if summary and (summary.imported_from or "").casefold().endswith(".pdf"):
                    article = store.library.get(article_id)  # its front matter has its pages
            except (ArticleNotFound, ArticleFormatError, StoreError) as exc:
                if filters.articles:
                    raise  # asked for by name: there is nothing else to export
                left_out.append(_left_out(store, article_id, exc))
                continue
            articles.append(article)
            highlights[article_id] = kept
    checks.save()
    used = {name for hs in highlights.values() for h in hs for name in h.tags}
    tags = [t for t in store.tags() if t.name in used or everything]
    exported = {a.id: memos[a.id] for a in articles if a.id in memos}
    return Selection(articles, highlights, tags, left_out, exported)


def _left_out(store: AnnotationStore, article_id: str, exc: Exception) -> LeftOut:
    """Why an annotated article cannot be exported, with its number of stored highlights."""
    count: int | None
    try:
        count = store.highlight_count(article_id)
    except StoreError:
        count = None
    if isinstance(exc, ArticleNotFound):
        reason = (
            "no article file; reader doctor --repair moves its highlights to annotations/detached/"
        )
    else:
        reason = str(exc)
    return LeftOut(article_id, count, reason)


def _without_body(summary: ArticleSummary) -> Article:
    return Article(
        id=summary.id,
        title=summary.title,
        body="",
        author=summary.author,
        site=summary.site,
        url=summary.url,
        published=summary.published,
        imported=summary.imported,
        imported_from=summary.imported_from,
    )


class _AnchorChecks:
    """Which articles' highlights were found to quote their article, by the two files' stamps.

    Given the articles an export reads, those with no remembered check are checked ahead in
    worker processes when there are many (:mod:`annotations.check_workers`); a worker's pass
    counts as a remembered one for the files' stamps it saw. Close it (``with``) to stop them.
    """

    def __init__(self, store: AnnotationStore, article_ids: Collection[str] = ()) -> None:
        self.store = store
        self.path = store.workspace.cache_dir / CHECK_CACHE_NAME
        self.articles_dir = str(store.workspace.articles_dir)
        self.highlights_dir = str(store.workspace.highlights_dir)
        self.enabled = _count_files(store.workspace.highlights_dir) >= CHECK_CACHE_FROM
        self.known: dict[str, Any] = load_records(self.path, _CHECK_HEADER) if self.enabled else {}
        self.changed = False
        self.ahead: CheckAhead | None = None
        # Highlights read without the check while workers check them: the files' stamps, and
        # what was read.
        self.read: dict[str, tuple[list[int], list[Highlight]]] = {}
        if self.enabled and len(article_ids) >= PARALLEL_FROM and workers() >= 2:
            unchecked = [a for a in article_ids if self.known.get(a) != self._stamp_list(a)]
            if len(unchecked) >= PARALLEL_FROM:
                self.ahead = CheckAhead(store.workspace, unchecked)
                try:
                    self._read_while_checked(unchecked)
                except BaseException:
                    self.__exit__()
                    raise

    def _read_while_checked(self, article_ids: list[str]) -> None:
        """Read the highlights of the articles the workers check, without the check, while
        they check: what passes is then taken as read (:meth:`highlights`)."""
        for article_id in article_ids:
            before = self._stamp_list(article_id)
            try:
                found = self.store.highlights(article_id, check=False)
            except StoreError:
                continue  # read again, and reported, in its turn
            if before is not None and self._stamp_list(article_id) == before:
                self.read[article_id] = (before, found)

    def highlights(self, article_id: str) -> list[Highlight]:
        """``store.highlights(article_id)``, without the check when these files passed it."""
        if not self.enabled:
            return self.store.highlights(article_id)
        stamps = self._stamp_list(article_id)
        if stamps is None:  # gone or never annotated: the store decides
            return self.store.highlights(article_id)
        if self.known.get(article_id) == stamps:
            return self.store.highlights(article_id, check=False)
        passed = self.ahead is not None and self.ahead.answer(article_id) == stamps
        read = self.read.pop(article_id, None)
        if passed and read is not None and read[0] == stamps:  # the files the worker passed
            self.known[article_id] = stamps
            self.changed = True
            return read[1]
        found = self.store.highlights(article_id, check=not passed)
        if self._stamp_list(article_id) == stamps:  # not re-anchored, nor written meanwhile
            self.known[article_id] = stamps
            self.changed = True
        elif passed:  # a worker passed other files than those just read: check these
            found = self.store.highlights(article_id)
        return found

    def _stamp_list(self, article_id: str) -> list[int] | None:
        """The article file's stamp then the highlights file's, or ``None`` when one is gone."""
        # Plain strings: pathlib's joins cost more than the stat calls for 10,000 articles.
        article = path_stamp(os.path.join(self.articles_dir, article_id + ".md"))
        stored = path_stamp(os.path.join(self.highlights_dir, article_id + ".json"))
        return None if article is None or stored is None else [*article, *stored]

    def __enter__(self) -> _AnchorChecks:
        return self

    def __exit__(self, *exc: object) -> None:
        if self.ahead is not None:
            self.ahead.close()
            self.ahead = None

    def save(self) -> None:
        if self.changed:
            save_records(self.path, _CHECK_HEADER, self.known, "remember the anchor checks")


def _count_files(folder: Path) -> int:
    try:
        with os.scandir(folder) as entries:
            return sum(1 for e in entries if e.name.endswith(".json"))
    except OSError:
        return 0
