"""Key press → repaint while scrolling a 1 MB article, in-process, against Textual's TextArea.

``python -m bench.scroll --workspace W --article ID`` opens reader on the article (120x40,
headless, through ``App.run_test``), focuses the reading pane and presses ``pagedown`` and then
``down`` many times. Each press is timed from just before the key is sent until the last frame
it caused has been composed and handed to the driver (``App._display``): the key's handling,
the layout and the compositor's render of the changed region, which is what a terminal then
draws. Results are printed as JSON.

Textual paces frames at ``TEXTUAL_FPS`` (60 by default): a refresh waits for the next tick, up
to 16.7 ms, in any Textual app. :func:`measure_scroll` runs this module with
``TEXTUAL_FPS=1000`` so that the figure is the work per frame, not the pacing; on a real
terminal add up to one 60 Hz tick to both systems alike.

The baseline is Textual's own read-only ``TextArea`` (soft wrap on) holding the same display
text, full screen, pressed the same keys: the stock widget for a long text.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.app import App, ComposeResult
from textual.widgets import TextArea

from bench.report import Row

QUIET = 0.05  # no frame for this long after a press: the press is fully drawn
WARMUP = 3  # presses of each key not counted (first paints of new rows, caches)


class _Baseline(App[None]):
    def __init__(self, text: str) -> None:
        super().__init__()
        self.text = text

    def compose(self) -> ComposeResult:
        yield TextArea(self.text, read_only=True, soft_wrap=True, show_line_numbers=False)

    def on_mount(self) -> None:
        self.query_one(TextArea).focus()


def _frame_clock(app: App[Any]) -> list[float]:
    """Record when each frame is handed to the driver."""
    frames: list[float] = []
    display = app._display

    def timed(*args: Any, **kwargs: Any) -> None:
        display(*args, **kwargs)
        frames.append(time.perf_counter())

    app._display = timed  # type: ignore[method-assign]
    return frames


async def _time_presses(app: App[Any], keys: Sequence[str], count: int) -> dict[str, list[float]]:
    out: dict[str, list[float]] = {}
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause(0.5)  # the first paint and any follow-up layout are done
        frames = _frame_clock(app)
        for key in keys:
            samples: list[float] = []
            for n in range(count + WARMUP):
                seen = len(frames)
                started = time.perf_counter()
                await pilot.press(key)
                while True:  # until no new frame for QUIET seconds
                    before = len(frames)
                    await asyncio.sleep(QUIET)
                    if len(frames) == before:
                        break
                if len(frames) == seen:
                    raise RuntimeError(f"{key}: no frame was drawn")
                if n >= WARMUP:
                    samples.append(frames[-1] - started)
            out[key] = samples
    return out


def run(workspace: Path, article_id: str, count: int) -> dict[str, Any]:
    """Time ``count`` presses of pagedown, then of down, in reader and in the baseline."""
    from annotations.store import AnnotationStore
    from corpus.workspace import Workspace
    from reader.app import ReaderApp

    keys = ("pagedown", "down")
    store = AnnotationStore(Workspace(workspace))
    text = store.library.display(article_id).text
    ours = asyncio.run(_time_presses(ReaderApp(store, article_id), keys, count))
    store.close()
    baseline = asyncio.run(_time_presses(_Baseline(text), keys, count))
    return {
        "fps": os.environ.get("TEXTUAL_FPS", "60"),
        "chars": len(text),
        "reader": ours,
        "baseline": baseline,
    }


def measure_scroll(workspace: Path, article_id: str, count: int) -> dict[str, Any]:
    """Run :func:`run` in a fresh interpreter with Textual's frame pacing at 1000 fps."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.scroll",
            "--workspace",
            str(workspace),
            "--article",
            article_id,
            "--presses",
            str(count),
        ],
        env={**os.environ, "TEXTUAL_FPS": "1000"},
        capture_output=True,
        text=True,
        timeout=600,
        cwd=Path(__file__).resolve().parents[1],
    )
    if done.returncode != 0:
        raise RuntimeError(f"bench.scroll failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout)
    return result


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.scroll", description=__doc__)
    parser.add_argument("--workspace", type=Path, required=True)
    parser.add_argument("--article", required=True)
    parser.add_argument("--presses", type=int, default=30, help="timed presses of each key")
    parser.add_argument("--human", action="store_true", help="a summary instead of JSON")
    args = parser.parse_args(argv)
    result = run(args.workspace, args.article, args.presses)
    if args.human:
        for system in ("reader", "baseline"):
            for key, samples in result[system].items():
                print(
                    f"{system:9} {key:9} median {statistics.median(samples) * 1000:6.1f} ms  "
                    f"max {max(samples) * 1000:6.1f} ms"
                )
    else:
        print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())


def scroll_row(workspace: Path, article_id: str, count: int) -> Row:
    """Row 6: pagedown in reader's reading pane against TextArea; down in the details."""
    row = Row(
        "6",
        "key press → repaint, scrolling the {size} article (pagedown)",
        "ms",
        0.016,
        baseline_name="Textual TextArea",
    )
    result = measure_scroll(workspace, article_id, count)
    chars = result["chars"]
    row.measure = row.measure.format(
        size=f"{chars / 1e6:.2g} MB" if chars >= 100_000 else f"{chars / 1e3:.0f} kB"
    )
    row.ours = result["reader"]["pagedown"]
    row.baseline = result["baseline"]["pagedown"]

    def p90(samples: list[float]) -> float:
        return sorted(samples)[int(0.9 * (len(samples) - 1))]

    for system in ("reader", "baseline"):
        for key, samples in result[system].items():
            row.details.append(
                f"{system} {key}: median {statistics.median(samples) * 1000:.1f} ms, "
                f"p90 {p90(samples) * 1000:.1f} ms, max {max(samples) * 1000:.1f} ms"
            )
    row.details.append(
        f"{result['chars']:,} characters of display text; in-process (App.run_test, 120x40), "
        f"Textual's frame pacing at {result['fps']} fps so the figure is the work per frame"
    )
    return row
