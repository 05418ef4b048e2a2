"""``python -m bench``: build a synthetic workspace, time durable highlight inserts, print a table.

By default the workspace (10,000 articles, 100,000 highlights) goes into a temporary folder that
is removed at the end; ``--out DIR`` keeps it. ``--smoke`` is a tiny run that checks the machinery,
not the numbers.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.generate import check_store, generate
from bench.insert_latency import inserts_needed, measure
from bench.report import format_report, measure_sizes

MIN_RUNS = 7
SMOKE = {"articles": 50, "highlights": 500, "runs": 3}
FULL = {"articles": 10_000, "highlights": 100_000, "runs": MIN_RUNS}


def parse_args(argv: Sequence[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench",
        description="Latency of adding one durable highlight: reader's AnnotationStore against "
        "TinyDB's default single-file JSONStorage, in the same run.",
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
        help=f"timed inserts per system after 1 warm-up; the median is reported "
        f"(default and minimum {MIN_RUNS})",
    )
    parser.add_argument(
        "--smoke",
        action="store_true",
        help=f"tiny sizes ({SMOKE['articles']} articles, {SMOKE['highlights']} highlights, "
        f"{SMOKE['runs']} runs) to check that the benchmark works",
    )
    parser.add_argument(
        "--out",
        type=Path,
        help="build the workspace in this folder (new or empty) and keep it; "
        "default: a temporary folder removed at the end",
    )
    parser.add_argument("--seed", type=int, default=1, help="seed of the generator (default 1)")
    args = parser.parse_args(argv)
    defaults = SMOKE if args.smoke else FULL
    for name, value in defaults.items():
        if getattr(args, name) is None:
            setattr(args, name, value)
    if args.articles < 1 or args.highlights < 0:
        parser.error("--articles must be at least 1 and --highlights at least 0")
    if args.runs < (1 if args.smoke else MIN_RUNS):
        parser.error(f"--runs must be at least {MIN_RUNS} (a median of fewer says little)")
    if args.out is not None and args.out.exists() and any(args.out.iterdir()):
        parser.error(f"--out {args.out}: folder is not empty")
    return args


def _progress(message: str) -> None:
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    started = time.perf_counter()
    keep = args.out is not None
    root = args.out if keep else Path(tempfile.mkdtemp(prefix="reader-bench-"))
    root.mkdir(parents=True, exist_ok=True)
    phases: dict[str, float] = {}
    try:
        _progress(
            f"generating {args.articles:,} articles and {args.highlights:,} highlights in {root}"
        )
        data = generate(
            root,
            articles=args.articles,
            highlights=args.highlights,
            inserts=inserts_needed(args.runs),
            seed=args.seed,
            verify_every=1 if args.smoke else 20,
        )
        phases["generation"] = data.seconds
        _progress(f"generated in {data.seconds:.1f} s; checking a sample through the store")

        mark = time.perf_counter()
        checked = check_store(data, every=1 if args.smoke else max(1, args.articles // 50))
        phases["check"] = time.perf_counter() - mark
        _progress(f"checked {checked} articles; flushing the generated files to disk")
        sizes = measure_sizes(data)

        # Nothing generated may still be waiting to be written back while fsyncs are timed.
        mark = time.perf_counter()
        os.sync()
        phases["flush (sync)"] = time.perf_counter() - mark

        mark = time.perf_counter()
        results = measure(data, args.runs, progress=_progress)
        phases["measurement"] = time.perf_counter() - mark
    finally:
        if not keep:
            mark = time.perf_counter()
            shutil.rmtree(root, ignore_errors=True)
            phases["cleanup"] = time.perf_counter() - mark
    phases["total"] = time.perf_counter() - started
    print(format_report(results, sizes, runs=args.runs, out_dir=root.parent, phases=phases))
    if keep:
        print(f"\nWorkspace kept in {root}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
