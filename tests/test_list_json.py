"""``reader list --json`` answered from its output cache (:mod:`annotations.list_cache`, issue 22):
the same bytes as the list built from the files, after any change made behind the cache's back,
and from the files whenever the cache is missing, stale, corrupt or cannot be written.

The command runs as a whole process, as people run it. "From the cache" is shown by running it
with click made unimportable: only the answer from the cache gets through without click.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from annotations.list_cache import NAME, SETTLED_NS
from annotations.store import AnnotationStore
from bench.generate import generate
from corpus.workspace import ENV_VAR, Workspace
from reader import list_json
from reader.cli import main
from reader.command_line import read_command_line

READER = "from reader.startup import main; main()"
NO_CLICK = "import sys; sys.modules['click'] = None; " + READER


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("listjson")
    generate(root, articles=40, highlights=120, inserts=0, big_article_chars=5_000)
    workspace = root / "workspace"
    store = AnnotationStore(Workspace(workspace))
    ids = store.library.ids()
    store.mark_opened(ids[0], 10)
    store.mark_opened(ids[1])
    store.set_memo(ids[2], "a memo\nwith \x1b[31m an escape")
    store.set_archived([ids[3]], True)
    return workspace


@pytest.fixture
def ws(tmp_path: Path, made: Path) -> Path:
    workspace = tmp_path / "ws"
    shutil.copytree(made, workspace)
    _settle(workspace)
    return workspace


def _settle(workspace: Path) -> None:
    """Make every file look modified long ago (the cache is written only for such files)."""
    past = time.time() - 3600
    for folder, _, files in os.walk(workspace):
        for name in files:
            os.utime(Path(folder) / name, (past, past))


def _run(workspace: Path, code: str = READER) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [sys.executable, "-c", code, "--workspace", str(workspace), "list", "--json"],
        capture_output=True,
        env={k: v for k, v in os.environ.items() if k != ENV_VAR},
    )


def _from_files(workspace: Path) -> bytes:
    """What ``list --json`` prints, built from the files with no cache of any kind."""
    shutil.rmtree(workspace / ".cache", ignore_errors=True)
    done = CliRunner().invoke(main, ["list", "--workspace", str(workspace), "--json"])
    assert done.exit_code == 0, done.output
    shutil.rmtree(workspace / ".cache", ignore_errors=True)
    return done.stdout_bytes


def _cached(workspace: Path) -> bytes:
    """The output given from the cache (failing when it is not)."""
    done = _run(workspace, NO_CLICK)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_cached_output_is_the_listed_one(ws: Path) -> None:
    expected = _from_files(ws)
    assert b'"read": true' in expected and b"\\u001b" not in expected  # memos are not listed
    first = _run(ws)
    assert first.returncode == 0 and first.stdout == expected
    assert (ws / ".cache" / NAME).is_file()
    assert _cached(ws) == expected


def test_an_article_edited_behind_the_cache_is_listed_as_it_is(ws: Path) -> None:
    _run(ws)
    article = sorted((ws / "articles").iterdir())[5]
    text = article.read_text(encoding="utf-8")
    title = text.split('title: "', 1)[1].split('"', 1)[0]
    with article.open("r+", encoding="utf-8") as f:  # in place: the same inode
        f.write(text.replace(f'title: "{title}"', 'title: "Edited title"', 1))
        f.truncate()
    shown = _run(ws)
    assert b'"title": "Edited title"' in shown.stdout
    assert shown.stdout == _from_files(ws)


def test_a_highlight_added_by_another_process_is_counted(ws: Path) -> None:
    before = _run(ws).stdout
    store = AnnotationStore(Workspace(ws))
    target = store.library.ids()[-1]
    store.add_highlight(target, 0, 4)
    after = _run(ws).stdout
    assert after != before and after == _from_files(ws)


def test_reading_state_changed_behind_the_cache_is_shown(ws: Path) -> None:
    before = _run(ws).stdout
    store = AnnotationStore(Workspace(ws))
    store.mark_opened(store.library.ids()[7])
    store.set_archived([store.library.ids()[8]], True)
    after = _run(ws).stdout
    assert after != before and after == _from_files(ws)


def test_files_changed_in_the_last_seconds_are_not_cached(ws: Path) -> None:
    """A file rewritten in place within one tick of the file system's clock, with the same size,
    keeps its stamp: the output is cached only once every file is older than that."""
    assert SETTLED_NS >= 2_000_000_000
    article = sorted((ws / "articles").iterdir())[2]
    article.write_bytes(article.read_bytes())  # modified now
    assert _run(ws).returncode == 0
    assert not (ws / ".cache" / NAME).exists()
    assert _run(ws, NO_CLICK).returncode != 0  # built from the files again
    _settle(ws)
    _run(ws)
    assert _cached(ws) == _from_files(ws)


@pytest.mark.parametrize("damage", ["flip", "truncate", "header", "empty", "other files"])
def test_a_damaged_cache_is_never_given(ws: Path, damage: str) -> None:
    expected = _from_files(ws)
    _run(ws)
    cache = ws / ".cache" / NAME
    data = bytearray(cache.read_bytes())
    if damage == "flip":
        data[-20] ^= 0x01
    elif damage == "truncate":
        del data[-100:]
    elif damage == "header":
        assert data.startswith(b"reader-list-json 1 ")
        data[17:18] = b"9"  # another version
    elif damage == "empty":
        data = bytearray()
    else:  # a cache made from other files: the fingerprint's names differ
        i = data.index(b".md")
        data[i - 1] ^= 0x01
    cache.write_bytes(bytes(data))
    assert _run(ws, NO_CLICK).returncode != 0
    again = _run(ws)
    assert again.returncode == 0 and again.stdout == expected
    assert _cached(ws) == expected  # written again


def test_a_cache_that_cannot_be_written_is_no_error(ws: Path) -> None:
    expected = _from_files(ws)
    (ws / ".cache").write_bytes(b"a file where the folder should be")
    done = _run(ws)
    assert done.returncode == 0 and done.stdout == expected


def test_filters_and_other_options_are_not_answered_from_the_cache(ws: Path) -> None:
    _run(ws)
    for extra in (["--unread"], ["--with-archived"], ["--tag", "x"]):
        code = [sys.executable, "-c", NO_CLICK, "--workspace", str(ws), "list", "--json", *extra]
        assert subprocess.run(code, capture_output=True).returncode != 0


def test_which_arguments_are_list_json() -> None:
    def wanted(args: list[str]) -> tuple[bool, str | None]:
        command_line = read_command_line(args)
        return command_line.lists_json, command_line.workspace

    assert wanted(["list", "--json"]) == (True, None)
    assert wanted(["-w", "W", "list", "--json"]) == (True, "W")
    assert wanted(["list", "--json", "--workspace", "W"]) == (True, "W")
    assert wanted(["--workspace=W", "list", "--json"]) == (True, "W")
    for args in (
        ["list"],
        ["--json", "list"],
        ["list", "--json", "--json"],
        ["list", "--json", "--unread"],
        ["-w", "A", "list", "--json", "-w", "B"],
        ["list", "--json", "-w"],
        ["--workspace=", "list", "--json"],
        ["show", "--json"],
        ["list", "list", "--json"],
        ["--coder", "ana", "list", "--json"],
    ):
        assert wanted(args)[0] is False, args


@pytest.mark.parametrize("option", ["rel/ws", "/abs/ws", "~/ws", "a/../b", None])
def test_the_workspace_is_the_one_click_would_use(
    option: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ENV_VAR, "env/ws")
    assert list_json.workspace_root(option) == str(Workspace.resolve(option).root)
    monkeypatch.delenv(ENV_VAR)
    assert list_json.workspace_root(option) == str(Workspace.resolve(option).root)
    assert list_json._ENV_VAR == ENV_VAR


def test_a_closed_pipe_ends_it_as_click_does(ws: Path) -> None:
    """``reader list --json | head`` when head has gone: status 1, no traceback."""
    _run(ws)
    read, write = os.pipe()
    os.close(read)
    try:
        for code in (NO_CLICK, READER):  # from the cache, then (the cache gone) from the files
            done = subprocess.run(
                [sys.executable, "-c", code, "--workspace", str(ws), "list", "--json"],
                stdout=write,
                stderr=subprocess.PIPE,
            )
            assert (done.returncode, done.stderr) == (1, b"")
            (ws / ".cache" / NAME).unlink(missing_ok=True)
    finally:
        os.close(write)


def test_the_fingerprint_is_the_same_by_path(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Where ``stat`` cannot be relative to an open folder (Windows), files are stated by path,
    with the same result."""
    from annotations import list_cache

    relative = list_cache.fingerprint(str(ws))
    monkeypatch.setattr(list_cache, "_RELATIVE_STAT", False)
    assert relative is not None
    assert list_cache.fingerprint(str(ws)) == relative
    assert list_cache.fingerprint(str(ws / "missing")) is None  # made by the command


def test_a_workspace_gone_is_made_again_not_listed_from_the_cache(ws: Path) -> None:
    _run(ws)
    shutil.rmtree(ws / "articles")
    done = _run(ws)
    assert done.returncode == 0 and done.stdout == b"[]\n"
    assert b"made a new workspace" in done.stderr and (ws / "articles").is_dir()
