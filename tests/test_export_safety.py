"""Exports that get the data out and never overwrite: a missing article leaves out only itself,
an existing file is replaced only when asked, and the file name's extension picks the format."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.widgets import Input, Select

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.codebook_dialogs import Confirm
from reader.dialogs.export import ExportDialog
from reader.screens.main import MainScreen
from reader.textual_private import notifications_shown
from tests.waits import paste

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
        messages = [n.message for n in notifications_shown(app)]
    written = sample_ws.root / "exports" / "annotations.json"
    exported = json.loads(written.read_text(encoding="utf-8"))
    assert [a["id"] for a in exported["articles"]] == sorted(OTHERS)
    assert any(f"Wrote 2 highlights as json to {written}" in m for m in messages)
    assert any(m.startswith(f"left out 2 highlights of 1 article: {ARTICLE}") for m in messages)


# -- U4: never overwrite silently; the extension picks the format --------------------------------
def test_the_command_line_refuses_to_replace_a_file_unless_forced(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    annotated(sample_ws)
    out = tmp_path / "annotations.md"
    out.write_text("last week's edits\n")
    code, stdout, stderr = export(sample_ws, "--format", "markdown", "-o", str(out))
    assert (code, stdout) == (1, "")
    assert stderr == f"Error: {out}: already exists; not replaced (--force replaces it)\n"
    assert out.read_text() == "last week's edits\n"
    code, _, stderr = export(sample_ws, "--format", "markdown", "-o", str(out), "--force")
    assert code == 0 and "wrote 4 highlights" in stderr
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_the_no_replace_check_holds_at_the_moment_of_writing(tmp_path: Path) -> None:
    """The last step of an export's write refuses a file that appeared while it was built."""
    from corpus.fsutil import atomic_create_bytes

    out = tmp_path / "late.json"
    atomic_create_bytes(out, b"first")
    with pytest.raises(FileExistsError):
        atomic_create_bytes(out, b"second")
    assert out.read_bytes() == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["late.json"]  # no temporary file left


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("out.csv", "csv"),
        ("out.jsonld", "w3c"),
        ("out.JSONL", "jsonl"),
        ("out.md", "markdown"),
        ("out.markdown", "markdown"),
        ("out.qdc", "qdc"),
        ("out.json", "json"),
        ("out.txt", "json"),
        ("out", "json"),
    ],
)
def test_without_format_the_extension_picks_it(
    sample_ws: Workspace, tmp_path: Path, name: str, expected: str
) -> None:
    store = annotated(sample_ws)
    out = tmp_path / name
    code, _, stderr = export(sample_ws, "-o", str(out))
    assert code == 0, stderr
    reference = tmp_path / f"reference-{expected}"
    from annotations.formats.registry import export_to_file

    export_to_file(store, expected, reference)
    assert _same_export(out.read_bytes(), reference.read_bytes())


def _same_export(a: bytes, b: bytes) -> bool:
    """Equal but for the export time that json and w3c carry."""
    import re

    stamp = rb"20\d\d-\d\d-\d\dT\d\d:\d\d:\d\dZ|urn:reader:export:[0-9a-f-]+"
    return re.sub(stamp, b"", a) == re.sub(stamp, b"", b)


@pytest.mark.parametrize(
    ("fmt", "name"), [("json", "out.csv"), ("csv", "out.json"), ("markdown", "out.jsonld")]
)
def test_a_format_the_extension_contradicts_is_an_error(
    sample_ws: Workspace, tmp_path: Path, fmt: str, name: str
) -> None:
    annotated(sample_ws)
    out = tmp_path / name
    code, stdout, stderr = export(sample_ws, "--format", fmt, "-o", str(out))
    assert (code, stdout) == (1, "")
    (line,) = stderr.splitlines()
    assert line.startswith(f"Error: {out}: ") and f"not {fmt}" in line
    assert not out.exists()


@pytest.mark.parametrize(("fmt", "name"), [("w3c", "out.json"), ("csv", "out.txt")])
def test_a_format_the_extension_allows_is_written(
    sample_ws: Workspace, tmp_path: Path, fmt: str, name: str
) -> None:
    """W3C collections are JSON too; an extension no format claims names none."""
    annotated(sample_ws)
    code, _, stderr = export(sample_ws, "--format", fmt, "-o", str(tmp_path / name))
    assert code == 0, stderr


async def test_the_export_dialog_asks_before_replacing_a_file(sample_ws: Workspace) -> None:
    store = annotated(sample_ws)
    target = sample_ws.root / "exports" / "annotations.json"
    target.parent.mkdir()
    target.write_text("last week's edits\n")
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, Confirm) and str(target) in app.screen.question
        await pilot.press("n")  # no: back in the dialog, nothing written
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert target.read_text() == "last week's edits\n"
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "reader-annotations"


async def test_the_export_dialog_takes_the_format_from_the_extension(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    target = tmp_path / "coded" / "out.csv"
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u")
        await paste(pilot, str(target))
        await pilot.pause()
        assert app.screen.query_one("#export-format", Select).value == "csv"
        await pilot.press("enter")
        await pilot.pause()
        messages = [n.message for n in notifications_shown(app)]
    assert any(f"as csv to {target}" in m for m in messages)
    assert target.read_text(encoding="utf-8").startswith("id,article,title,tag")


async def test_choosing_a_format_changes_only_the_extension(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    typed = tmp_path / "mine" / "coding.json"
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u")
        await paste(pilot, str(typed))
        await pilot.press("shift+tab", "enter", "down", "down", "down", "enter")  # csv
        await pilot.pause()
        path = app.screen.query_one("#export-path", Input).value
    assert path == str(typed.with_suffix(".csv"))
