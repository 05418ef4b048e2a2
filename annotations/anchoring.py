"""Selectors that tie a highlight to its text, and finding that text again.

A highlight is anchored twice over, as web annotators do (W3C ``TextPositionSelector`` and
``TextQuoteSelector``): by its offsets into the display text and by its exact quote with up to
``CONTEXT`` characters of prefix and suffix. When the offsets no longer hold the quote, the
quote is searched for again.
"""

from __future__ import annotations

from dataclasses import dataclass

CONTEXT = 32


@dataclass(frozen=True)
class QuoteSelector:
    """The exact quote plus the text just before and after it."""

    exact: str
    prefix: str
    suffix: str


def quote_selector(text: str, start: int, end: int, context: int = CONTEXT) -> QuoteSelector:
    """The quote selector for ``text[start:end]``."""
    return QuoteSelector(
        exact=text[start:end],
        prefix=text[max(0, start - context) : start],
        suffix=text[end : end + context],
    )


def _context_score(text: str, start: int, end: int, selector: QuoteSelector) -> int:
    """How many characters of prefix and suffix agree next to a candidate position."""
    score = 0
    before = text[max(0, start - len(selector.prefix)) : start]
    for a, b in zip(reversed(before), reversed(selector.prefix), strict=False):
        if a != b:
            break
        score += 1
    for a, b in zip(text[end : end + len(selector.suffix)], selector.suffix, strict=False):
        if a != b:
            break
        score += 1
    return score


def locate_exact(text: str, selector: QuoteSelector, hint: int) -> tuple[int, int] | None:
    """Where ``selector.exact`` is in ``text``: the occurrence whose context agrees best,
    nearest to ``hint`` among equals. ``None`` when the quote is not in the text."""
    exact = selector.exact
    if not exact:
        return None
    if text[hint : hint + len(exact)] == exact:
        return hint, hint + len(exact)
    best: tuple[int, int] | None = None
    best_key: tuple[int, int] | None = None
    pos = text.find(exact)
    while pos != -1:
        key = (-_context_score(text, pos, pos + len(exact), selector), abs(pos - hint))
        if best_key is None or key < best_key:
            best, best_key = (pos, pos + len(exact)), key
        pos = text.find(exact, pos + 1)
    return best


# -- re-anchoring with a bounded number of errors ------------------------------------------------
# Weights of a fuzzy candidate's score, and the least score accepted. The quote itself counts
# most; agreeing context tells two similar passages apart; closeness breaks the last ties.
QUOTE_WEIGHT, CONTEXT_WEIGHT, PLACE_WEIGHT = 0.6, 0.3, 0.1
MIN_SCORE = 0.75
# A fuzzy match must also sit in agreeing context, and quotes shorter than MIN_FUZZY_LENGTH
# are matched exactly or not at all: a few words land too easily on a similar phrase
# ("$300,000 is" on "$900,000 is" in a parallel list item). Found by the property test.
MIN_CONTEXT = 0.5
MIN_FUZZY_LENGTH = 24
ERROR_RATE = 0.2  # at most one edit per five characters of the quote
MAX_ERRORS = 64
MAX_CANDIDATES = 64


@dataclass(frozen=True)
class Anchor:
    """Where a quote was found: ``method`` is exact (at its offsets), moved (exact, elsewhere)
    or fuzzy (with ``errors`` edits); ``score`` is 1.0 for exact matches."""

    start: int
    end: int
    method: str
    errors: int = 0
    score: float = 1.0


def allowed_errors(quote: str) -> int:
    return min(MAX_ERRORS, int(len(quote) * ERROR_RATE))


def _seeds(quote: str, errors: int) -> list[tuple[int, str]]:
    """``errors + 1`` pieces of the quote: a match with at most ``errors`` edits contains at
    least one of them unchanged (pigeonhole), so their occurrences are the places to look."""
    count = errors + 1
    size = max(1, len(quote) // count)
    return [
        (i * size, quote[i * size : (i + 1) * size if i < count - 1 else len(quote)])
        for i in range(count)
    ]


def _similarity(a: str, b: str) -> float:
    from rapidfuzz.distance import Levenshtein

    if not a and not b:
        return 1.0
    return float(Levenshtein.normalized_similarity(a, b))


def _context_similarity(selector: QuoteSelector, text: str, start: int, end: int) -> float:
    """How well the text beside a candidate agrees with the context stored beside the quote,
    each side weighted by how much context was stored there (none at the text's edges)."""
    prefix, suffix = selector.prefix, selector.suffix
    if not prefix and not suffix:
        return 1.0  # the quote was the whole text: nothing to compare
    before = text[max(0, start - len(prefix)) : start]
    after = text[end : end + len(suffix)]
    weighted = len(prefix) * _similarity(prefix, before) + len(suffix) * _similarity(suffix, after)
    return weighted / (len(prefix) + len(suffix))


def _best_span(text: str, quote: str, guess: int, errors: int) -> tuple[int, int, int] | None:
    """The span near ``guess`` closest to ``quote`` (fewest edits), or ``None`` if no span
    there is within ``errors`` edits. The start and the end are refined in turn."""
    from rapidfuzz.distance import Levenshtein

    def cost(start: int, end: int) -> int:
        return int(Levenshtein.distance(quote, text[start:end], score_cutoff=errors + 1))

    n = len(quote)
    start, end = guess, min(len(text), guess + n)
    best = cost(start, end)
    for _ in range(3):
        before = (start, end)
        for s in range(max(0, start - errors), min(end - 1, start + errors) + 1):
            if (d := cost(s, end)) < best:
                best, start = d, s
        for e in range(max(start + 1, end - errors), min(len(text), end + errors) + 1):
            if (d := cost(start, e)) < best:
                best, end = d, e
        if (start, end) == before:
            break
    if best > errors:
        return None
    # White space the quote does not have at its edges is not part of the match.
    while start < end and text[start].isspace() and not quote[:1].isspace():
        start += 1
    while end > start and text[end - 1].isspace() and not quote[-1:].isspace():
        end -= 1
    return cost(start, end), start, end


def locate_fuzzy(text: str, selector: QuoteSelector, hint: int) -> Anchor | None:
    """The best approximate match of the quote, scored by quote similarity, context and
    closeness to ``hint``; ``None`` when nothing scores :data:`MIN_SCORE` or more."""
    quote = selector.exact
    errors = allowed_errors(quote)
    if errors == 0 or len(quote) < MIN_FUZZY_LENGTH:
        return None
    guesses: set[int] = set()
    for offset, piece in _seeds(quote, errors):
        if len(piece) < 3:
            continue
        found = text.find(piece)
        while found != -1 and len(guesses) < 20 * MAX_CANDIDATES:
            guesses.add(max(0, found - offset))
            found = text.find(piece, found + 1)
    nearest = sorted(guesses, key=lambda g: abs(g - hint))[:MAX_CANDIDATES]
    best: Anchor | None = None
    seen: set[tuple[int, int]] = set()
    for guess in nearest:
        span = _best_span(text, quote, guess, errors)
        if span is None or span[1:] in seen:
            continue
        seen.add(span[1:])
        d, start, end = span
        context = _context_similarity(selector, text, start, end)
        if context < MIN_CONTEXT:
            continue
        closeness = 1 - min(1.0, abs(start - hint) / max(1, len(text)))
        score = (
            QUOTE_WEIGHT * (1 - d / max(1, len(quote)))
            + CONTEXT_WEIGHT * context
            + PLACE_WEIGHT * closeness
        )
        if score >= MIN_SCORE and (best is None or score > best.score):
            best = Anchor(start, end, "fuzzy", d, score)
    return best


def anchor(text: str, selector: QuoteSelector, start: int, end: int) -> Anchor | None:
    """Find a highlight again after its text changed: at its offsets, else the exact quote
    elsewhere, else a fuzzy match. ``None`` means it is an orphan (never dropped)."""
    if text[start:end] == selector.exact and selector.exact:
        return Anchor(start, end, "exact")
    found = locate_exact(text, selector, start)
    if found is not None:
        return Anchor(found[0], found[1], "moved")
    return locate_fuzzy(text, selector, start)
