"""The benchmarks run end to end at tiny sizes and print their one table.

Benchmarks are not tests: nothing here looks at how fast anything was, only that the run
completes, its table has every row with a number in it (or says why not), and the generated
workspace is one the store reads back.
"""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from bench.__main__ import parse_args
from corpus.library import Library
from corpus.workspace import Workspace

ROOT = Path(__file__).resolve().parents[1]
ROWS = ["1", "2", "3", "4", "5", "5b", "6", "7", "8"]
PATHS = ["9a", "9b", "9c", "9d", "9e", "9f", "9g", "9h", "9i", "9j", "9k", "9l", "9m"]
_VALUE = re.compile(r"\d+(\.\d+)? (ms|s|MB)")


def run_bench(*args: str) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "bench", "--smoke", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


def table_rows(output: str) -> dict[str, list[str]]:
    """Row number -> cells of its row, from the report's one table."""
    rows = {}
    for line in output.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 7 and cells[0] in ROWS + PATHS:
            rows[cells[0]] = cells
    return rows


def check_row(cells: list[str]) -> None:
    _, measure, ours, baseline, ratio, target, met = cells
    assert measure and target
    if ours == "pending" or ours.startswith("skipped"):  # no search module, no tmux
        assert met == ours
        return
    assert _VALUE.fullmatch(ours), cells
    assert _VALUE.match(baseline), cells
    float(ratio)
    assert met == "yes" or met.startswith("NO ("), cells


# Ten seconds of a whole benchmark run: `make check` runs it, `make test` leaves it out.
@pytest.mark.slow
def test_smoke_run_prints_every_row_with_numbers(tmp_path: Path) -> None:
    out = tmp_path / "bench"
    output = run_bench("--out", str(out))

    rows = table_rows(output)
    assert list(rows) == ROWS + PATHS
    for cells in rows.values():
        check_row(cells)
    assert "articles:                  50 " in output
    assert "highlights:                508 over" in output

    # The kept workspace is a valid one: articles parse, highlights read back with the
    # inserted ones added (two systems of ours, 1 warm-up + 3 timed inserts each).
    workspace = Workspace(out / "workspace")
    assert len(Library(workspace).ids()) == 50
    with AnnotationStore(workspace) as store:
        assert len(store.tags()) == 50  # row 9k's reader annotate deleted its highlight
        highlights = list(store.all_highlights())
        assert len(highlights) == 500 + 2 * 4
        for h in highlights[:: len(highlights) // 25]:
            assert store.library.display(h.article_id).text[h.start : h.end] == h.quote
        longest = max(Library(workspace).ids(), key=lambda i: len(store.library.get(i).body))
        assert len(store.library.display(longest).text) >= 20_000  # the smoke's "1 MB" article
    assert (out / "baseline.json").is_file()

    # A second run on the kept workspace, without generating it again.
    again = table_rows(run_bench("--reuse", str(out), "--only", "2,5"))
    assert list(again) == ["2", "5", "5b"]
    for cells in again.values():
        check_row(cells)
    with AnnotationStore(workspace) as store:
        assert len(list(store.all_highlights())) == 500 + 4 * 4


def test_arguments_are_checked(tmp_path: Path) -> None:
    assert parse_args(["--smoke"]).runs == 3
    assert parse_args([]).runs == 7
    assert parse_args(["--only", "3, 7"]).rows == {"3", "7"}
    for bad in (
        ["--runs", "3"],
        ["--only", "10"],
        ["--out", str(tmp_path), "--reuse", str(tmp_path)],
        ["--reuse", str(tmp_path)],  # no workspace kept there
    ):
        with pytest.raises(SystemExit):
            parse_args(bad)
