"""reader doctor: checks change nothing, repairs lose nothing; and the rolling backups."""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from pathlib import Path

from click.testing import CliRunner

from annotations import backups
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.cli import main

ARTICLE = "netflix-ai-job-picket-line"


def files(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and p.name != ".lock"
    }


def doctor(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "doctor", *args])
    return result.exit_code, result.stdout, result.stderr


def damaged(sample_ws: Workspace) -> tuple[AnnotationStore, str, str]:
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    start = text.index("recruiters")
    lost = store.add_highlight(ARTICLE, start, start + 10)
    kept = store.add_highlight("deep-fake-love", 0, 10, note="keep me")
    path = sample_ws.article_file(ARTICLE)
    path.write_text(path.read_text().replace("recruiters", "headhunters"))
    (sample_ws.article_file("deep-fake-love")).unlink()
    (sample_ws.highlights_dir / ".x.json.999999999.tmp").write_text("half a write")
    (sample_ws.articles_dir / "broken.md").write_text("---\ntitle: [unclosed\n---\nbody\n")
    store.save_state(store.state("gone-article"))
    return store, lost.id, kept.id


def test_a_healthy_workspace_passes(sample_ws: Workspace) -> None:
    AnnotationStore(sample_ws).add_highlight(ARTICLE, 0, 10)
    code, out, _ = doctor(sample_ws)
    assert code == 0
    assert "checked 10 articles and 1 highlight: 0 problems left" in out


def test_check_reports_every_problem_and_changes_nothing(sample_ws: Workspace) -> None:
    damaged(sample_ws)
    before = files(sample_ws.root)
    code, out, err = doctor(sample_ws)
    assert code == 1
    assert files(sample_ws.root) == before
    assert "broken.md: bad front matter" in err
    assert ".x.json.999999999.tmp: left by an interrupted write (--repair fixes this)" in err
    assert "deep-fake-love.json: highlights (1) of deep-fake-love, which has no article" in err
    assert "reading state for gone-article" in err
    assert f"{ARTICLE}: highlights no longer at their offsets: 1 (1 of them not found" in err
    assert f"orphan: {ARTICLE}: orphan" in out and "'recruiters'" in out


def test_repair_fixes_what_is_safe_and_keeps_every_highlight(sample_ws: Workspace) -> None:
    store, lost_id, kept_id = damaged(sample_ws)
    code, out, err = doctor(sample_ws, "--repair")
    assert code == 1  # broken.md does not parse: a person has to look at it
    assert "broken.md" in err and "repaired: removed" in out
    assert not (sample_ws.highlights_dir / ".x.json.999999999.tmp").exists()
    assert store.get_highlight(ARTICLE, lost_id).orphaned
    detached = sample_ws.annotations_dir / "detached" / "deep-fake-love.json"
    records = json.loads(detached.read_text())["highlights"].values()
    assert [r["id"] for r in records] == [kept_id]
    assert "gone-article" not in AnnotationStore(sample_ws).states()
    (sample_ws.articles_dir / "broken.md").unlink()
    code, out, _ = doctor(sample_ws)
    assert code == 0 and "0 problems left" in out


def test_backups_roll_and_hold_the_annotations(sample_ws: Workspace) -> None:
    store = AnnotationStore(sample_ws)
    made = store.add_highlight(ARTICLE, 0, 10)
    first = backups.maybe_backup(sample_ws)
    assert first is not None and backups.maybe_backup(sample_ws) is None  # within the hour
    with tarfile.open(first) as archive:
        names = archive.getnames()
        data = archive.extractfile(f"annotations/highlights/{ARTICLE}.json")
        assert data is not None and made.id in data.read().decode()
    assert "annotations/workspace.json" in names
    for _ in range(backups.KEEP + 3):
        backups.make_backup(sample_ws)
    assert len(backups.backups(sample_ws)) == backups.KEEP
    assert not [n for n in os.listdir(sample_ws.root / "backups") if n.startswith(".")]


def test_a_migration_is_preceded_by_a_backup(sample_ws: Workspace) -> None:
    AnnotationStore(sample_ws).close()
    path = sample_ws.workspace_db
    data = json.loads(path.read_text())
    data["meta"] = {}  # a workspace from before versions were recorded
    path.write_text(json.dumps(data))
    AnnotationStore(sample_ws).close()
    (archive,) = backups.backups(sample_ws)
    with tarfile.open(archive) as opened:
        saved = opened.extractfile("annotations/workspace.json")
        assert saved is not None and json.loads(saved.read())["meta"] == {}


def test_a_running_writers_temporary_file_is_left_alone(sample_ws: Workspace) -> None:
    mine = sample_ws.highlights_dir / f".x.json.{os.getpid()}.tmp"  # this process is alive
    mine.write_text("being written")
    code, out, _ = doctor(sample_ws, "--repair")
    assert code == 0 and mine.exists() and "removed" not in out


def test_a_second_detach_of_the_same_article_keeps_the_first(sample_ws: Workspace) -> None:
    """R2: the highlights moved aside earlier are never overwritten by a later move."""
    store = AnnotationStore(sample_ws)
    text = store.library.display(ARTICLE).text
    first = [store.add_highlight(ARTICLE, s, s + 7).id for s in _starts(text, "Netflix")[:3]]
    saved = sample_ws.article_file(ARTICLE).read_bytes()
    sample_ws.article_file(ARTICLE).unlink()
    assert doctor(sample_ws, "--repair")[0] == 0
    sample_ws.article_file(ARTICLE).write_bytes(saved)
    second = store.add_highlight(ARTICLE, text.index("Netflix"), text.index("Netflix") + 7).id
    sample_ws.article_file(ARTICLE).unlink()
    code, out, _ = doctor(sample_ws, "--repair")
    assert code == 0
    detached = sample_ws.annotations_dir / "detached"
    kept = {
        path.name: sorted(r["id"] for r in json.loads(path.read_text())["highlights"].values())
        for path in detached.iterdir()
    }
    assert kept == {f"{ARTICLE}.json": sorted(first), f"{ARTICLE}.2.json": [second]}
    assert f"moved {ARTICLE}.json to {detached / (ARTICLE + '.2.json')}" in out


def _starts(text: str, word: str) -> list[int]:
    return [i for i in range(len(text)) if text.startswith(word, i)]


def test_leftovers_in_the_display_cache_and_backups_are_found_and_removed(
    sample_ws: Workspace,
) -> None:
    """R-D15: a killed long import leaves ``.cache/display/.<id>.json.<pid>.tmp``, a killed
    backup ``backups/.annotations-<time>.tar.gz.partial``; doctor finds both, and --repair
    removes them (but not a temporary file whose writer still runs)."""
    AnnotationStore(sample_ws).close()
    display = sample_ws.cache_dir / "display"
    display.mkdir(parents=True)
    dead = display / f".{ARTICLE}.json.999999999.tmp"
    dead.write_bytes(b"x" * 1000)
    running = display / f".{ARTICLE}.json.{os.getpid()}.tmp"
    running.write_text("being written")
    (sample_ws.root / "backups").mkdir()
    partial = sample_ws.root / "backups" / ".annotations-20261201T101010000000Z.tar.gz.partial"
    partial.write_bytes(b"half an archive")
    code, _, err = doctor(sample_ws)
    assert code == 1
    assert f"{dead}: left by an interrupted write (--repair fixes this)" in err
    assert f"{partial}: left by an interrupted backup (--repair fixes this)" in err
    assert str(running) not in err
    code, out, _ = doctor(sample_ws, "--repair")
    assert code == 0
    assert f"repaired: removed {dead}" in out and f"repaired: removed {partial}" in out
    assert not dead.exists() and not partial.exists() and running.exists()
    assert doctor(sample_ws)[0] == 0
