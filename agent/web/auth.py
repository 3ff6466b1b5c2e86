"""The checks every signed request passes, in CONTRACT §3's order.

415 content type (POST only) → 413 body over 256 KiB, before reading it → 401 signature
and timestamp. The body is returned for the caller's own 400 checks.
"""

from __future__ import annotations

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from agent.web.signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, verify

MAX_BODY_BYTES = 256 * 1024


class Rejected(Exception):
    """A request refused before it could touch the ledger."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message

    def response(self) -> Response:
        """The JSON answer for this rejection."""
        answer = jsonify({"error": self.code, "message": self.message, "field": None})
        answer.status_code = self.status
        return answer


def _read_body_limited() -> bytes:
    declared = request.content_length
    if declared is not None and declared > MAX_BODY_BYTES:
        raise Rejected(413, "payload_too_large", "the body is larger than 256 KiB")
    # No Content-Length (chunked): read one byte past the limit, never more.
    body = request.stream.read(MAX_BODY_BYTES + 1)
    if len(body) > MAX_BODY_BYTES:
        raise Rejected(413, "payload_too_large", "the body is larger than 256 KiB")
    return body


def authenticated_body() -> bytes:
    """The raw body of an authentic request; raise Rejected otherwise."""
    if request.method == "POST" and request.mimetype != "application/json":
        raise Rejected(
            415, "unsupported_media_type", "Content-Type must be application/json"
        )
    body = _read_body_limited() if request.method == "POST" else b""
    problem = verify(
        current_app.config["TILLSYNC_HOOK_SECRET"],
        request.headers.get(TIMESTAMP_HEADER),
        request.headers.get(SIGNATURE_HEADER),
        body,
    )
    if problem is not None:
        raise Rejected(401, "unauthorized", problem)
    return body
