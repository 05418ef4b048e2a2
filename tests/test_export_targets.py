"""Where an export cannot go: a folder, a path through a file, a name the file system refuses.
Each is one line naming the path and the reason in words, the same in the CLI and the app; the
app's dialog keeps what was typed so the path can be fixed. A folder that does not exist yet is
made, and the message says so."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner
from textual.message import Message
from textual.notifications import Notify
from textual.widgets import Input, Select

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader.app import ReaderApp
from reader.cli import main
from reader.dialogs.export import ExportDialog
from reader.screens.main import MainScreen
from tests.waits import export_through_the_dialog, paste, type_text

ARTICLE = "netflix-ai-job-picket-line"
# Longer than any file system allows a name to be (255 bytes): refused even to root.
TOO_LONG = "x" * 300


def export(ws: Workspace, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, ["--workspace", str(ws.root), "export", *args])
    return result.exit_code, result.stdout, result.stderr


def annotated(ws: Workspace) -> AnnotationStore:
    store = AnnotationStore(ws)
    store.add_highlight(ARTICLE, 0, 12, tags=["pay"])
    store.add_highlight(ARTICLE, 40, 52, tags=["pay"])
    return store


# -- the command line ---------------------------------------------------------------------------
def test_a_folder_is_an_error_at_once_even_with_force(sample_ws: Workspace, tmp_path: Path) -> None:
    annotated(sample_ws)
    folder = tmp_path / "out"
    folder.mkdir()
    for force in ((), ("--force",)):
        code, stdout, stderr = export(sample_ws, "-o", str(folder), *force)
        assert (code, stdout) == (1, "")
        assert stderr == (
            f"Error: {folder}: is a folder; name a file in it, such as "
            f"{folder / 'annotations.json'}\n"
        )
    code, _, stderr = export(sample_ws, "--format", "csv", "-o", str(folder))
    assert stderr.endswith(f"such as {folder / 'annotations.csv'}\n")
    assert list(folder.iterdir()) == []


def test_a_file_where_a_folder_should_be_is_named(sample_ws: Workspace, tmp_path: Path) -> None:
    annotated(sample_ws)
    in_the_way = tmp_path / "x.csv"
    in_the_way.write_text("mine\n")
    for out in (in_the_way / "y.json", in_the_way / "deeper" / "y.json"):
        code, _, stderr = export(sample_ws, "-o", str(out))
        assert code == 1
        assert stderr == f"Error: {out}: cannot write ({in_the_way} is a file, not a folder)\n"
    assert in_the_way.read_text() == "mine\n"


def test_a_write_the_system_refuses_is_one_line_in_words(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    annotated(sample_ws)
    here = tmp_path / "out"
    here.mkdir()
    for out in (here / f"{TOO_LONG}.json", here / TOO_LONG / "a.json"):
        code, _, stderr = export(sample_ws, "-o", str(out))
        assert code == 1
        assert stderr == f"Error: {out}: cannot write (File name too long)\n"
    assert list(here.iterdir()) == []


@pytest.mark.skipif(not Path("/proc/self").is_dir(), reason="needs Linux's /proc")
def test_a_folder_that_cannot_be_made_is_named(sample_ws: Workspace) -> None:
    """/proc takes no new folders, even from root."""
    annotated(sample_ws)
    out = Path("/proc/no-such-folder/out.csv")
    code, _, stderr = export(sample_ws, "-o", str(out))
    assert code == 1
    assert stderr == (
        f"Error: {out}: cannot make the folder {out.parent} (No such file or directory)\n"
    )


def test_a_missing_folder_is_made_and_the_message_says_so(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    annotated(sample_ws)
    out = tmp_path / "new" / "deeper" / "out.csv"
    code, _, stderr = export(sample_ws, "-o", str(out))
    assert code == 0, stderr
    assert stderr == f"wrote 2 highlights to {out} (made the folder {tmp_path / 'new'})\n"
    assert out.read_text(encoding="utf-8").startswith("id,article")
    out = tmp_path / "new" / "again.csv"
    code, _, stderr = export(sample_ws, "-o", str(out))
    assert stderr == f"wrote 2 highlights to {out}\n"  # no folder was made


# -- the app's export dialog --------------------------------------------------------------------
def _toasts(seen: list[Message], severity: str | None = None) -> list[str]:
    """What the notifications ``seen`` by a ``message_hook`` said (of ``severity``): all of
    them, also those that timed out before the test looked."""
    shown = [m.notification for m in seen if isinstance(m, Notify)]
    return [n.message for n in shown if severity is None or n.severity == severity]


async def test_the_dialog_names_a_folder_at_once_and_keeps_the_path(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    """No "Replace the file?" for a folder, and the typed path is still there to fix."""
    store = annotated(sample_ws)
    folder = tmp_path / "out"
    folder.mkdir()
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await export_through_the_dialog(pilot, folder)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#export-path", Input).value == str(folder)
        assert _toasts(seen, "error") == [
            f"{folder}: is a folder; name a file in it, such as {folder / 'annotations.json'}"
        ]
        # Fixed in place: the file name added to what was typed.
        await pilot.press("end")
        await type_text(pilot, "/mine.csv")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert (folder / "mine.csv").read_text(encoding="utf-8").startswith("id,article")


async def test_the_dialog_names_a_file_in_the_way(sample_ws: Workspace, tmp_path: Path) -> None:
    store = annotated(sample_ws)
    in_the_way = tmp_path / "x.csv"
    in_the_way.write_text("mine\n")
    target = in_the_way / "y.json"
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await export_through_the_dialog(pilot, target)
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#export-path", Input).value == str(target)
        assert _toasts(seen, "error") == [
            f"{target}: cannot write ({in_the_way} is a file, not a folder)"
        ]
    assert in_the_way.read_text() == "mine\n"


async def test_after_a_failed_write_the_dialog_comes_back_with_the_path_and_format(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    store = annotated(sample_ws)
    target = tmp_path / f"{TOO_LONG}.csv"
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await export_through_the_dialog(pilot, target)
        assert _toasts(seen, "error") == [f"{target}: cannot write (File name too long)"]
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#export-path", Input).value == str(target)
        assert app.screen.query_one("#export-format", Select).value == "csv"
        shorter = tmp_path / "short.csv"
        await pilot.press("end", "ctrl+u")
        await paste(pilot, str(shorter))
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
    assert shorter.read_text(encoding="utf-8").startswith("id,article")


async def test_the_app_says_when_it_made_a_folder(sample_ws: Workspace, tmp_path: Path) -> None:
    store = annotated(sample_ws)
    target = tmp_path / "new" / "out.md"
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await export_through_the_dialog(pilot, target)
    assert _toasts(seen) == [
        f"Wrote 2 highlights as markdown to {target} (made the folder {tmp_path / 'new'})"
    ]
    assert target.is_file()


async def test_a_path_typed_faster_than_the_dialog_follows_is_kept(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    """Keys that come in a burst (a paste without bracketed paste, a remote terminal) change the
    path again before the dialog has handled the earlier changes. Seen in a terminal: after
    ``…/x.csv`` then ``…/x.csv/y.json``, the format list's own change to csv came last and
    swapped the path's extension to .csv, that change the list back to json and the path to
    .json, without end, and the next keys landed in the middle of the path. The list follows
    the path; it never rewrites it."""
    store = annotated(sample_ws)
    typed = tmp_path / "x.csv" / "y.json"
    seen: list[Message] = []
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40), message_hook=seen.append) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        field = dialog.query_one("#export-path", Input)
        # The field already holds the whole path when the dialog hears of its changes, in the
        # order the terminal run showed.
        with field.prevent(Input.Changed):
            field.value = str(typed)
        dialog.post_message(Input.Changed(field, str(typed.parent)))
        dialog.post_message(Input.Changed(field, str(typed)))

        def changes() -> int:
            return sum(isinstance(m, (Input.Changed, Select.Changed)) for m in seen)

        await pilot.pause()
        settled = changes()
        await pilot.pause()
        assert changes() == settled  # come to rest, not changing itself back and forth
        assert field.value == str(typed)
        assert dialog.query_one("#export-format", Select).value == "json"


@pytest.mark.parametrize(
    ("typed", "expected"), [("/", "/annotations.csv"), (".", "annotations.csv")]
)
async def test_choosing_a_format_for_a_path_without_a_file_name(
    sample_ws: Workspace, typed: str, expected: str
) -> None:
    """``/`` or ``.`` has no name to give an extension: the default file name goes in it (this
    stopped the app with a ValueError)."""
    store = annotated(sample_ws)
    app = ReaderApp(store, ARTICLE)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("e")
        await pilot.pause()
        await pilot.press("end", "ctrl+u")
        await type_text(pilot, typed)
        await pilot.press("shift+tab", "enter", "down", "down", "down", "enter")  # csv
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog)
        assert app.screen.query_one("#export-path", Input).value == expected


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
def test_standard_output_that_cannot_be_written_is_named(tmp_path: Path) -> None:
    """A full disk behind standard output is one line naming it, not ``None: …``."""
    ws = tmp_path / "ws"
    runner = [sys.executable, "-c", "from reader.startup import main; main()"]
    subprocess.run([*runner, "-w", str(ws), "samples"], check=True, capture_output=True)
    subprocess.run(
        [*runner, "-w", str(ws), "annotate", "netflix-ai-job-picket-line", "--quote", "Netflix"],
        check=True,
        capture_output=True,
    )
    with open("/dev/full", "wb") as full:
        done = subprocess.run(
            [*runner, "-w", str(ws), "export"], stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert done.returncode == 1
    assert done.stderr == "Error: standard output: cannot write (No space left on device)\n"
