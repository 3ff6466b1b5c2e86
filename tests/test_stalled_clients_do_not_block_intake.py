"""Clients that stall hold a thread of `tillsync serve`, never its intake.

Ten bodies that never come (`Content-Length: 100`, 7 bytes), a head that never ends, a
connection that says nothing and a client that reads its answers slowly, then not at all:
while they wait to time out, 200 signed hooks are all accepted (p99 under 50 ms) and in
the ledger, and `/healthz` answers within 50 ms throughout. The server then closes every
stalled connection itself: the bodies with a 408 after 10 s.

A slow reader hardly ever holds a thread here: every answer is a few KiB at most and the
kernel's send buffer usually takes it whole (see agent/web/gunicorn_worker.py). The test
checks that it is served at its own pace, and closed once it has gone quiet: after
`keepalive` when the buffers took every answer, by the send timeout when they did not.
"""

from __future__ import annotations

import http.client
import json
import socket
import sqlite3
import threading
import time
import uuid
from pathlib import Path

import psutil
import pytest
from conftest import HOOK_SECRET
from processes import free_port, start_tillsync, stop, wait_healthy

from agent.web.body import BODY_SECONDS
from agent.web.gunicorn_worker import CLOSE_LINGER_SECONDS, SOCKET_WAIT_SECONDS
from agent.web.signing import signed_headers

STALLED_BODIES = 10
HOOKS = 200
PIPELINED = 200
SENDERS = 2
WARM_UP_HOOKS = 40
LIMIT_SECONDS = 0.050
LONGEST_PROBE_SECONDS = 0.250
# How long past its timeout a stalled connection may take to be closed: the server's
# linger for the client's FIN, and a busy machine.
CLOSE_SLACK_SECONDS = CLOSE_LINGER_SECONDS + 3
KEEPALIVE_SECONDS = 5  # agent/web/gunicorn_conf.py `keepalive`


def _connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=5)


def _stalled_body(port: int) -> socket.socket:
    client = _connect(port)
    client.sendall(
        b"POST /hooks/woocommerce HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/json\r\nContent-Length: 100\r\n\r\n"
        b'{"id": '
    )
    return client


def _stalled_head(port: int) -> socket.socket:
    client = _connect(port)
    client.sendall(b"POST /hooks/woocommerce HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Ty")
    return client


class _SlowReader:
    """Pipelines requests, reads the answers 512 bytes every 50 ms, then stops reading."""

    def __init__(self, port: int) -> None:
        self.client = socket.socket()
        self.client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        self.client.connect(("127.0.0.1", port))
        self.client.sendall(
            b"GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n" * PIPELINED
        )
        self.stop = threading.Event()
        self.received = b""
        self.reader = threading.Thread(target=self._read_slowly, daemon=True)
        self.reader.start()

    def _read_slowly(self) -> None:
        self.client.settimeout(5)
        while not self.stop.wait(0.05):
            self.received += self.client.recv(512)


def _hook() -> tuple[str, bytes]:
    event_id = str(uuid.uuid4())
    body = json.dumps(
        {
            "id": event_id,
            "topic": "order.created",
            "order_id": 1 + uuid.UUID(event_id).int % 100000,
            "occurred_at": "2026-11-27T10:00:00Z",
        }
    ).encode()
    return event_id, body


def _send_hooks(port: int, count: int, latencies: list[float], codes: list[int]):
    for _ in range(count):
        _event_id, raw = _hook()
        headers = {
            "Content-Type": "application/json",
            **signed_headers(HOOK_SECRET, "POST", "/hooks/woocommerce", raw),
        }
        started = time.perf_counter()
        # A connection of its own for each hook, as the plugin sends them. http.client,
        # not requests: the client's own overhead must not be what is measured.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("POST", "/hooks/woocommerce", body=raw, headers=headers)
            answer = connection.getresponse()
            answer.read()
        finally:
            connection.close()
        latencies.append(time.perf_counter() - started)
        codes.append(answer.status)


def _probe_healthz(port: int, stop: threading.Event, latencies: list[float]):
    while not stop.wait(0.05):
        started = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            connection.request("GET", "/healthz")
            answer = connection.getresponse()
            answer.read()
        finally:
            connection.close()
        latencies.append(time.perf_counter() - started)
        assert answer.status == 200


def _closed_at(client: socket.socket, deadline: float) -> tuple[float, bytes]:
    """When the server closed `client` (EOF or reset), and what it sent before."""
    received = b""
    while time.monotonic() < deadline:
        client.settimeout(max(0.01, deadline - time.monotonic()))
        try:
            data = client.recv(65536)
        except TimeoutError:
            break
        except ConnectionResetError:
            return time.monotonic(), received
        if not data:
            return time.monotonic(), received
        received += data
    raise AssertionError(f"the server never closed the connection; got {received!r}")


def _wait_for_both_workers(serve: int) -> None:
    """Block until gunicorn has forked both web workers, so neither boots mid-test."""
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        for child in psutil.Process(serve).children():
            if "gunicorn" in " ".join(child.cmdline()) and len(child.children()) >= 2:
                return
        time.sleep(0.1)
    raise AssertionError("gunicorn never had its two workers")


def _p99(latencies: list[float]) -> float:
    ordered = sorted(latencies)
    return ordered[int(len(ordered) * 0.99) - 1]


def test_stalled_clients_do_not_block_intake(tmp_path: Path):
    port = free_port()
    data = tmp_path / "data"
    base = f"http://127.0.0.1:{port}"
    process = start_tillsync(
        ["serve"],
        {
            "TILLSYNC_DATA_DIR": str(data),
            "TILLSYNC_BIND": f"127.0.0.1:{port}",
            "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
        },
    )
    try:
        wait_healthy(base, process)
        _wait_for_both_workers(process.pid)
        # A worker's first requests pay for starting threads and opening their ledger
        # connections; that is not what this test measures.
        warm_up = [
            threading.Thread(
                target=_send_hooks, args=(port, WARM_UP_HOOKS // 4, [], [])
            )
            for _ in range(4)
        ]
        for sender in warm_up:
            sender.start()
        for sender in warm_up:
            sender.join()
        opened = time.monotonic()
        bodies = [_stalled_body(port) for _ in range(STALLED_BODIES)]
        head = _stalled_head(port)
        silent = _connect(port)
        slow = _SlowReader(port)

        healthz: list[float] = []
        stop_probing = threading.Event()
        prober = threading.Thread(
            target=_probe_healthz, args=(port, stop_probing, healthz)
        )
        prober.start()
        latencies: list[float] = []
        codes: list[int] = []
        senders = [
            threading.Thread(
                target=_send_hooks, args=(port, HOOKS // SENDERS, latencies, codes)
            )
            for _ in range(SENDERS)
        ]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
        slow.stop.set()
        slow.reader.join()
        stalled_reading = time.monotonic()

        deadline = opened + BODY_SECONDS + CLOSE_SLACK_SECONDS
        body_closes = [_closed_at(client, deadline) for client in bodies]
        head_closed, head_received = _closed_at(head, deadline)
        _silent_closed, silent_received = _closed_at(silent, deadline)
        stop_probing.set()
        prober.join()
        # Reading again lets a server write that waited on this reader finish, so
        # either way the connection is idle, and closed, within `keepalive`.
        slow_closed, slow_rest = _closed_at(
            slow.client, time.monotonic() + KEEPALIVE_SECONDS + CLOSE_SLACK_SECONDS
        )
    finally:
        code = stop(process)
    _out, err = process.communicate()

    assert codes == [202] * HOOKS
    assert _p99(latencies) < LIMIT_SECONDS, sorted(latencies)[-5:]
    assert len(healthz) > 100  # probed all along, until the stalled ones were closed
    assert _p99(healthz) < LIMIT_SECONDS, sorted(healthz)[-5:]
    # Never one probe held up: whatever blocks in gunicorn (a stalled read, a close
    # waiting for a FIN) costs seconds. A lone probe may lose a few scheduling slices on
    # a busy 2-core machine, so the bound on the slowest one is looser than 50 ms.
    assert max(healthz) < LONGEST_PROBE_SECONDS, sorted(healthz)[-5:]

    for closed, received in body_closes:
        assert closed - opened >= BODY_SECONDS - 0.5
        head_line, _, payload = received.partition(b"\r\n\r\n")
        assert head_line.startswith(b"HTTP/1.1 408"), received
        assert json.loads(payload)["error"] == "request_timeout"
    assert head_received == b"" and silent_received == b""
    assert head_closed - opened >= SOCKET_WAIT_SECONDS - 0.5
    assert slow.received.startswith(
        b"HTTP/1.1 200 OK"
    )  # served while the hooks went in
    # Every answer, unless a write that waited on the reader for 10 s gave up first.
    answers = (slow.received + slow_rest).count(b"HTTP/1.1 200 OK")
    assert answers == PIPELINED or slow_closed - stalled_reading >= SOCKET_WAIT_SECONDS

    with sqlite3.connect(data / "ledger.db") as ledger:
        (recorded,) = ledger.execute("SELECT COUNT(*) FROM event").fetchone()
    assert recorded == WARM_UP_HOOKS + HOOKS
    assert code == 0, err
    # A stalled client is one warning line, not a traceback.
    assert "Traceback" not in err
    assert f"stalled for {SOCKET_WAIT_SECONDS} s" in err


@pytest.fixture(autouse=True)
def _no_inherited_secret(monkeypatch):
    monkeypatch.delenv("TILLSYNC_HOOK_SECRET", raising=False)
