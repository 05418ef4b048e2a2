"""The paths a person takes (issue 22), each as a whole process, next to a baseline run in the
same run: rows 9a–9h.

* 9a–9c ``reader FILE.md`` → first text in tmux, on an already imported 1 MB file by path, by
  article id, and as a first import into a new workspace; vs the minimal Textual app.
* 9d ``reader search WORD`` (the commonest word, warm index, every match printed) vs
  ``grep -ri`` and ``grep -ril`` over the articles folder.
* 9e the first search of a workspace (the index built, progress bar and all), and 9f the
  index's size against the display text's (UTF-8).
* 9g the first ``reader export --format w3c`` (no remembered anchor checks) and 9h its peak
  memory; vs the warm export and ``jq`` over the highlight files.
* 9i ``reader list --json`` (warm: a first run wrote its output cache) vs reading the app's
  caches (summaries, highlight counts).
* 9j the first app open with no caches vs a warm open (tmux, to the list).
* 9k ``reader annotate`` vs ``reader --help`` (9l: vs ``python -c pass``).
* 9m one page-down → screen changed, in tmux: reader on the 1 MB article vs a minimal Line API
  scroller (:mod:`bench.line_scroller`) and ``less`` on its display text.

Processes are timed from start to exit by :mod:`bench.peak`, which also reads their own peak
memory (``os.wait4``; a child of this large process would read at least its size).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench import tmux
from bench.generate import GeneratedData
from bench.launch import MARKER, MINIMAL, build_article, minimal_app, reader_command
from bench.report import Row
from corpus.library import Library
from corpus.search import SearchIndex

Say = Callable[[str], None]
READER = [sys.executable, "-c", "from reader.startup import main; main()"]
# Run by path (it imports only the standard library), so from any cwd and as small as can be.
PEAK = str(Path(__file__).with_name("peak.py"))


def run(command: list[str], cwd: Path | None = None, shell: bool = False) -> tuple[float, int]:
    """Seconds from start to exit, and the process's own peak resident memory in bytes."""
    report = measured(command, cwd, shell)
    return float(report["seconds"]), int(report["peak"])


def measured(command: list[str], cwd: Path | None = None, shell: bool = False) -> dict[str, Any]:
    """What :mod:`bench.peak` reports of one run of ``command`` (seconds, peak memory, CPU
    seconds). It times the command and reads its peak: a child forked from this process
    would read at least this process's size (see there)."""
    read, write = os.pipe()
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                PEAK,
                "--fd",
                str(write),
                "--",
                *(command if not shell else ["sh", "-c", command[0]]),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=cwd,
            pass_fds=(write,),
        )
        os.close(write)
        write = -1
        with os.fdopen(read, "rb") as pipe:
            read = -1
            reported = pipe.read()
    finally:
        for fd in (read, write):
            if fd >= 0:
                os.close(fd)
    if process.wait() != 0 or not reported:
        raise RuntimeError(f"{command}: bench.peak failed ({process.returncode})")
    report: dict[str, Any] = json.loads(reported)
    if report["returncode"] not in (0, 1):  # grep says 1 for no match
        raise RuntimeError(f"{command} failed ({report['returncode']})")
    return report


def _median(values: list[float]) -> float:
    return sorted(values)[len(values) // 2]


def _times(command: list[str], runs: int, shell: bool = False) -> list[float]:
    return [run(command, shell=shell)[0] for _ in range(runs)]


# -- 9a–9c: open a file ----------------------------------------------------------------------------
def open_rows(runs: int, size: int, say: Say) -> list[Row]:
    rows = [
        Row(
            "9a",
            f"reader FILE.md, {size / 1e6:.2g} MB, imported → first text",
            "s",
            None,
            baseline_name=MINIMAL,
            max_ratio=1.5,
        ),
        Row("9b", "… by article id", "s", None, baseline_name=MINIMAL, max_ratio=1.5),
        Row("9c", "… first import of FILE.md", "s", None, baseline_name=MINIMAL, max_ratio=1.5),
    ]
    if not tmux.available():
        for row in rows:
            row.status = "skipped: no tmux"
        return rows
    with tempfile.TemporaryDirectory(prefix="reader-paths-") as tmp, tmux.tmux_server():
        root = Path(tmp)
        article = root / "launch-benchmark.md"
        build_article(article, size)
        workspace = root / "workspace"
        subprocess.run(
            reader_command(workspace, "import", str(article)), check=True, capture_output=True
        )
        minimal = minimal_app(root)
        for n in range(runs):
            base = tmux.time_to_text(minimal, MARKER)
            fresh = root / f"fresh-{n}"
            commands = (
                reader_command(workspace, str(article)),
                reader_command(workspace, "launch-benchmark"),
                reader_command(fresh, str(article)),
            )
            for row, command in zip(rows, commands, strict=True):
                row.baseline.append(base)
                row.ours.append(tmux.time_to_text(command, MARKER, timeout=60))
            say(
                f"open {n + 1}/{runs}: "
                + ", ".join(f"{r.ours[-1]:.2f}" for r in rows)
                + f" s; minimal {base:.2f} s"
            )
    return rows


# -- 9d–9f: search ---------------------------------------------------------------------------------
def common_word(index: SearchIndex) -> str:
    import sqlite3

    with sqlite3.connect(index.path) as db:
        db.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, terms, 'row')")
        row = db.execute(
            "SELECT term FROM temp.vocab WHERE length(term) >= 6 AND term GLOB '[a-z]*' "
            "ORDER BY doc DESC, term LIMIT 1"
        ).fetchone()
    return str(row[0]) if row else "the"


def search_rows(data: GeneratedData, runs: int, say: Say) -> list[Row]:
    ws = data.workspace
    index = SearchIndex(Library(ws))
    index.discard()
    say("first search: building the index in a reader search process")
    probe = "zzzzqqqq"  # found nowhere: the build alone, nothing to print
    build, build_rss = run([*READER, "--workspace", str(ws.root), "search", probe])
    word = common_word(index)
    size = sum(
        os.path.getsize(f"{index.path}{s}")
        for s in ("", "-wal")
        if os.path.exists(f"{index.path}{s}")
    )
    text_bytes = index.display_bytes()
    search = Row(
        "9d",
        f"reader search {word} (all matches printed, warm index)",
        "s",
        0.3,
        baseline_name="grep -ri",
    )
    grep_l: list[float] = []
    command = [*READER, "--workspace", str(ws.root), "search", word]
    grep = f"grep -ri {word} {ws.articles_dir} > /dev/null"
    grep_list = f"grep -ril {word} {ws.articles_dir} > /dev/null"
    for n in range(runs):
        search.ours.append(run(command)[0])
        search.baseline.append(run([grep], shell=True)[0])
        grep_l.append(run([grep_list], shell=True)[0])
        say(
            f"search {n + 1}/{runs}: {search.ours[-1]:.2f} s, grep -ri "
            f"{search.baseline[-1]:.2f} s, grep -ril {grep_l[-1]:.2f} s"
        )
    matches = subprocess.run(command, capture_output=True, text=True).stdout.splitlines()
    search.details.append(
        f"{matches[-1] if matches else '?'}; "
        f"grep -ril median {sorted(grep_l)[len(grep_l) // 2]:.2f} s"
    )
    first = Row(
        "9e",
        "first search of a new workspace (index build)",
        "s",
        5.0,
        baseline_name="reading every file (cat)",
    )
    first.ours.append(build)
    reading = f"find {ws.articles_dir} -name '*.md' -exec cat {{}} + > /dev/null"
    first.baseline.append(run([reading], shell=True)[0])
    first.details.append(f"one run, peak memory {build_rss / 1e6:.0f} MB")
    sized = Row(
        "9f", "search index size", "MB", None, baseline_name="display text (UTF-8)", max_ratio=1.5
    )
    sized.ours.append(size)
    sized.baseline.append(text_bytes)
    return [search, first, sized]


# -- 9g–9h: first export ---------------------------------------------------------------------------
def export_rows(data: GeneratedData, runs: int, say: Say) -> list[Row]:
    ws = data.workspace
    cold_runs = max(1, min(runs, 3))
    with tempfile.TemporaryDirectory(prefix="reader-export-") as tmp:
        out = Path(tmp) / "out.json"
        command = [
            *READER,
            "--workspace",
            str(ws.root),
            "export",
            "--format",
            "w3c",
            "-o",
            str(out),
            "--force",
        ]
        first = Row(
            "9g",
            "first reader export --format w3c (cold)",
            "s",
            3.0,
            baseline_name="the warm export",
        )
        peak = Row("9h", "… its peak memory", "MB", 300e6, baseline_name="the warm export")
        cpu: tuple[list[float], list[float]] = ([], [])
        for n in range(cold_runs):
            (ws.cache_dir / "anchor-checks.json").unlink(missing_ok=True)
            for times, mem, used in zip(
                (first.ours, first.baseline), (peak.ours, peak.baseline), cpu, strict=True
            ):  # cold, then warm
                report = measured(command)
                times.append(report["seconds"])
                mem.append(report["peak"])
                used.append(report["cpu"])
            say(
                f"export {n + 1}/{cold_runs}: cold {first.ours[-1]:.2f} s "
                f"({peak.ours[-1] / 1e6:.0f} MB, CPU {cpu[0][-1]:.1f} s), warm "
                f"{first.baseline[-1]:.2f} s ({peak.baseline[-1] / 1e6:.0f} MB, "
                f"CPU {cpu[1][-1]:.1f} s)"
            )
    if shutil.which("jq"):
        reading = f"find {ws.annotations_dir} -name '*.json' -exec jq -c . {{}} + > /dev/null"
        name = "jq"
    else:
        reading = (
            f'{sys.executable} -c "import json,glob,sys; [json.load(open(p)) for p in '
            f"glob.glob(sys.argv[1] + '/*.json')]\" {ws.annotations_dir}"
        )
        name = "python json"
    floor = _times([reading], cold_runs, shell=True)
    first.details.append(
        f"{name} over the highlight files: median {sorted(floor)[len(floor) // 2]:.2f} s; "
        f"CPU (user + system, workers included) median {_median(cpu[0]):.1f} s cold, "
        f"{_median(cpu[1]):.1f} s warm"
    )
    return [first, peak]


# -- 9i: list --------------------------------------------------------------------------------------
CACHED_LIST = (
    "import sys; from pathlib import Path; from corpus.workspace import Workspace; "
    "from corpus.library import Library; from annotations.store import AnnotationStore; "
    "from annotations.counts import highlight_counts; ws = Workspace(Path(sys.argv[1])); "
    "Library(ws).summaries(); highlight_counts(AnnotationStore(ws))"
)


def list_row(data: GeneratedData, runs: int, say: Say) -> Row:
    ws = data.workspace
    row = Row(
        "9i",
        f"reader list --json, {len(data.article_ids):,} articles",
        "s",
        0.3,
        baseline_name="the app's cached list",
    )
    command = [*READER, "--workspace", str(ws.root), "list", "--json"]
    cached = [sys.executable, "-c", CACHED_LIST, str(ws.root)]
    run(cached)  # the caches exist
    run(command)  # and the list's own (annotations/list_cache.py), as after any earlier list
    peaks = []
    for n in range(runs):
        seconds, rss = run(command)
        row.ours.append(seconds)
        peaks.append(rss)
        row.baseline.append(run(cached)[0])
        say(
            f"list {n + 1}/{runs}: {seconds:.2f} s ({rss / 1e6:.0f} MB), cached "
            f"{row.baseline[-1]:.2f} s"
        )
    row.details.append(f"peak memory median {sorted(peaks)[len(peaks) // 2] / 1e6:.0f} MB")
    return row


# -- 9j: first open --------------------------------------------------------------------------------
def first_open_row(data: GeneratedData, runs: int, say: Say) -> Row:
    from bench.app_open import list_marker

    row = Row(
        "9j", "first app open, no caches → list (tmux)", "s", 1.0, baseline_name="a warm open"
    )
    if not tmux.available():
        row.status = "skipped: no tmux"
        return row
    marker = list_marker(data)
    command = reader_command(data.workspace.root)
    with tmux.tmux_server():
        for n in range(max(1, min(runs, 3))):
            for name in ("articles.json", "highlight-counts.json"):
                (data.workspace.cache_dir / name).unlink(missing_ok=True)
            row.ours.append(tmux.time_to_text(command, marker, timeout=120))
            row.baseline.append(tmux.time_to_text(command, marker, timeout=60))
            say(f"first open {n + 1}: {row.ours[-1]:.2f} s, warm {row.baseline[-1]:.2f} s")
    return row


# -- 9k–9l: start-up -------------------------------------------------------------------------------
def startup_rows(data: GeneratedData, runs: int, say: Say) -> list[Row]:
    ws = data.workspace
    library = Library(ws)
    article_id = (
        max(data.highlight_counts, key=lambda a: data.highlight_counts[a])
        if data.highlight_counts
        else data.article_ids[0]
    )
    words = library.display(article_id).text.split()
    quote = " ".join(words[3:8])
    annotate = [*READER, "--workspace", str(ws.root), "annotate", article_id]
    annotate += ["--quote", quote, "--tag", "bench-start-up"]
    helped = [*READER, "--help"]
    nothing = [sys.executable, "-c", "pass"]
    total = sum(data.highlight_counts.values())
    row = Row(
        "9k",
        f"reader annotate, {total:,} highlights, whole process",
        "s",
        None,
        baseline_name="reader --help",
    )
    helps = Row("9l", "reader --help", "s", 0.06, baseline_name="python -c pass")
    # The first makes the highlight; the timed ones find it there (same quote and tag) and
    # say so. It is deleted at the end, so the workspace's counts stay the generated ones.
    made = subprocess.run(annotate, capture_output=True, text=True, check=True).stdout.split()
    for n in range(runs):
        row.ours.append(run(annotate)[0])
        h = run(helped)[0]
        row.baseline.append(h)
        helps.ours.append(h)
        helps.baseline.append(run(nothing)[0])
        say(
            f"start-up {n + 1}/{runs}: annotate {row.ours[-1] * 1000:.0f} ms, --help "
            f"{h * 1000:.0f} ms, python {helps.baseline[-1] * 1000:.0f} ms"
        )
    from annotations.store import AnnotationStore

    with AnnotationStore(ws) as store:
        if made:
            store.delete_highlight(article_id, made[-1])
        store.delete_tag("bench-start-up")
    base = row.baseline_median
    row.target = (base or 0) + 0.010  # reader --help + 10 ms, in this run
    row.details.append("target: this run's reader --help median + 10 ms")
    return [row, helps]


# -- 9m: page-down in tmux -------------------------------------------------------------------------
@contextmanager
def _pane(command: list[str], marker: str) -> Iterator[str]:
    import shlex

    session = f"bench-scroll-{time.monotonic_ns()}"
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            str(tmux.WIDTH),
            "-y",
            str(tmux.HEIGHT),
            "-e",
            "TERM=xterm-256color",
            " ".join(map(shlex.quote, command)),
        ],
        check=True,
    )
    try:
        deadline = time.perf_counter() + 60
        while marker not in _screen(session):
            if time.perf_counter() > deadline:
                raise RuntimeError(f"{marker!r} never showed for {command}")
            time.sleep(0.02)
        time.sleep(0.5)  # let start-up work settle
        yield session
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def _screen(session: str) -> str:
    return subprocess.run(
        ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
    ).stdout


def _page_downs(session: str, presses: int) -> list[float]:
    times = []
    for _ in range(presses):
        before = _screen(session)
        started = time.perf_counter()
        subprocess.run(["tmux", "send-keys", "-t", session, "NPage"], check=True)
        while _screen(session) == before:
            if time.perf_counter() - started > 3:
                if times:  # the end of a short text (the smoke run's)
                    return times
                raise RuntimeError("the screen did not change after a page-down")
        times.append(time.perf_counter() - started)
        time.sleep(0.05)
    return times


def scroll_row(data: GeneratedData, presses: int, say: Say) -> Row:
    row = Row(
        "9m",
        "one page-down → screen changed (tmux)",
        "s",
        None,
        baseline_name="minimal Line API scroller",
        max_ratio=1.2,
    )
    if not tmux.available() or not data.big_article_id:
        row.status = "skipped: no tmux"
        return row
    text = Library(data.workspace).display(data.big_article_id).text
    marker = text.split("\n", 1)[0][:20]
    with tempfile.TemporaryDirectory(prefix="reader-scroll-") as tmp, tmux.tmux_server():
        shown = Path(tmp) / "text.txt"
        shown.write_text(text, encoding="utf-8")
        programs = {
            "reader": reader_command(data.workspace.root, data.big_article_id),
            "scroller": [sys.executable, "-m", "bench.line_scroller", str(shown)],
            "less": ["less", str(shown)],
        }
        figures: dict[str, list[float]] = {}
        for name, command in programs.items():
            with _pane(command, marker) as session:
                _page_downs(session, 3 if presses >= 10 else 1)  # warm-up
                figures[name] = _page_downs(session, presses)
            median = sorted(figures[name])[len(figures[name]) // 2]
            say(f"page-down, {name}: median {median * 1000:.1f} ms")
    row.ours = figures["reader"]
    row.baseline = figures["scroller"]
    row.unit = "ms"
    less = sorted(figures["less"])[len(figures["less"]) // 2]
    row.details.append(
        f"less: median {less * 1000:.1f} ms; up to {presses} timed presses each, after "
        "warm-up presses; tmux capture-pane polled without pause"
    )
    return row


def measure_paths(
    data: GeneratedData, runs: int, big: int, presses: int, say: Say, only: set[str] | None = None
) -> list[Row]:
    """Rows 9a–9m; ``only``: of "open", "search", "export", "list", "first-open",
    "start-up", "scroll" (default all)."""
    parts: dict[str, Callable[[], list[Row]]] = {
        "open": lambda: open_rows(runs, big, say),
        "search": lambda: search_rows(data, runs, say),
        "export": lambda: export_rows(data, runs, say),
        "list": lambda: [list_row(data, runs, say)],
        "first-open": lambda: [first_open_row(data, runs, say)],
        "start-up": lambda: startup_rows(data, runs, say),
        "scroll": lambda: [scroll_row(data, presses, say)],
    }
    rows: list[Row] = []
    for name, part in parts.items():
        if only is None or name in only:
            say(f"9: {name}…")
            rows.extend(part())
    return rows
