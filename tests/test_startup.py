"""The entry point holds the garbage collector off only while the app starts."""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Iterator

import pytest

from annotations.store import AnnotationStore
from corpus.workspace import Workspace
from reader import startup
from reader.app import ReaderApp


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
