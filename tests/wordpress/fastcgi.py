"""A minimal FastCGI client: one request per connection, the way nginx talks to PHP-FPM.

Only what the tests and the benchmark need (the responder role, a GET or a small POST).
The answer carries the time it took, up to FCGI_END_REQUEST: that is when a web server
would have finished the response to the visitor, so it is the time the visitor waits, even
when PHP goes on working after fastcgi_finish_request().
"""

from __future__ import annotations

import socket
import struct
import time
from dataclasses import dataclass

VERSION = 1
BEGIN_REQUEST = 1
END_REQUEST = 3
PARAMS = 4
STDIN = 5
STDOUT = 6
STDERR = 7
RESPONDER = 1
REQUEST_ID = 1
MAX_CONTENT = 65535
HEADER = struct.Struct("!BBHHBx")


class FastCgiError(AssertionError):
    """The FastCGI server broke the protocol or closed the connection early."""


@dataclass
class FastCgiResponse:
    """What PHP answered, and when the answer was complete."""

    status: int
    headers: dict[str, str]
    body: bytes
    stderr: bytes
    seconds: float  # from connecting to FCGI_END_REQUEST

    def text(self) -> str:
        """The body as text."""
        return self.body.decode("utf-8", "replace")


def _record(kind: int, content: bytes = b"") -> bytes:
    """One record, or several when the content is longer than a record can hold."""
    if not content:
        return HEADER.pack(VERSION, kind, REQUEST_ID, 0, 0)
    out = []
    for start in range(0, len(content), MAX_CONTENT):
        chunk = content[start : start + MAX_CONTENT]
        out.append(HEADER.pack(VERSION, kind, REQUEST_ID, len(chunk), 0) + chunk)
    return b"".join(out)


def _length(size: int) -> bytes:
    return bytes([size]) if size < 128 else struct.pack("!I", size | 0x80000000)


def _pairs(params: dict[str, str]) -> bytes:
    """FastCGI name-value pairs."""
    out = []
    for name, value in params.items():
        raw_name, raw_value = name.encode(), value.encode()
        out.append(
            _length(len(raw_name)) + _length(len(raw_value)) + raw_name + raw_value
        )
    return b"".join(out)


def _read_exactly(sock: socket.socket, size: int) -> bytes:
    data = bytearray()
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise FastCgiError("the FastCGI server closed the connection mid-record")
        data += chunk
    return bytes(data)


def _split_cgi_output(raw: bytes) -> tuple[int, dict[str, str], bytes]:
    """CGI response: header lines, a blank line, the body; `Status:` gives the code."""
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise FastCgiError(f"no CGI header block in {raw[:200]!r}")
    headers: dict[str, str] = {}
    for line in head.decode("latin-1").split("\r\n"):
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    status = int(headers.get("status", "200").split()[0])
    return status, headers, body


def fastcgi_request(
    socket_path: str, params: dict[str, str], body: bytes = b"", timeout: float = 30
) -> FastCgiResponse:
    """Send one request to a FastCGI server on a unix socket; return its complete answer."""
    started = time.perf_counter()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as sock:
        sock.settimeout(timeout)
        sock.connect(socket_path)
        begin = struct.pack("!HB5x", RESPONDER, 0)  # flags 0: close after this request
        sock.sendall(
            HEADER.pack(VERSION, BEGIN_REQUEST, REQUEST_ID, len(begin), 0)
            + begin
            + _record(PARAMS, _pairs(params))
            + _record(PARAMS)
            + _record(STDIN, body)
            + _record(STDIN)
        )
        stdout, stderr = bytearray(), bytearray()
        while True:
            _, kind, _, length, padding = HEADER.unpack(
                _read_exactly(sock, HEADER.size)
            )
            content = _read_exactly(sock, length + padding)[:length]
            if kind == STDOUT:
                stdout += content
            elif kind == STDERR:
                stderr += content
            elif kind == END_REQUEST:
                seconds = time.perf_counter() - started
                break
    status, headers, payload = _split_cgi_output(bytes(stdout))
    return FastCgiResponse(status, headers, payload, bytes(stderr), seconds)
