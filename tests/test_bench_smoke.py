"""The benchmark runs end to end at tiny sizes and prints its table.

Benchmarks are not tests: nothing here looks at how fast anything was, only that the run
completes, its table has a row per system with numbers in it, and the generated workspace is one
the store reads back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from bench.__main__ import parse_args
from bench.insert_latency import MEASURE, SYSTEMS
from corpus.library import Library
from corpus.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
_MS = re.compile(r"\d+\.\d+ ms")


def run_bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def table_rows(output: str) -> dict[str, list[str]]:
    """System name -> cells of its row, for the rows of the measure."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and cells[0] == MEASURE:
            rows[cells[1]] = cells
    return rows


def test_smoke_run_prints_a_row_per_system_with_numbers(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    output = run_bench("--out", str(out))

    rows = table_rows(output)
    assert list(rows) == list(SYSTEMS)
    for cells in rows.values():
        median, low, high, ratio = cells[2:]
        for cell in (median, low, high):
            assert _MS.fullmatch(cell), cell
        assert float(median.split()[0]) > 0
        float(ratio)
    assert "articles:                  50 " in output
    assert "highlights:                500 over" in output

    # The kept workspace is a valid one: articles parse, highlights read back with the
    # inserted ones added (two systems of ours, 1 warm-up + 3 timed inserts each).
    workspace = Workspace(out / "workspace")
    assert len(Library(workspace).ids()) == 50
    with AnnotationStore(workspace) as store:
        assert len(store.tags()) == 50
        highlights = list(store.all_highlights())
        assert len(highlights) == 500 + 2 * 4
        for h in highlights[:: len(highlights) // 25]:
            assert store.library.display(h.article_id).text[h.start : h.end] == h.quote
    assert (out / "baseline.json").is_file()


def test_fewer_than_seven_runs_is_refused_outside_smoke() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--runs", "3"])
    assert parse_args(["--smoke"]).runs == 3
    assert parse_args([]).runs == 7
