"""HTTP plumbing of the WooCommerce emulator: one request in, one answer out.

Admin requests (/_emulator/) go straight to admin.py. REST requests (/wp-json/wc/v3/)
meet, in WooCommerce's order: faults (a proxy's 5xx page, a slow or dropped answer),
authentication errors (401 even for unknown routes), the route (404 rest_no_route), the
route's own argument checks (400) and permission (401), then the handler. Every request
is logged; hooks collected while a REST request ran go out after its answer was sent.
"""

from __future__ import annotations

import contextlib
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any
from urllib.parse import parse_qsl, urlsplit

from agent.emulators.woo import admin, rest_orders, rest_products, rest_refunds
from agent.emulators.woo.faults import ERROR_PAGE
from agent.emulators.woo.order_changes import OrderChanges
from agent.emulators.woo.rest_errors import RestError, no_route
from agent.emulators.woo.routing import Reply, Request, find_route

if TYPE_CHECKING:
    from agent.emulators.woo.server import WooEmulator

API_PREFIX = "/wp-json/wc/v3"
REST_ROUTES = rest_orders.ROUTES + rest_refunds.ROUTES + rest_products.ROUTES
_NOT_FOUND_PAGE = b"<html><body><h1>Not Found</h1></body></html>"


class EmulatorHTTPServer(ThreadingHTTPServer):
    """Threaded server that remembers its open connections, to close them on stop."""

    daemon_threads = True

    def __init__(self, address: tuple[str, int], emulator: WooEmulator) -> None:
        self.emulator = emulator
        self.open_sockets: set[socket.socket] = set()
        self.sockets_lock = threading.Lock()
        super().__init__(address, _Handler)

    def close_all(self) -> None:
        """Stop serving, cut every open connection, release the port."""
        self.shutdown()
        with self.sockets_lock:
            for sock in list(self.open_sockets):
                # OSError: already closed by the peer.
                with contextlib.suppress(OSError):
                    sock.shutdown(socket.SHUT_RDWR)
        self.server_close()


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: EmulatorHTTPServer

    def setup(self) -> None:
        super().setup()
        # Headers and body go out as two writes; without this, Nagle's algorithm and
        # delayed ACKs hold every keep-alive answer back by ~40 ms.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        with self.server.sockets_lock:
            self.server.open_sockets.add(self.connection)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            with self.server.sockets_lock:
                self.server.open_sockets.discard(self.connection)

    def _serve(self) -> None:
        serve(self.server.emulator, self)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = _serve

    def log_message(self, format: str, *args: Any) -> None:
        """Silent: the emulator keeps its own request log."""


def serve(emu: WooEmulator, handler: BaseHTTPRequestHandler) -> None:
    """Answer one HTTP request (called on the handler's thread)."""
    started = time.monotonic()
    method = handler.command
    split = urlsplit(handler.path)
    path = split.path
    query = dict(parse_qsl(split.query, keep_blank_values=True))
    length = int(handler.headers.get("Content-Length") or 0)
    body = handler.rfile.read(length) if length > 0 else b""
    entry: dict[str, Any] = {
        "method": method,
        "path": path,
        "query": {k: v for k, v in query.items() if not k.startswith("oauth_")},
    }
    if path == admin.PREFIX or path.startswith(admin.PREFIX + "/"):
        reply = admin.dispatch(emu, method, path, body)
        emu.log.add({**entry, "status": reply.status, "admin": True}, "admin")
        _write(handler, reply)
        return
    if path != API_PREFIX and not path.startswith(API_PREFIX + "/"):
        reply = Reply(404, raw=_NOT_FOUND_PAGE, content_type="text/html")
        emu.log.add({**entry, "status": 404}, f"{method} (not the REST API)")
        _write(handler, reply)
        return
    _serve_rest(emu, handler, path, query, body, entry, started)


def _serve_rest(
    emu: WooEmulator,
    handler: BaseHTTPRequestHandler,
    path: str,
    query: dict[str, str],
    body: bytes,
    entry: dict[str, Any],
    started: float,
) -> None:
    """A REST request: its fault, its answer, its log entry, then its hooks."""
    method = handler.command
    slow, fault = emu.faults.draw()
    if slow:
        time.sleep(emu.faults.settings.slow_seconds)
    changes = OrderChanges()
    if fault == "5xx":
        reply = Reply(
            emu.faults.settings.status_5xx,
            raw=ERROR_PAGE,
            content_type="text/html; charset=UTF-8",
        )
        route_name = "(fault)"
        entry["auth"] = None
    else:
        request = Request(
            method,
            path[len(API_PREFIX) :] or "/",
            query,
            body,
            handler.headers.get("Content-Type", ""),
            emu.store,
            changes=changes,
        )
        reply, route_name = _rest(emu, request, path, handler)
        entry["auth"] = request.auth
    entry.update(route=route_name, fault=fault, slow=slow)
    if isinstance(reply.body, dict) and "code" in reply.body:
        entry["code"] = reply.body["code"]
    entry["status"] = None if fault == "drop" else reply.status
    entry["ms"] = round((time.monotonic() - started) * 1000, 2)
    # Logged before answering, so a caller that has its answer finds it in the log.
    emu.log.add(entry, f"{method} {route_name}")
    if fault == "drop":
        # Applied, then the connection closes with no answer at all.
        handler.close_connection = True
    else:
        _write(handler, reply)
    emu.forward(changes)


def _rest(
    emu: WooEmulator, request: Request, full_path: str, handler: BaseHTTPRequestHandler
) -> tuple[Reply, str]:
    assert emu.authenticator is not None
    route_name = "(no route)"
    try:
        with emu.store.lock:
            params = {**request.query, **request.form()}
            request.auth = emu.authenticator.authenticate(
                request.method,
                full_path,
                params,
                handler.headers.get("Authorization"),
            )
            found = find_route(REST_ROUTES, request.method, request.path)
            if found is None:
                raise no_route()
            endpoint, request.path_args = found
            route_name = endpoint.name
            return endpoint.handler(request), route_name
    except RestError as err:
        return Reply(err.status, err.body()), route_name


def _write(handler: BaseHTTPRequestHandler, reply: Reply) -> None:
    payload = reply.payload()
    handler.send_response(reply.status)
    handler.send_header("Content-Type", reply.content_type)
    handler.send_header("Content-Length", str(len(payload)))
    for name, value in reply.headers.items():
        handler.send_header(name, value)
    handler.end_headers()
    handler.wfile.write(payload)
    handler.wfile.flush()
