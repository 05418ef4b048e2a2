"""Search with titles: the one search that ``reader search`` prints and ctrl+f shows.

:func:`search_articles` finds a query in the articles (through the index of
:mod:`corpus.search`); :func:`search_notes` finds it in the quotes and notes of every highlight,
with the same queries and the same folding. Both answer with a :class:`Found`: rows that each
name their article and its title and carry their line of context, and the total, so a front end
only parses the query and shows the rows.

In the notes, a highlight matches when each term of the query occurs in its quote or in its
note; every occurrence is a :class:`NoteMatch`. The stored records are read as they are: nothing
is rendered or re-anchored, so a search over 100,000 highlights reads only the highlight files
(and the article files of the rows returned, for their titles).

Archived articles are left out of both unless asked for: a front end passes
:func:`archived_ids` as ``hidden``.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from typing import Generic, TypeVar

from annotations.model import Highlight
from annotations.store import AnnotationStore
from corpus.article import ArticleFormatError
from corpus.library import ArticleNotFound
from corpus.search import Match, SearchIndex, Sort
from corpus.text_match import (
    FoldedText,
    Matcher,
    Span,
    compile_query,
    context_line,
    find_spans,
    fold,
)

FIELDS = ("quote", "note")
Row = TypeVar("Row", Match, "NoteMatch")


@dataclass(frozen=True)
class Found(Generic[Row]):
    """What a search found: ``rows`` in order (the first ``limit`` asked for), and ``total``,
    ``(matches, articles)`` over everything found, or None when it was not counted."""

    rows: list[Row]
    total: tuple[int, int] | None


@dataclass(frozen=True)
class NoteMatch:
    """An occurrence in a highlight's ``field`` (``"quote"`` or ``"note"``), in the article
    titled ``title``.

    ``start``/``end`` are offsets into that field's text; ``context`` is one line around the
    match, which is ``context[context_start:context_end]``.
    """

    highlight: Highlight
    field: str
    start: int
    end: int
    context: str
    context_start: int
    context_end: int
    title: str

    @property
    def article_id(self) -> str:
        return self.highlight.article_id


def archived_ids(store: AnnotationStore) -> set[str]:
    """The ids of the archived articles: what a search leaves out unless asked for them."""
    return {state.article_id for state in store.states().values() if state.archived}


def search_articles(
    index: SearchIndex,
    query: str,
    *,
    regex: bool = False,
    limit: int | None = None,
    count: bool = True,
    hidden: Collection[str] = (),
    stem: bool = False,
    sort: Sort = "article",
) -> Found[Match]:
    """The matches of ``query`` in the articles (see :meth:`SearchIndex.search`: ``stem``
    finds a word's other forms too, ``sort`` orders the articles by id or by their number of
    matches) but those whose id is in ``hidden`` (the archived ones, :func:`archived_ids`),
    up to ``limit``. With more than that, the total is counted when ``count``, else left None
    for the caller to count later (:meth:`SearchIndex.count`, given :func:`searched_ids`).

    Raises :class:`corpus.text_match.QueryError` for a bad regular expression.
    """
    ids = searched_ids(index, hidden)
    rows = index.search(query, regex=regex, limit=limit, article_ids=ids, stem=stem, sort=sort)
    if limit is None or len(rows) < limit:
        return Found(rows, (len(rows), len({m.article_id for m in rows})))
    total = index.count(query, regex=regex, article_ids=ids, stem=stem) if count else None
    return Found(rows, total)


def searched_ids(index: SearchIndex, hidden: Collection[str]) -> list[str] | None:
    """The ids a search looks in: every article but the ``hidden`` ones (``None``, every
    article, when none is hidden)."""
    if not hidden:
        return None
    return [article_id for article_id in index.library.ids() if article_id not in hidden]


def _occurrences(highlight: Highlight, patterns: list[Matcher]) -> list[tuple[str, Span]]:
    """``(field, span)`` of each match in the highlight's quote and note. (Run on every
    highlight, so a field is mapped back only when it has a match.)"""
    texts = [str(getattr(highlight, name)) for name in FIELDS]
    folded = [fold(text) for text in texts]
    if len(patterns) > 1 and not all(
        any(find_spans([pattern], f) for f in folded) for pattern in patterns
    ):
        return []
    found: list[tuple[str, Span]] = []
    for name, text, f in zip(FIELDS, texts, folded, strict=True):
        spans = find_spans(patterns, f, require_all=False)
        if spans:
            found.extend((name, span) for span in FoldedText(text, f).display_spans(spans))
    return found


def search_notes(
    store: AnnotationStore,
    query: str,
    *,
    regex: bool = False,
    limit: int | None = None,
    problems: list[str] | None = None,
    hidden: Collection[str] = (),
    stem: bool = False,
    sort: Sort = "article",
    coders: Collection[str] = (),
) -> Found[NoteMatch]:
    """The matches of ``query`` in the quotes and notes of the workspace's highlights: the
    first ``limit`` as rows, all of them in the total.

    Article by article in id order (with ``sort="count"``, the articles with the most matches
    first), highlights in document order, the quote before the note; ``stem`` finds a word's
    other forms too; the articles whose id is in ``hidden`` (the archived ones) are left out,
    and with ``coders``, the highlights none of them made.
    Raises :class:`corpus.text_match.QueryError` for a bad regular expression. A highlights
    file that cannot be read raises :class:`StoreError`, unless ``problems`` is given: then
    its error is added there and the other files are still searched.
    """
    patterns = compile_query(query, regex=regex, stem=stem)
    if not patterns:
        return Found([], (0, 0))
    found: list[tuple[Highlight, str, Span]] = []
    for article_id, highlights in store.stored_by_article(problems):
        if article_id in hidden:
            continue
        for highlight in highlights:
            if coders and highlight.coder not in coders:
                continue
            found.extend(
                (highlight, name, span) for name, span in _occurrences(highlight, patterns)
            )
    if sort == "count":
        per_article = Counter(highlight.article_id for highlight, *_ in found)
        found.sort(key=lambda row: -per_article[row[0].article_id])
    titles: dict[str, str] = {}
    rows: list[NoteMatch] = []
    for highlight, name, (start, end) in found[:limit]:
        article_id = highlight.article_id
        if article_id not in titles:
            try:
                titles[article_id] = store.library.get(article_id).title
            except (ArticleNotFound, ArticleFormatError):
                titles[article_id] = article_id
        line, at, to = context_line(str(getattr(highlight, name)), start, end)
        rows.append(NoteMatch(highlight, name, start, end, line, at, to, titles[article_id]))
    articles = len({highlight.article_id for highlight, *_ in found})
    return Found(rows, (len(found), articles))
