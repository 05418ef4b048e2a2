"""The re-anchoring figures in the README ("Never losing a highlight") and docs/architecture.md.

Runs :func:`tests.test_reanchoring.measure` once per seed: one sample article, 25 highlights of
2 to 12 words, then ``1 + seed % 12`` random edits of the kinds in
:data:`tests.test_reanchoring.KINDS`. Each highlight is judged by where its characters really
went; "wrong" counts placements that do not overlap what is left of the passage.

Usage: ``python -m tests.reanchoring_figures [--seeds 6000] [--first 0] [--jobs 2]``
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from multiprocessing import Pool

from tests.test_reanchoring import measure

HIGHLIGHTS_PER_RUN = 25
MOST_EDITS = 12


def one_seed(seed: int) -> Counter[str]:
    """The outcome of one run: 25 highlights on one text given 1 to 12 edits."""
    return measure(seed, rounds=1, highlights=HIGHLIGHTS_PER_RUN, edits=1 + seed % MOST_EDITS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=6000, help="how many runs (seeds)")
    parser.add_argument("--first", type=int, default=0, help="the first seed")
    parser.add_argument("--jobs", type=int, default=1, help="processes to run them in")
    args = parser.parse_args()
    seeds = range(args.first, args.first + args.seeds)
    began = time.perf_counter()
    total: Counter[str] = Counter()
    with Pool(args.jobs) as pool:
        for outcome in pool.imap_unordered(one_seed, seeds, chunksize=50):
            total.update(outcome)
    count = sum(total.values())
    placed = total["exact"] + total["moved"]
    print(
        f"{count:,} highlights, seeds {seeds.start}-{seeds.stop - 1}, 1-{MOST_EDITS} edits each "
        f"({time.perf_counter() - began:.0f} s)"
    )
    print(f"placed exactly {placed:,} ({placed / count:.1%})")
    for kind in ("exact", "moved", "fuzzy", "orphaned", "wrong"):
        print(f"  {kind:9} {total[kind]:>8,} ({total[kind] / count:.2%})")


if __name__ == "__main__":
    main()
