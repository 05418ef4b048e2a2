"""A fetch ends: a total deadline besides the per-read timeout, and a cancel from another
thread (findings R-D8: a server sending one byte every few seconds kept ``reader import`` busy
for good). Against the real server of tests/web_server.py, whose ``/drip`` sends a byte every
``drip_seconds``. Quitting the app during such an import: tests/test_quit_during_import.py."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest

from corpus.cancel import Cancel
from corpus.fetch import fetch
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
    thread, outcome = fetch_in_thread(url, deadline=2.0)
    thread.join(HANG)
    assert not thread.is_alive(), "the fetch did not end at its deadline"
    (failed,) = outcome
    assert isinstance(failed, ImportFailed)
    assert str(failed) == f"{url}: timed out: no whole answer within 2 s"


def test_a_cancelled_fetch_ends_at_once(drip_server: TestServer) -> None:
    cancel = Cancel()
    url = drip_server.url("/drip")
    thread, outcome = fetch_in_thread(url, cancel=cancel)
    while ("GET", "/drip") not in drip_server.requests:
        time.sleep(0.05)
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
