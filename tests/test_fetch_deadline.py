"""A fetch ends: a total deadline besides the per-read timeout, and a cancel from another
thread (findings R-D8: a server sending one byte every few seconds kept ``reader import`` busy
for good). Against the real server of tests/web_server.py, whose ``/drip`` sends a byte every
``drip_seconds``. Quitting the app during such an import: tests/test_quit_during_import.py."""

from __future__ import annotations

import http.server
import ssl
import threading
import time
from collections.abc import Iterator

import pytest

from corpus.cancel import Cancel
from corpus.fetch import client, fetch, tls
from corpus.importers import ImportFailed
from tests.web_server import TestServer, serve

HANG = 30.0  # far beyond any bound here: a fetch still running then would run for hours


@pytest.fixture(scope="module")
def drip_server() -> Iterator[TestServer]:
    with serve(drip_seconds=0.5) as server:
        yield server


def fetch_in_thread(url: str, **options: object) -> tuple[threading.Thread, list[object]]:
    """Run fetch(url) in a thread; the list gets its exception or result."""
    outcome: list[object] = []

    def run() -> None:
        try:
            outcome.append(fetch(url, **options))  # type: ignore[arg-type]
        except ImportFailed as exc:
            outcome.append(exc)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    return thread, outcome


@pytest.mark.parametrize("path", ["/drip", "/drip-headers"])
def test_a_dripping_server_fails_at_the_total_deadline(drip_server: TestServer, path: str) -> None:
    url = drip_server.url(path)
    thread, outcome = fetch_in_thread(url, deadline=1.0)
    thread.join(HANG)
    assert not thread.is_alive(), "the fetch did not end at its deadline"
    (failed,) = outcome
    assert isinstance(failed, ImportFailed)
    assert str(failed) == f"{url}: timed out: no whole answer within 1 s"


def test_a_cancelled_fetch_ends_at_once(drip_server: TestServer) -> None:
    cancel = Cancel()
    url = drip_server.url("/drip")
    # The server is the module's: earlier tests' requests are listed already (one of them may
    # be this path), so "under way" is one request more than before this fetch.
    earlier = len(drip_server.requests)
    thread, outcome = fetch_in_thread(url, cancel=cancel)
    waited_until = time.monotonic() + HANG
    while ("GET", "/drip") not in drip_server.requests[earlier:]:  # the fetch is under way
        assert time.monotonic() < waited_until, "the fetch never reached the server"
        time.sleep(0.01)
    cancel.cancel()
    thread.join(HANG)
    assert not thread.is_alive(), "the fetch went on after it was cancelled"
    (failed,) = outcome
    assert isinstance(failed, ImportFailed) and str(failed) == f"{url}: cancelled"
    # A token cancelled before a fetch starts stops it before it sends anything.
    before = len(drip_server.requests)
    with pytest.raises(ImportFailed, match="cancelled"):
        fetch(url, cancel=cancel)
    assert len(drip_server.requests) == before


class _KeepAlive(http.server.BaseHTTPRequestHandler):
    """Keeps its connections open between answers: ``/page`` at once, ``/drip`` a byte every
    half second."""

    protocol_version = "HTTP/1.1"
    timeout = 10

    def log_message(self, format: str, *args: object) -> None:
        """Quiet."""

    def do_GET(self) -> None:
        body = b"<html><body><article><p>A short page.</p></article></body></html>"
        self.send_response(200)
        self.send_header("Content-Type", "text/html")
        self.send_header("Content-Length", str(len(body) if self.path == "/page" else 1000))
        self.end_headers()
        if self.path == "/page":
            self.wfile.write(body)
            return
        stopping: threading.Event = self.server.stopping  # type: ignore[attr-defined]
        while not stopping.wait(0.5):
            self.wfile.write(b"x")
            self.wfile.flush()


def test_the_deadline_holds_on_a_connection_kept_alive() -> None:
    """One client fetches every item of an import: a second fetch must not reuse the first's
    connection unwatched (the deadline shuts only the sockets it knows)."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _KeepAlive)
    server.daemon_threads = True
    server.stopping = threading.Event()  # type: ignore[attr-defined]
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        with client() as http_client:
            assert b"A short page" in fetch(f"{base}/page", session=http_client).body
            thread, outcome = fetch_in_thread(f"{base}/drip", session=http_client, deadline=1.0)
            thread.join(HANG)
            assert not thread.is_alive(), "the fetch did not end at its deadline"
        (failed,) = outcome
        assert isinstance(failed, ImportFailed) and "within 1 s" in str(failed)
    finally:
        server.stopping.set()  # type: ignore[attr-defined]
        server.shutdown()
        server.server_close()


def test_clients_share_one_tls_context_that_verifies(monkeypatch: pytest.MonkeyPatch) -> None:
    """The trusted roots are loaded once per process, not once per client (about 40 ms each),
    and what is shared is httpx's verifying default."""
    context = tls()
    assert context.verify_mode == ssl.CERT_REQUIRED and context.check_hostname
    loads: list[object] = []
    original = ssl.SSLContext.load_verify_locations

    def counted(self: ssl.SSLContext, *args: object, **kwargs: object) -> None:
        loads.append(args)
        original(self, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(ssl.SSLContext, "load_verify_locations", counted)
    for _ in range(3):
        client().close()
    assert loads == [] and tls() is context
