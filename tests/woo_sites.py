"""Stand-ins for a WooCommerce URL that leads to no working store, on loopback.

`closed_port_url()`: nothing listens there (connection refused).
`plain_permalinks_site()`: a WordPress with plain permalinks, where every URL, the REST
API's included, answers the home page with 200 and HTML.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from threading import Thread
from typing import Any

HOME_PAGE = b"<!DOCTYPE html><html><head><title>My shop</title></head></html>"


def closed_port_url() -> str:
    """An http URL on a loopback port nobody listens on."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


class _HomePage(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=UTF-8")
        self.send_header("Content-Length", str(len(HOME_PAGE)))
        self.end_headers()
        self.wfile.write(HOME_PAGE)

    def log_message(self, format: str, *args: Any) -> None:
        """Silent."""


@contextmanager
def plain_permalinks_site() -> Iterator[str]:
    """The base URL of a site answering every GET with its home page."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _HomePage)
    thread = Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
