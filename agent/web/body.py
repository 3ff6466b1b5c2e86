"""Reading a request body: at most 256 KiB, and all of it within `BODY_SECONDS`.

A client that sends a `Content-Length` and then stalls must not hold a web thread for
long (README "Architecture", Processes). Under gunicorn the client socket is
`environ["gunicorn.socket"]`: before each read its timeout is set to what is left of the
deadline, so a body that has not arrived in time is answered 408. Gunicorn then closes
the connection (a body read that raised leaves no known start for a next request).

The bound is per read, as gunicorn's own body drain does it: a client trickling a byte
just inside each wait is held only by the 256 KiB limit. That is why the sidecar is for
loopback or a private network, never an open port (README "Architecture").
"""

from __future__ import annotations

import contextlib
import socket
import time
from typing import Any

MAX_BODY_BYTES = 256 * 1024
# A hook body is under 1 KiB; 256 KiB in 10 s is still 26 KB/s, far below any network a
# store and its sidecar share. Stalled clients hold a thread at most this long.
BODY_SECONDS = 10.0
_READ_SIZE = 64 * 1024


class UnreadableBody(Exception):
    """A body refused while reading it: too large (413), late (408) or cut short (400)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message


def _too_large() -> UnreadableBody:
    return UnreadableBody(413, "payload_too_large", "the body is larger than 256 KiB")


def read_body(
    environ: dict[str, Any],
    content_length: int | None,
    seconds: float = BODY_SECONDS,
) -> bytes:
    """The whole body of the request `environ` describes; raise UnreadableBody.

    `content_length` is the declared length (None when chunked). A declared length over
    the limit is refused before a byte is read; a chunked body is read one byte past the
    limit, never more.
    """
    if content_length is not None and content_length > MAX_BODY_BYTES:
        raise _too_large()
    if content_length is None and not environ.get("wsgi.input_terminated"):
        # No length and a server that does not end the stream (gunicorn does): reading
        # could wait for ever, so there is no body, as werkzeug's own stream would say.
        return b""
    wanted = MAX_BODY_BYTES + 1 if content_length is None else content_length
    body = _read_within(environ, wanted, seconds)
    if len(body) > MAX_BODY_BYTES:
        raise _too_large()
    if content_length is not None and len(body) < content_length:
        raise _cut_short()
    return body


def _read_within(environ: dict[str, Any], wanted: int, seconds: float) -> bytes:
    """Up to `wanted` bytes of the body, all within `seconds`; 408 or 400 otherwise."""
    stream = environ["wsgi.input"]
    client: socket.socket | None = environ.get("gunicorn.socket")
    deadline = time.monotonic() + seconds
    parts: list[bytes] = []
    received = 0
    try:
        while received < wanted:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError
            if client is not None:
                client.settimeout(left)
            part = stream.read(min(_READ_SIZE, wanted - received))
            if not part:
                break
            parts.append(part)
            received += len(part)
    # TimeoutError is our deadline; BlockingIOError the kernel's receive timeout, which
    # agent/web/gunicorn_worker.py sets on every connection, should a read outlast ours.
    except (TimeoutError, BlockingIOError):
        raise UnreadableBody(
            408,
            "request_timeout",
            f"the body did not arrive within {seconds:g} s",
        ) from None
    except ConnectionError:
        raise _cut_short() from None
    finally:
        if client is not None:
            _restore_blocking(client)
    return b"".join(parts)


def _cut_short() -> UnreadableBody:
    return UnreadableBody(
        400, "incomplete_body", "the body ended before its Content-Length"
    )


def _restore_blocking(client: socket.socket) -> None:
    # Gunicorn's threads expect a blocking socket; the response is written next. If
    # the client is already gone, gunicorn closes the socket.
    with contextlib.suppress(OSError):
        client.settimeout(None)
