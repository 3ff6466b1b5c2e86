"""The gunicorn worker the sidecar runs: threaded, with slow and stalled clients bounded.

Gunicorn's threaded worker (gthread) already hands a connection that has sent nothing for
5 s, or sits idle between kept-alive requests, to its poller instead of holding a thread,
and closes it after `keepalive`. Two waits are left unbounded, and `IntakeWorker` bounds
them:

- Once a request has begun, its thread reads the rest of the head and writes the answer
  on a blocking socket with no timeout: a client that stops half-way through its headers,
  or stops reading, would hold the thread for as long as it keeps the connection open. A
  receive and a send timeout on the listening sockets bound each such wait (Linux and the
  BSDs give every accepted connection its listener's timeouts; gunicorn's own
  non-blocking waits do not see them). The body has its own, shorter-acting deadline
  that answers 408 (`agent.web.body`).
- A connection that is not kept alive is closed by the worker's one main thread, which
  sends FIN and then waits up to 2 s for the client's. A stalled client never answers,
  so each one would freeze accepting and answering for the whole worker for 2 s. The
  request thread does that wait instead, and the main thread finds nothing left to wait
  for.

A client that reads its answers slowly holds no thread: every answer here is a few KiB
(the dashboard, the largest, about 6 KiB) and the kernel's send buffer, which grows to
megabytes, takes it whole. Only a client that pipelines thousands of requests and reads
none of the answers fills it; the send timeout then closes that connection.
"""

from __future__ import annotations

import contextlib
import logging
import socket
import struct
import time
from collections.abc import Iterable
from typing import Any

from gunicorn.workers.gthread import ThreadWorker

SOCKET_WAIT_SECONDS = 10
# Gunicorn's own graceful close waits this long, and drains at most this much.
CLOSE_LINGER_SECONDS = 2.0
CLOSE_DRAIN_BYTES = 64 * 1024
_GUNICORN_SOCKET_ERROR = "Socket error processing request."


class IntakeWorker(ThreadWorker):  # type: ignore[misc]  # gunicorn has no type hints
    """Gthread, with every wait on a client bounded and closing done off the main loop."""

    def init_process(self) -> None:
        """Bound socket waits and quieten stall reports, then run gthread's loop."""
        bound_socket_waits(self.sockets)
        self.log.error_log.addFilter(StalledClientLine())
        super().init_process()

    def handle(self, conn: Any) -> Any:
        """Serve one request (gthread's own); linger over a closing connection here."""
        keep = super().handle(conn)
        if keep is False:  # gthread closes it next, on the main thread
            linger_and_shut(conn.sock)
        return keep


def bound_socket_waits(
    listeners: Iterable[Any], seconds: int = SOCKET_WAIT_SECONDS
) -> None:
    """Give every connection accepted on `listeners` a `seconds` read and write timeout."""
    timeval = struct.pack("ll", seconds, 0)
    for listener in listeners:
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_RCVTIMEO, timeval)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_SNDTIMEO, timeval)


def linger_and_shut(client: socket.socket) -> None:
    """Close gracefully up to the last step: FIN, drain until the client's, shut reads.

    What gunicorn's main thread then does (FIN again, read, close) returns at once.
    """
    try:
        client.shutdown(socket.SHUT_WR)
        deadline = time.monotonic() + CLOSE_LINGER_SECONDS
        drained = 0
        while drained < CLOSE_DRAIN_BYTES:
            left = deadline - time.monotonic()
            if left <= 0:
                break
            client.settimeout(left)
            data = client.recv(4096)
            if not data:
                break
            drained += len(data)
    except OSError:
        pass  # timed out (a stalled client), or the client is gone
    # If the client is gone, gunicorn's close finds nothing to wait for either.
    with contextlib.suppress(OSError):
        client.shutdown(socket.SHUT_RD)


class StalledClientLine(logging.Filter):
    """Log a connection closed for stalling as one warning line, not a traceback.

    Gunicorn reports the EAGAIN of a timed-out wait like any socket error, with a stack
    trace at error level; a client that stalls is the client's fault, not ours.
    """

    def __init__(self, seconds: int = SOCKET_WAIT_SECONDS) -> None:
        super().__init__()
        self.seconds = seconds

    def filter(self, record: logging.LogRecord) -> bool:
        """Rewrite gunicorn's record of a stalled client; pass every other record."""
        error = record.exc_info[1] if record.exc_info else None
        if isinstance(error, BlockingIOError) and record.msg == _GUNICORN_SOCKET_ERROR:
            record.msg = "closed a connection that stalled for %d s (slow client)"
            record.args = (self.seconds,)
            record.exc_info = None
            record.exc_text = None
            record.levelno = logging.WARNING
            record.levelname = logging.getLevelName(logging.WARNING)
        return True
