"""Which coders' highlights a reading view shows, and the mark each coder's highlights carry.

The app's reading pane shows every coder's highlights, or one coder's (``@`` on the main
screen cycles: every coder, each coder in turn, every coder again). Showing every coder in a
workspace where two or more named coders have highlights, each coder's highlights carry a
mark of their own (underlined, bold...), laid over the tag colour; it changes no
character of the text, so offsets stay the contract. Highlights with no coder (made before
coders were recorded) carry no mark, and one named coder alone needs none: a single user's
screen stays as it was.

Pure functions over coder names, so the screens only draw what they decide.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING

from annotations.errors import StoreError

if TYPE_CHECKING:
    from annotations.model import Highlight
    from annotations.store import AnnotationStore

log = logging.getLogger(__name__)

# The marks in the order coders get them (coders sorted by name), as the text styles that
# draw them (Rich and Textual read these names alike): styles every terminal draws, which add
# up where two coders' highlights overlap. A legend writes each coder's name in their mark.
MARKS = ("underline", "bold", "italic", "underline2")
NO_MARK = -1


def distinct_coders(highlights: Iterable[Highlight]) -> list[str]:
    """The coders of ``highlights``, sorted by name ("" for highlights with no coder first)."""
    return sorted({h.coder for h in highlights})


def workspace_coders(store: AnnotationStore, problems: list[str] | None = None) -> set[str]:
    """Every coder with a highlight in the workspace ("" for highlights with no coder), read
    from the stored records without making highlights of them (30,000 over 2,000 files in
    about a second). A file that cannot be read raises, unless ``problems`` is given: then it
    is named there and the others are still read."""
    from annotations.records import stored_coders

    found: set[str] = set()
    for article_id in store.annotated_article_ids():
        try:
            found |= stored_coders(store.highlights_file(article_id))
        except StoreError as exc:
            if problems is None:
                raise
            log.warning("%s", exc)
            problems.append(str(exc))
    return found


def coder_marks(coders: Iterable[str]) -> dict[str, int]:
    """The mark (an index into :data:`MARKS`) of each named coder in ``coders``, when there
    are two or more of them; otherwise no marks at all. Coders get marks in name order, so a
    coder keeps theirs in every article; past :data:`MARKS`' length the marks repeat."""
    named = sorted({c for c in coders if c})
    if len(named) < 2:
        return {}
    return {coder: i % len(MARKS) for i, coder in enumerate(named)}


def next_view(current: str | None, coders: Sequence[str]) -> str | None:
    """The view after ``current`` in the cycle every coder (``None``), each of ``coders`` in
    turn, every coder again. A ``current`` no longer among ``coders`` goes back to every coder."""
    ordered = sorted(set(coders))
    if current is None:
        return ordered[0] if ordered else None
    if current not in ordered:
        return None
    at = ordered.index(current) + 1
    return ordered[at] if at < len(ordered) else None


def visible(highlights: Iterable[Highlight], view: str | None) -> list[Highlight]:
    """The highlights a view shows: all for ``None``, else those ``view`` made."""
    if view is None:
        return list(highlights)
    return [h for h in highlights if h.coder == view]


def coder_label(coder: str) -> str:
    """How a coder is named on screen: ``@ana``, or "no coder" for highlights without one."""
    return f"@{coder}" if coder else "no coder"


def legend(marks: dict[str, int]) -> list[tuple[str, str]]:
    """What a legend lists: ``(label, style)`` for each coder with a mark, in name order: the
    coder's name as shown and the style of their mark (one of :data:`MARKS`)."""
    return [(coder_label(coder), MARKS[mark]) for coder, mark in sorted(marks.items())]
