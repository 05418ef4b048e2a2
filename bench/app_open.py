"""Open the 10,000-article workspace in a real terminal: time to the article list, peak memory.

``reader --workspace W`` is started in a detached 120x40 tmux pane (see :mod:`bench.tmux`) and
the pane polled until the list shows the title of its second row (the first is also the open
article's title, in the header). The list's order is worked out here as the main screen sorts
it: newest first. One second later the process's peak resident memory (``VmHWM``) is read.

The first open is a warm-up, reported apart: it finds no caches of the list under ``.cache``
(article summaries, highlight counts; the bench deletes them) and builds them, and it may make
the hourly backup of the annotations. The timed opens that follow are a person opening their
workspace again. The baseline is the minimal Textual app of
:mod:`bench.launch`, started the same way in the same run, interleaved.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

from annotations.store import AnnotationStore
from bench import tmux
from bench.generate import GeneratedData
from bench.launch import MARKER, MINIMAL, minimal_app, reader_command
from bench.report import Row
from corpus.library import Library

SETTLE = 1.0  # seconds after the list shows before the peak memory is read


def list_marker(data: GeneratedData) -> str:
    """Text only the article list shows: the start of its second row's title. The newest
    article is made the last one read, so the app opens it and the list shows its top."""
    # Library.articles, not summaries: the first open is to find no cache made by the bench.
    articles = Library(data.workspace).articles()
    rows = sorted(articles, key=lambda a: ((a.published or "")[:10], a.title), reverse=True)
    with AnnotationStore(data.workspace) as store:
        store.mark_opened(rows[0].id, position=0)
    return rows[1 if len(rows) > 1 else 0].title[:16]


def measure_open(
    data: GeneratedData, runs: int, progress: Callable[[str], None] | None = None
) -> tuple[Row, Row]:
    """Rows 3 (open → list on screen) and 7 (peak memory with the workspace open)."""
    articles = f"{len(data.article_ids):,}"
    opened = Row(
        "3",
        f"open the {articles}-article workspace → article list on screen (tmux)",
        "s",
        1.0,
        baseline_name=MINIMAL,
    )
    memory = Row(
        "7",
        f"peak memory (VmHWM) with the {articles}-article workspace open",
        "MB",
        300e6,
        baseline_name=MINIMAL,
    )
    if not tmux.available():
        opened.status = memory.status = "skipped: no tmux"
        return opened, memory
    marker = list_marker(data)
    # The first open is to build the caches, in a reused workspace too (they are derived data).
    for name in ("articles.json", "highlight-counts.json"):
        (data.workspace.cache_dir / name).unlink(missing_ok=True)
    reader = reader_command(data.workspace.root)
    with tempfile.TemporaryDirectory(prefix="reader-open-") as tmp, tmux.tmux_server():
        minimal = minimal_app(Path(tmp))
        first = tmux.launch(reader, marker, timeout=120, settle=SETTLE)
        if progress:
            progress(f"first open (builds caches): {first.seconds:.2f} s")
        for n in range(runs):
            base = tmux.launch(minimal, MARKER, settle=SETTLE)
            ours = tmux.launch(reader, marker, timeout=60, settle=SETTLE)
            opened.baseline.append(base.seconds)
            opened.ours.append(ours.seconds)
            if base.peak_rss and ours.peak_rss:
                memory.baseline.append(base.peak_rss)
                memory.ours.append(ours.peak_rss)
            if progress:
                progress(
                    f"open {n + 1}/{runs}: reader {ours.seconds:.2f} s "
                    f"({ours.peak_rss / 1e6:.0f} MB), minimal {base.seconds:.2f} s "
                    f"({base.peak_rss / 1e6:.0f} MB)"
                )
    opened.details += [
        f"first open, with no list caches under .cache (it builds them): {first.seconds:.2f} s "
        f"(peak memory {first.peak_rss / 1e6:.0f} MB)",
        f"marker: {marker!r}, the second row's title in the list",
    ]
    if not memory.ours:
        memory.status = "skipped: no /proc"
    else:
        memory.details.append(
            f"VmHWM {SETTLE:g} s after the list showed; median of the opens of row 3 "
            f"(min {min(memory.ours) / 1e6:.0f}, max {max(memory.ours) / 1e6:.0f} MB); "
            "MB = 10^6 bytes"
        )
    return opened, memory
