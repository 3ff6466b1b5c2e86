"""The HTTP side of the emulator: a ThreadingHTTPServer and the order of checks.

Each `/api/...` request goes through, in order: the rate limit (ratelimit.py: 429 with a
date `Retry-After`), the route table (404 / 405), retired endpoints (410), the Bearer
token (401), then fault injection (faults.py), then the route itself under the state lock.
Every answer, errors and admin answers included, carries `X-RateLimit-Limit` and
`X-RateLimit-Remaining`. A dropped request gets no answer at all: the socket is closed.
"""

from __future__ import annotations

import email.utils
import json
import math
import secrets
import socket
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from agent.emulators.pos.faults import Fault
from agent.emulators.pos.ratelimit import Verdict
from agent.emulators.pos.replies import ApiError, Call, Reply, fail, fail_oauth
from agent.emulators.pos.routes import Route, match

if TYPE_CHECKING:
    from agent.emulators.pos.emulator import PosEmulator

MAX_BODY = 1024 * 1024

_GATEWAY_PAGE = "<html><head><title>{0}</title></head><body><h1>{0}</h1></body></html>"


@dataclass
class Outcome:
    """What to send back for one request; `reply` None means drop the connection."""

    reply: Reply | None
    endpoint: str
    verdict: Verdict
    fault: str | None = None


class ApiGate:
    """Decides the answer to one API request (see module docstring)."""

    def __init__(self, emulator: PosEmulator) -> None:
        self._emu = emulator

    def answer(self, call: Call, authorization: str | None) -> Outcome:
        """Run every check and the route; sleep for a slow fault."""
        emu = self._emu
        verdict = emu.budget.take()
        if not verdict.allowed:
            retry_at = email.utils.formatdate(
                math.ceil(verdict.reset_wall), usegmt=True
            )
            body = {"error": "Too Many Requests", "message": "Rate limiting enforced"}
            reply = Reply(429, body, headers={"Retry-After": retry_at})
            return Outcome(reply, self._endpoint_key(call), verdict)
        try:
            route, call.params = match(emu.routes, call.method, call.path)
        except ApiError as exc:
            return Outcome(exc.reply, f"{call.method} {call.path}", verdict)
        try:
            self._admit(route, authorization)
        except ApiError as exc:
            return Outcome(exc.reply, route.key, verdict)
        fault = emu.faults.draw()
        # `sale_delay` slows sale writes only (the one route that commits before a drop).
        if route.commits_before_drop and emu.stopping.wait(emu.faults.sale_delay):
            return Outcome(None, route.key, verdict, "stopping")
        return Outcome(
            self._faulted(route, call, fault),
            route.key,
            verdict,
            fault.kind if fault else None,
        )

    def _endpoint_key(self, call: Call) -> str:
        for route in self._emu.routes:
            if route.method == call.method and route.pattern.match(call.path):
                return route.key
        return f"{call.method} {call.path}"

    def _admit(self, route: Route, authorization: str | None) -> None:
        emu = self._emu
        if route.key in emu.retired:
            raise fail(
                410,
                "Gone",
                f"{route.key} has been retired; see the API migration guide "
                f"({emu.retired[route.key]})",
            )
        if not route.authorized:
            return
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token:
            raise fail_oauth(401, "invalid_request", "missing Bearer token")
        if not (
            secrets.compare_digest(token.encode(), emu.token.encode())
            or emu.oauth.access_token_valid(token)
        ):
            raise fail_oauth(
                401, "invalid_token", "the access token is invalid or expired"
            )

    def _faulted(self, route: Route, call: Call, fault: Fault | None) -> Reply | None:
        if fault is None:
            return self._run(route, call)
        if fault.kind == "slow":
            if self._emu.stopping.wait(self._emu.faults.slow_seconds):
                return None
            return self._run(route, call)
        if fault.kind == "drop":
            if route.commits_before_drop:
                self._run(route, call)
            return None
        if route.is_write and fault.commit_first:
            self._run(route, call)
        if fault.status == 500:
            return Reply(500, {"error": "Internal Server Error"})
        title = "502 Bad Gateway" if fault.status == 502 else "503 Service Unavailable"
        return Reply(
            fault.status, text=_GATEWAY_PAGE.format(title), content_type="text/html"
        )

    def _run(self, route: Route, call: Call) -> Reply:
        with self._emu.state.lock:
            try:
                return route.handler(self._emu.state, call)
            except ApiError as exc:
                return exc.reply


class EmulatorHTTPServer(ThreadingHTTPServer):
    """ThreadingHTTPServer bound to one emulator."""

    daemon_threads = True
    block_on_close = False

    def __init__(self, address: tuple[str, int], emulator: PosEmulator) -> None:
        self.emulator = emulator
        self.gate = ApiGate(emulator)
        super().__init__(address, _Handler)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    timeout = 120  # idle keep-alive connections are closed eventually
    server: EmulatorHTTPServer

    def setup(self) -> None:
        """Disable Nagle: headers and body go out in two writes, and waiting for the
        client's delayed ACK between them would add 40 ms to every answer."""
        super().setup()
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:
        self._serve()

    def do_POST(self) -> None:
        self._serve()

    def do_PUT(self) -> None:
        self._serve()

    def do_DELETE(self) -> None:
        self._serve()

    def do_PATCH(self) -> None:
        self._serve()

    def do_HEAD(self) -> None:
        self._serve()

    def do_OPTIONS(self) -> None:
        self._serve()

    def log_message(self, format: str, *args: object) -> None:
        """Silenced: the emulator keeps its own request log."""

    def _serve(self) -> None:
        started = time.time()
        emulator = self.server.emulator
        split = urlsplit(self.path)
        call = Call(
            method=self.command,
            path=split.path,
            query_string=split.query,
            raw_body=b"",
            content_type=self.headers.get("Content-Type", ""),
        )
        try:
            call.raw_body = self._read_body()
        except ApiError as exc:
            outcome = Outcome(
                exc.reply, f"{call.method} {call.path}", emulator.budget.peek()
            )
        else:
            if split.path.startswith("/_emulator/"):
                outcome = Outcome(
                    emulator.serve_admin(call), "admin", emulator.budget.peek()
                )
            elif split.path == "/connect":
                outcome = Outcome(
                    emulator.serve_consent(call), "consent", emulator.budget.peek()
                )
            elif split.path.startswith("/api/"):
                outcome = self.server.gate.answer(
                    call, self.headers.get("Authorization")
                )
            else:
                reply = fail(404, "Not Found", f"no endpoint at {split.path}").reply
                outcome = Outcome(reply, "unknown", emulator.budget.peek())
        emulator.record(call, outcome, started)
        if outcome.reply is None:
            self.close_connection = True  # commit-then-drop: never answer
            return
        self._write(outcome.reply, outcome.verdict)

    def _read_body(self) -> bytes:
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True
            raise fail(411, "Length Required", "send a Content-Length body")
        raw_length = self.headers.get("Content-Length") or "0"
        if not raw_length.isdigit():
            self.close_connection = True
            raise fail(400, "Bad Request", "invalid Content-Length")
        length = int(raw_length)
        if length > MAX_BODY:
            self.close_connection = True
            raise fail(
                413, "Payload Too Large", f"bodies are limited to {MAX_BODY} bytes"
            )
        return self.rfile.read(length) if length else b""

    def _write(self, reply: Reply, verdict: Verdict) -> None:
        if reply.text is not None:
            payload = reply.text.encode()
        else:
            payload = json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", f"{reply.content_type}; charset=utf-8")
            self.send_header("Content-Length", str(len(payload)))
            self.send_header("X-RateLimit-Limit", str(verdict.limit))
            self.send_header("X-RateLimit-Remaining", str(max(0, verdict.remaining)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.end_headers()
            if self.command != "HEAD":  # HEAD gets the headers only, per HTTP
                self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            # The client gave up (a slow answer after its timeout): nothing to tell it.
            self.close_connection = True


def start_server(
    host: str, port: int, emulator: PosEmulator
) -> tuple[EmulatorHTTPServer, threading.Thread]:
    """Bind, then serve in a daemon thread; the socket accepts once this returns."""
    server = EmulatorHTTPServer((host, port), emulator)
    # stop() waits up to one poll interval for serve_forever to notice: keep it short.
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True
    )
    thread.start()
    return server, thread
