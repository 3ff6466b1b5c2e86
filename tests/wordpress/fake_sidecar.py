"""A loopback listener that plays the sidecar by hand: the test decides when and what it answers.

The real sidecar (sidecar_process.py) always answers at once; this one can hold a request
open without answering, answer 401 or 503, or stay silent until the plugin gives up.
"""

from __future__ import annotations

import json
import socket
import threading
from dataclasses import dataclass
from typing import Any

# What to do with one request: (status, JSON body) to answer, or None to stay silent
# until the client gives up and closes the connection.
Answer = tuple[int, dict[str, Any]] | None


@dataclass
class ReceivedRequest:
    """One HTTP request as it arrived on the socket."""

    method: str
    path: str
    headers: dict[str, str]  # names in lower case
    body: bytes

    def json(self) -> Any:
        """The body, decoded."""
        return json.loads(self.body)


def _read_request(conn: socket.socket) -> ReceivedRequest:
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = conn.recv(65536)
        if not chunk:
            raise AssertionError(f"connection closed mid-request: {data!r}")
        data += chunk
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    method, path, _ = lines[0].split(" ", 2)
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0"))
    while len(body) < length:
        chunk = conn.recv(65536)
        if not chunk:
            raise AssertionError("connection closed mid-body")
        body += chunk
    return ReceivedRequest(method, path, headers, body)


def still_waiting(conn: socket.socket) -> bool:
    """Whether the client is still connected, waiting for an answer (nothing more to read)."""
    # Non-blocking for this one look: with a timeout set, recv() would wait for the client.
    timeout = conn.gettimeout()
    conn.setblocking(False)
    try:
        return conn.recv(1, socket.MSG_PEEK) != b""
    except BlockingIOError:
        return True
    finally:
        conn.settimeout(timeout)


class FakeSidecar:
    """A listening socket on 127.0.0.1 and an ephemeral port."""

    def __init__(self) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.port = int(self.listener.getsockname()[1])
        self.received: list[ReceivedRequest] = []
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """Base URL, as the plugin's settings take it."""
        return f"http://127.0.0.1:{self.port}"

    def accept(self, timeout: float = 20) -> tuple[socket.socket, ReceivedRequest]:
        """The next connection and the request read from it (left unanswered)."""
        self.listener.settimeout(timeout)
        conn, _ = self.listener.accept()
        conn.settimeout(timeout)
        request = _read_request(conn)
        self.received.append(request)
        return conn, request

    @staticmethod
    def answer(conn: socket.socket, status: int, payload: dict[str, Any]) -> None:
        """Answer one held request and close its connection."""
        body = json.dumps(payload).encode()
        conn.sendall(
            f"HTTP/1.1 {status} Scripted\r\nContent-Type: application/json\r\n"
            f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
            + body
        )
        conn.close()

    @staticmethod
    def wait_until_client_leaves(conn: socket.socket, timeout: float = 20) -> None:
        """Stay silent until the client closes the connection (its timeout)."""
        conn.settimeout(timeout)
        while conn.recv(65536):
            pass
        conn.close()

    def serve(self, answers: list[Answer]) -> None:
        """In the background, answer the next requests as scripted, one per connection."""

        def run() -> None:
            for scripted in answers:
                conn, _ = self.accept()
                if scripted is None:
                    self.wait_until_client_leaves(conn)
                else:
                    self.answer(conn, *scripted)

        self._thread = threading.Thread(target=run, daemon=True)
        self._thread.start()

    def join(self, timeout: float = 20) -> None:
        """Wait for the scripted answers to be given."""
        if self._thread is not None:
            self._thread.join(timeout)
            assert not self._thread.is_alive(), (
                "the plugin never made the scripted calls"
            )

    def close(self) -> None:
        """Stop listening."""
        self.listener.close()
