"""A killed ``reader import-annotations`` changes all of the workspace or none of it.

Each round copies a workspace of 60 articles and runs ``reader import-annotations`` on it, in
a child forked from a process that has imported everything (``Zygote`` of
tests/test_crash_safety.py), with a file that touches every article: native JSON (180
highlights and 60 new tags) or doccano JSONL (30 new articles and their spans as well as 60
highlights on the existing ones). The child is killed with SIGKILL at a random moment: a third
of the kills at any time, a third once it holds the workspace lock (from ``/proc/locks``), a
third once its undo journal is on disk, each after a further random delay.

After each kill: opening the store (which takes the lock, and so rolls back an interrupted
import) leaves the workspace exactly as it was before the import, or, if the import got to its
end, exactly as a whole import leaves it. ``reader doctor --repair`` then removes what the
kill left (kept files, temporary files) and finds nothing else; and importing the file again
completes it, with nothing twice.

Two sizes of one run: ``quick`` (6 rounds: each format with each kind of kill once, in ``make
test``) and ``full`` (18 rounds, marked ``slow``: ``make check`` runs it, ``make test`` does not).
``READER_CRASH_SCALE=4`` runs four times as many rounds; ``READER_CRASH_SEED`` repeats a run's
random choices (its seed is printed, and shown with the output of a failing test).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import time
from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.formats.registry import export_to_file
from annotations.journal import journal_path
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.fsutil import atomic_write_bytes
from corpus.library import Library
from corpus.workspace import Workspace
from reader.cli import main
from tests import test_crash_safety as crash
from tests.conftest import ARTICLE_BODY

ARTICLES = 60
# Rounds cycle through both formats and the three kinds of kill: 6 rounds try each pair once.
SIZES = [
    pytest.param(6, id="quick"),
    pytest.param(18, id="full", marks=pytest.mark.slow),
]
State = tuple[list[str], list[tuple[object, ...]], list[str]]


def state(root: Path) -> State:
    """Article ids, every highlight, tag names: read through a store, which takes the lock."""
    with AnnotationStore(Workspace(root), lock_timeout=10) as store:
        highlights = sorted(
            (h.article_id, h.id, h.start, h.end, tuple(h.tags), h.note)
            for h in store.all_highlights()
        )
        return store.library.ids(), highlights, sorted(t.name for t in store.tags())


def leftovers(root: Path) -> list[str]:
    return sorted(
        str(p.relative_to(root))
        for p in root.rglob(".*")
        if p.is_file() and p.name != ".lock" and p.parent.name != ".cache"
    )


@pytest.fixture(scope="module")
def setup(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The workspace every round copies, and the two files to import."""
    base = tmp_path_factory.mktemp("import-crash")
    template = Workspace(base / "template")
    source = Workspace(base / "source")
    for ws in (template, source):
        library = Library(ws)
        for n in range(ARTICLES):
            body = f"{ARTICLE_BODY}\nParagraph number {n} of the series, about pay.\n"
            library.save(Article(id=f"art-{n:02}", title=f"Article {n}", body=body))
    with AnnotationStore(source) as store:
        for article_id in store.library.ids():
            text = store.library.display(article_id).text
            for word, tag in (("picket", "strike"), ("union", f"t-{article_id}"), ("pay", "")):
                start = text.index(word)
                tags = [tag] if tag else []
                store.add_highlight(article_id, start, start + len(word), tags=tags, note=word)
        native = base / "import.json"
        export_to_file(store, "json", native)
    lines = []
    for article_id in Library(source).ids():  # existing articles...
        display = Library(source).display(article_id).text
        lines.append({"id": article_id, "text": display, "label": [[0, 1, "first"]]})
    for n in range(ARTICLES // 2):  # ...and new ones
        body = f"Doccano text number {n}.\n\nIt has a second paragraph about faces."
        lines.append({"id": 1000 + n, "text": body, "label": [[0, 7, "doccano"], [30, 35, "x"]]})
    doccano = base / "import.jsonl"
    doccano.write_text("".join(json.dumps(line) + "\n" for line in lines), encoding="utf-8")
    AnnotationStore(template).close()
    return {"template": template.root, "json": native, "jsonl": doccano}


@pytest.fixture
def zygote() -> Iterator[crash.Zygote]:
    z = crash.Zygote()
    try:
        yield z
    finally:
        if z.proc.poll() is None:
            z.close()


def run_cli(root: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["--workspace", str(root), *args])
    return result.exit_code, result.output


@pytest.mark.parametrize("rounds", SIZES)
def test_a_killed_import_changes_all_or_nothing(
    setup: dict[str, Path], zygote: crash.Zygote, tmp_path: Path, rounds: int
) -> None:
    seed = int(os.environ.get("READER_CRASH_SEED") or time.time_ns())
    print(f"\nimport crash: seed {seed} (READER_CRASH_SEED={seed} repeats the same choices)")
    rng = random.Random(seed)
    before = state(setup["template"])
    full: dict[str, State] = {}
    typical: dict[str, float] = {}
    for fmt in ("json", "jsonl"):  # a whole import of each, unkilled: the end state and its time
        root = tmp_path / f"whole-{fmt}"
        shutil.copytree(setup["template"], root)
        started = time.monotonic()
        (pid,) = zygote.ask({"cmd": "spawn", "jobs": [job(root, setup[fmt], tmp_path, fmt)]})
        assert zygote.ask({"cmd": "wait", "pids": [pid]}) == [0]
        typical[fmt] = time.monotonic() - started
        full[fmt] = state(root)
        assert full[fmt] != before
        assert not journal_path(Workspace(root)).exists() and leftovers(root) == []

    counts = {"rounds": 0, "killed": 0, "rolled back": 0, "completed": 0, "untouched": 0}
    for number in range(max(3, round(rounds * crash.SCALE))):
        fmt = "json" if number % 2 else "jsonl"
        root = tmp_path / f"round-{number}"
        shutil.copytree(setup["template"], root)
        ws = Workspace(root)
        aim = ("any", "locked", "journal")[number % 3]
        (pid,) = zygote.ask({"cmd": "spawn", "jobs": [job(root, setup[fmt], tmp_path, number)]})
        started = time.monotonic()
        if aim == "any":
            wait_until(started + rng.uniform(0, 1.1 * typical[fmt]), lambda: False)
        elif aim == "locked":
            wait_until(started + 5, partial(holding, pid, ws))
            time.sleep(rng.uniform(0, 0.3 * typical[fmt]))
        else:
            wait_until(started + 5, partial(journaled, pid, ws))
            time.sleep(rng.uniform(0, 0.3 * typical[fmt]))
        crash.sigkill(pid)
        (code,) = zygote.ask({"cmd": "wait", "pids": [pid]})
        counts["rounds"] += 1
        journal_left = journal_path(ws).exists()

        after = state(root)  # opening the store rolls an interrupted import back
        assert not journal_path(ws).exists()
        if code == 0:
            assert after == full[fmt], f"round {number}: finished, but not all there"
            counts["completed"] += 1
        else:
            assert code == -signal.SIGKILL
            counts["killed"] += 1
            assert after in (before, full[fmt]), f"round {number}: a partial import ({aim})"
            if journal_left:
                assert after == before
                counts["rolled back"] += 1
            elif after == before:
                counts["untouched"] += 1
            else:
                counts["completed"] += 1  # killed after its commit

        code, output = run_cli(root, "doctor", "--repair")
        assert code == 0, output
        assert leftovers(root) == [], f"round {number}: doctor left {leftovers(root)}"
        code, output = run_cli(root, "import-annotations", str(setup[fmt]))
        assert code == 0, output
        assert state(root) == full[fmt], f"round {number}: the rerun did not complete it"
        code, output = run_cli(root, "import-annotations", str(setup[fmt]))
        assert code == 0 and "imported 0 highlights" in output and "created" not in output
        shutil.rmtree(root)

    print(f"import crash: {counts}")
    assert counts["killed"] >= 1
    # The journal was left behind by at least one kill, and the store rolled it back: the
    # kills aimed at the journal land after it is written and before it is removed.
    assert counts["rolled back"] >= 1


def job(root: Path, path: Path, folder: Path, name: object) -> dict[str, object]:
    return {
        "kind": "cli",
        "out": str(folder / f"{name}.out"),
        "args": ["--workspace", str(root), "import-annotations", str(path)],
    }


def holding(pid: int, ws: Workspace) -> bool:
    """The writer holds the workspace lock (or is gone)."""
    return crash.lock_holder(ws) == pid or not crash.alive(pid)


def journaled(pid: int, ws: Workspace) -> bool:
    """The writer's journal is on disk (or it is gone)."""
    return journal_path(ws).exists() or not crash.alive(pid)


def wait_until(deadline: float, done: Callable[[], bool]) -> None:
    while time.monotonic() < deadline and not done():
        time.sleep(0.0005)


# -- the journal itself ---------------------------------------------------------------------------
def test_the_next_lock_holder_rolls_back_what_a_dead_writer_left(
    ws: Workspace, caplog: pytest.LogCaptureFixture
) -> None:
    from annotations.journal import Journal

    AnnotationStore(ws).close()
    old = ws.highlights_dir / "a.json"
    old.write_bytes(b'{"highlights": {}}')
    new = ws.highlights_dir / "b.json"
    codebook = ws.workspace_db.read_bytes()
    Journal.begin(ws, [old, new, ws.workspace_db], "import-annotations")
    assert journal_path(ws).exists()
    # Half of a write (files are replaced, never edited), then the writer is gone, and its
    # lock with it: no commit.
    atomic_write_bytes(old, b'{"highlights": {"1": {"id": "x"}}}')
    atomic_write_bytes(new, b'{"highlights": {}}')
    with caplog.at_level("WARNING"):
        AnnotationStore(ws).close()
    assert old.read_bytes() == b'{"highlights": {}}'
    assert not new.exists() and ws.workspace_db.read_bytes() == codebook
    assert not journal_path(ws).exists() and leftovers(ws.root) == []
    assert "rolled back an interrupted import-annotations (3 files put back" in caplog.text


def test_a_journal_that_names_files_outside_the_workspace_is_refused(
    ws: Workspace, tmp_path: Path
) -> None:
    from annotations.storage import StoreError

    AnnotationStore(ws).close()
    victim = tmp_path / "victim.txt"
    victim.write_text("mine")
    bad = {"what": "import-annotations", "files": [["../victim.txt", None]]}
    journal_path(ws).write_text(json.dumps(bad))
    with pytest.raises(StoreError, match="not an undo journal; left untouched"):
        AnnotationStore(ws)
    assert victim.read_text() == "mine" and journal_path(ws).exists()
