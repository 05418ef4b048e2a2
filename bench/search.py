"""Full-text search over a workspace: building the index, checking it, and queries.

``measure_search(root)`` times, on the workspace at ``root``:

* the first build of the search index (the file under ``.cache/`` is deleted first: it is
  derived data), once;
* a refresh with nothing changed (a ``stat`` of every article file), median of ``runs``;
* queries, each a median of ``runs``: a rare word and a common word (the least and the most
  frequent words of six letters or more, read from the index itself, so the choice follows the
  corpus), a phrase, and a regular expression. Each query is timed as ``reader search`` runs it
  (refresh, then every match with its context) and as the app's search screen does (the first
  500 matches with the count; files re-checked at most once a second, so no refresh);
* the baseline, in the same run: the same query without the index, reading every article
  file and running the same patterns over its lower-cased text (no Markdown rendering, so
  its offsets would be wrong: a lower bound for a scan, not a usable search).

``python -m bench.search WORKSPACE`` prints the figures.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from corpus.library import Library
from corpus.search import SearchIndex
from corpus.text_match import compile_query, find_spans
from corpus.workspace import Workspace

SHOWN = 500  # what the search screen lists


def _times(call: Callable[[], object], runs: int) -> list[float]:
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append(time.perf_counter() - start)
    return out


def _summary(times: list[float]) -> dict[str, float]:
    return {"median": statistics.median(times), "min": min(times), "max": max(times)}


def _word_by_frequency(index: SearchIndex, rarest: bool) -> str:
    """The least (or most) frequent indexed word of six letters or more."""
    with sqlite3.connect(index.path) as db:
        db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, terms, 'row')")
        order = "ASC" if rarest else "DESC"
        row = db.execute(
            "SELECT term FROM temp.vocab WHERE length(term) >= 6 AND term GLOB '[a-z]*' "
            f"ORDER BY doc {order}, term LIMIT 1"
        ).fetchone()
    return str(row[0]) if row else "the"


def _scan_baseline(workspace: Workspace, query: str, regex: bool) -> int:
    patterns = compile_query(query, regex=regex)
    found = 0
    for entry in os.scandir(workspace.articles_dir):
        if entry.name.endswith(".md"):
            with open(entry.path, encoding="utf-8") as handle:
                found += len(find_spans(patterns, handle.read().lower(), require_all=not regex))
    return found


def measure_search(
    workspace_root: Path,
    runs: int = 7,
    on_progress: Callable[[str], None] | None = None,
) -> dict[str, Any]:
    """Time the index build, an idle refresh and four queries (see the module docstring)."""
    say = on_progress or (lambda _message: None)
    workspace = Workspace(Path(workspace_root))
    index = SearchIndex(Library(workspace))
    index.discard()
    say("building the search index")
    start = time.perf_counter()
    indexed = index.refresh()
    build = time.perf_counter() - start
    size = index.path.stat().st_size
    refresh = _times(index.refresh, runs)
    queries = {
        "rare word": (_word_by_frequency(index, rarest=True), False),
        "common word": (_word_by_frequency(index, rarest=False), False),
        "phrase": ('"picket line"', False),
        "regex": (r"\bdigital \w+", True),
    }
    app_index = SearchIndex(Library(workspace), recheck_after=3600.0)
    app_index.refresh()
    results: dict[str, Any] = {}
    for name, (query, regex) in queries.items():
        say(f"{name}: {query}")
        matches = index.search(query, regex=regex)
        articles = len({m.article_id for m in matches})

        def screen(query: str = query, regex: bool = regex) -> None:
            shown = app_index.search(query, regex=regex, limit=SHOWN)
            if len(shown) == SHOWN:
                app_index.count(query, regex=regex)

        results[name] = {
            "query": query,
            "regex": regex,
            "matches": len(matches),
            "articles": articles,
            "cli": _summary(_times(lambda q=query, r=regex: index.search(q, regex=r), runs)),
            "screen": _summary(_times(screen, runs)),
            "baseline": _summary(
                _times(lambda q=query, r=regex: _scan_baseline(workspace, q, r), runs)
            ),
        }
    return {
        "articles": indexed,
        "index_bytes": size,
        "build_s": build,
        "refresh": _summary(refresh),
        "queries": results,
        "runs": runs,
    }


def format_search(figures: dict[str, Any]) -> str:
    """The figures as a plain-text table (milliseconds)."""

    def ms(seconds: float) -> str:
        return f"{seconds * 1000:,.0f} ms"

    lines = [
        f"Search over {figures['articles']:,} articles (medians of {figures['runs']} runs)",
        f"  first index build:        {figures['build_s']:.1f} s "
        f"(index {figures['index_bytes'] / 1e6:.0f} MB)",
        f"  refresh, nothing changed: {ms(figures['refresh']['median'])}",
        "",
        f"  {'query':<28} {'matches':>8} {'articles':>8} {'reader search':>14} "
        f"{'app (500 + count)':>18} {'baseline scan':>14}",
    ]
    for name, q in figures["queries"].items():
        label = f"{name}: {q['query']}"
        lines.append(
            f"  {label:<28} {q['matches']:>8,} {q['articles']:>8,} {ms(q['cli']['median']):>14} "
            f"{ms(q['screen']['median']):>18} {ms(q['baseline']['median']):>14}"
        )
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.search", description=__doc__)
    parser.add_argument(
        "workspace", type=Path, help="a workspace (e.g. made by python -m bench --out)"
    )
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args(argv)
    figures = measure_search(
        args.workspace,
        args.runs,
        lambda message: print(f"[bench] {message}", file=sys.stderr, flush=True),
    )
    print(format_search(figures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
