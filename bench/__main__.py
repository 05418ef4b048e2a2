"""``python -m bench``: build a synthetic workspace, run every benchmark, print one table.

By default the workspace (10,000 articles, one of them 1 MB, and 100,000 highlights) goes into
a temporary folder that is removed at the end. ``--out DIR`` builds it in DIR and keeps it;
``--reuse DIR`` runs again on a workspace an earlier ``--out DIR`` kept, without generating.
``--smoke`` is a tiny run that checks the machinery, not the numbers. ``--only 2,5`` runs some
rows only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TypeVar

from bench.generate import DATA_FILE, GeneratedData, check_store, generate, load_data, save_data
from bench.insert_latency import insert_row, inserts_needed, measure
from bench.report import PENDING, Row, format_report, format_workspace

MIN_RUNS = 7
ROWS = ("1", "2", "3", "4", "5", "6", "7", "8", "9")
SMOKE = {
    "articles": 50,
    "highlights": 500,
    "runs": 3,
    "big": 20_000,
    "presses": 3,
    "tmux_runs": 1,
}
FULL = {
    "articles": 10_000,
    "highlights": 100_000,
    "runs": MIN_RUNS,
    "big": 1_000_000,
    "presses": 30,
    "tmux_runs": MIN_RUNS,
}
T = TypeVar("T")


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="reader's benchmarks (issue 9): every measure next to a baseline measured "
        "in the same run, in one table.",
    )
    parser.add_argument(
        "--articles", type=int, help=f"articles in the workspace (default {FULL['articles']:,})"
    )
    parser.add_argument(
        "--highlights",
        type=int,
        help=f"highlights in the workspace (default {FULL['highlights']:,})",
    )
    parser.add_argument(
        "--runs",
        type=int,
        help=f"timed runs per measure and system; medians are reported "
        f"(default and minimum {MIN_RUNS})",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"tiny sizes ({SMOKE['articles']} articles, {SMOKE['highlights']} highlights, "
        f"{SMOKE['runs']} runs, tmux launches once) to check that the benchmarks work",
    )
    parser.add_argument(
        "--paths",
        help="with row 9 (issue 22's paths): only these parts, of open,search,export,list,"
        "first-open,start-up,scroll (default: all)",
    )
    place = parser.add_mutually_exclusive_group()
    place.add_argument(
        "--out",
        type=Path,
        help="build the workspace in this folder (new or empty) and keep it; "
        "default: a temporary folder removed at the end",
    )
    place.add_argument(
        "--reuse",
        type=Path,
        help="run on the workspace an earlier --out kept in this folder (no generation; "
        "earlier runs' inserts stay in it)",
    )
    parser.add_argument(
        "--only", help=f"comma-separated rows to run, of {','.join(ROWS)} (default: all)"
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    args = parser.parse_args(argv)
    defaults = SMOKE if args.smoke else FULL
    for name, value in defaults.items():
        if getattr(args, name, None) is None:
            setattr(args, name, value)
    if args.articles < 2 or args.highlights < 0:
        parser.error("--articles must be at least 2 and --highlights at least 0")
    if args.runs < (1 if args.smoke else MIN_RUNS):
        parser.error(f"--runs must be at least {MIN_RUNS} (a median of fewer says little)")
    if not args.smoke:
        args.tmux_runs = args.runs
    if args.out is not None and args.out.exists() and any(args.out.iterdir()):
        parser.error(f"--out {args.out}: folder is not empty")
    if args.reuse is not None and not (args.reuse / DATA_FILE).is_file():
        parser.error(f"--reuse {args.reuse}: no {DATA_FILE} there (make one with --out)")
    wanted = ROWS if args.only is None else tuple(r.strip() for r in args.only.split(","))
    unknown = [r for r in wanted if r not in ROWS]
    if unknown:
        parser.error(f"--only: no row {', '.join(unknown)} (rows are {','.join(ROWS)})")
    args.rows = set(wanted)
    return args


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


class Phases:
    """Wall time of each phase of the run, for the report."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    def run(self, name: str, call: Callable[[], T]) -> T:
        _progress(f"{name}…")
        started = time.perf_counter()
        try:
            return call()
        finally:
            self.seconds[name] = time.perf_counter() - started


def _prepare(args: argparse.Namespace, root: Path, phases: Phases) -> GeneratedData:
    if args.reuse is not None:
        return phases.run("reading the kept workspace", lambda: load_data(root))
    _progress(f"generating {args.articles:,} articles and {args.highlights:,} highlights in {root}")
    data = phases.run(
        "generation",
        lambda: generate(
            root,
            articles=args.articles,
            highlights=args.highlights,
            inserts=inserts_needed(args.runs),
            seed=args.seed,
            verify_every=1 if args.smoke else 20,
            big_article_chars=args.big,
        ),
    )
    save_data(data, root)
    every = 1 if args.smoke else max(1, args.articles // 50)
    checked = phases.run("check", lambda: check_store(data, every=every))
    _progress(f"checked {checked} articles through the store")
    return data


def _search_row(data: GeneratedData, runs: int) -> Row:
    row = Row(
        "4",
        f"full-text search over {len(data.article_ids):,} articles",
        "s",
        0.3,
        baseline_name="scan of every file",
    )
    try:
        from bench.search import measure_search
    except ImportError:
        row.status = PENDING
        return row
    figures = measure_search(data.workspace.root, runs, _progress)
    for name, q in figures["queries"].items():
        row.ours.append(q["cli"]["median"])
        row.baseline.append(q["baseline"]["median"])
        row.details.append(
            f"{name} {q['query']!r}: {q['matches']:,} matches in {q['articles']:,} articles; "
            f"reader search {q['cli']['median'] * 1000:.0f} ms, the app's first "
            f"{500} + count {q['screen']['median'] * 1000:.0f} ms, "
            f"scan {q['baseline']['median'] * 1000:.0f} ms"
        )
    row.details.insert(
        0,
        f"median over {len(figures['queries'])} queries of each query's median of {runs} "
        f"runs; first index build {figures['build_s']:.1f} s, a refresh with nothing changed "
        f"{figures['refresh']['median'] * 1000:.0f} ms",
    )
    return row


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    keep = args.out is not None or args.reuse is not None
    root = args.reuse or args.out or Path(tempfile.mkdtemp(prefix="reader-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    phases = Phases()
    rows: dict[str, Row] = {}
    try:
        data = _prepare(args, root, phases)
        # Nothing generated may still be waiting to be written back while fsyncs are timed.
        phases.run("flush (sync)", os.sync)
        if "2" in args.rows:
            results = phases.run(
                "2 insert latency", lambda: measure(data, args.runs, progress=_progress)
            )
            rows["2"] = insert_row(results, data.highlight_total)
        if "5" in args.rows:
            from bench.export_speed import measure_export

            rows["5"], rows["5b"] = phases.run(
                "5 export", lambda: measure_export(data, args.runs, _progress)
            )
        if "8" in args.rows:
            from bench.highlights_view import measure_view

            rows["8"] = phases.run(
                "8 highlights view", lambda: measure_view(data, args.runs, _progress)
            )
        if "3" in args.rows or "7" in args.rows:
            from bench.app_open import measure_open

            rows["3"], rows["7"] = phases.run(
                "3+7 open and memory", lambda: measure_open(data, args.tmux_runs, _progress)
            )
        if "6" in args.rows:
            from bench.scroll import scroll_row

            rows["6"] = phases.run(
                "6 scrolling",
                lambda: scroll_row(data.workspace.root, data.big_article_id, args.presses),
            )
        if "4" in args.rows:
            rows["4"] = phases.run("4 search", lambda: _search_row(data, args.runs))
        if "9" in args.rows:
            from bench.paths import measure_paths

            parts = None if args.paths is None else set(args.paths.split(","))
            for row in phases.run(
                "9 paths",
                lambda: measure_paths(
                    data, args.runs, args.big, args.presses, _progress, only=parts
                ),
            ):
                rows[row.number] = row
        if "1" in args.rows:
            from bench.launch import measure_launch

            rows["1"] = phases.run(
                "1 launch", lambda: measure_launch(args.tmux_runs, args.big, _progress)
            )
        data.highlight_counts = _recount(data)
        workspace = format_workspace(data)
    finally:
        if not keep:
            phases.run("cleanup", lambda: shutil.rmtree(root, ignore_errors=True))
    phases.seconds["total"] = time.perf_counter() - started
    order = ["1", "2", "3", "4", "5", "5b", "6", "7", "8"]
    table = [rows[n] for n in order if n in rows]
    table += [rows[n] for n in sorted(rows) if n.startswith("9")]
    print(
        format_report(table, workspace, runs=args.runs, out_dir=root.parent, phases=phases.seconds)
    )
    if keep:
        print(f"\nWorkspace kept in {root} (run again with --reuse {root})")
    return 0


def _recount(data: GeneratedData) -> dict[str, int]:
    """Highlights per article after the run's inserts, for the report."""
    from annotations.store import AnnotationStore

    with AnnotationStore(data.workspace) as store:
        return store.highlight_counts()


if __name__ == "__main__":
    sys.exit(main())
