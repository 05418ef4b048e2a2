"""Fetching pages and feeds over HTTP(S) with httpx: bounded, polite, and honest about failures.

Every failure is an :class:`~corpus.importers.ImportFailed` whose message is one line naming
the URL and the reason (HTTP status, timeout, too many redirects, too large, not a page).

A fetch ends: each read waits at most :data:`TIMEOUT`, and the whole fetch, however the
server trickles its answer (headers included), at most :data:`DEADLINE`. Another thread can
end it at once with a :class:`~corpus.cancel.Cancel` (the app does when it quits). Both shut
the fetch's sockets, which wakes a read that is waiting: httpx has no total timeout.
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
import ssl
import threading
from dataclasses import dataclass
from typing import Any

import httpx

from corpus.cancel import Cancel
from corpus.importers import ImportFailed
from corpus.plaintext import decode_text
from corpus.urls import is_url

__all__ = ["Fetched", "client", "decode_page", "fetch", "is_url"]

USER_AGENT = "reader/0.1 (terminal article reader; imports one page at a time)"
ACCEPT = (
    "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
    "application/xml;q=0.9,text/plain;q=0.8,text/markdown;q=0.8,*/*;q=0.1"
)
MAX_BYTES = 20_000_000
TIMEOUT = 15.0  # seconds per connect and per read
DEADLINE = 60.0  # seconds for a whole fetch
MAX_REDIRECTS = 5
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w:.-]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Fetched:
    """A fetched resource: the URL it ended at (after redirects), its type and its bytes."""

    url: str
    content_type: str
    charset: str | None
    body: bytes

    @property
    def text(self) -> str:
        return decode_page(self.body, self.charset)


def decode_page(body: bytes, declared: str | None) -> str:
    """Decode a page: as :func:`~corpus.plaintext.decode_text`, trying the charset the server
    declared and then the page's own ``<meta charset>`` before falling back to cp1252."""
    meta = _META_CHARSET.search(body[:4096])
    return decode_text(body, (declared, meta.group(1).decode("ascii", "ignore") if meta else None))


class _Watch:
    """The sockets of one fetch, shut down when it runs out of time or is cancelled.

    httpcore reports each connection it opens to a ``trace`` callback (a documented request
    extension); the socket is kept from there, so even a server that trickles its headers can
    be cut off."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self.reason: str | None = None  # "deadline" or "cancelled", once stopped

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            self.add(info["return_value"])

    def add(self, stream: Any) -> None:
        """Watch the socket of an httpcore network stream (shut at once if stopped already)."""
        sock = stream.get_extra_info("socket") if stream is not None else None
        if isinstance(sock, socket.socket):
            with self._lock:
                self._sockets.append(sock)
                stopped = self.reason is not None
            if stopped:
                self._shut(sock)

    def stop(self, reason: str) -> None:
        with self._lock:
            self.reason = self.reason or reason
            sockets = list(self._sockets)
        for sock in sockets:
            self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # closed already: that fetch is over
            sock.shutdown(socket.SHUT_RDWR)  # wakes a recv() waiting in the fetching thread


@functools.cache
def tls() -> ssl.SSLContext:
    """The TLS settings every client of this process shares: httpx's own (certifi's roots, or
    those ``SSL_CERT_FILE`` or ``SSL_CERT_DIR`` name), made once. Loading the roots takes
    about 40 ms, which each new client paid again: once per page of a many-URL import."""
    return httpx.create_ssl_context()


def client(timeout: float | None = None) -> httpx.Client:
    """An HTTP client with reader's user agent, redirect limit and timeout (default
    :data:`TIMEOUT`, read when called)."""
    return httpx.Client(
        verify=tls(),
        follow_redirects=True,
        max_redirects=MAX_REDIRECTS,
        timeout=httpx.Timeout(TIMEOUT if timeout is None else timeout),
        headers={"User-Agent": USER_AGENT, "Accept": ACCEPT},
    )


def fetch(
    url: str,
    *,
    session: httpx.Client | None = None,
    max_bytes: int | None = None,
    timeout: float | None = None,
    deadline: float | None = None,
    cancel: Cancel | None = None,
) -> Fetched:
    """GET ``url``, following redirects, refusing bodies over ``max_bytes`` (default
    :data:`MAX_BYTES`), giving up after ``deadline`` seconds in all (default
    :data:`DEADLINE`) or when ``cancel`` is cancelled."""
    max_bytes = MAX_BYTES if max_bytes is None else max_bytes
    deadline = DEADLINE if deadline is None else deadline
    own = session is None
    http = session or client(timeout)
    timeout = http.timeout.read or TIMEOUT
    watch = _Watch()
    timer = threading.Timer(deadline, watch.stop, args=("deadline",))
    timer.daemon = True
    timer.start()
    if cancel is not None:
        cancel.on_cancel(watch.stop)

    def stopped() -> ImportFailed:
        if watch.reason == "cancelled":
            return ImportFailed(f"{url}: cancelled")
        return ImportFailed(f"{url}: timed out: no whole answer within {deadline:g} s")

    try:
        if watch.reason is not None:
            raise stopped()
        # "Connection: close": a connection kept alive from an earlier fetch would be reused
        # without being reported to the trace, so its reads could not be cut off.
        with http.stream(
            "GET", url, headers={"Connection": "close"}, extensions={"trace": watch.trace}
        ) as response:
            watch.add(response.extensions.get("network_stream"))
            if response.status_code >= 400:
                raise ImportFailed(f"{url}: HTTP {response.status_code} {response.reason_phrase}")
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise ImportFailed(
                    f"{url}: too large ({int(declared) / 1e6:.1f} MB, limit {max_bytes / 1e6:g} MB)"
                )
            chunks, total = [], 0
            for chunk in response.iter_bytes():
                total += len(chunk)
                if total > max_bytes:
                    raise ImportFailed(f"{url}: too large (over the {max_bytes / 1e6:g} MB limit)")
                chunks.append(chunk)
            if watch.reason is not None:  # a body cut short by the shutdown ends like a whole one
                raise stopped()
            content_type = response.headers.get("content-type", "")
            mime = content_type.split(";")[0].strip().lower()
            charset = response.charset_encoding
            return Fetched(str(response.url), mime, charset, b"".join(chunks))
    except httpx.HTTPError as exc:
        if watch.reason is not None:  # whatever the shutdown made httpx say
            raise stopped() from None
        if isinstance(exc, httpx.TimeoutException):
            raise ImportFailed(f"{url}: timed out after {timeout:g} s") from None
        if isinstance(exc, httpx.TooManyRedirects):
            raise ImportFailed(f"{url}: too many redirects (more than {MAX_REDIRECTS})") from None
        reason = str(exc) or type(exc).__name__
        raise ImportFailed(f"{url}: cannot fetch ({reason})") from None
    except httpx.InvalidURL as exc:
        raise ImportFailed(f"{url}: not a valid URL ({exc})") from None
    finally:
        timer.cancel()
        if cancel is not None:
            cancel.forget(watch.stop)
        if own:
            http.close()
