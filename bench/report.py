"""The printed report: a plain-text table of medians, the workspace's sizes and the machine.

Plain text (not a rich table) so it reads the same in a terminal, a log file or a commit message,
and never wraps its rows to the width of whatever captured it.
"""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from pathlib import Path

from bench.generate import GeneratedData
from bench.insert_latency import Result

COLUMNS = ("measure", "system", "median", "min", "max", "ratio vs baseline")


@dataclass(frozen=True)
class Sizes:
    """The workspace as measured, taken before the timed inserts."""

    articles: int
    article_words: int
    article_bytes: int
    highlights: int
    tags: int
    annotated_articles: int
    most_highlights: int
    baseline_bytes: int
    largest_file_bytes: int
    largest_file_highlights: int


def measure_sizes(data: GeneratedData) -> Sizes:
    article_bytes = sum(
        entry.stat().st_size for entry in os.scandir(data.workspace.articles_dir) if entry.is_file()
    )
    largest_id, largest_bytes = data.largest_highlight_file
    counts = data.highlight_counts
    return Sizes(
        articles=len(data.article_ids),
        article_words=data.article_words,
        article_bytes=article_bytes,
        highlights=data.highlight_total,
        tags=len(data.tags),
        annotated_articles=len(counts),
        most_highlights=max(counts.values(), default=0),
        baseline_bytes=data.baseline_path.stat().st_size,
        largest_file_bytes=largest_bytes,
        largest_file_highlights=counts.get(largest_id, 0),
    )


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.2f} ms"


def _ratio(value: float, baseline: float) -> str:
    ratio = value / baseline
    return f"{ratio:.4f}" if ratio < 0.1 else f"{ratio:.2f}"


def _speed(value: float, baseline: float) -> str:
    if value <= baseline:
        return f"{baseline / value:,.1f}x faster"
    return f"{value / baseline:,.1f}x slower"


def _bytes(n: int) -> str:
    for unit, size in (("GB", 1e9), ("MB", 1e6), ("kB", 1e3)):
        if n >= size:
            return f"{n:,} B ({n / size:.1f} {unit})"
    return f"{n:,} B"


def format_table(results: list[Result]) -> str:
    """The table of medians; the ratio is each median over the baseline's median."""
    baseline = next(r for r in results if r.baseline)
    rows = [
        (
            r.measure,
            r.system,
            _ms(r.median),
            _ms(r.minimum),
            _ms(r.maximum),
            _ratio(r.median, baseline.median),
        )
        for r in results
    ]
    widths = [max(len(str(row[i])) for row in [COLUMNS, *rows]) for i in range(len(COLUMNS))]
    right = {2, 3, 4, 5}

    def line(cells: tuple[str, ...]) -> str:
        parts = [
            cell.rjust(widths[i]) if i in right else cell.ljust(widths[i])
            for i, cell in enumerate(cells)
        ]
        return "| " + " | ".join(parts) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    return "\n".join([line(COLUMNS), rule, *(line(row) for row in rows)])


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


def format_report(
    results: list[Result],
    sizes: Sizes,
    *,
    runs: int,
    out_dir: Path,
    phases: dict[str, float],
) -> str:
    baseline = next(r for r in results if r.baseline)
    ours = results[0]
    lines = [
        f"Benchmark: add one highlight, durable — median of {runs} timed inserts per system "
        "after 1 warm-up",
        "",
        format_table(results),
        "",
        f"At the median, ours takes {ours.median / baseline.median:.4f} of the baseline's time "
        f"({_speed(ours.median, baseline.median)}).",
        "",
        "Workspace",
        f"  articles:                  {sizes.articles:,} ({sizes.article_words:,} words, "
        f"{_bytes(sizes.article_bytes)})",
        f"  highlights:                {sizes.highlights:,} over {sizes.annotated_articles:,} "
        f"articles (at most {sizes.most_highlights:,} in one), {sizes.tags} tags",
        f"  baseline file:             {_bytes(sizes.baseline_bytes)}",
        f"  largest per-article file:  {_bytes(sizes.largest_file_bytes)} "
        f"({sizes.largest_file_highlights:,} highlights)",
        "",
        "Machine",
        f"  python:       {platform.python_implementation()} {platform.python_version()}",
        f"  platform:     {platform.platform()}",
        f"  cpus:         {os.cpu_count()} ({_cpu_model()})",
        f"  file system:  {_filesystem(out_dir)}",
        "",
        "Time",
        *(f"  {name + ':':<13} {seconds:.1f} s" for name, seconds in phases.items()),
    ]
    return "\n".join(lines)
