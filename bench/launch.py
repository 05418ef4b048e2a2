"""Launch to first text on screen, in a real terminal (tmux), against a minimal Textual app.

``python -m bench.launch`` builds a 1 MB Markdown article from the sample corpus, imports it into
a fresh workspace, then starts ``reader --workspace W ARTICLE`` in a detached tmux pane and polls
the pane until the article's first words appear. The baseline is a minimal Textual app that shows
one line of text, started and timed the same way in the same run. Medians over ``--runs``.
"""

from __future__ import annotations

import argparse
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from corpus.sample_corpus import sample_articles

MARKER = "Launch benchmark opening line"
MINIMAL_APP = f'''
from textual.app import App
from textual.widgets import Static

class Minimal(App):
    def compose(self):
        yield Static("{MARKER}")

Minimal().run()
'''


def build_article(path: Path, size: int) -> None:
    """Write a Markdown article of about ``size`` bytes made of the sample articles' bodies."""
    bodies = "\n\n".join(a.body for a in sample_articles())
    parts = [f'---\ntitle: "Launch benchmark"\n---\n\n{MARKER}, before a long read.\n\n']
    total = len(parts[0])
    while total < size:
        parts.append(bodies + "\n\n")
        total += len(bodies) + 2
    path.write_text("".join(parts)[:size].rsplit("\n\n", 1)[0] + "\n", encoding="utf-8")


def time_to_text(command: list[str], marker: str, timeout: float = 20.0) -> float:
    """Seconds from starting ``command`` in a 120x40 tmux pane until ``marker`` is on screen."""
    session = f"bench-launch-{time.monotonic_ns()}"
    shell = " ".join(shlex.quote(c) for c in command) + "; sleep 30"
    started = time.perf_counter()
    subprocess.run(
        [
            "tmux",
            "new-session",
            "-d",
            "-s",
            session,
            "-x",
            "120",
            "-y",
            "40",
            "-e",
            "TERM=xterm-256color",
            shell,
        ],
        check=True,
    )
    try:
        while time.perf_counter() - started < timeout:
            screen = subprocess.run(
                ["tmux", "capture-pane", "-p", "-t", session], capture_output=True, text=True
            ).stdout
            if marker in screen:
                return time.perf_counter() - started
            time.sleep(0.005)
        raise RuntimeError(f"{marker!r} never appeared; screen was:\n{screen}")
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.launch", description=__doc__)
    parser.add_argument("--runs", type=int, default=5, help="launches per system (median)")
    parser.add_argument("--size", type=int, default=1_000_000, help="article size in bytes")
    parser.add_argument("--smoke", action="store_true", help="one run of a 20 kB article")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.size = 1, 20_000
    if shutil.which("tmux") is None:
        print("bench.launch: tmux is not installed; skipped", file=sys.stderr)
        return 0
    python = sys.executable
    with tempfile.TemporaryDirectory(prefix="reader-launch-") as tmp:
        root = Path(tmp)
        article = root / "launch-benchmark.md"
        build_article(article, args.size)
        workspace = root / "workspace"
        reader = [
            python,
            "-c",
            "from reader.cli import main; main()",
            "--workspace",
            str(workspace),
        ]
        subprocess.run([*reader, "import", str(article)], check=True, capture_output=True)
        minimal = root / "minimal.py"
        minimal.write_text(MINIMAL_APP)
        rows = {
            "minimal Textual app (baseline)": [python, str(minimal)],
            f"reader, {args.size / 1e6:.2f} MB article": [*reader, "launch-benchmark"],
        }
        results: dict[str, list[float]] = {name: [] for name in rows}
        # tmux's server exits with its last session; a holder session keeps one server for
        # the whole run, so no launch races a server shutting down.
        holder = f"bench-launch-holder-{time.monotonic_ns()}"
        subprocess.run(["tmux", "new-session", "-d", "-s", holder, "sleep 600"], check=True)
        try:
            for _ in range(args.runs):
                for name, command in rows.items():  # interleaved, so drift hits both alike
                    results[name].append(time_to_text(command, MARKER))
        finally:
            subprocess.run(["tmux", "kill-session", "-t", holder], capture_output=True)
    baseline = statistics.median(results["minimal Textual app (baseline)"])
    print(f"Launch → first text on screen, tmux 120x40, median of {args.runs}\n")
    print(f"| {'system':<34} | {'median':>9} | {'min':>9} | {'max':>9} | {'ratio':>6} |")
    print(f"|{'-' * 36}|{'-' * 11}|{'-' * 11}|{'-' * 11}|{'-' * 8}|")
    for name, times in results.items():
        median = statistics.median(times)
        print(
            f"| {name:<34} | {median * 1000:7.0f} ms | {min(times) * 1000:7.0f} ms | "
            f"{max(times) * 1000:7.0f} ms | {median / baseline:5.2f}x |"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
