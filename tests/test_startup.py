"""The entry point holds the garbage collector off only while the app starts."""

from __future__ import annotations

import fcntl
import gc
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader import startup
from reader.app import ReaderApp
from reader.command_line import COMMANDS, read_command_line
from tests.test_app import long_article

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def collector_restored() -> Iterator[None]:
    yield
    gc.enable()
    gc.unfreeze()


def test_other_commands_run_with_the_collector_on(
    sample_ws: Workspace, monkeypatch: pytest.MonkeyPatch, collector_restored: None
) -> None:
    monkeypatch.setattr(sys, "argv", ["reader", "-w", str(sample_ws.root), "list"])
    with pytest.raises(SystemExit) as exited:
        startup.main()
    assert exited.value.code == 0
    assert gc.isenabled()


async def test_the_app_turns_it_back_on_after_its_first_paint(
    sample_ws: Workspace, collector_restored: None
) -> None:
    gc.disable()  # as startup.main leaves it for the app
    app = ReaderApp(AnnotationStore(sample_ws))
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert gc.isenabled()


def test_the_console_script_is_the_startup_entry_point() -> None:
    from importlib.metadata import entry_points

    (script,) = [e for e in entry_points(group="console_scripts") if e.name == "reader"]
    assert script.value == "reader.startup:main"
    done = subprocess.run(
        [sys.executable, "-c", "from reader.startup import main; main()", "--version"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "version" in done.stdout


def run_in_terminal(command: list[str], timeout: float = 60.0, columns: int = 120) -> bytes:
    """Run ``command`` in a new pseudo-terminal (``columns`` wide, 40 lines) until it exits;
    return what it drew."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, columns, 0, 0))
    process = subprocess.Popen(
        command,
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    drawn = bytearray()
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            if select.select([master], [], [], 0.1)[0]:
                try:
                    chunk = os.read(master, 65536)
                except OSError:  # EIO: the program has closed the terminal
                    break
                if not chunk:
                    break
                drawn += chunk
            elif process.poll() is not None:
                break
    finally:
        process.kill()
        process.wait(10)
        os.close(master)
    return bytes(drawn)


def test_in_a_terminal_the_first_frame_comes_before_the_deferred_work(
    sample_ws: Workspace, tmp_path: Path
) -> None:
    """In a real terminal: a long article's first screen is sent from a partial layout, with
    the collector still off; the rest of the layout and the collector wait for that frame."""
    store = AnnotationStore(sample_ws)
    long_id = long_article(store)
    out = tmp_path / "events.json"
    command = [sys.executable, "-m", "tests.startup_trace", str(out)]
    drawn = run_in_terminal([*command, "--workspace", str(sample_ws.root), long_id])
    assert out.exists(), drawn.decode(errors="replace")[-2000:]
    events = json.loads(out.read_text())
    first_frame = events.index("frame, collector off")
    assert "frame, collector on" not in events[:first_frame]
    assert events.index("partial layout") < first_frame < events.index("full layout")
    assert events.count("full layout") == 1


@pytest.mark.parametrize(
    ("args", "plan"),
    [
        ([], (None, None)),
        (["article-id"], (None, "article-id")),
        (["notes/a.md", "-w", "ws"], ("ws", "notes/a.md")),
        (["--workspace", "ws"], ("ws", None)),
        (["--workspace=ws", "https://example.org/a"], ("ws", "https://example.org/a")),
        (["-w", "ws", "article-id"], ("ws", "article-id")),
        # Everything else is click's: commands, help, version, odd or repeated options.
        (["list"], None),
        (["-w", "ws", "open", "a.md"], None),
        (["--help"], None),
        (["--version"], None),
        (["-wws"], None),
        (["-w"], None),
        (["-w", "a", "-w", "b"], None),
        (["a.md", "b.md"], None),
        (["--", "a.md"], None),
        (["--workspace="], None),
        ([""], None),
    ],
)
def test_which_arguments_open_the_app_without_click(
    args: list[str], plan: tuple[str | None, str | None] | None
) -> None:
    assert read_command_line(args).opens == plan


@pytest.mark.parametrize(
    ("args", "for_click"),
    [
        ([], []),
        (["a.md"], ["open", "a.md"]),
        (["-w", "ws", "a.md"], ["-w", "ws", "open", "a.md"]),
        (["--workspace=ws", "a.md", "-w", "x"], ["--workspace=ws", "open", "a.md", "-w", "x"]),
        (["-w", "ws", "list", "--tag", "x"], ["-w", "ws", "list", "--tag", "x"]),
        (["open", "a.md"], ["open", "a.md"]),
        (["a.md", "b.md"], ["open", "a.md", "b.md"]),  # click then says what is wrong
        (["--version"], ["--version"]),
        (["--", "a.md"], ["--", "open", "a.md"]),
        (["-w"], ["-w"]),
        (["-w", "list"], ["-w", "list"]),  # a workspace named "list"
    ],
)
def test_click_reads_a_first_word_that_is_no_command_as_a_path(
    args: list[str], for_click: list[str]
) -> None:
    assert read_command_line(args).for_click() == for_click


def test_the_fast_path_knows_every_command() -> None:
    from reader.cli import load_command

    # The table is the one list of commands (tests/test_cli_commands.py checks each entry).
    assert {load_command(name).name for name in COMMANDS} == set(COMMANDS)


def test_both_routes_give_the_same_one_line_error(tmp_path: Path) -> None:
    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("a file where the workspace should be")
    command = [sys.executable, "-c", "from reader.startup import main; main()"]
    fast = ["-w", str(not_a_folder)]
    by_click = ["open", "-w", str(not_a_folder)]
    assert read_command_line(fast).opens is not None
    assert read_command_line(by_click).opens is None
    errors = []
    for args in (fast, by_click):
        done = subprocess.run([*command, *args], capture_output=True, text=True, cwd=ROOT)
        assert done.returncode == 1
        errors.append(done.stderr)
    assert errors[0] == errors[1]
    (line,) = errors[0].splitlines()
    assert line.startswith(f"Error: {not_a_folder}: not a usable workspace (")
