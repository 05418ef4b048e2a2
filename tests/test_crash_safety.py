"""Never lose a highlight: writers killed with SIGKILL at random moments, hundreds of times.

Each round starts several writers on one workspace at once and kills a random subset of them
with SIGKILL after a random delay. Three kinds of round:

* ``process``: real ``reader annotate`` command lines, each a fresh Python process. Start-up
  takes most of their life, so kill delays are drawn around the measured time a run takes
  (which is when its write happens), with some early ones.
* ``cli``: the same ``reader annotate`` code (``reader.cli.main``), run in a child forked from a
  process that has already imported everything, so a kill after 0 to a few tens of
  milliseconds lands in opening the store, reading the article, or writing.
* ``loop``: a child that adds highlights one after another, writing each id to its output
  (unbuffered) once ``add_highlight`` has returned, killed mid-loop after 0 to 150 ms.

Half the kills are aimed: after its delay, the test waits (up to 0.25 s) until the writer holds
the workspace lock, which it takes only to write (the holder is read from ``/proc/locks``), and
kills it 0 to 2 ms later.

A highlight whose id reached the output is *acknowledged*. After every round: the store opens;
every JSON file under ``annotations/`` parses; every acknowledged highlight is there with its
quote, tags and note; nothing is there twice; the only files besides the databases and the lock
are ``.<name>.<pid>.tmp`` files of killed writers, which are never read as data (a planted one
holding a valid database never shows up) and never touched, and the next write beside one works.
Every writer that was not killed succeeds.

Two sizes of one run: ``quick`` (a fifth of the rounds, in ``make test``) and ``full`` (200
rounds, marked ``slow``: ``make check`` runs it, ``make test`` does not). Both must see at least
one writer killed while holding the lock, so a quick run too kills writes in progress.

Run with ``-s`` to see the counts. ``READER_CRASH_SCALE=4`` runs four times as many rounds;
``READER_CRASH_SEED`` repeats a run's random choices (its seed is printed, and shown with the
output of a failing test; timing still varies).
"""

from __future__ import annotations

import json
import os
import random
import re
import selectors
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace
from tests.conftest import ARTICLE_BODY

ROOT = Path(__file__).resolve().parent.parent
SCALE = float(os.environ.get("READER_CRASH_SCALE", "1"))
# Rounds of each kind, and how many rounds share one workspace before a fresh one is made
# (a fresh one keeps highlight files small, so late rounds cost what early ones do).
PLAN = {"process": 20, "cli": 90, "loop": 90}
EPOCH = 45
AIMED = 0.5  # share of kills that wait for the writer to hold the workspace lock (to write)
CLI = [sys.executable, "-c", "from reader.cli import main; main()"]
TMP_NAME = re.compile(r"^\.(?P<target>.+)\.(?P<pid>\d+)\.tmp$")
SENTINEL_PID = 999_999_999  # above any pid_max: a planted "leftover" no writer can own
TAG_POOL = [f"theme-{n}" for n in range(12)] + ["Grève", "労働", "ai/likeness"]

# A process that has imported the store and the command line, and forks one writer per request.
# Requests and replies are JSON lines on its stdin and stdout.
ZYGOTE = textwrap.dedent(
    """
    import os, sys, time, traceback
    import orjson
    from annotations.store import AnnotationStore
    from corpus.workspace import Workspace
    from reader.cli import main as cli_main
    import reader.cli_annotate  # the command the children run, imported once before the forks

    def loop(root, plan):
        store = AnnotationStore(Workspace.resolve(root))
        for req in plan:
            h = store.add_highlight(
                req["article"], req["start"], req["end"], tags=req["tags"], note=req["note"]
            )
            os.write(1, orjson.dumps({"id": h.id, "note": req["note"]}) + b"\\n")
        return 0

    def cli(args):
        try:
            cli_main(args, prog_name="reader")
        except SystemExit as exc:
            return exc.code if isinstance(exc.code, int) else 1
        return 0

    def child(msg):
        began = time.monotonic()
        code = 70
        try:
            out = os.open(msg["out"], os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            err = os.open(msg["out"] + ".err", os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
            os.dup2(out, 1)
            os.dup2(err, 2)
            os.dup2(os.open(os.devnull, os.O_RDONLY), 0)
            code = loop(msg["root"], msg["plan"]) if msg["kind"] == "loop" else cli(msg["args"])
            sys.stdout.flush()
            os.write(1, b"#elapsed %f\\n" % (time.monotonic() - began))
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
        os._exit(code)

    while line := sys.stdin.buffer.readline():
        msg = orjson.loads(line)
        if msg["cmd"] == "spawn":
            pids = []
            for job in msg["jobs"]:
                pid = os.fork()
                if pid == 0:
                    child(job)
                pids.append(pid)
            reply = pids
        else:
            reply = [os.waitstatus_to_exitcode(os.waitpid(p, 0)[1]) for p in msg["pids"]]
        os.write(1, orjson.dumps(reply) + b"\\n")
    """
)


@dataclass
class Request:
    """One highlight a writer was asked to add; the note is unique and names it."""

    article: str
    start: int
    end: int
    quote: str
    tags: list[str]
    note: str


@dataclass
class Tally:
    rounds: dict[str, int] = field(default_factory=lambda: {k: 0 for k in PLAN})
    kills: int = 0
    kills_holding_lock: int = 0  # the killed writer held the workspace lock: it was writing
    acknowledged: int = 0
    leftovers: int = 0
    writes_beside_leftovers: int = 0


class Zygote:
    """The forking helper process (see ZYGOTE)."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-c", ZYGOTE],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            cwd=ROOT,
            bufsize=0,
        )
        assert self.proc.stdout is not None
        self.selector = selectors.DefaultSelector()
        self.selector.register(self.proc.stdout, selectors.EVENT_READ)

    def ask(self, message: dict[str, Any]) -> list[int]:
        assert self.proc.stdin is not None and self.proc.stdout is not None
        self.proc.stdin.write(json.dumps(message).encode() + b"\n")
        line = b""
        deadline = time.monotonic() + 60
        while not line.endswith(b"\n"):
            assert self.selector.select(max(0.0, deadline - time.monotonic())), "zygote hung"
            chunk = self.proc.stdout.read(4096)
            assert chunk, "zygote died"
            line += chunk
        reply: list[int] = json.loads(line)
        return reply

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=10)


@pytest.fixture
def zygote() -> Iterator[Zygote]:
    z = Zygote()
    try:
        yield z
    finally:
        if z.proc.poll() is None:
            z.close()


def make_workspace(root: Path) -> tuple[Workspace, dict[str, str]]:
    """A workspace with three short articles and the pool's tags; returns it and the articles'
    display texts."""
    ws = Workspace(root)
    library = Library(ws)
    for n, extra in enumerate(["", "Une grève, encore. ", "労働組合は月曜日に集まった。 "]):
        library.save(Article(id=f"art-{n}", title=f"Article {n}", body=ARTICLE_BODY + extra))
    with AnnotationStore(ws) as store:
        texts = {i: store.library.display(i).text for i in store.library.ids()}
        for name in TAG_POOL:
            store.ensure_tag(name)
    return ws, texts


def random_request(rng: random.Random, texts: dict[str, str], note: str) -> Request:
    """One to five whole words of one line of a random article, with random tags (sometimes a
    new one)."""
    article = rng.choice(sorted(texts))
    text = texts[article]
    words = [m.span() for m in re.finditer(r"[^\s•]+", text)]
    first = rng.randrange(len(words))
    last = first
    while last + 1 < len(words) and last - first < 4 and rng.random() < 0.6:
        if "\n" in text[words[last][1] : words[last + 1][0]]:
            break
        last += 1
    start, end = words[first][0], words[last][1]
    tags = rng.sample(TAG_POOL, rng.randrange(3))
    if rng.random() < 0.25:  # a new tag: workspace.json is rewritten too
        tags.append(f"new-{note}")
    return Request(article, start, end, text[start:end], tags, note)


def cli_args(root: Path, req: Request) -> list[str]:
    # The first occurrence, named, so that a quote found more than once is not a note on stderr.
    args = ["--workspace", str(root), "annotate", req.article, f"--quote={req.quote}"]
    args.append("--occurrence=1")
    for tag in req.tags:
        args.append(f"--tag={tag}")
    return [*args, f"--note={req.note}"]


def read_if_any(path: Path) -> str:
    """A writer's output; a writer killed before it opened its files has none."""
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return ""


def acknowledged_lines(output: str) -> tuple[list[str], float | None]:
    """The complete lines a writer printed (a line cut by the kill is not acknowledged) and the
    run time it reported, if it got that far."""
    lines = output.split("\n")[:-1]
    elapsed = None
    kept = []
    for line in lines:
        if line.startswith("#elapsed "):
            elapsed = float(line.split()[1])
        elif line:
            kept.append(line)
    return kept, elapsed


def kill_schedule(rng: random.Random, n: int, delay: Callable[[], float]) -> dict[int, float]:
    """Which of ``n`` writers to kill (at least one), and when (seconds after they start)."""
    chosen = [i for i in range(n) if rng.random() < 0.55]
    if not chosen:
        chosen = [rng.randrange(n)]
    return {i: delay() for i in chosen}


def run_schedule(
    pids: list[int], started: float, schedule: dict[int, float], kill: Callable[[int], None]
) -> None:
    for index, delay in sorted(schedule.items(), key=lambda item: item[1]):
        pause = started + delay - time.monotonic()
        if pause > 0:
            time.sleep(pause)
        kill(pids[index])


def lock_holder(ws: Workspace) -> int | None:
    """The pid holding the workspace lock now, from /proc/locks (None if none or unknown)."""
    try:
        inode = ws.lock_file.stat().st_ino
        with open("/proc/locks") as locks:
            for line in locks:
                fields = line.split()
                if fields[1] == "FLOCK" and fields[5].endswith(f":{inode}"):
                    return int(fields[4])
    except (OSError, IndexError, ValueError):
        pass
    return None


def alive(pid: int) -> bool:
    """Whether an unreaped child still runs (not yet a zombie)."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def sigkill(pid: int) -> None:
    os.kill(pid, signal.SIGKILL)  # still our (grand)child, unreaped: the pid cannot be reused


def annotation_files(ws: Workspace) -> list[Path]:
    return sorted(p for p in ws.annotations_dir.rglob("*") if p.is_file())


class Checker:
    """The invariants, checked after every round."""

    def __init__(self, ws: Workspace, texts: dict[str, str], tally: Tally) -> None:
        self.ws = ws
        self.texts = texts
        self.tally = tally
        self.requests: dict[str, Request] = {}  # by note
        self.acknowledged: dict[str, str] = {}  # highlight id -> note
        self.killed: set[int] = set()
        self.leftovers: dict[Path, bytes] = {}
        self.unacknowledged_kept = 0  # written, then killed before the id was printed
        # A planted leftover holding a valid database with a highlight nobody asked for: if it
        # were ever read as data, that highlight would show up.
        planted = ws.highlights_dir / f".art-0.json.{SENTINEL_PID}.tmp"
        planted.parent.mkdir(parents=True, exist_ok=True)
        record = {"id": "5e47195e47", "article_id": "art-0", "start": 0, "end": 1, "quote": "A"}
        planted.write_text(json.dumps({"highlights": {"1": {**record, "note": "planted"}}}))
        self.leftovers[planted] = planted.read_bytes()

    def acknowledge(self, highlight_id: str, note: str) -> None:
        assert note in self.requests, f"{highlight_id} acknowledged for an unknown request"
        assert self.acknowledged.setdefault(highlight_id, note) == note, "id given twice"
        self.tally.acknowledged += 1

    def check(self) -> None:
        ws = self.ws
        fresh: list[Path] = []
        for path in annotation_files(ws):
            rel = path.relative_to(ws.annotations_dir).as_posix()
            tmp = TMP_NAME.match(path.name)
            if tmp:
                pid = int(tmp["pid"])
                assert pid in self.killed or pid == SENTINEL_PID, f"{rel}: not a killed writer's"
                assert (path.parent / tmp["target"]).suffix == ".json", rel
                if path not in self.leftovers:
                    fresh.append(path)
                    self.leftovers[path] = path.read_bytes()
                continue
            assert rel in (".lock", "workspace.json") or re.fullmatch(
                r"highlights/art-\d\.json", rel
            ), f"unexpected file {rel}"
            if path.suffix == ".json":
                assert isinstance(json.loads(path.read_bytes()), dict), rel
        self.tally.leftovers += len(fresh)

        with AnnotationStore(ws, lock_timeout=10) as store:
            assert store.annotated_article_ids() == sorted(
                p.stem for p in ws.highlights_dir.glob("*.json")
            )
            stored = list(store.all_highlights())
            tag_names = {t.name for t in store.tags()}
        by_id = {h.id: h for h in stored}
        assert len(by_id) == len(stored), "a highlight id is stored twice"
        notes = [h.note for h in stored]
        assert len(set(notes)) == len(notes), "one request was written twice"
        for h in stored:
            req = self.requests.get(h.note)
            assert req is not None, f"highlight {h.id} ({h.note!r}) was never asked for"
            assert (h.article_id, h.quote, h.tags) == (req.article, req.quote, req.tags)
            assert set(h.tags) <= tag_names, f"highlight {h.id} has a tag that does not exist"
        for highlight_id, note in self.acknowledged.items():
            assert highlight_id in by_id, f"acknowledged highlight {highlight_id} ({note}) lost"
            assert by_id[highlight_id].note == note
        self.unacknowledged_kept = len(by_id.keys() - self.acknowledged.keys())

        for leftover in fresh:
            self.write_beside(leftover)
        for leftover, content in self.leftovers.items():
            assert leftover.read_bytes() == content, f"{leftover.name} was written to"

    def write_beside(self, leftover: Path) -> None:
        """The next write into the folder of a leftover works, and does not touch it."""
        target = TMP_NAME.match(leftover.name)
        assert target is not None
        note = f"beside-{leftover.name}"
        with AnnotationStore(self.ws) as store:
            if leftover.parent == self.ws.highlights_dir:
                article = target["target"].removesuffix(".json")
                start = self.texts[article].index("picket")
                req = Request(article, start, start + 6, "picket", ["beside"], note)
                self.requests[note] = req
                added = store.add_highlight(article, req.start, req.end, tags=req.tags, note=note)
                self.acknowledge(added.id, note)
                assert added in store.highlights(article)
            else:
                store.ensure_tag(note)
                assert note in {t.name for t in store.tags()}
        self.tally.writes_beside_leftovers += 1


# A share of PLAN's rounds: the quick run keeps every kind of round and of kill, fewer times.
SIZES = [
    pytest.param(0.2, id="quick"),
    pytest.param(1.0, id="full", marks=pytest.mark.slow),
]


@pytest.mark.parametrize("size", SIZES)
def test_writers_killed_at_random_moments_never_lose_a_highlight(
    tmp_path: Path, zygote: Zygote, size: float
) -> None:
    began = time.monotonic()
    seed = int(os.environ.get("READER_CRASH_SEED") or time.time_ns())
    print(f"\ncrash safety: seed {seed} (READER_CRASH_SEED={seed} repeats the same choices)")
    rng = random.Random(seed)
    tally = Tally()
    outputs = tmp_path / "out"
    outputs.mkdir()
    kinds = [kind for kind, n in PLAN.items() for _ in range(max(1, round(n * size * SCALE)))]
    rng.shuffle(kinds)
    seq = 0
    # Measured run times (seconds) of writers that were not killed, per kind; kill delays are
    # drawn around them so that kills land in the write, not only in start-up.
    measured: dict[str, list[float]] = {"process": [], "cli": [], "loop": []}

    def typical(kind: str, default: float) -> float:
        recent = sorted(measured[kind][-15:])
        return recent[len(recent) // 2] if recent else default

    checkers: list[Checker] = []
    holding: set[int] = set()
    spent = dict.fromkeys([*PLAN, "checks"], 0.0)

    def kill(pid: int) -> None:
        """Kill now, or (half the time) at a random moment while it holds the lock."""
        if rng.random() < AIMED:
            until = time.monotonic() + 0.25
            while lock_holder(ws) != pid and alive(pid) and time.monotonic() < until:
                time.sleep(0.0005)
            time.sleep(rng.uniform(0, 0.002))
        if lock_holder(ws) == pid:
            holding.add(pid)
        sigkill(pid)

    for number, kind in enumerate(kinds):
        if number % EPOCH == 0:
            ws, texts = make_workspace(tmp_path / f"ws-{number // EPOCH}")
            checkers.append(Checker(ws, texts, tally))
        checker = checkers[-1]
        tally.rounds[kind] += 1
        round_began = time.monotonic()
        n = {"process": 3, "cli": 4, "loop": 3}[kind]
        reqs_per_writer: list[list[Request]] = []
        for i in range(n):
            count = rng.randint(2, 8) if kind == "loop" else 1
            # Loop writers keep one store open across adds, as the app does, and make new
            # tags while other processes make theirs.
            batch = [
                random_request(rng, texts, f"r{number}w{i}n{k}-{ws.root.name} ✓")
                for k in range(count)
            ]
            for req in batch:
                checker.requests[req.note] = req
            reqs_per_writer.append(batch)

        if kind == "process":
            typ = typical(kind, 0.3)
            # The write happens in the last few milliseconds of a run: mostly aim there.

            def delay(typ: float = typ) -> float:
                if rng.random() < 0.3:
                    return rng.uniform(0, 0.15)
                return rng.uniform(0.7 * typ, 1.05 * typ)

            schedule = kill_schedule(rng, n, delay)
            started = time.monotonic()
            procs = [
                subprocess.Popen(
                    CLI + cli_args(ws.root, batch[0]),
                    cwd=ROOT,
                    stdout=subprocess.PIPE,
                    stderr=subprocess.PIPE,
                    text=True,
                )
                for batch in reqs_per_writer
            ]
            run_schedule([p.pid for p in procs], started, schedule, kill)
            for i, proc in enumerate(procs):
                out, err = proc.communicate(timeout=60)
                if proc.returncode == -signal.SIGKILL:
                    tally.kills += 1
                    tally.kills_holding_lock += proc.pid in holding
                    checker.killed.add(proc.pid)
                else:
                    assert (proc.returncode, err) == (0, ""), f"annotate failed: {err}"
                    if i not in schedule:
                        measured[kind].append(time.monotonic() - started)
                for line in out.splitlines():  # a killed run printed nothing: stdout is a pipe
                    checker.acknowledge(line.strip(), reqs_per_writer[i][0].note)
        else:
            typ = typical(kind, 0.03 if kind == "cli" else 0.1)
            top = min(0.15, 1.2 * typ)

            def early(top: float = top) -> float:
                return rng.uniform(0, top)

            schedule = kill_schedule(rng, n, early)
            jobs = []
            for batch in reqs_per_writer:
                seq += 1
                job: dict[str, Any] = {"kind": kind, "out": str(outputs / f"{seq}.out")}
                if kind == "loop":
                    job["root"] = str(ws.root)
                    job["plan"] = [r.__dict__ for r in batch]
                else:
                    job["args"] = cli_args(ws.root, batch[0])
                jobs.append(job)
            pids = zygote.ask({"cmd": "spawn", "jobs": jobs})
            started = time.monotonic()
            run_schedule(pids, started, schedule, kill)
            codes = zygote.ask({"cmd": "wait", "pids": pids})
            for i, (job, code) in enumerate(zip(jobs, codes, strict=True)):
                lines, elapsed = acknowledged_lines(read_if_any(Path(job["out"])))
                err = read_if_any(Path(job["out"] + ".err"))
                if code == -signal.SIGKILL:
                    tally.kills += 1
                    tally.kills_holding_lock += pids[i] in holding
                    checker.killed.add(pids[i])
                else:
                    assert (code, err) == (0, ""), f"{kind} writer failed: {err}"
                    assert elapsed is not None
                    measured[kind].append(elapsed)
                for line in lines:
                    if kind == "loop":
                        record = json.loads(line)
                        checker.acknowledge(record["id"], record["note"])
                    else:
                        checker.acknowledge(line.strip(), reqs_per_writer[i][0].note)
        checked = time.monotonic()
        checker.check()
        spent[kind] += checked - round_began
        spent["checks"] += time.monotonic() - checked

    runtime = time.monotonic() - began
    rounds = sum(tally.rounds.values())
    kinds_done = ", ".join(f"{v} {k}" for k, v in tally.rounds.items())
    times = ", ".join(f"{k} {1000 * typical(k, 0):.0f} ms" for k in measured)
    kept = sum(c.unacknowledged_kept for c in checkers)
    print(
        f"crash safety: {rounds} rounds ({kinds_done}), {tally.kills} kills"
        f" ({tally.kills_holding_lock} of writers holding the workspace lock, mid-write),"
        f" {tally.acknowledged} acknowledged highlights, all kept;"
        f" {kept} more written by writers killed before printing the id;"
        f" {tally.leftovers} temporary files left by killed writers, ignored, each followed"
        f" by a working write beside it; {runtime:.1f} s (typical runs: {times};"
        f" seconds spent: {', '.join(f'{k} {v:.1f}' for k, v in spent.items())})"
    )
    # Kills aimed at the lock must have landed in a write at least once, or this run proved
    # nothing about one.
    assert tally.kills_holding_lock >= 1, "no writer was killed while it held the lock"
