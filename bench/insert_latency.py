"""Time "add one highlight, durable" in our store and in the single-file TinyDB baseline.

Four systems, measured in rounds: round 0 is the warm-up (not reported), then ``runs`` timed
rounds. Each round makes one insert in every system in turn, so a slow patch of the machine
(another process, disk writeback) falls on all of them alike rather than on whichever ran last.

``ours``
    ``AnnotationStore.add_highlight`` on an article not opened before in this process, as when a
    person highlights in an article they just opened: it reads and renders the article (to check
    the range and take the quote), then, under the workspace lock, reads the tags, reads the
    article's highlights file and rewrites it atomically (temp file, fsync, rename, fsync of the
    folder). The store is opened once, before the rounds.
``ours, article rendered``
    The same call on an article whose display text the store's library already holds (rendered
    just before the timer), as when the article is on screen: what is left is the write.
``baseline``
    ``TinyDB(path)`` with its default ``JSONStorage``, every highlight in one file, one
    ``table.insert(record)`` of the record ``add_highlight`` would store. TinyDB reads the whole
    file, adds the record and rewrites the whole file in place. TinyDB 4 flushes and fsyncs the
    file inside ``JSONStorage.write``, but writes in place (a crash mid-write loses the file).
``baseline + os.fsync``
    The same insert followed by an explicit ``os.fsync`` of the file, so the durability is
    stated rather than taken from TinyDB's implementation; it should match the row above.

Every insert uses its own prepared highlight (:class:`bench.generate.InsertSpec`), on distinct
articles while there are enough.
"""

from __future__ import annotations

import os
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from tinydb import TinyDB

from annotations.store import AnnotationStore
from bench.generate import HIGHLIGHTS_TABLE, GeneratedData, InsertSpec
from bench.report import Row
from corpus.article import now_iso

MEASURE = "add one highlight, durable"
OURS = "ours: AnnotationStore (per-article file, atomic + fsync)"
OURS_RENDERED = "ours, article already rendered"
BASELINE = "baseline: TinyDB(path) JSONStorage, one file"
BASELINE_FSYNC = "baseline + explicit os.fsync"
SYSTEMS = (OURS, OURS_RENDERED, BASELINE, BASELINE_FSYNC)


@dataclass
class Result:
    """The timed inserts of one system, in seconds (the warm-up kept apart)."""

    measure: str
    system: str
    samples: list[float] = field(default_factory=list)
    warmup: float = 0.0
    baseline: bool = False

    @property
    def median(self) -> float:
        return statistics.median(self.samples)

    @property
    def minimum(self) -> float:
        return min(self.samples)

    @property
    def maximum(self) -> float:
        return max(self.samples)


def inserts_needed(runs: int) -> int:
    """How many prepared highlights :func:`measure` uses for ``runs`` timed rounds."""
    return len(SYSTEMS) * (runs + 1)


def _fsync_path(path: os.PathLike[str]) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def measure(
    data: GeneratedData, runs: int, progress: Callable[[str], None] | None = None
) -> list[Result]:
    """Run one warm-up round and ``runs`` timed rounds; one :class:`Result` per system."""
    if runs < 1:
        raise ValueError("runs must be at least 1")
    rounds = runs + 1
    specs = data.insert_specs
    if len(specs) < inserts_needed(runs):
        raise ValueError(f"need {inserts_needed(runs)} prepared inserts, have {len(specs)}")
    results = {name: Result(MEASURE, name, baseline=name == BASELINE) for name in SYSTEMS}

    def spec(system: int, round_: int) -> InsertSpec:
        return specs[system * rounds + round_]

    def record(s: InsertSpec) -> dict[str, object]:
        return s.record(secrets.token_hex(6), now_iso())

    # A kept workspace (--reuse) already holds the highlights an earlier run inserted from these
    # same specs, and the store refuses a highlight that repeats one: each run's notes are its own.
    run = secrets.token_hex(3)
    store = AnnotationStore(data.workspace)
    db = TinyDB(data.baseline_path)  # the default: JSONStorage, json module, rewrite in place
    table = db.table(HIGHLIGHTS_TABLE)
    try:
        for r in range(rounds):
            timings: dict[str, float] = {}

            s = spec(0, r)
            note = f"{s.note} ({run})"
            t0 = time.perf_counter()
            made = store.add_highlight(s.article_id, s.start, s.end, tags=s.tags, note=note)
            timings[OURS] = time.perf_counter() - t0
            _check(made.quote == s.quote, f"{s.article_id}: stored quote differs")

            s = spec(1, r)
            note = f"{s.note} ({run})"
            store.library.display(s.article_id)
            t0 = time.perf_counter()
            made = store.add_highlight(s.article_id, s.start, s.end, tags=s.tags, note=note)
            timings[OURS_RENDERED] = time.perf_counter() - t0
            _check(made.quote == s.quote, f"{s.article_id}: stored quote differs")

            doc = record(spec(2, r))
            t0 = time.perf_counter()
            table.insert(doc)
            timings[BASELINE] = time.perf_counter() - t0

            doc = record(spec(3, r))
            t0 = time.perf_counter()
            table.insert(doc)
            _fsync_path(data.baseline_path)
            timings[BASELINE_FSYNC] = time.perf_counter() - t0

            for name, seconds in timings.items():
                if r == 0:
                    results[name].warmup = seconds
                else:
                    results[name].samples.append(seconds)
            if progress:
                label = "warm-up" if r == 0 else f"round {r}/{runs}"
                shown = ", ".join(f"{seconds * 1000:.1f}" for seconds in timings.values())
                progress(f"{label}: {shown} ms")
        expected = data.highlight_total + 2 * rounds
        _check(len(table) == expected, f"baseline holds {len(table)} records, not {expected}")
    finally:
        db.close()
        store.close()
    return [results[name] for name in SYSTEMS]


def _check(condition: bool, message: str) -> None:
    if not condition:
        raise AssertionError(message)


def insert_row(results: list[Result], highlights: int, number: str = "2") -> Row:
    """The table row: our store against TinyDB's default storage; the other two systems and
    the warm-ups in the details."""
    by_name = {r.system: r for r in results}
    ours, base = by_name[OURS], by_name[BASELINE]
    details = [
        f"{r.system}: median {r.median * 1000:.2f} ms (min {r.minimum * 1000:.2f}, "
        f"max {r.maximum * 1000:.2f}); warm-up {r.warmup * 1000:.2f} ms"
        for r in results
    ]
    return Row(
        number,
        f"add one highlight, durable, {highlights:,} in the workspace",
        "ms",
        0.010,
        ours.samples,
        "TinyDB default storage",
        base.samples,
        details=details,
    )
