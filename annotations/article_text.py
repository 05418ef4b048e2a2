"""An article's text as ``reader show`` prints it: the display text every export's offsets
index into, and the same text with its highlights marked inline.

A highlight is marked by ``[[`` before its first character and ``]]`` after its last, followed
by its tags as ``{#tag #other}`` when it has any: ``the [[picket line]]{#strike} on Monday``.
Highlights that overlap nest (``[[a [[b]]{#y} c]]{#x}``) or interleave, in offset order: at one
offset, a highlight that ends is closed before one that starts is opened; of two starting
together, the longer opens first; of two ending together, the one that started later closes
first. Orphans (highlights whose passage is no longer in the text) have no place to be marked.
"""

from __future__ import annotations

from collections.abc import Iterable

from annotations.model import Highlight

OPEN, CLOSE = "[[", "]]"


def closing(highlight: Highlight) -> str:
    """What follows a highlight's last character: ``]]``, then its tags in braces."""
    tags = " ".join(f"#{name}" for name in highlight.tags)
    return CLOSE + (f"{{{tags}}}" if tags else "")


def marked_text(text: str, highlights: Iterable[Highlight]) -> str:
    """``text`` with each placed highlight of ``highlights`` marked (see the module)."""
    # (offset, 0 for a close / 1 for an open, order among equals, marker)
    events: list[tuple[int, int, int, str]] = []
    for h in highlights:
        if h.orphaned or not (0 <= h.start < h.end <= len(text)):
            continue
        events.append((h.start, 1, -h.end, OPEN))
        events.append((h.end, 0, -h.start, closing(h)))
    events.sort(key=lambda e: e[:3])
    parts: list[str] = []
    at = 0
    for offset, _, _, marker in events:
        parts.append(text[at:offset])
        parts.append(marker)
        at = offset
    parts.append(text[at:])
    return "".join(parts)
