"""Bulk coding: highlight and tag every match of a search at once, the one way ``reader code``
and the search screen's ``ctrl+t`` do it.

:func:`find_matches` runs the search and counts what it found (the count the user confirms);
:func:`code_matches` codes those matches and says what it did in a :class:`CodeResult`. Each
match carries the words the search matched there, so an article that changed since it was
searched never gets other words coded: that match is skipped and named
(:meth:`AnnotationStore.bulk_code`). The app keeps only the first results on screen and
searches again before coding; given the count the user confirmed (``expect``), a search that
now finds another count codes nothing, and the result says why.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from annotations.codebook import CodeSpan, TagChange
from corpus.text_match import parse_query

if TYPE_CHECKING:
    from annotations.store import AnnotationStore
    from corpus.search import Match, SearchIndex


def matches_in_articles(matches: int, articles: int) -> str:
    """``37 matches in 12 articles``: the total a search reports."""
    noun = "match" if matches == 1 else "matches"
    return f"{matches:,} {noun} in {articles:,} {'article' if articles == 1 else 'articles'}"


def not_coded(confirmed: tuple[int, int], found: tuple[int, int]) -> str:
    """Why nothing was coded when the search found other ``(matches, articles)`` than the
    user ``confirmed``: one line."""
    return (
        f"nothing coded: the search now finds {matches_in_articles(*found)}, "
        f"not the {matches_in_articles(*confirmed)} you confirmed"
    )


def phrase_of(query: str, *, regex: bool = False) -> str | None:
    """For a query of several words, none of them in quotes (``health plan``), the phrase they
    make, quoted (``"health plan"``). Such a query codes each word on its own wherever an
    article holds them all, which is rarely what coding a phrase means, so ``reader code`` and
    the app's ``ctrl+t`` say so before coding. ``None`` for one word, a query with a quoted
    phrase in it or a prefix (``likeness*``, which quotes would make a literal ``*``), or a
    regular expression."""
    if regex:
        return None
    terms = parse_query(query)
    if len(terms) < 2 or any(term.quoted or term.text.endswith("*") for term in terms):
        return None
    return '"' + " ".join(term.text for term in terms) + '"'


@dataclass(frozen=True)
class Matches:
    """What a search for ``query`` found to code, in the index's order."""

    query: str
    regex: bool
    found: tuple[Match, ...]
    stem: bool = False

    @property
    def total(self) -> tuple[int, int]:
        """How many matches, in how many articles."""
        return len(self.found), len({m.article_id for m in self.found})

    def preview(self, tags: Sequence[str]) -> str:
        """``37 matches in 12 articles will be highlighted and tagged #likeness``."""
        hashtags = " ".join(f"#{t}" for t in tags)
        return f"{matches_in_articles(*self.total)} will be highlighted and tagged {hashtags}"

    @property
    def phrase(self) -> str | None:
        """:func:`phrase_of` this search's query."""
        return phrase_of(self.query, regex=self.regex)


def find_matches(
    index: SearchIndex, query: str, *, regex: bool = False, stem: bool = False
) -> Matches:
    """Every match of ``query`` in the index (brought up to date first; ``stem``: a word's
    other forms too). Raises :class:`corpus.search.QueryError` for a query that cannot run."""
    return Matches(query, regex, tuple(index.search(query, regex=regex, stem=stem)), stem)


@dataclass(frozen=True)
class CodeResult:
    """What coding a search's matches did: ``change`` (what ``u`` undoes; its ``skipped``
    spans were left alone because their article changed), or, when nothing was coded because
    the search found other matches than the ones confirmed, ``refused``: one line saying so."""

    matches: Matches
    change: TagChange | None = None
    refused: str | None = None

    @property
    def skipped(self) -> list[CodeSpan]:
        return self.change.skipped if self.change is not None else []

    def line(self) -> str:
        """``coded 37 passages in 12 articles with #likeness`` (``; skipped 2 matches whose
        text changed since the search``), or the refusal."""
        if self.refused is not None:
            return self.refused
        assert self.change is not None
        return self.change.label

    def skipped_lines(self) -> list[str]:
        """One line for each skipped match, naming the article, the place and the words."""
        return [
            f"skipped: {span.article_id} {span.start}-{span.end}: no longer reads "
            f"{span.quote!r} (the article changed); not coded"
            for span in self.skipped
        ]


def code_matches(
    store: AnnotationStore,
    matches: Matches,
    tags: Sequence[str],
    *,
    expect: tuple[int, int] | None = None,
) -> CodeResult:
    """Highlight every match and tag it with ``tags`` (a match that already is a highlight
    gains the tags instead), in one change that can be undone.

    ``expect``: the ``(matches, articles)`` the user confirmed; when ``matches`` holds another
    count, nothing is coded and the result is refused. A store error (a file that cannot be
    written) raises :class:`~annotations.storage.StoreError`, with nothing changed.
    """
    if expect is not None and matches.total != expect:
        return CodeResult(matches, refused=not_coded(expect, matches.total))
    spans = [CodeSpan(m.article_id, m.start, m.end, m.quote) for m in matches.found]
    return CodeResult(matches, store.bulk_code(spans, list(tags)))
