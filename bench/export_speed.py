"""Export every highlight to W3C JSON-LD, as ``reader export --format w3c`` writes it.

Timed: :func:`export_to_file` (read the highlights, check them against their articles, build the
collection, serialise it with orjson, write it atomically), in this process, each run into a
new file. The first export of a workspace checks every annotated article against its text
(rendering each one); it is reported apart, and the median is of the exports after it, which
check again only articles or highlights files that changed.

The baseline is the floor for serialising that much: ``json.dumps`` of the same highlight
records, already in memory, timed in the same runs.
"""

from __future__ import annotations

import json
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from annotations.formats.registry import export_to_file
from annotations.formats.selection import CHECK_CACHE_NAME
from annotations.store import AnnotationStore
from bench.generate import GeneratedData
from bench.report import Row


def measure_export(
    data: GeneratedData, runs: int, progress: Callable[[str], None] | None = None
) -> tuple[Row, Row]:
    """Row 5 (exports after the first) and row 5b (the first export of the workspace)."""
    warm = Row(
        "5",
        f"export {data.highlight_total:,} highlights to W3C JSON",
        "s",
        3.0,
        baseline_name="json.dumps",
    )
    cold = Row(
        "5b",
        "… the workspace's first export (checks every anchor)",
        "s",
        3.0,
        baseline_name="json.dumps",
    )
    # The first export is to find no remembered checks, in a reused workspace too.
    (data.workspace.cache_dir / CHECK_CACHE_NAME).unlink(missing_ok=True)
    with AnnotationStore(data.workspace) as store, tempfile.TemporaryDirectory() as tmp:
        records = [h.to_dict() for h in store.all_highlights()]
        for n in range(runs + 1):
            started = time.perf_counter()
            count = export_to_file(store, "w3c", Path(tmp) / f"export-{n}.jsonld").count()
            seconds = time.perf_counter() - started
            size = (Path(tmp) / f"export-{n}.jsonld").stat().st_size
            (Path(tmp) / f"export-{n}.jsonld").unlink()
            started = time.perf_counter()
            floor = len(json.dumps(records))
            base = time.perf_counter() - started
            (cold if n == 0 else warm).ours.append(seconds)
            (cold if n == 0 else warm).baseline.append(base)
            if progress:
                progress(f"export {n}/{runs}: {seconds:.2f} s; json.dumps {base:.2f} s")
    if count != len(records):
        raise AssertionError(f"exported {count} highlights, the store holds {len(records)}")
    warm.details.append(
        f"{count:,} highlights, {size / 1e6:.0f} MB of JSON-LD; json.dumps of the "
        f"{len(records):,} stored records: {floor / 1e6:.0f} MB"
    )
    cold.details.append("one run: the first export renders every annotated article once")
    return warm, cold
