"""``python -m bench.peak [--fd N] COMMAND...`` (or ``python bench/peak.py …``): run COMMAND,
then report its time, its own peak memory and its CPU time as one JSON line on file descriptor N
(default 2): ``{"seconds": …, "peak": …, "cpu": …, "returncode": …}``, ``peak`` in bytes,
``cpu`` user and system seconds (with those of its own children, workers say).

Why a process of its own: on Linux, ``ru_maxrss`` of a child is at least the resident size
of the process it was forked from, at the moment it exec'd (the kernel carries the old
memory's high-water mark across ``exec``). Forked from the benchmark, which holds a generated
workspace's data, every command read as large as the benchmark itself (738 MB for
``reader list``). This wrapper has exec'd, so it is small (a bare Python, ≈10 MB, which is
also the least any command can read through it); the command it forks reads its own peak.

The time is taken here, from just before the fork to the end of ``wait4``: the wrapper's own
start is not in it. The command keeps the wrapper's standard streams.
"""

from __future__ import annotations

import json
import os
import sys
import time


def measure(command: list[str]) -> dict[str, float | int]:
    """Run ``command`` (standard streams inherited) and wait for it: seconds from the fork to
    its end, its peak resident memory in bytes, its CPU seconds and its exit code."""
    started = time.perf_counter()
    pid = os.posix_spawnp(command[0], command, os.environ)
    _, status, usage = os.wait4(pid, 0)
    seconds = time.perf_counter() - started
    # Linux gives ru_maxrss in KiB (macOS in bytes; the benchmarks run on Linux).
    peak = usage.ru_maxrss * (1 if sys.platform == "darwin" else 1024)
    return {
        "seconds": seconds,
        "peak": peak,
        "cpu": usage.ru_utime + usage.ru_stime,
        "returncode": os.waitstatus_to_exitcode(status),
    }


def main(argv: list[str]) -> int:
    fd = 2
    if argv[:1] == ["--fd"]:
        fd, argv = int(argv[1]), argv[2:]
    if fd > 2:
        os.set_inheritable(fd, False)  # the command's own children do not hold the report open
    if argv[:1] == ["--"]:
        argv = argv[1:]
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    report = measure(argv)
    os.write(fd, (json.dumps(report) + "\n").encode())
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
