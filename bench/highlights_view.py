"""The highlights view (``H``, ``reader highlights``): every highlight read and grouped by tag.

Timed: :func:`annotations.highlights_view.highlights_view` over the whole workspace, grouped by
tag, as the app's ``H`` reads it when it opens (the records as stored, each with its line of
context; no article is rendered). The baseline is the floor under it: reading the same
highlight files into records (:meth:`AnnotationStore.stored_by_article`), timed in the same
runs.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from annotations.highlights_view import highlights_view
from annotations.store import AnnotationStore
from bench.generate import GeneratedData
from bench.report import Row


def measure_view(
    data: GeneratedData, runs: int, progress: Callable[[str], None] | None = None
) -> Row:
    """Row 8: the view of every highlight, against reading the records alone."""
    row = Row(
        "8",
        f"highlights view (H): {data.highlight_total:,} highlights read and grouped by tag",
        "s",
        3.0,  # as for an export of them all: 30,000 take under a second
        baseline_name="reading the records",
        max_ratio=3.0,
    )
    with AnnotationStore(data.workspace) as store:
        for n in range(runs):
            started = time.perf_counter()
            view = highlights_view(store)
            seconds = time.perf_counter() - started
            started = time.perf_counter()
            records = sum(len(hs) for _, hs in store.stored_by_article())
            base = time.perf_counter() - started
            row.ours.append(seconds)
            row.baseline.append(base)
            if progress:
                progress(f"highlights view {n + 1}/{runs}: {seconds:.2f} s; records {base:.2f} s")
    if len(view.items) != records:
        raise AssertionError(
            f"the view lists {len(view.items)} highlights, the files hold {records}"
        )
    row.details.append(
        f"{len(view.items):,} highlights in {view.articles:,} articles, {len(view.groups)} "
        "groups; the app reads them in a thread, and filters and regroups in memory after"
    )
    return row
