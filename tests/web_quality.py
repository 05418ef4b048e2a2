"""How clean the web-page import is, measured on the site fixtures (tests/web_sites.py).

For each page: the text similarity of the imported article's display text to the expected
text (difflib's ratio over normalised text: white space, list markers and quote marks made
alike), whether the title is exactly the expected one, and whether the author is; the pages
marked held out were written after the cleaning rules and not used to tune them. Run it as
``python -m tests.web_quality`` for the table and the median and minimum; tests/
test_web_cleaning.py asserts a floor on the same figures.
"""

from __future__ import annotations

import difflib
import json
import re
import statistics
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from corpus.html_import import draft_from_html
from corpus.importers import ImportFailed
from tests.web_sites import SITES_DIR

_MARKERS = re.compile(r"(?m)^\s*(?:[-•◦▪*]|\d+[.)])\s+")
_QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "—": "-", "–": "-"})


def normalise(text: str) -> str:
    return " ".join(_MARKERS.sub("", text).translate(_QUOTES).split())


@dataclass(frozen=True)
class PageScore:
    file: str
    held_out: bool
    similarity: float
    title_ok: bool
    author_ok: bool
    title: str
    author: str | None


def expected_pages() -> list[dict[str, Any]]:
    return list(json.loads((SITES_DIR / "expected.json").read_text("utf-8")))


def score(entry: dict[str, Any], folder: Path = SITES_DIR) -> PageScore:
    page = (folder / entry["file"]).read_text("utf-8")
    try:
        article = draft_from_html(page, entry["file"])
    except ImportFailed:
        return PageScore(entry["file"], bool(entry["held_out"]), 0.0, False, False, "", None)
    text = article.display.text
    ratio = difflib.SequenceMatcher(
        None, normalise(entry["text"]), normalise(text), autojunk=False
    ).ratio()
    return PageScore(
        entry["file"],
        bool(entry["held_out"]),
        ratio,
        normalise(article.title) == normalise(entry["title"]),
        article.author == entry["author"],
        article.title,
        article.author,
    )


def scores() -> list[PageScore]:
    return [score(entry) for entry in expected_pages()]


def summary(results: list[PageScore], label: str) -> str:
    """One line: how many pages, the median and minimum similarity, titles and authors right."""
    sims = [r.similarity for r in results]
    n = len(results)
    return (
        f"{label}: {n} pages, similarity median {statistics.median(sims):.3f}, minimum "
        f"{min(sims):.3f}; titles right {sum(r.title_ok for r in results)}/{n}; authors right "
        f"{sum(r.author_ok for r in results)}/{n}"
    )


def report(results: list[PageScore]) -> str:
    lines = [f"{'page':<30} {'similarity':>10}  title  author"]
    for r in results:
        mark = "ok" if r.title_ok else f"NO ({r.title[:60]})"
        who = "ok" if r.author_ok else f"NO ({r.author})"
        name = r.file + (" *" if r.held_out else "")
        lines.append(f"{name:<30} {r.similarity:>10.3f}  {mark}  {who}")
    lines.append(summary([r for r in results if not r.held_out], "rules written against"))
    held = [r for r in results if r.held_out]
    if held:
        lines.append(summary(held, "held out (*)"))
    lines.append(summary(results, "all"))
    return "\n".join(lines)


if __name__ == "__main__":
    sys.stdout.write(report(scores()) + "\n")
