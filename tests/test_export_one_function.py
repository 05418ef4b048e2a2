"""One export for the command line and the app (:func:`annotations.formats.export.export`):
every check, the write, and an :class:`ExportResult` that says what was written or why nothing
was, in the line both front ends show."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.message import Message
from textual.notifications import Notify

from annotations.formats.export import ExportResult, check, export
from annotations.formats.selection import Filters
from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.export import ExportDialog
from tests.waits import export_through_the_dialog

ARTICLE = "netflix-ai-job-picket-line"
OTHER = "deep-fake-love"


def annotated(ws: Workspace) -> AnnotationStore:
    """Two highlights on ARTICLE, one on OTHER."""
    store = AnnotationStore(ws)
    store.add_highlight(ARTICLE, 0, 12, tags=["pay"])
    store.add_highlight(ARTICLE, 40, 52, tags=["pay"])
    store.add_highlight(OTHER, 0, 12, tags=["likeness"])
    return store


# -- the function ------------------------------------------------------------------------------
def test_the_extension_picks_the_format_and_a_folder_is_made(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    out = tmp_path / "new" / "deeper" / "out.csv"
    result = export(store, out)
    assert (result.format, result.path, result.count) == ("csv", out, 3)
    assert result.made == tmp_path / "new"
    assert (result.refused, result.refusal, result.left_out, result.data) == (None,) * 4
    assert out.read_text(encoding="utf-8").startswith("id,article")
    assert result.line() == f"wrote 3 highlights to {out} (made the folder {tmp_path / 'new'})"
    assert result.line(naming_format=True).startswith("wrote 3 highlights as csv to ")
    again = export(store, tmp_path / "new" / "again.md", filters=Filters(tags=("likeness",)))
    assert (again.format, again.count, again.made) == ("markdown", 1, None)
    assert again.line() == f"wrote 1 highlight to {tmp_path / 'new' / 'again.md'}"


def test_without_a_path_the_bytes_are_returned(sample_ws: Workspace, tmp_path: Path) -> None:
    store = annotated(sample_ws)
    result = export(store, None)
    assert (result.format, result.path, result.count, result.refused) == ("json", None, 3, None)
    assert result.data is not None
    assert sorted(a["id"] for a in json.loads(result.data)["articles"]) == [OTHER, ARTICLE]
    assert export(store, None, "w3c").data != result.data


def test_a_missing_article_is_left_out_and_named(sample_ws: Workspace, tmp_path: Path) -> None:
    store = annotated(sample_ws)
    sample_ws.article_file(ARTICLE).unlink()
    result = export(store, tmp_path / "out.json")
    assert (result.refused, result.count) == (None, 1)
    assert result.left_out is not None
    assert result.left_out.startswith(f"left out 2 highlights of 1 article: {ARTICLE} (")
    sample_ws.article_file(OTHER).unlink()
    nothing = export(store, tmp_path / "none.json")
    assert nothing.refusal == "store" and nothing.refused is not None
    assert nothing.refused.startswith("nothing exported: left out 3 highlights of 2 articles")
    assert not (tmp_path / "none.json").exists()


def _other_format(t: Path) -> Path:
    return t / "out.csv"


def _folder(t: Path) -> Path:
    (t / "folder").mkdir()
    return t / "folder"


def _through_a_file(t: Path) -> Path:
    (t / "x.csv").write_text("mine")
    return t / "x.csv" / "y.json"


def _existing(t: Path) -> Path:
    (t / "old.md").write_text("my edits")
    return t / "old.md"


def _too_long(t: Path) -> Path:
    return t / ("x" * 300 + ".json")  # longer than any file system allows, even to root


@pytest.mark.parametrize(
    ("make", "fmt", "refusal", "line"),
    [
        (
            _other_format,
            "json",
            "format",
            "{p}: the extension .csv is for csv, not json; name the file out.json",
        ),
        (
            _folder,
            None,
            "target",
            "{p}: is a folder; name a file in it, such as {p}/annotations.json",
        ),
        (_through_a_file, None, "target", "{p}: cannot write ({t}/x.csv is a file, not a folder)"),
        (_existing, None, "exists", "{p}: already exists; not replaced"),
        (_too_long, None, "write", "{p}: cannot write (File name too long)"),
    ],
    ids=["format", "folder", "file-in-the-way", "exists", "name-too-long"],
)
def test_each_refusal_is_one_line_and_writes_nothing(
    sample_ws: Workspace,
    tmp_path: Path,
    make: Callable[[Path], Path],
    fmt: str | None,
    refusal: str,
    line: str,
) -> None:
    store = annotated(sample_ws)
    target = tmp_path / "target"
    target.mkdir()
    path = make(target)
    before = sorted((p, p.read_bytes() if p.is_file() else b"") for p in target.rglob("*"))
    result = export(store, path, fmt)
    assert result.refusal == refusal
    assert result.refused == line.format(p=path, t=target)
    assert result.line() == result.refused and result.count == 0 and result.made is None
    assert sorted((p, p.read_bytes() if p.is_file() else b"") for p in target.rglob("*")) == before


def test_replace_replaces_and_check_asks_about_a_file_only_without_it(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    out = tmp_path / "old.md"
    out.write_text("my edits")
    assert check(out) is None  # the dialog asks "Replace the file?" itself
    asked = check(out, replace=False)
    assert isinstance(asked, ExportResult) and asked.refusal == "exists"
    result = export(store, out, replace=True)
    assert (result.refused, result.format, result.count) == (None, "markdown", 3)
    assert out.read_text(encoding="utf-8").startswith("# ")


def test_an_article_asked_for_by_name_that_is_not_there_is_refused(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    result = export(store, tmp_path / "out.json", filters=Filters(articles=("no-such-article",)))
    assert result.refusal == "store" and result.refused is not None
    assert "no-such-article" in result.refused and "\n" not in result.refused
    assert not (tmp_path / "out.json").exists()


# -- the same words in the command line and the app --------------------------------------------
async def _typed_in_the_app(store: AnnotationStore, path: Path) -> list[str]:
    """Export to ``path`` from the app's dialog; the error notifications it showed."""
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await export_through_the_dialog(pilot, path)
        assert isinstance(app.screen, ExportDialog)  # open again, the path there to fix
    shown = [m.notification for m in seen if isinstance(m, Notify)]
    return [n.message for n in shown if n.severity == "error"]


@pytest.mark.parametrize(
    "make",
    [_folder, _through_a_file, _too_long],
    ids=["folder", "file-in-the-way", "name-too-long"],
)
async def test_the_command_line_and_the_app_refuse_in_the_same_words(
    sample_ws: Workspace, tmp_path: Path, make: Callable[[Path], Path]
) -> None:
    store = annotated(sample_ws)
    path = make(tmp_path)
    expected = export(store, path).refused
    assert expected is not None
    result = CliRunner().invoke(main, ["-w", str(sample_ws.root), "export", "-o", str(path)])
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == f"Error: {expected}\n"
    assert await _typed_in_the_app(store, path) == [expected]
