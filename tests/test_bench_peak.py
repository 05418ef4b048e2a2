"""bench.peak reads a command's own peak memory, not that of the process that started it.

On Linux a child forked from a large process reads, in ``wait4``'s ``ru_maxrss``, at least the
parent's resident size when it exec'd: every row 9 process once read as large as the benchmark
(738 MB). Memory figures here are loose bounds; nothing is timed.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MB = 1_000_000

# A parent of 400 MB (every page touched) measures two commands with bench.paths.run.
PARENT = """
import json, sys
from bench.paths import run
ballast = bytearray(400_000_000)
for i in range(0, len(ballast), 4096):
    ballast[i] = 1
big = run([sys.executable, "-c", "x = bytearray(200_000_000)"])[1]
small = run([sys.executable, "-c", "pass"])[1]
shell = run(["exit 1"], shell=True)[1]  # grep's "no match" is no failure
print(json.dumps([big, small, shell]))
"""


@pytest.mark.skipif(sys.platform != "linux", reason="ru_maxrss as Linux gives it")
def test_peak_is_the_commands_own_whatever_the_parents_size() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PARENT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    big, small, shell = json.loads(done.stdout)
    assert 200 * MB <= big < 300 * MB
    assert small < 40 * MB
    assert shell < 40 * MB


def test_the_wrapper_reports_on_the_given_descriptor() -> None:
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "peak.py"), "--fd", "1", "--", "sh", "-c", "exit 3"],
        capture_output=True,
        text=True,
        check=True,
    )
    report = json.loads(done.stdout)
    assert report["returncode"] == 3
    assert report["seconds"] >= 0
    assert report["peak"] > 0


def test_a_failing_command_fails_the_measure() -> None:
    from bench.paths import run

    with pytest.raises(RuntimeError, match="failed"):
        run(["exit 2"], shell=True)
