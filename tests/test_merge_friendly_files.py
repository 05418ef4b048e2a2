"""The annotation files are written so that git can merge two people's changes: records keyed
by what names them (not TinyDB's counter), in a stable order, one field per line."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

from annotations.storage import natural_doc_id
from annotations.store import AnnotationStore
from corpus.article import Article
from corpus.workspace import Workspace


def _three_highlights(store: AnnotationStore, article: Article, order: list[int]) -> None:
    spans = [(0, 5), (10, 20), (30, 45)]
    for n in order:
        start, end = spans[n]
        store.add_highlight(
            article.id, start, end, tags=["pay"], highlight_id=f"h{n}", created="2026-01-01"
        )


def test_the_same_highlights_give_the_same_bytes_whatever_the_order(
    tmp_path: Path, ws: Workspace, article: Article
) -> None:
    other = Workspace(tmp_path / "other")
    other.ensure()
    shutil.copy(ws.article_file(article.id), other.article_file(article.id))
    with AnnotationStore(ws) as one, AnnotationStore(other) as two:
        _three_highlights(one, article, [0, 1, 2])
        _three_highlights(two, article, [2, 0, 1])
        one.ensure_tag("pay", "#112233")
        two.ensure_tag("pay", "#112233")
    path = ws.highlights_db(article.id)
    assert path.read_bytes() == other.highlights_db(article.id).read_bytes()
    records = json.loads(path.read_text())["highlights"]
    assert sorted(records) == sorted(str(natural_doc_id(f"h{n}")) for n in range(3))
    # One field per line: the quote of each record is a line of its own.
    assert sum('"quote":' in line for line in path.read_text().splitlines()) == 3


def test_git_merges_edits_of_two_highlights_line_by_line(
    tmp_path: Path, ws: Workspace, article: Article
) -> None:
    with AnnotationStore(ws) as store:
        _three_highlights(store, article, [0, 1, 2])
        path = ws.highlights_db(article.id)
        base = path.read_bytes()
        order = list(json.loads(base)["highlights"].values())
        first, last = order[0]["id"], order[-1]["id"]
        store.update_highlight(article.id, first, note="ana: the pay gap")
        ours = path.read_bytes()
        path.write_bytes(base)
        store.update_highlight(article.id, last, note="ben: likeness scans")
        theirs = path.read_bytes()
    for name, data in (("base", base), ("ours", ours), ("theirs", theirs)):
        (tmp_path / name).write_bytes(data)
    done = subprocess.run(
        [
            "git",
            "merge-file",
            "-p",
            str(tmp_path / "ours"),
            str(tmp_path / "base"),
            str(tmp_path / "theirs"),
        ],
        capture_output=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout.decode()
    merged = {r["id"]: r["note"] for r in json.loads(done.stdout)["highlights"].values()}
    assert merged[first] == "ana: the pay gap" and merged[last] == "ben: likeness scans"
