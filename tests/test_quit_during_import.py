"""Quitting the app during an import ends the process (findings R-D8: ``q`` while a slow
server was answering left a blank terminal and a live process, whose import thread kept it
alive; Ctrl-C then printed a traceback). The app runs in a pseudo-terminal, against the
dripping route of tests/web_server.py (a byte every half second)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from corpus.workspace import Workspace
from tests.web_server import TestServer, serve

ROOT = Path(__file__).resolve().parent.parent
HANG = 30.0  # far beyond any bound here; the fetch's own deadline is 60 s and the drip endless


def test_q_during_an_import_ends_the_app(tmp_path: Path) -> None:
    """The app in a pseudo-terminal: ``i``, the dripping URL, enter, then ``q`` while the page
    is still coming. The process must end; before, its import thread kept it alive."""
    with serve(drip_seconds=0.5) as server:
        quit_during_import(server, tmp_path)


def quit_during_import(server: TestServer, tmp_path: Path) -> None:
    ws = Workspace(tmp_path / "ws")
    url = server.url("/drip")
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 40, 120, 0, 0))
    app = subprocess.Popen(
        [sys.executable, "-c", "from reader.startup import main; main()", "-w", str(ws.root)],
        stdin=slave,
        stdout=slave,
        stderr=slave,
        cwd=ROOT,
        env={**os.environ, "TERM": "xterm-256color"},
        start_new_session=True,
    )
    os.close(slave)
    drawn = bytearray()

    def read_for(seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            if select.select([master], [], [], 0.05)[0]:
                try:
                    drawn.extend(os.read(master, 65536))
                except OSError:
                    return

    def wait_for(what: Callable[[], bool], seconds: float = HANG) -> None:
        end = time.monotonic() + seconds
        while not what() and time.monotonic() < end:
            read_for(0.1)

    try:
        # The main screen is up: its footer always shows "? Help"; "Import" (the key, or the
        # empty workspace's hint) may be left out of a narrow footer.
        wait_for(lambda: b"Help" in drawn)
        assert b"Help" in drawn, drawn.decode(errors="replace")[-500:]
        os.write(master, b"i")
        read_for(1.0)
        os.write(master, url.encode() + b"\r")
        wait_for(lambda: ("GET", "/drip") in server.requests)
        assert ("GET", "/drip") in server.requests, drawn.decode(errors="replace")[-500:]
        read_for(1.0)
        os.write(master, b"q")
        end = time.monotonic() + HANG
        while app.poll() is None and time.monotonic() < end:
            read_for(0.1)
        assert app.poll() is not None, "the app did not end after q during an import"
        assert app.returncode == 0
        assert b"Traceback" not in drawn
    finally:
        if app.poll() is None:
            app.kill()
        app.wait(10)
        os.close(master)
