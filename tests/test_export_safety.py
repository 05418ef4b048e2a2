"""Exports that get the data out and never overwrite: a missing article leaves out only itself,
an existing file is replaced only when asked, and the file name's extension picks the format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from click.testing import CliRunner

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main

ARTICLE = "netflix-ai-job-picket-line"
OTHERS = ("deep-fake-love", "feature-the-price-of-a-face")


def export(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "export", *args])
    return result.exit_code, result.stdout, result.stderr


def annotated(ws: Workspace) -> AnnotationStore:
    """Two highlights on ARTICLE and one on each of OTHERS."""
    store = AnnotationStore(ws)
    for article_id in (ARTICLE, ARTICLE, *OTHERS):
        taken = {h.start for h in store.highlights(article_id)}
        start = next(i for i in (0, 40) if i not in taken)
        store.add_highlight(article_id, start, start + 12, tags=["pay"])
    return store


# -- R16: a missing article file ------------------------------------------------------------------
def test_a_missing_article_leaves_out_only_its_highlights(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    kept = {h.id for a in OTHERS for h in store.highlights(a)}
    sample_ws.article_file(ARTICLE).unlink()
    out = tmp_path / "out.csv"
    code, _, stderr = export(sample_ws, "--format", "csv", "-o", str(out))
    assert code == 1
    rows = list(csv.DictReader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert {r["id"] for r in rows} == kept
    (line,) = stderr.strip().splitlines()[-1:]
    assert "wrote 2 highlights" in stderr
    assert line == (
        f"left out 2 highlights of 1 article: {ARTICLE} (no article file; "
        "reader doctor --repair moves its highlights to annotations/detached/)"
    )


def test_a_missing_article_leaves_out_only_its_highlights_on_standard_output(
    sample_ws: Workspace,
) -> None:
    store = annotated(sample_ws)
    sample_ws.article_file(ARTICLE).unlink()
    code, stdout, stderr = export(sample_ws, "--format", "json")
    assert code == 1
    exported = json.loads(stdout)
    assert [a["id"] for a in exported["articles"]] == sorted(OTHERS)
    assert stderr.startswith(f"left out 2 highlights of 1 article: {ARTICLE} (no article file")
    assert len(store.highlights(ARTICLE)) == 2  # nothing was changed or moved


async def test_the_apps_export_leaves_out_a_missing_article_and_says_so(
    sample_ws: Workspace,
) -> None:
    store = annotated(sample_ws)
    app = ReaderApp(store, OTHERS[0])
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        sample_ws.article_file(ARTICLE).unlink()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    written = sample_ws.root / "exports" / "annotations.json"
    exported = json.loads(written.read_text(encoding="utf-8"))
    assert [a["id"] for a in exported["articles"]] == sorted(OTHERS)
    assert any(f"Wrote 2 highlights as json to {written}" in m for m in messages)
    assert any(m.startswith(f"left out 2 highlights of 1 article: {ARTICLE}") for m in messages)
