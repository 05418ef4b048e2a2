"""Launch to first text on screen, in a real terminal (tmux), against a minimal Textual app.

:func:`measure_launch` builds a 1 MB Markdown article from the sample corpus, imports it into a
fresh workspace, then starts ``reader --workspace W ARTICLE`` in a detached tmux pane and polls
the pane until the article's first words appear. The baseline is a minimal Textual app that
shows one line of text, started and timed the same way in the same run, interleaved. Medians
over the runs. ``python -m bench.launch`` runs this measure alone.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

from bench import tmux
from bench.report import Row, format_details, format_table
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
MINIMAL = "minimal Textual app"


def build_article(path: Path, size: int) -> None:
    """Write a Markdown article of about ``size`` bytes made of the sample articles' bodies."""
    bodies = "\n\n".join(a.body for a in sample_articles())
    parts = [f'---\ntitle: "Launch benchmark"\n---\n\n{MARKER}, before a long read.\n\n']
    total = len(parts[0])
    while total < size:
        parts.append(bodies + "\n\n")
        total += len(bodies) + 2
    path.write_text("".join(parts)[:size].rsplit("\n\n", 1)[0] + "\n", encoding="utf-8")


def reader_command(workspace: Path, *args: str) -> list[str]:
    """The ``reader`` command, run by this interpreter (what its console script runs)."""
    return [
        sys.executable,
        "-c",
        "from reader.startup import main; main()",
        "--workspace",
        str(workspace),
        *args,
    ]


def minimal_app(folder: Path) -> list[str]:
    """The command of the baseline app, written into ``folder``."""
    path = folder / "minimal.py"
    path.write_text(MINIMAL_APP)
    return [sys.executable, str(path)]


def measure_launch(
    runs: int, size: int = 1_000_000, progress: Callable[[str], None] | None = None
) -> Row:
    row = Row(
        "1",
        f"{size / 1e6:.2g} MB article: launch → first text (tmux)",
        "s",
        0.35,
        baseline_name=MINIMAL,
        max_ratio=1.75,
    )
    if not tmux.available():
        row.status = "skipped: no tmux"
        return row
    with tempfile.TemporaryDirectory(prefix="reader-launch-") as tmp:
        root = Path(tmp)
        article = root / "launch-benchmark.md"
        build_article(article, size)
        article_bytes = article.stat().st_size
        workspace = root / "workspace"
        done = subprocess.run(
            reader_command(workspace, "import", str(article)), capture_output=True, text=True
        )
        if done.returncode != 0:
            raise RuntimeError(f"importing the launch article failed: {done.stderr}")
        reader = reader_command(workspace, "launch-benchmark")
        minimal = minimal_app(root)
        with tmux.tmux_server():
            for n in range(runs):  # interleaved, so drift hits both alike
                row.baseline.append(tmux.time_to_text(minimal, MARKER))
                row.ours.append(tmux.time_to_text(reader, MARKER))
                if progress:
                    progress(
                        f"launch {n + 1}/{runs}: reader {row.ours[-1] * 1000:.0f} ms, "
                        f"minimal {row.baseline[-1] * 1000:.0f} ms"
                    )
    row.details.append(
        f"a {article_bytes:,}-byte Markdown article imported into an empty workspace; "
        "polled every 5 ms in a 120x40 pane"
    )
    return row


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.launch", description=__doc__)
    parser.add_argument("--runs", type=int, default=7, help="launches per system (median)")
    parser.add_argument("--size", type=int, default=1_000_000, help="article size in bytes")
    parser.add_argument("--smoke", action="store_true", help="one run of a 20 kB article")
    args = parser.parse_args(argv)
    if args.smoke:
        args.runs, args.size = 1, 20_000
    row = measure_launch(args.runs, args.size)
    print(format_table([row]))
    print()
    print(format_details([row]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
