"""Two people share a workspace through git: the annotation files merge by highlight id."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from annotations import doctor
from annotations.git_setup import init_git
from annotations.merging import CONFLICTS_TABLE
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.library import Library
from corpus.workspace import Workspace

READER = str(Path(sys.executable).with_name("reader"))
GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "t",
    "GIT_AUTHOR_EMAIL": "t@example.org",
    "GIT_COMMITTER_NAME": "t",
    "GIT_COMMITTER_EMAIL": "t@example.org",
}
BODY = " ".join(
    f"Sentence {n} says the studio scanned a background actor's face." for n in range(40)
)


def git(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(root), *args], capture_output=True, text=True, env=GIT_ENV, check=check
    )


def commit(root: Path, message: str) -> None:
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", message)


def all_highlights(ws: Workspace) -> dict[str, str]:
    with AnnotationStore(ws) as store:
        return {h.id: h.note for h in store.all_highlights()}


@pytest.fixture
def shared(tmp_path: Path) -> tuple[Workspace, Workspace]:
    """Ana's workspace with two articles and a highlight, committed, and Ben's clone of it;
    both set up with ``init_git``."""
    ana = Workspace(tmp_path / "ana")
    ana.ensure()
    for n in (1, 2):
        Library(ana).save(Article(id=f"story-{n}", title=f"Story {n}", body=BODY))
    with AnnotationStore(ana) as store:
        store.add_highlight("story-1", 0, 10, tags=["AI"], highlight_id="base", note="first")
    init_git(ana, READER)
    commit(ana.root, "start")
    git(tmp_path, "clone", "-q", str(ana.root), "ben")
    ben = Workspace(tmp_path / "ben")
    init_git(ben, READER)
    return ana, ben


def test_two_coders_work_merges_without_markers_and_keeps_every_highlight(
    shared: tuple[Workspace, Workspace],
) -> None:
    ana, ben = shared
    with AnnotationStore(ana) as store:
        for n in range(6):
            store.add_highlight("story-1", 100 + 60 * n, 140 + 60 * n, tags=["AI/likeness"])
        store.add_highlight("story-2", 0, 30, tags=["pay"])
        store.update_highlight("story-1", "base", note="ana's reading")
    commit(ana.root, "ana codes")
    with AnnotationStore(ben) as store:
        for n in range(6):
            store.add_highlight("story-1", 120 + 60 * n, 170 + 60 * n, tags=["AI/jobs"])
        store.add_highlight("story-2", 50, 90, tags=["strike"])
    commit(ben.root, "ben codes")
    want = {**all_highlights(ben), **all_highlights(ana)}  # ana edited "base"
    assert len(want) == 1 + 7 + 7

    pulled = git(ben.root, "pull", "-q", "--no-rebase", "--no-edit", str(ana.root), "HEAD")

    assert pulled.returncode == 0, pulled.stderr
    for path in ben.annotations_dir.rglob("*.json"):
        assert "<<<<<<<" not in path.read_text()
    assert all_highlights(ben) == want
    assert want["base"] == "ana's reading"
    with AnnotationStore(ben) as store:
        assert {t.name for t in store.tags()} >= {"AI/likeness", "AI/jobs", "pay", "strike"}
    assert git(ben.root, "status", "--porcelain").stdout == ""


def test_one_highlight_changed_by_both_keeps_the_later_and_the_other(
    shared: tuple[Workspace, Workspace],
) -> None:
    ana, ben = shared
    with AnnotationStore(ana) as store:
        store.update_highlight("story-1", "base", note="ana says likeness")
    commit(ana.root, "ana")
    with AnnotationStore(ben) as store:
        store.update_highlight("story-1", "base", note="ben says consent")  # later
    commit(ben.root, "ben")

    pulled = git(ben.root, "pull", "--no-rebase", "--no-edit", str(ana.root), "HEAD")

    assert pulled.returncode == 0, pulled.stderr
    assert "changed on both sides" in pulled.stderr + pulled.stdout
    assert all_highlights(ben)["base"] == "ben says consent"
    data = json.loads(ben.highlights_db("story-1").read_text())
    assert [r["note"] for r in data[CONFLICTS_TABLE].values()] == ["ana says likeness"]
    [finding] = [f for f in doctor.check(ben).findings if f.kind == "conflict"]
    assert "1 version(s) a merge did not keep" in finding.message and "base" in finding.message


def test_a_file_the_driver_cannot_read_is_left_to_git(
    shared: tuple[Workspace, Workspace],
) -> None:
    ana, ben = shared
    ana.highlights_db("story-1").write_text('{"highlights": {"1": ')
    commit(ana.root, "broken")
    with AnnotationStore(ben) as store:
        store.add_highlight("story-1", 200, 220, tags=["AI"])
    commit(ben.root, "ben")
    pulled = git(ben.root, "pull", "--no-rebase", "--no-edit", str(ana.root), "HEAD", check=False)
    assert pulled.returncode != 0
    assert "left to git" in pulled.stderr + pulled.stdout


def test_two_coders_clones_merge_and_agree_as_an_independent_count(
    shared: tuple[Workspace, Workspace],
) -> None:
    """Issue 18's done-criterion: coded with --coder ana and --coder ben in two clones, merged
    through git with the driver, and reader agree's kappa and alpha equal nltk's."""
    from nltk.metrics.agreement import AnnotationTask

    ana, ben = shared

    def annotate(ws: Workspace, coder: str, quote: str, tag: str) -> None:
        subprocess.run(
            [
                READER,
                "--coder",
                coder,
                "-w",
                str(ws.root),
                "annotate",
                "story-2",
                "--quote",
                quote,
                "--tag",
                tag,
            ],
            check=True,
            capture_output=True,
            env=GIT_ENV,
        )

    annotate(ana, "ana", "Sentence 1 says the studio scanned", "AI/likeness")
    annotate(ana, "ana", "Sentence 3 says the studio scanned a background actor", "pay")
    commit(ana.root, "ana")
    annotate(ben, "ben", "the studio scanned a background actor's face. Sentence 2", "AI")
    annotate(ben, "ben", "Sentence 3 says the studio", "pay")
    commit(ben.root, "ben")
    pulled = git(ben.root, "pull", "--no-rebase", "--no-edit", str(ana.root), "HEAD")
    assert pulled.returncode == 0, pulled.stderr
    assert "<<<<<<<" not in ben.highlights_db("story-2").read_text()

    done = subprocess.run(
        [READER, "-w", str(ben.root), "agree", "--coder", "ana", "--coder", "ben", "--json"],
        check=True,
        capture_output=True,
        text=True,
        env=GIT_ENV,
    )
    rows = {r["tag"]: r for r in map(json.loads, done.stdout.splitlines())}
    with AnnotationStore(ben) as store:
        text = store.library.display("story-2").text
        mine = {c: [h for h in store.all_highlights() if h.coder == c] for c in ("ana", "ben")}
    assert sorted(rows) == ["AI", "AI/likeness", "pay"]
    for tag in ("AI", "pay"):
        labels = [
            (
                coder,
                unit,
                int(
                    any(
                        h.start <= unit < h.end
                        and any(t == tag or t.startswith(tag + "/") for t in h.tags)
                        for h in mine[coder]
                    )
                ),
            )
            for coder in ("ana", "ben")
            for unit in range(len(text))
        ]
        task = AnnotationTask(labels)
        assert rows[tag]["kappa"] == pytest.approx(task.kappa())
        assert rows[tag]["alpha"] == pytest.approx(task.alpha())
