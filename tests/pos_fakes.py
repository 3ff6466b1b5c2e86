"""Test doubles for the POS client: a scripted transport and a fake clock.

`ScriptedAdapter` is a requests transport adapter that answers from a script (status,
body, headers) or raises the scripted exception, and remembers every request it got.
It lets the client run its real session, governor and retry code with no socket.
"""

from __future__ import annotations

import io
import json
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.response import HTTPResponse

from agent.pos import BearerToken, PosClient, RateGovernor, RetryPolicy

BASE_URL = "https://teststore.retail.lightspeed.app"


@dataclass
class Answer:
    """One scripted HTTP answer."""

    status: int = 200
    body: Any = None  # dict/list -> JSON; str/bytes -> sent as is
    headers: dict[str, str] = field(default_factory=dict)

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        if isinstance(self.body, str):
            return self.body.encode()
        return json.dumps(self.body if self.body is not None else {}).encode()


class ScriptedAdapter(HTTPAdapter):
    """Answers each request with the next scripted Answer, or raises it if an exception."""

    def __init__(self, script: Iterable[Answer | Exception]) -> None:
        super().__init__()
        self.script = list(script)
        self.requests: list[requests.PreparedRequest] = []

    def send(
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:  # type: ignore[override]
        self.requests.append(request)
        if not self.script:
            raise AssertionError(f"unscripted request: {request.method} {request.url}")
        step = self.script.pop(0)
        if isinstance(step, Exception):
            raise step
        raw = HTTPResponse(
            body=io.BytesIO(step.payload()),
            headers=step.headers,
            status=step.status,
            preload_content=False,
            decode_content=False,
        )
        return self.build_response(request, raw)


class FakeClock:
    """A clock whose `sleep` only moves time forward and remembers each sleep."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        assert seconds >= 0, seconds
        self.sleeps.append(seconds)
        self.now += seconds


def scripted_client(
    script: Iterable[Answer | Exception],
    *,
    clock: FakeClock | None = None,
    auth: Any = None,
    attempts: int = 4,
) -> tuple[PosClient, ScriptedAdapter, FakeClock]:
    """A client on a scripted transport; sleeps go to the fake clock, jitter is seeded."""
    clock = clock or FakeClock()
    adapter = ScriptedAdapter(script)
    session = requests.Session()
    session.mount("https://", adapter)
    retry = RetryPolicy(
        attempts=attempts, sleep=clock.sleep, clock=clock, rng=random.Random(7)
    )
    governor = RateGovernor(clock=clock, sleep=clock.sleep, wall_clock=clock)
    client = PosClient(
        BASE_URL,
        auth or BearerToken("test-token"),
        session=session,
        governor=governor,
        retry=retry,
    )
    return client, adapter, clock


def ok(body: Any = None, **headers: str) -> Answer:
    """A 200 with rate-limit headers like the real API sends."""
    merged = {"X-RateLimit-Limit": "350", "X-RateLimit-Remaining": "300", **headers}
    return Answer(200, body if body is not None else {"data": []}, merged)
