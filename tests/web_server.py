"""A real HTTP server on 127.0.0.1 for importer tests: fixture pages, feeds and awkward answers.

``with serve() as server:`` starts a :class:`TestServer` (a ``ThreadingHTTPServer`` on an
ephemeral port of 127.0.0.1, in a daemon thread) and shuts it down cleanly afterwards;
``server.url("/pages/01-wordpress.html")`` is a full URL. Routes:

=========================  =================================================================
``/``                      an HTML index linking every route
``/pages/<name>.html``     a page of ``tests/fixtures/web/pages`` (text/html; charset=utf-8)
``/feeds/rss.xml``         the RSS 2.0 feed, ``http://SERVER`` replaced by the base URL
``/feeds/atom.xml``        the Atom 1.0 feed, likewise
``/text/<name>.txt``       a file of ``tests/fixtures/web/text``, raw bytes, ``text/plain``
                           with no charset (UTF-8, cp1252 or UTF-16 with a BOM)
``/redirect/<n>``          301 to ``/redirect/<n-1>``; ``/redirect/1`` → :data:`REDIRECT_TARGET`
``/redirect-loop``         302 to itself
``/missing``               404 with an HTML body (as is any unknown path)
``/error``                 500 with an HTML body
``/slow``                  a page after ``slow_seconds`` (5 s); gives up at once on shutdown
``/huge``                  text/html, ``Content-Length`` of :data:`HUGE_SIZE` (60 MiB),
                           streamed in 64 KiB blocks of ``<p>filler</p>``
``/huge-no-length``        the same with no ``Content-Length``: the body ends when the
                           connection closes
``/huge-chunked``          the same with ``Transfer-Encoding: chunked``
``/latin1``                a page in ISO-8859-1, header ``charset=iso-8859-1``, no ``<meta>``
``/wrong-charset``         UTF-8 bytes, header ``charset=iso-8859-1``, ``<meta charset="utf-8">``
``/no-charset``            UTF-8 bytes, header ``text/html`` alone, ``<meta charset="utf-8">``
``/image.png``             a valid 1×1 PNG (image/png)
``/empty``                 200 text/html with an empty body
``/plain.txt``             the UTF-8 scraped text fixture (text/plain; charset=utf-8)
``/same-canonical/<n>``    two different articles (n = 1, 2) whose ``<link rel="canonical">``
                           both name :data:`SHARED_CANONICAL`, as sites that point every
                           page's canonical URL at the home page do
``/drip``                  text/html, ``Content-Length`` of 10,000, then one byte of the body
                           every ``drip_seconds`` (1 s) until the client or the server stops
``/drip-headers``          the status line and headers themselves, one byte every
                           ``drip_seconds``
=========================  =================================================================

Every response closes its connection. The huge routes stop streaming as soon as the client
disconnects or the server shuts down; such a response is listed in :attr:`TestServer.aborted`.
Every request is listed in :attr:`TestServer.requests` as ``(method, path)``.
"""

from __future__ import annotations

import contextlib
import html
import http.server
import socketserver
import struct
import threading
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path
from types import TracebackType
from typing import Any
from urllib.parse import urlsplit

FIXTURES = Path(__file__).parent / "fixtures" / "web"
PAGES_DIR = FIXTURES / "pages"
FEEDS_DIR = FIXTURES / "feeds"
TEXT_DIR = FIXTURES / "text"

HOST = "127.0.0.1"
PLACEHOLDER = b"http://SERVER"
PAGE_NAMES: tuple[str, ...] = tuple(sorted(path.name for path in PAGES_DIR.glob("*.html")))
TEXT_NAMES: tuple[str, ...] = tuple(sorted(path.name for path in TEXT_DIR.glob("*.txt")))
FEED_TYPES = {"rss.xml": "application/rss+xml", "atom.xml": "application/atom+xml"}
REDIRECT_TARGET = f"/pages/{PAGE_NAMES[0]}"
MAX_REDIRECT_HOPS = 50
PLAIN_TEXT_FILE = "01-utf8-scraped.txt"

SLOW_SECONDS = 5.0
DRIP_SECONDS = 1.0
DRIP_LENGTH = 10_000
SHARED_CANONICAL = "https://example.com/"
HUGE_SIZE = 60 * 1024 * 1024
FILLER = b"<p>filler</p>\n"
BLOCK = FILLER * (64 * 1024 // len(FILLER))  # whole fillers only, so blocks join cleanly
HUGE_PREFIX = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Huge</title></head><body>\n'
)


def _encoding_page(title: str, sentence: str, head: str) -> str:
    """A short article page whose paragraphs carry the characters an encoding test looks for."""
    paragraphs = [
        sentence,
        "Background performers on the picket line said the scans were taken without any "
        "explanation of where the files would be kept, or for how long they would be used.",
        "The union has said that most of its members do not earn the $26,470 a year that "
        "qualifies them for health coverage, while the job listings posted during the strike "
        "offered salaries many times higher.",
    ]
    body = "".join(f"<p>{html.escape(p, quote=False)}</p>\n" for p in paragraphs)
    return (
        f'<!DOCTYPE html>\n<html lang="fr"><head>{head}<title>{html.escape(title)}</title>'
        f"</head>\n<body><article><h1>{html.escape(title)}</h1>\n{body}</article></body></html>\n"
    )


# The pages of the encoding routes: ``sentence`` is in the body, decoded correctly.
ENCODING_PAGES: dict[str, dict[str, str]] = {
    "/latin1": {
        "title": "Les figurants de Montréal et la grève",
        "sentence": "À Montréal, Zoë Müller répète : « Les figurants ne sont pas des données », "
        "et l'été s'annonce long.",
        "charset": "iso-8859-1",
        "header": "text/html; charset=iso-8859-1",
        "meta": "",
    },
    "/wrong-charset": {
        "title": "Curly quotes behind a Latin-1 header",
        "sentence": "The café owner said “we feed the picket line first” — and meant it.",
        "charset": "utf-8",
        "header": "text/html; charset=iso-8859-1",
        "meta": '<meta charset="utf-8">',
    },
    "/no-charset": {
        "title": "A page that names its charset only in HTML",
        "sentence": "Renée’s naïve résumé listed “background work” — eleven years of it.",
        "charset": "utf-8",
        "header": "text/html",
        "meta": '<meta charset="utf-8">',
    },
}


def _same_canonical_page(n: int) -> bytes:
    """One of two different articles that name the same canonical URL (the site's home)."""
    subject = ("the harbour ferry timetable", "the new library opening hours")[n - 1]
    paragraphs = [
        f"Page {n} is about {subject}, and nothing else on this site says the same thing.",
        f"Residents were asked about {subject} at a meeting on Tuesday evening, where most of "
        "the questions were practical ones about times, prices and who to call.",
        f"The council said that {subject} would be reviewed again in the spring, after the "
        "results of a survey of everyone who uses it are in.",
    ]
    body = "".join(f"<p>{html.escape(p)}</p>\n" for p in paragraphs)
    title = f"Page {n}: {subject}"
    page = (
        f'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>{title}</title>'
        f'<link rel="canonical" href="{SHARED_CANONICAL}"></head>\n'
        f"<body><article><h1>{title}</h1>\n{body}</article></body></html>\n"
    )
    return page.encode("utf-8")


def _png() -> bytes:
    """A valid 1×1 RGB PNG."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    pixels = zlib.compress(b"\x00\xc0\x30\x30")
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")
    )


PNG_BYTES = _png()

_NOT_FOUND = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>404 Not Found</title></head>'
    b"<body><h1>Page not found</h1><p>Sorry, the page you were looking for does not exist or "
    b'has been moved.</p><p><a href="/">Back to the home page</a></p></body></html>\n'
)
_SERVER_ERROR = (
    b'<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>500 Internal Server Error'
    b"</title></head><body><h1>Internal Server Error</h1><p>The server encountered an "
    b"unexpected condition.</p></body></html>\n"
)
_DISCONNECTED = (BrokenPipeError, ConnectionResetError, ConnectionAbortedError, TimeoutError)


def _huge_blocks() -> Iterator[bytes]:
    """The body of the huge routes: exactly HUGE_SIZE bytes, in blocks of about 64 KiB."""
    yield HUGE_PREFIX
    remaining = HUGE_SIZE - len(HUGE_PREFIX)
    while remaining > 0:
        block = BLOCK[:remaining]
        remaining -= len(block)
        yield block


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False

    def __init__(self, slow_seconds: float, drip_seconds: float) -> None:
        self.stopping = threading.Event()
        self.slow_seconds = slow_seconds
        self.drip_seconds = drip_seconds
        self.lock = threading.Lock()
        self.requests: list[tuple[str, str]] = []
        self.aborted: list[str] = []
        super().__init__((HOST, 0), _Handler)
        self.base_url = f"http://{HOST}:{self.server_address[1]}"

    def server_bind(self) -> None:
        # HTTPServer.server_bind looks the host up with getfqdn(), which can stall on DNS.
        socketserver.TCPServer.server_bind(self)
        self.server_name = HOST
        self.server_port = self.server_address[1]


class _Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "ReaderFixtureServer/1.0"
    timeout = 10  # a client that stops reading cannot hold a handler thread for long
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet: no request log on stderr."""

    def do_GET(self) -> None:
        self._dispatch(head=False)

    def do_HEAD(self) -> None:
        self._dispatch(head=True)

    def _dispatch(self, *, head: bool) -> None:
        path = urlsplit(self.path).path
        with self.server.lock:
            self.server.requests.append((self.command, self.path))
        self.close_connection = True
        try:
            self._route(path, head)
        except _DISCONNECTED:
            with self.server.lock:
                self.server.aborted.append(path)

    def _route(self, path: str, head: bool) -> None:
        base = self.server.base_url
        if path == "/":
            self._send(200, self._index(), "text/html; charset=utf-8", head=head)
        elif path.startswith("/pages/") and path[len("/pages/") :] in PAGE_NAMES:
            body = (PAGES_DIR / path[len("/pages/") :]).read_bytes()
            self._send(200, body, "text/html; charset=utf-8", head=head)
        elif path.startswith("/feeds/") and path[len("/feeds/") :] in FEED_TYPES:
            name = path[len("/feeds/") :]
            body = (FEEDS_DIR / name).read_bytes().replace(PLACEHOLDER, base.encode("ascii"))
            self._send(200, body, f"{FEED_TYPES[name]}; charset=utf-8", head=head)
        elif path.startswith("/text/") and path[len("/text/") :] in TEXT_NAMES:
            body = (TEXT_DIR / path[len("/text/") :]).read_bytes()
            self._send(200, body, "text/plain", head=head)
        elif path.startswith("/redirect/"):
            hops = path[len("/redirect/") :]
            if not hops.isdigit() or not 1 <= int(hops) <= MAX_REDIRECT_HOPS:
                self._send(404, _NOT_FOUND, "text/html; charset=utf-8", head=head)
                return
            target = f"/redirect/{int(hops) - 1}" if int(hops) > 1 else REDIRECT_TARGET
            self._redirect(301, base + target, head)
        elif path == "/redirect-loop":
            self._redirect(302, base + "/redirect-loop", head)
        elif path == "/error":
            self._send(500, _SERVER_ERROR, "text/html; charset=utf-8", head=head)
        elif path == "/slow":
            if self.server.stopping.wait(self.server.slow_seconds):
                return  # shutting down: hang up without an answer
            body = (PAGES_DIR / PAGE_NAMES[0]).read_bytes()
            self._send(200, body, "text/html; charset=utf-8", head=head)
        elif path == "/huge":
            self._huge(path, head, length=True, chunked=False)
        elif path == "/huge-no-length":
            self._huge(path, head, length=False, chunked=False)
        elif path == "/huge-chunked":
            self._huge(path, head, length=False, chunked=True)
        elif path in ENCODING_PAGES:
            spec = ENCODING_PAGES[path]
            page = _encoding_page(spec["title"], spec["sentence"], spec["meta"])
            self._send(200, page.encode(spec["charset"]), spec["header"], head=head)
        elif path == "/image.png":
            self._send(200, PNG_BYTES, "image/png", head=head)
        elif path == "/empty":
            self._send(200, b"", "text/html; charset=utf-8", head=head)
        elif path == "/plain.txt":
            body = (TEXT_DIR / PLAIN_TEXT_FILE).read_bytes()
            self._send(200, body, "text/plain; charset=utf-8", head=head)
        elif path in ("/same-canonical/1", "/same-canonical/2"):
            body = _same_canonical_page(int(path[-1]))
            self._send(200, body, "text/html; charset=utf-8", head=head)
        elif path == "/drip":
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Content-Length", str(DRIP_LENGTH))
            self.send_header("Connection", "close")
            self.end_headers()
            if not head:
                self._drip(b"<p>" + b"drip " * (DRIP_LENGTH // 5))
        elif path == "/drip-headers":
            self._drip(b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\n" + b"X-Drip: x" * 2000)
        else:
            self._send(404, _NOT_FOUND, "text/html; charset=utf-8", head=head)

    def _send(
        self,
        status: int,
        body: bytes,
        content_type: str,
        *,
        head: bool,
        headers: Iterable[tuple[str, str]] = (),
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(body)

    def _redirect(self, status: int, location: str, head: bool) -> None:
        body = f'<!DOCTYPE html>\n<p>Moved to <a href="{location}">{location}</a>.</p>\n'
        self._send(
            status,
            body.encode(),
            "text/html; charset=utf-8",
            head=head,
            headers=[("Location", location)],
        )

    def _huge(self, path: str, head: bool, *, length: bool, chunked: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if length:
            self.send_header("Content-Length", str(HUGE_SIZE))
        if chunked:
            self.send_header("Transfer-Encoding", "chunked")
        self.send_header("Connection", "close")
        self.end_headers()
        if head:
            return
        for block in _huge_blocks():
            if self.server.stopping.is_set():
                with self.server.lock:
                    self.server.aborted.append(path)
                return
            if chunked:
                self.wfile.write(b"%x\r\n%s\r\n" % (len(block), block))
            else:
                self.wfile.write(block)
        if chunked:
            self.wfile.write(b"0\r\n\r\n")

    def _drip(self, data: bytes) -> None:
        """Send ``data`` one byte every ``drip_seconds``, until the server stops."""
        self.wfile.flush()
        for index in range(len(data)):
            if self.server.stopping.wait(self.server.drip_seconds):
                return
            self.wfile.write(data[index : index + 1])
            self.wfile.flush()

    def _index(self) -> bytes:
        links = [f"/pages/{name}" for name in PAGE_NAMES]
        links += [f"/feeds/{name}" for name in FEED_TYPES]
        links += [f"/text/{name}" for name in TEXT_NAMES]
        links += ["/redirect/3", "/redirect-loop", "/missing", "/error", "/slow", "/huge"]
        links += ["/huge-no-length", "/huge-chunked", *ENCODING_PAGES, "/image.png", "/empty"]
        links += ["/plain.txt", "/same-canonical/1", "/same-canonical/2", "/drip"]
        links += ["/drip-headers"]
        items = "".join(f'<li><a href="{link}">{link}</a></li>\n' for link in links)
        page = (
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8"><title>Web fixtures</title>'
            f"</head><body><h1>Web fixtures</h1><ul>\n{items}</ul></body></html>\n"
        )
        return page.encode("utf-8")


class TestServer:
    """The fixture server: ``start()``/``stop()``, or use it (or :func:`serve`) in ``with``."""

    __test__ = False  # a helper, not a pytest test class

    def __init__(
        self, *, slow_seconds: float = SLOW_SECONDS, drip_seconds: float = DRIP_SECONDS
    ) -> None:
        self.slow_seconds = slow_seconds
        self.drip_seconds = drip_seconds
        self._httpd: _Server | None = None
        self._thread: threading.Thread | None = None
        self.running = False

    @property
    def _server(self) -> _Server:
        if self._httpd is None:
            raise RuntimeError("the test server has not been started")
        return self._httpd

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>``, no trailing slash."""
        return self._server.base_url

    @property
    def address(self) -> tuple[str, int]:
        host, port = self._server.server_address[:2]
        return str(host), int(port)

    def url(self, path: str = "/") -> str:
        """The full URL of a path on this server: ``url("/missing")``."""
        return self.base_url + (path if path.startswith("/") else "/" + path)

    def page_url(self, name: str) -> str:
        """The URL of a fixture page by file name: ``page_url("01-wordpress.html")``."""
        if name not in PAGE_NAMES:
            raise KeyError(name)
        return self.url(f"/pages/{name}")

    @property
    def requests(self) -> list[tuple[str, str]]:
        """Every request so far, as ``(method, path with query)``."""
        with self._server.lock:
            return list(self._server.requests)

    @property
    def aborted(self) -> list[str]:
        """Paths whose response stopped early: the client hung up, or the server stopped."""
        with self._server.lock:
            return list(self._server.aborted)

    def start(self) -> TestServer:
        if self.running:
            raise RuntimeError("the test server is already running")
        self._httpd = _Server(self.slow_seconds, self.drip_seconds)
        assert self._httpd.server_address[0] == HOST
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.05},
            name=f"web-fixture-server-{self._httpd.server_address[1]}",
            daemon=True,
        )
        self._thread.start()
        self.running = True
        return self

    def stop(self) -> None:
        """Wake sleeping and streaming handlers, stop serving and close the listening socket."""
        httpd, thread = self._httpd, self._thread
        if httpd is None or not self.running:
            return
        self.running = False
        httpd.stopping.set()
        httpd.shutdown()
        httpd.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._thread = None
        # requests, aborted and base_url stay readable after stop(), until the next start().

    def __enter__(self) -> TestServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@contextlib.contextmanager
def serve(
    *, slow_seconds: float = SLOW_SECONDS, drip_seconds: float = DRIP_SECONDS
) -> Iterator[TestServer]:
    """A running :class:`TestServer` for the ``with`` block; stopped afterwards."""
    server = TestServer(slow_seconds=slow_seconds, drip_seconds=drip_seconds)
    server.start()
    try:
        yield server
    finally:
        server.stop()
