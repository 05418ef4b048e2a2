"""``python -m bench.agreement``: how long ``reader agree`` takes on 100,000 characters and 20
tags (issue 18), next to a baseline measured in the same run.

Two coders each code one article of 100,000 characters with 1,000 highlights over 20 tags (a
quarter of them nested). Measured: the agreement function alone (:func:`compare`), the whole
``reader agree`` command in a fresh process (start-up, reading the workspace, rendering the
article, printing), and as the baseline the direct way, labelling every unit of every tag for
both coders and counting (what nltk's AnnotationTask and a hand-written check do).
"""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from annotations.agreement import CodedSpan, Counts, compare
from annotations.model import Highlight
from annotations.store import AnnotationStore
from bench.report import Row, format_table
from corpus.article import Article, now_iso
from corpus.library import Library
from corpus.workspace import Workspace

LENGTH = 100_000
TAGS = [f"code{n:02d}" if n % 4 else f"code{n:02d}/sub" for n in range(20)]
RUNS = 7


def _spans(rnd: random.Random, text_length: int) -> list[CodedSpan]:
    out = []
    for _ in range(1_000):
        start = rnd.randrange(0, text_length - 400)
        out.append(CodedSpan("long", start, start + rnd.randrange(20, 400), (rnd.choice(TAGS),)))
    return out


def _unit_by_unit(length: int, a: list[CodedSpan], b: list[CodedSpan], tags: list[str]) -> None:
    for tag in tags:
        marks = []
        for spans in (a, b):
            marked = bytearray(length)
            for s in spans:
                if any(t == tag or t.startswith(tag + "/") for t in s.tags):
                    marked[s.start : s.end] = b"\x01" * (s.end - s.start)
            marks.append(marked)
        pairs = [x * 2 + y for x, y in zip(marks[0], marks[1], strict=True)]
        Counts(pairs.count(3), pairs.count(2), pairs.count(1), pairs.count(0))


def _time(call: object, runs: int = RUNS) -> list[float]:
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        call()  # type: ignore[operator]
        samples.append(time.perf_counter() - started)
    return samples


def main() -> None:
    rnd = random.Random(18)
    words = [
        "the",
        "studio",
        "scanned",
        "faces",
        "of",
        "background",
        "actors",
        "for",
        "one",
        "day",
        "of",
        "pay",
    ]
    body = ""
    while len(body) < LENGTH:
        body += " ".join(rnd.choice(words) for _ in range(12)).capitalize() + ".\n\n"
    with tempfile.TemporaryDirectory() as tmp:
        ws = Workspace(Path(tmp) / "ws")
        ws.ensure()
        Library(ws).save(Article(id="long", title="Long", body=body))
        with AnnotationStore(ws) as store:
            text = store.library.display("long").text
            length = len(text)
            a, b = _spans(rnd, length), _spans(rnd, length)
            made = [
                Highlight.on_text(
                    "long", text, s.start, s.end, tags=list(s.tags), stamp=now_iso(), coder=coder
                )
                for coder, spans in (("ana", a), ("ben", b))
                for s in spans
            ]
            store.write_highlights({"long": (made, [])})  # one write, not 2,000
        tags = sorted({t for s in a + b for t in s.tags} | {t.split("/")[0] for t in TAGS})
        function = Row("A1", f"compare(), {length:,} chars x {len(tags)} tags", "ms", None)
        function.ours = _time(lambda: compare({"long": length}, a, b, tags))
        function.baseline_name = "unit by unit"
        function.baseline = _time(lambda: _unit_by_unit(length, a, b, tags))
        reader = str(Path(sys.executable).with_name("reader"))
        command = [reader, "-w", str(ws.root), "agree", "--coder", "ana", "--coder", "ben"]
        whole = Row("A2", "reader agree, whole command", "s", 1.0)
        whole.ours = _time(lambda: subprocess.run(command, capture_output=True, check=True))
        whole.baseline_name = "reader --version"
        whole.baseline = _time(
            lambda: subprocess.run([reader, "--version"], capture_output=True, check=True)
        )
    print(
        f"reader agree: medians over {RUNS} runs, each next to a baseline measured in the same run"
    )
    print()
    print(format_table([function, whole]))
    print()
    print(f"compare() samples (ms): {', '.join(f'{s * 1000:.0f}' for s in function.ours)}")
    print(f"median reader agree: {statistics.median(whole.ours):.2f} s")


if __name__ == "__main__":
    main()
