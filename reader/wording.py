"""Small helpers for the words the app and the command line show."""

from __future__ import annotations

# The total a search reports ("37 matches in 12 articles") is worded where bulk coding words
# its lines, so the command line, the search screen and a refusal say it alike.
from annotations.bulk import matches_in_articles as matches_in_articles


def count(n: int, noun: str) -> str:
    """``1 highlight``, ``2 highlights``: a number with its noun in the right number."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def sentence(text: str) -> str:
    """``text`` as the start of a sentence: its first letter capitalised, and nothing else
    changed (``renamed #AI/likeness to #AI/face`` → ``Renamed #AI/likeness to #AI/face``). A
    sentence that starts with a tag (``#AI …``) is left as it is: a tag's name is kept as
    written, and ``str.capitalize()`` would lower-case every tag in it."""
    if text.startswith("#"):
        return text
    return text[:1].upper() + text[1:]


def first_lines(lines: list[str], most: int) -> list[str]:
    """The first ``most`` of ``lines``, the last of them ending in `` …`` when there are more:
    a memo or a note where the whole of it does not fit."""
    if len(lines) <= most:
        return lines
    return [*lines[: most - 1], lines[most - 1] + " …"]


def excerpt(text: str, width: int = 50) -> str:
    """The start of a quote, on one line, to say which highlight a message means: white
    space runs become one space, and a quote longer than ``width`` ends in ``…``."""
    flat = " ".join(text.split())
    return flat if len(flat) <= width else flat[: width - 1].rstrip() + "…"
