"""``reader serve``: the same app in a web browser, through Textualize's ``textual-serve``.

textual-serve runs one command line per browser tab, each its own app process talking to the
page over a websocket; here that command is this reader (``python -m reader``) on the one
workspace, as the coder given, so every tab opens the workspace as a terminal would (its lock
and live refresh already let several processes share it). There is no login: the server
listens on the loopback interface unless ``--public`` says to do otherwise.

textual-serve and aiohttp are imported only when the command runs (tests/test_serve.py
keeps them out of the app's start-up).
"""

from __future__ import annotations

import errno
import ipaddress
import logging
import shlex
import socket
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from reader import coders
from reader.cli_common import echo, ensure_workspace, resolve_workspace, workspace_option

if TYPE_CHECKING:
    from textual_serve.server import Server

log = logging.getLogger(__name__)


def is_loopback(host: str) -> bool:
    """Whether ``host`` names only this machine: ``localhost`` or a loopback address."""
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def listen(host: str, port: int) -> socket.socket:
    """A socket bound to ``host``:``port`` and listening (port 0: a free one), or one line
    saying why not: the port in use, the host unknown or not this machine's."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE)
    except socket.gaierror as exc:
        raise click.ClickException(f"{host}: cannot listen there ({exc.strerror})") from None
    family, kind, proto, _name, address = infos[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(address)
        sock.listen(128)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise click.ClickException(
                f"port {port} on {host} is in use (choose another with --port, "
                "or --port 0 for a free one)"
            ) from None
        raise click.ClickException(
            f"{host}:{port}: cannot listen there ({exc.strerror or exc})"
        ) from None
    sock.setblocking(False)
    return sock


def app_command(workspace: Path, coder: str | None) -> str:
    """The shell command textual-serve runs for each tab: this Python's reader, on
    ``workspace``, as ``coder`` when one was given."""
    words = [sys.executable, "-m", "reader", "--workspace", str(workspace)]
    if coder:
        words += ["--coder", coder]
    return shlex.join(words)


def url_for(host: str, port: int) -> str:
    """The address to give a browser: a wildcard host (``0.0.0.0``, ``::``) is named by this
    machine's host name, since a browser cannot connect to a wildcard."""
    if host in ("0.0.0.0", "::", ""):
        host = socket.gethostname()
    elif ":" in host:
        host = f"[{host}]"
    return f"http://{host}:{port}"


def make_server(
    command: str, sock: socket.socket, url: str, announce: Callable[[], None]
) -> Server:
    """A textual-serve server for ``command`` that serves on the socket already bound (so the
    port checked is the port served, ``--port 0`` included) and calls ``announce`` as it
    starts, in place of textual-serve's banner."""
    from aiohttp import WSCloseCode, web
    from textual_serve.app_service import AppService
    from textual_serve.server import Server, to_int

    class ReaderServer(Server):
        # The tabs' websockets, closed at ctrl+c: each tab's app is then told to quit and its
        # process ends before the server does (else the server waits on open tabs, 18 s seen).
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            self.sockets: set[web.WebSocketResponse] = set()
            self.stopping = False

        async def on_startup(self, app: web.Application) -> None:
            # Instead of textual-serve's banner (the whole command line): reader's lines, once
            # ctrl+c is handled here, so whoever reads the URL may stop the server at once.
            announce()

        async def handle_index(self, request: web.Request) -> web.StreamResponse:
            # The page loads its scripts and opens its socket at the address the browser used
            # (with --public: this machine's name or any of its addresses), not the one printed.
            # textual-serve reads ``public_url`` before its first await: no other page between.
            self.public_url = f"{request.scheme}://{request.host}"
            page: web.StreamResponse = await super().handle_index(request)
            return page

        def request_exit(self) -> None:
            # Once: a second ctrl+c while the tabs close would end the process with status 1.
            if not self.stopping:
                self.stopping = True
                super().request_exit()

        async def on_shutdown(self, app: web.Application) -> None:
            for websocket in list(self.sockets):
                await websocket.close(code=WSCloseCode.GOING_AWAY, message=b"server stopped")

        async def handle_websocket(self, request: web.Request) -> web.WebSocketResponse:
            # textual-serve's handler, with its websocket kept in ``sockets`` while it is open.
            # Adapted from textual-serve 1.1.3's Server.handle_websocket (MIT licence,
            # copyright Textualize): its upgrades need this checked.
            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            await websocket.prepare(request)
            self.sockets.add(websocket)

            async def close() -> None:  # when the app quits (q): the tab shows it has ended
                await websocket.close()

            service = AppService(
                self.command,
                write_bytes=websocket.send_bytes,
                write_str=websocket.send_str,
                close=close,
                download_manager=self.download_manager,
                debug=self.debug,
            )
            try:
                await service.start(width, height)
                await self._process_messages(websocket, service)
            except Exception:
                log.exception("A browser tab's app failed")
            finally:
                self.sockets.discard(websocket)
                await service.stop()
                # Until the tab's reader has ended (it saves the reading position as it quits):
                # `reader serve` returns with no app of its own still writing. textual-serve
                # keeps the process private (tests/test_serve.py checks it ends).
                process = service._process
                if process is not None:
                    await process.wait()
            return websocket

        def serve(self, debug: bool = False) -> None:
            import asyncio
            import signal

            self.debug = debug
            self.initialize_logging()
            loop = asyncio.new_event_loop()
            asyncio.set_event_loop(loop)
            try:
                loop.add_signal_handler(signal.SIGINT, self.request_exit)
                loop.add_signal_handler(signal.SIGTERM, self.request_exit)
            except NotImplementedError:  # no signal handlers in this event loop (Windows)
                pass
            web.run_app(
                self._make_app(),
                sock=sock,
                handle_signals=False,
                loop=loop,
                print=lambda *args: None,
            )

    _host, port = sock.getsockname()[:2]
    return ReaderServer(command, port=port, title="reader", public_url=url)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option(
    "--port",
    type=click.IntRange(0, 65535),
    default=8000,
    show_default=True,
    help="Port to listen on; 0 picks a free one.",
)
@click.option(
    "--public",
    is_flag=True,
    help="Allow a --host other than this machine's loopback: anyone who can reach it can "
    "read and change the workspace (there is no login).",
)
@workspace_option
@click.pass_context
def serve_command(
    ctx: click.Context, host: str, port: int, public: bool, workspace: Path | None
) -> None:
    """Serve the app to web browsers: each tab runs its own reader on the workspace.

    Prints the address to open and runs until ctrl+c. Listens on 127.0.0.1 (this machine
    only) unless --host and --public say otherwise; there is no login.
    """
    if not is_loopback(host) and not public:
        raise click.ClickException(
            f"--host {host} would serve the workspace to other machines with no login: "
            "add --public to do so"
        )
    ws = resolve_workspace(ctx, workspace)
    sock = listen(host, port)  # before the workspace is made: a busy port changes nothing
    try:
        ensure_workspace(ws)
    except click.ClickException:
        sock.close()
        raise
    url = url_for(host, sock.getsockname()[1])

    def announce() -> None:
        if not is_loopback(host):
            echo(
                f"Warning: serving {ws.root} to every machine that can reach {url}: "
                "there is no login, anyone there can read and change it",
                err=True,
            )
        echo(f"Serving {ws.root} at {url}")
        echo("Press ctrl+c to stop.")
        sys.stdout.flush()  # for whoever reads the URL from a pipe

    make_server(app_command(ws.root, coders.option), sock, url, announce).serve()
