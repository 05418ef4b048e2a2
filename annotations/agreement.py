"""Inter-coder agreement between two coders, per tag, over the display text of articles.

Every code point of a compared article's display text is one unit. For one tag, a coder labels
a unit 1 when it lies inside one of that coder's highlights carrying the tag or a tag nested in
it (``AI/likeness`` counts for ``AI``), else 0. Over those units :func:`compare` reports percent
agreement, Cohen's kappa and Krippendorff's alpha (nominal data, two coders, no missing values),
how many units each coder marked, and the passages where one coder marked and the other did not.

Nothing here walks the text code point by code point: the units of one article fall into four
kinds (marked by both, by A only, by B only, by neither) at the boundaries of highlights, so a
sweep over the sorted boundaries counts them (100,000 characters and 20 tags take milliseconds,
which ``bench/`` measures). The store and the coders are the caller's business: this module
takes spans and text lengths, and knows no files.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING

from annotations.errors import StoreError
from annotations.filtering import tag_matches
from annotations.model import with_parents
from corpus.library import ArticleNotFound

if TYPE_CHECKING:
    from annotations.store import AnnotationStore


@dataclass(frozen=True)
class CodedSpan:
    """One coder's highlight as agreement sees it: where it is and the tags it carries."""

    article_id: str
    start: int
    end: int
    tags: tuple[str, ...]


@dataclass(frozen=True)
class Disagreement:
    """A passage one coder marked with the tag and the other did not: ``coder`` is ``"a"`` or
    ``"b"``, the one who marked it."""

    article_id: str
    start: int
    end: int
    coder: str


@dataclass(frozen=True)
class Counts:
    """The units of one tag by kind: marked by both, by A only, by B only, by neither."""

    both: int = 0
    only_a: int = 0
    only_b: int = 0
    neither: int = 0

    def __add__(self, other: Counts) -> Counts:
        return Counts(
            self.both + other.both,
            self.only_a + other.only_a,
            self.only_b + other.only_b,
            self.neither + other.neither,
        )

    @property
    def units(self) -> int:
        return self.both + self.only_a + self.only_b + self.neither

    @property
    def marked_a(self) -> int:
        return self.both + self.only_a

    @property
    def marked_b(self) -> int:
        return self.both + self.only_b


@dataclass(frozen=True)
class TagAgreement:
    """How two coders agree on one tag. ``kappa`` and ``alpha`` are ``None`` where they are
    undefined: when every unit has the same label from both coders (nothing to tell chance
    from agreement), which the report says in words."""

    tag: str
    counts: Counts
    disagreements: list[Disagreement] = field(default_factory=list)

    @property
    def units(self) -> int:
        return self.counts.units

    @property
    def agreement(self) -> float | None:
        """The share of units both coders labelled alike; ``None`` with no units at all."""
        c = self.counts
        return (c.both + c.neither) / c.units if c.units else None

    @property
    def kappa(self) -> float | None:
        """Cohen's kappa: observed agreement against the agreement each coder's own rate of
        marking would give by chance."""
        return cohen_kappa(self.counts)

    @property
    def alpha(self) -> float | None:
        """Krippendorff's alpha for nominal data from two coders with no missing values."""
        return krippendorff_alpha(self.counts)


def cohen_kappa(c: Counts) -> float | None:
    """Cohen's kappa of a 2x2 table, or ``None`` when chance agreement is already 1."""
    n = c.units
    if n == 0:
        return None
    observed = (c.both + c.neither) / n
    a1, b1 = c.marked_a / n, c.marked_b / n
    expected = a1 * b1 + (1 - a1) * (1 - b1)
    if expected >= 1:
        return None
    return (observed - expected) / (1 - expected)


def krippendorff_alpha(c: Counts) -> float | None:
    """Krippendorff's alpha (nominal) of a 2x2 table: ``1 - (n - 1) * disagreeing pairs /
    expected disagreeing pairs``, over the ``n = 2 * units`` values of the coincidence matrix;
    ``None`` when every value is the same label (no expected disagreement)."""
    n = 2 * c.units
    ones = c.marked_a + c.marked_b
    zeros = n - ones
    if n < 2 or ones == 0 or zeros == 0:
        return None
    # Each unit labelled (1, 0) or (0, 1) adds two off-diagonal coincidences.
    observed_off = 2 * (c.only_a + c.only_b)
    expected_off = 2 * ones * zeros
    return 1 - (n - 1) * observed_off / expected_off


def _merged(spans: Iterable[tuple[int, int]], length: int) -> list[tuple[int, int]]:
    """The spans clipped to ``[0, length)``, sorted, with overlapping or touching ones joined."""
    out: list[tuple[int, int]] = []
    for start, end in sorted((max(0, s), min(length, e)) for s, e in spans):
        if start >= end:
            continue
        if out and start <= out[-1][1]:
            if end > out[-1][1]:
                out[-1] = (out[-1][0], end)
        else:
            out.append((start, end))
    return out


def _compare_article(
    article_id: str, length: int, a: list[tuple[int, int]], b: list[tuple[int, int]]
) -> tuple[Counts, list[Disagreement]]:
    """Count the units of one article by kind, and find the passages only one coder marked."""
    edges = sorted({0, length, *(x for s in a for x in s), *(x for s in b for x in s)})
    both = only_a = only_b = 0
    passages: list[Disagreement] = []
    ia = ib = 0
    for left, right in pairwise(edges):
        while ia < len(a) and a[ia][1] <= left:
            ia += 1
        while ib < len(b) and b[ib][1] <= left:
            ib += 1
        in_a = ia < len(a) and a[ia][0] <= left
        in_b = ib < len(b) and b[ib][0] <= left
        width = right - left
        if in_a and in_b:
            both += width
        elif in_a or in_b:
            coder = "a" if in_a else "b"
            if in_a:
                only_a += width
            else:
                only_b += width
            last = passages[-1] if passages else None
            if last is not None and last.coder == coder and last.end == left:
                passages[-1] = Disagreement(article_id, last.start, right, coder)
            else:
                passages.append(Disagreement(article_id, left, right, coder))
    neither = length - both - only_a - only_b
    return Counts(both, only_a, only_b, neither), passages


def compare(
    lengths: Mapping[str, int],
    coder_a: Iterable[CodedSpan],
    coder_b: Iterable[CodedSpan],
    tags: Sequence[str] | None = None,
) -> list[TagAgreement]:
    """Agreement per tag between two coders over the articles in ``lengths`` (article id to
    display-text length, in code points). ``tags`` are the tags to report, each counting the
    tags nested in it; by default every tag either coder used, and their parents, in order.
    Spans of articles not in ``lengths`` are not compared."""
    spans_a = [s for s in coder_a if s.article_id in lengths]
    spans_b = [s for s in coder_b if s.article_id in lengths]
    if tags is None:
        used = {t for s in (*spans_a, *spans_b) for t in s.tags}
        tags = with_parents(used)
    by_article_a = _by_article(spans_a)
    by_article_b = _by_article(spans_b)
    results: list[TagAgreement] = []
    for tag in tags:
        total = Counts()
        passages: list[Disagreement] = []
        for article_id, length in lengths.items():
            a = _merged(
                ((s.start, s.end) for s in by_article_a.get(article_id, ()) if _has(s, tag)),
                length,
            )
            b = _merged(
                ((s.start, s.end) for s in by_article_b.get(article_id, ()) if _has(s, tag)),
                length,
            )
            counts, found = _compare_article(article_id, length, a, b)
            total += counts
            passages.extend(found)
        results.append(TagAgreement(tag, total, passages))
    return results


def _by_article(spans: Iterable[CodedSpan]) -> dict[str, list[CodedSpan]]:
    grouped: dict[str, list[CodedSpan]] = {}
    for span in spans:
        grouped.setdefault(span.article_id, []).append(span)
    return grouped


def _has(span: CodedSpan, tag: str) -> bool:
    return any(tag_matches(name, tag) for name in span.tags)


# -- in a workspace --------------------------------------------------------------------------------
@dataclass(frozen=True)
class AgreementReport:
    """:func:`compare` run on a workspace: the two coders, the articles compared (in order)
    with their display-text lengths, and the result per tag."""

    coder_a: str
    coder_b: str
    lengths: dict[str, int]
    tags: list[TagAgreement]

    def passage(self, store: AnnotationStore, d: Disagreement, width: int = 60) -> str:
        """The text of a disagreement, on one line, cut to ``width`` characters."""
        text = " ".join(store.library.display(d.article_id).text[d.start : d.end].split())
        return text if len(text) <= width else text[: width - 1] + "…"


def agreement_in(
    store: AnnotationStore,
    coder_a: str,
    coder_b: str,
    tags: Sequence[str] = (),
    articles: Sequence[str] = (),
) -> AgreementReport:
    """How ``coder_a`` and ``coder_b`` agree in ``store``: over ``articles`` (default: every
    article where both have a highlight), per tag of ``tags`` (default: every tag either used
    there, and their parents). Raises :class:`StoreError` in words for what cannot be
    compared: the same coder twice, a coder without highlights, no article in common, an
    article that is not there."""
    if coder_a == coder_b:
        raise StoreError(f"name two different coders (both are {coder_a!r})")
    spans: dict[str, list[CodedSpan]] = {coder_a: [], coder_b: []}
    for h in store.all_highlights():
        if h.coder in spans and not h.orphaned:
            spans[h.coder].append(CodedSpan(h.article_id, h.start, h.end, tuple(h.tags)))
    for coder, found in spans.items():
        if not found:
            raise StoreError(f"coder {coder!r} has no highlights in {store.workspace.root}")
    if articles:
        chosen = list(dict.fromkeys(articles))
    else:
        both = {s.article_id for s in spans[coder_a]} & {s.article_id for s in spans[coder_b]}
        chosen = sorted(both)
        if not chosen:
            raise StoreError(f"{coder_a!r} and {coder_b!r} have no article in common; name some")
    lengths: dict[str, int] = {}
    for article_id in chosen:
        try:
            lengths[article_id] = len(store.library.display(article_id).text)
        except ArticleNotFound:
            raise StoreError(f"no article with id {article_id!r}") from None
    results = compare(lengths, spans[coder_a], spans[coder_b], list(tags) or None)
    return AgreementReport(coder_a, coder_b, lengths, results)
