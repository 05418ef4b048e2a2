"""The printed report: one plain-text table of every measure, then details, sizes and machine.

Plain text (not a rich table) so it reads the same in a terminal, a log file or a commit message,
and never wraps its rows to the width of whatever captured it.
"""

from __future__ import annotations

import os
import platform
import statistics
from dataclasses import dataclass, field
from pathlib import Path

from bench.generate import GeneratedData

COLUMNS = ("#", "measure", "reader", "baseline", "ratio", "target", "met")
PENDING = "pending"


@dataclass
class Row:
    """One measure: reader's samples and the baseline's, taken in the same run.

    Samples are seconds, or bytes when ``unit`` is ``"MB"``. ``target`` is in the same base
    unit; ``max_ratio`` is a second target on reader's median over the baseline's.
    """

    number: str
    measure: str
    unit: str  # "ms", "s" or "MB"
    target: float | None
    ours: list[float] = field(default_factory=list)
    baseline_name: str = ""
    baseline: list[float] = field(default_factory=list)
    max_ratio: float | None = None
    status: str = ""  # "" when measured, else why not: "pending", "skipped: ..."
    details: list[str] = field(default_factory=list)

    @property
    def median(self) -> float:
        return statistics.median(self.ours)

    @property
    def baseline_median(self) -> float | None:
        return statistics.median(self.baseline) if self.baseline else None

    @property
    def ratio(self) -> float | None:
        base = self.baseline_median
        return self.median / base if base else None

    def met(self) -> str:
        if self.status or not self.ours:
            return self.status or "not run"
        misses = []
        if self.target is not None and self.median > self.target:
            misses.append(f"+{(self.median / self.target - 1) * 100:.0f}%")
        ratio = self.ratio
        if self.max_ratio is not None and ratio is not None and ratio > self.max_ratio:
            misses.append(f"ratio {ratio:.2f}x")
        return "yes" if not misses else "NO (" + ", ".join(misses) + ")"


def value(seconds_or_bytes: float, unit: str) -> str:
    if unit == "MB":
        return f"{seconds_or_bytes / 1e6:.0f} MB"
    if unit == "ms":
        return f"{seconds_or_bytes * 1000:.1f} ms"
    return f"{seconds_or_bytes:.2f} s"


def _target(row: Row) -> str:
    parts = []
    if row.target is not None:
        parts.append(
            "≤ " + value(row.target, row.unit).replace(".00 s", " s").replace(".0 ms", " ms")
        )
    if row.max_ratio is not None:
        parts.append(f"≤ {row.max_ratio:g}x baseline")
    return ", ".join(parts) or "—"


def _cells(row: Row) -> tuple[str, ...]:
    if row.status or not row.ours:
        base = row.baseline_name or "—"
        return (row.number, row.measure, row.status or "not run", base, "", _target(row), row.met())
    base_median = row.baseline_median
    base = "—" if base_median is None else f"{value(base_median, row.unit)} {row.baseline_name}"
    ratio = row.ratio
    shown_ratio = "" if ratio is None else (f"{ratio:.4f}" if ratio < 0.01 else f"{ratio:.2f}")
    return (
        row.number,
        row.measure,
        value(row.median, row.unit),
        base,
        shown_ratio,
        _target(row),
        row.met(),
    )


def format_table(rows: list[Row]) -> str:
    """The table: medians of reader and of the baseline, their ratio, the target, met or not."""
    lines = [COLUMNS, *(_cells(r) for r in rows)]
    widths = [max(len(line[i]) for line in lines) for i in range(len(COLUMNS))]
    right = {2, 4}

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(lines[0]), rule, *(line(c) for c in lines[1:])])


def format_details(rows: list[Row]) -> str:
    out = []
    for row in rows:
        if not row.ours and not row.details:
            continue
        out.append(f"{row.number}. {row.measure}")
        if row.ours:
            out.append(
                f"   reader:   median {value(row.median, row.unit)}, min "
                f"{value(min(row.ours), row.unit)}, max {value(max(row.ours), row.unit)} "
                f"({len(row.ours)} samples)"
            )
        if row.baseline:
            out.append(
                f"   baseline: {row.baseline_name}: median "
                f"{value(statistics.median(row.baseline), row.unit)}, min "
                f"{value(min(row.baseline), row.unit)}, max {value(max(row.baseline), row.unit)} "
                f"({len(row.baseline)} samples)"
            )
        out.extend(f"   {d}" for d in row.details)
    return "\n".join(out)


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n:,} B ({n / size:.1f} {unit})"
    return f"{n:,} B"


def format_workspace(data: GeneratedData) -> str:
    ws = data.workspace
    article_bytes = sum(
        e.stat().st_size for e in os.scandir(ws.articles_dir) if e.is_file() and e.name[0] != "."
    )
    big = ws.article_file(data.big_article_id).stat().st_size if data.big_article_id else 0
    counts = data.highlight_counts
    baseline = data.baseline_path.stat().st_size if data.baseline_path.exists() else 0
    largest_id, largest = data.largest_highlight_file
    return "\n".join(
        [
            "Workspace",
            f"  articles:                  {len(data.article_ids):,} ({data.article_words:,} "
            f"words, {_bytes(article_bytes)}); the longest, {data.big_article_id}, "
            f"{_bytes(big)}",
            f"  highlights:                {data.highlight_total:,} over {len(counts):,} "
            f"articles (at most {max(counts.values(), default=0):,} in one), "
            f"{len(data.tags)} tags",
            f"  largest highlights file:   {_bytes(largest)} "
            f"({counts.get(largest_id, 0):,} highlights)",
            f"  TinyDB baseline file:      {_bytes(baseline)}",
        ]
    )


def _filesystem(path: Path) -> str:
    """The file system type and device of the mount holding ``path`` (Linux), else '?'."""
    try:
        mounts = Path("/proc/mounts").read_text().splitlines()
    except OSError:
        return "?"
    target = str(path.resolve())
    best = ("", "?")
    for entry in mounts:
        fields = entry.split()
        if len(fields) < 3:
            continue
        point = fields[1]
        inside = target == point or target.startswith(point.rstrip("/") + "/")
        if inside and len(point) > len(best[0]):
            best = (point, f"{fields[2]} on {fields[0]} (mounted at {point})")
    return best[1]


def _cpu_model() -> str:
    try:
        for entry in Path("/proc/cpuinfo").read_text().splitlines():
            if entry.startswith("model name"):
                return entry.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def _memory() -> str:
    try:
        for entry in Path("/proc/meminfo").read_text().splitlines():
            if entry.startswith("MemTotal:"):
                return f"{int(entry.split()[1]) / 1024**2:.1f} GiB"
    except (OSError, ValueError):
        pass
    return "?"


def format_machine(out_dir: Path) -> str:
    import textual

    return "\n".join(
        [
            "Machine",
            f"  python:       {platform.python_implementation()} {platform.python_version()}, "
            f"Textual {textual.__version__}",
            f"  platform:     {platform.platform()}",
            f"  cpus:         {os.cpu_count()} ({_cpu_model()}), memory {_memory()}",
            f"  load:         {' '.join(f'{x:.2f}' for x in os.getloadavg())} (1, 5, 15 min)",
            f"  file system:  {_filesystem(out_dir)}",
        ]
    )


def format_report(
    rows: list[Row], workspace: str, *, runs: int, out_dir: Path, phases: dict[str, float]
) -> str:
    """The whole report; ``workspace`` is :func:`format_workspace`'s text, taken before a
    temporary workspace is removed."""
    return "\n".join(
        [
            f"reader benchmarks: medians over {runs} runs (see details), each next to a baseline "
            "measured in the same run",
            "",
            format_table(rows),
            "",
            "Details",
            format_details(rows),
            "",
            workspace,
            "",
            format_machine(out_dir),
            "",
            "Time",
            *(f"  {name + ':':<22} {seconds:.1f} s" for name, seconds in phases.items()),
        ]
    )
