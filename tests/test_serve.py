"""``reader serve`` without a browser: the hosts it refuses, the port it reports, the command
line it runs per tab, and that none of it is imported when the app starts (issue 21). The
browser itself is tests/test_serve_browser.py."""

from __future__ import annotations

import json
import shlex
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from corpus.workspace import Workspace
from reader.cli import main
from reader.cli_serve import app_command, is_loopback

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def busy_port() -> Iterator[int]:
    """A port on 127.0.0.1 that something else listens on."""
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        yield taken.getsockname()[1]


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "reader", "serve", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def stop(server: subprocess.Popen[str]) -> str:
    """Ctrl+c: the server ends with status 0 and no traceback; its remaining stderr."""
    server.send_signal(signal.SIGINT)
    _out, err = server.communicate(timeout=30)
    assert server.returncode == 0, err
    assert "Traceback" not in err
    return err


def test_a_host_other_machines_reach_is_refused_without_public(tmp_path: Path) -> None:
    status, out, err = run("serve", "--host", "0.0.0.0", "-w", str(tmp_path / "ws"))
    assert status == 1
    assert out == ""
    assert err.count("\n") == 1
    assert err.startswith("Error: --host 0.0.0.0 ") and "--public" in err
    assert not (tmp_path / "ws").exists()  # refused before anything is made


def test_a_port_in_use_is_one_line(tmp_path: Path, busy_port: int) -> None:
    status, out, err = run("serve", "--port", str(busy_port), "-w", str(tmp_path / "ws"))
    assert status == 1
    assert out == ""
    assert err == (
        f"Error: port {busy_port} on 127.0.0.1 is in use "
        "(choose another with --port, or --port 0 for a free one)\n"
    )
    assert not (tmp_path / "ws").exists()


def test_port_0_prints_a_url_whose_port_serves_the_page(sample_ws: Workspace) -> None:
    server = start("--port", "0", "-w", str(sample_ws.root))
    assert server.stdout is not None
    line = server.stdout.readline()
    try:
        assert line.startswith(f"Serving {sample_ws.root} at http://127.0.0.1:")
        url = line.rsplit(" ", 1)[1].strip()
        assert not url.endswith(":0")
        page = httpx.get(url, timeout=30)
        assert page.status_code == 200
        assert "textual.js" in page.text  # textual-serve's page, which opens the app's socket
        assert f"{url}/ws" in page.text.replace("ws://", "http://")
    finally:
        stop(server)


def test_ctrl_c_as_soon_as_the_url_is_printed_stops_it(sample_ws: Workspace) -> None:
    """The URL is printed once ctrl+c is the server's to handle: whoever reads it (a script,
    a test) may stop the server at once, and it ends cleanly."""
    server = start("--port", "0", "-w", str(sample_ws.root))
    assert server.stdout is not None
    assert server.stdout.readline().startswith("Serving ")
    assert stop(server) == ""


def test_public_serves_every_interface_with_a_warning(sample_ws: Workspace) -> None:
    server = start("--host", "0.0.0.0", "--public", "--port", "0", "-w", str(sample_ws.root))
    assert server.stdout is not None and server.stderr is not None
    warning = server.stderr.readline()
    line = server.stdout.readline()
    try:
        assert warning.startswith(f"Warning: serving {sample_ws.root} to every machine")
        assert "no login" in warning
        port = int(line.rsplit(":", 1)[1])
        page = httpx.get(f"http://127.0.0.1:{port}/", timeout=30)  # reached on loopback too
        assert page.status_code == 200
        # The page connects back where the browser found it, whatever the host name printed.
        assert f"ws://127.0.0.1:{port}/ws" in page.text
    finally:
        stop(server)


def test_loopback_hosts() -> None:
    assert all(map(is_loopback, ["127.0.0.1", "127.8.0.1", "::1", "localhost", "LocalHost"]))
    assert not any(map(is_loopback, ["0.0.0.0", "::", "192.168.1.4", "example.org", ""]))


@given(
    workspace=st.text(st.characters(exclude_characters="\0"), min_size=1),
    coder=st.one_of(st.none(), st.text(st.characters(exclude_characters="\0"), min_size=1)),
)
def test_each_tab_runs_this_reader_on_the_workspace_whatever_its_name(
    workspace: str, coder: str | None
) -> None:
    """textual-serve hands the command to a shell: quoting keeps every name one word."""
    words = shlex.split(app_command(Path(workspace), coder))
    expected = [sys.executable, "-m", "reader", "--workspace", str(Path(workspace))]
    assert words == expected + (["--coder", coder] if coder else [])


def test_the_app_starts_without_the_server() -> None:
    """textual-serve and aiohttp are imported by ``reader serve`` only: not by the command
    line, the app or its main screen (which offers an export as a download in a browser)."""
    code = (
        "import json, sys\n"
        "import reader.cli, reader.app, reader.screens.main, reader.startup\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in "
        "('textual_serve', 'aiohttp', 'playwright', 'PIL'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    )
    assert json.loads(done.stdout) == []


async def test_ctrl_c_with_a_tab_open_closes_the_tab_and_its_app(sample_ws: Workspace) -> None:
    """A tab (a websocket, as the page opens it) whose app has drawn; ctrl+c: the server tells
    the tab it is going away, and the tab's app process ends with the server."""
    import aiohttp

    server = start("--port", "0", "-w", str(sample_ws.root))
    assert server.stdout is not None
    url = server.stdout.readline().rsplit(" ", 1)[1].strip()
    try:
        async with (
            aiohttp.ClientSession() as session,
            session.ws_connect(f"{url}/ws?width=100&height=30") as tab,
        ):
            first = await tab.receive(timeout=60)
            assert first.type == aiohttp.WSMsgType.BINARY  # the app's first output
            apps = subprocess.run(
                ["pgrep", "-f", f"python -m reader --workspace {sample_ws.root}$"],
                capture_output=True,
                text=True,
                check=False,
            ).stdout.split()
            assert apps  # the tab's own reader
            server.send_signal(signal.SIGINT)
            while (message := await tab.receive(timeout=60)).type == aiohttp.WSMsgType.BINARY:
                pass
            assert message.type == aiohttp.WSMsgType.CLOSE
            assert (message.data, message.extra) == (1001, "server stopped")
    finally:
        err = stop(server)  # a second ctrl+c while it stops (people press it twice)
    assert err == ""
    for pid in apps:
        assert not Path(f"/proc/{pid}").exists()
