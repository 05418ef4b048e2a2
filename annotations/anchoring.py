"""Selectors that tie a highlight to its text, and finding that text again.

A highlight is anchored twice over, as web annotators do (W3C ``TextPositionSelector`` and
``TextQuoteSelector``): by its offsets into the display text and by its exact quote with up to
``CONTEXT`` characters of prefix and suffix. When the offsets no longer hold the quote with that
very context, the quote is searched for again, and every place it could go, its old place
included, must sit in context that agrees: the same words elsewhere are not the passage that
was highlighted, and a highlight that cannot be placed is kept as an orphan rather than moved
onto them.
"""

from __future__ import annotations

from collections.abc import Iterator
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


def sits_at(text: str, selector: QuoteSelector, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is the quote with its stored context on both sides, character
    for character: the selector the text would give there now is the stored one. Only then is
    a highlight trusted where it is without a search (the check every read makes)."""
    return (
        text[start:end] == selector.exact
        and text[max(0, start - CONTEXT) : start] == selector.prefix
        and text[end : end + CONTEXT] == selector.suffix
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
    nearest to ``hint`` among equals, however little that is (importing annotations, where an
    outside file may give the quote alone). ``None`` when the quote is not in the text."""
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
# Weights of a candidate's score, and the least score accepted. The quote itself counts most;
# agreeing context tells two similar passages apart; closeness breaks the last ties.
QUOTE_WEIGHT, CONTEXT_WEIGHT, PLACE_WEIGHT = 0.6, 0.3, 0.1
MIN_SCORE = 0.75
# Every candidate, exact or fuzzy, must also sit in agreeing context, and quotes shorter than
# MIN_FUZZY_LENGTH are matched exactly or not at all: a few words land too easily on a similar
# phrase ("$300,000 is" on "$900,000 is" in a parallel list item), and the same words elsewhere
# are not the passage ("$900,000" when its paragraph was deleted). Such a short quote is little
# evidence of its own, and parallel list items agree half or more around the same word, so it
# must be *held* by its context: one side exactly as stored, the other close to it (MIN_HELD_*).
# When a list item is deleted, the next one begins with the same word after the same prefix
# ("• October 9" gone, "• October 11" in its place), and only the suffix tells them apart.
# All found by the property test (tests/test_reanchoring.py).
MIN_CONTEXT = 0.5
MIN_HELD_SIMILARITY = 0.8  # or the MIN_HELD characters next to the quote unchanged
MIN_HELD = 8
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


def _sides(selector: QuoteSelector, text: str, start: int, end: int) -> tuple[str, str]:
    """The text beside a candidate, as much of it on each side as context was stored there."""
    before = text[max(0, start - len(selector.prefix)) : start]
    return before, text[end : end + len(selector.suffix)]


def _held(selector: QuoteSelector, text: str, start: int, end: int) -> bool:
    """Whether a short quote's context holds it at ``start``: one side exactly as stored (an
    empty side only at the same edge of the text), and the other agreeing at least
    :data:`MIN_HELD_SIMILARITY`, or unchanged for the :data:`MIN_HELD` characters next to the
    quote."""
    prefix, suffix = selector.prefix, selector.suffix
    before, after = _sides(selector, text, start, end)
    if before == prefix and (prefix or start == 0):
        return after[:MIN_HELD] == suffix[:MIN_HELD] or (
            _similarity(suffix, after) >= MIN_HELD_SIMILARITY
        )
    if after == suffix and (suffix or end == len(text)):
        return before[-MIN_HELD:] == prefix[-MIN_HELD:] or (
            _similarity(prefix, before) >= MIN_HELD_SIMILARITY
        )
    return False


def _context_similarity(selector: QuoteSelector, text: str, start: int, end: int) -> float:
    """How well the text beside a candidate agrees with the context stored beside the quote,
    each side weighted by how much context was stored there (none at the text's edges)."""
    prefix, suffix = selector.prefix, selector.suffix
    if not prefix and not suffix:
        return 1.0  # the quote was the whole text: nothing to compare
    before, after = _sides(selector, text, start, end)
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


def _score(similarity: float, context: float, text: str, start: int, hint: int) -> float:
    """A candidate's score: how like the quote it is, how well its context agrees, how near
    the old place it is (each 0 to 1, weighted as above)."""
    closeness = 1 - min(1.0, abs(start - hint) / max(1, len(text)))
    return QUOTE_WEIGHT * similarity + CONTEXT_WEIGHT * context + PLACE_WEIGHT * closeness


def _occurrences(text: str, piece: str, start: int = 0, end: int | None = None) -> Iterator[int]:
    found = text.find(piece, start, end)
    while found != -1:
        yield found
        found = text.find(piece, found + 1, end)


def locate_fuzzy(text: str, selector: QuoteSelector, hint: int) -> Anchor | None:
    """The best approximate match of the quote, scored by quote similarity, context and
    closeness to ``hint``; ``None`` when nothing scores :data:`MIN_SCORE` or more."""
    quote = selector.exact
    errors = allowed_errors(quote)
    if errors == 0 or len(quote) < MIN_FUZZY_LENGTH:
        return None
    guesses: set[int] = set()
    seeds = [(offset, piece) for offset, piece in _seeds(quote, errors) if len(piece) >= 3]
    # Around the old place first: in a long text the pieces occur thousands of times before
    # it, and a lightly edited passage is most often still where it was.
    window = 4 * len(quote)
    for offset, piece in seeds:
        for found in _occurrences(text, piece, max(0, hint - window), hint + window):
            guesses.add(max(0, found - offset))
    for offset, piece in seeds:
        for found in _occurrences(text, piece):
            if len(guesses) >= 20 * MAX_CANDIDATES:
                break
            guesses.add(max(0, found - offset))
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
        score = _score(1 - d / max(1, len(quote)), context, text, start, hint)
        if score >= MIN_SCORE and (best is None or score > best.score):
            best = Anchor(start, end, "fuzzy", d, score)
    return best


def anchor(text: str, selector: QuoteSelector, start: int, end: int) -> Anchor | None:
    """Find a highlight again after its text changed. ``None`` means it is an orphan (kept,
    never dropped).

    Where it was, with its stored context around it, it is trusted as it is (``exact``).
    Otherwise every occurrence of the exact quote, its old place included, and the best fuzzy
    match are candidates, each only where its context agrees at least :data:`MIN_CONTEXT`
    (and holds it, for a quote too short for fuzzy matching: see :func:`_held`), and the best
    score wins: a lightly edited sentence found where it was beats the same words in
    another paragraph, and deleted words are not looked for in their copies. An exact
    occurrence whose context agrees completely is taken at once (the nearest, if several):
    nothing can be better evidence.
    """
    quote = selector.exact
    if not quote:
        return None
    if sits_at(text, selector, start, end):
        return Anchor(start, end, "exact")
    short = len(quote) < MIN_FUZZY_LENGTH
    best: Anchor | None = None
    best_context = 0.0
    for pos in _occurrences(text, quote):
        context = _context_similarity(selector, text, pos, pos + len(quote))
        if context < MIN_CONTEXT or (short and not _held(selector, text, pos, pos + len(quote))):
            continue
        score = _score(1.0, context, text, pos, start)
        if best is None or score > best.score:
            method = "exact" if pos == start else "moved"
            best, best_context = Anchor(pos, pos + len(quote), method, 0, score), context
    if best is not None and best_context == 1.0:
        return best
    fuzzy = locate_fuzzy(text, selector, start)
    if fuzzy is not None and (best is None or fuzzy.score > best.score):
        return fuzzy
    return best


def find_again(old: str, new: str, start: int, end: int) -> tuple[int, int] | None:
    """Where the words at ``[start, end)`` of ``old`` are in ``new``, found as a highlight is
    re-anchored, or ``None`` when they are gone. Only the exact quote counts (a fuzzy match
    would be other words): this is for putting a selection back after the text was reloaded."""
    hit = anchor(new, quote_selector(old, start, end), start, end)
    return None if hit is None or hit.method == "fuzzy" else (hit.start, hit.end)


def follow(old: str, new: str, offset: int) -> int:
    """Where the words at ``offset`` of ``old`` are in ``new``: the 32 characters from there
    (before there at the end) found as a highlight is re-anchored, by their words and their
    context; else the same offset. For keeping a cursor on its words when the text changes."""
    start, end = offset, min(len(old), offset + 32)
    if start == end:
        start = max(0, end - 32)
    if start == end or old == new:
        return offset
    hit = anchor(new, quote_selector(old, start, end), start, end)
    return offset if hit is None else hit.start + offset - start
