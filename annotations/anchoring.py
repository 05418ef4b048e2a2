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
