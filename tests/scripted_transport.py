"""A requests transport that answers from a script instead of the network.

Like httpx's MockTransport: mount it on a `requests.Session`, hand the session to
`WooClient`, and every request goes to `handler(request) -> ScriptedResponse | Exception`
(an exception is raised as if the network failed). Used by the WooCommerce client's
edge-case tests and by the POS tests that need a raw body.
"""

from __future__ import annotations

import json as jsonlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict


@dataclass
class ScriptedResponse:
    """What the fake server answers: a status, headers and a JSON or raw body."""

    status: int = 200
    json: Any = None
    body: bytes | str | None = None
    headers: Mapping[str, str] = field(default_factory=dict)

    def content(self) -> bytes:
        """The raw body: `body` if given, else `json` encoded."""
        if self.body is not None:
            return self.body.encode() if isinstance(self.body, str) else self.body
        return jsonlib.dumps(self.json).encode()


Handler = Callable[[requests.PreparedRequest], "ScriptedResponse | Exception"]


class ScriptedAdapter(BaseAdapter):
    """Transport adapter that records requests and answers from `handler`."""

    def __init__(self, handler: Handler) -> None:
        super().__init__()
        self.handler = handler
        self.requests: list[requests.PreparedRequest] = []

    def send(  # type: ignore[override]
        self, request: requests.PreparedRequest, **kwargs: Any
    ) -> requests.Response:
        """Answer one request from the script."""
        self.requests.append(request)
        outcome = self.handler(request)
        if isinstance(outcome, Exception):
            raise outcome
        response = requests.Response()
        response.status_code = outcome.status
        response._content = outcome.content()
        headers = CaseInsensitiveDict(outcome.headers)
        if outcome.body is None:
            headers.setdefault("Content-Type", "application/json; charset=UTF-8")
        response.headers = headers
        response.url = request.url or ""
        response.request = request
        response.reason = "scripted"
        return response

    def close(self) -> None:
        """Nothing to release."""


def scripted_session(handler: Handler) -> tuple[requests.Session, ScriptedAdapter]:
    """A session whose every http(s) request is answered by `handler`."""
    session = requests.Session()
    adapter = ScriptedAdapter(handler)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session, adapter
