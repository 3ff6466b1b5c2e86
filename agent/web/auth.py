"""The checks every signed request passes, in the order the README's "HTTP" section gives.

415 content type (POST only) → 413 body over 256 KiB, before reading it → 401 signature
and timestamp. The body is returned for the caller's own 400 checks; a POST that passes
them is acted on in a transaction that first calls `spend_signature_of`, which refuses
(401) a v2 signature already used, so a captured request cannot be played again within
its 300 s window.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from flask import current_app, jsonify, request
from werkzeug.wrappers import Response

from agent.ledger.signatures import SignatureUsed, prune_now_and_then, spend_signature
from agent.web.body import UnreadableBody, read_body
from agent.web.request_target import request_target
from agent.web.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    BadSignature,
    Signed,
    verify,
)


class Rejected(Exception):
    """A request refused: nothing of it is left in the ledger."""

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
    try:
        return read_body(request.environ, request.content_length)
    except UnreadableBody as unreadable:
        raise Rejected(unreadable.status, unreadable.code, unreadable.message) from None


@dataclass(frozen=True)
class SignedRequest:
    """An authentic request: its raw body and how it was signed."""

    body: bytes
    signed: Signed


def authenticate(*, accept_v1: bool = False) -> SignedRequest:
    """The raw body of an authentic request; raise Rejected otherwise.

    `accept_v1` is for the hook intake only: everywhere else a v1 signature, which does
    not cover the method, path or query, is refused.
    """
    if request.method == "POST" and request.mimetype != "application/json":
        raise Rejected(
            415, "unsupported_media_type", "Content-Type must be application/json"
        )
    body = _read_body_limited() if request.method == "POST" else b""
    try:
        signed = verify(
            current_app.config["TILLSYNC_HOOK_SECRET"],
            request.headers.get(TIMESTAMP_HEADER),
            request.headers.get(SIGNATURE_HEADER),
            method=request.method,
            target=request_target(request.environ),
            body=body,
            accept_v1=accept_v1,
        )
    except BadSignature as bad:
        raise Rejected(401, "unauthorized", str(bad)) from None
    if request.method == "POST" and signed.version == 2:
        # Only signatures no timestamp check accepts any more. In its own transaction,
        # never in the one that acts on the request: a range delete there would hold
        # locks that another worker's insert may be waiting on.
        prune_now_and_then()
    return SignedRequest(body, signed)


def spend_signature_of(signed_request: SignedRequest) -> None:
    """Record a POST's v2 signature as used; raise Rejected (401) if it already was.

    Call it first in the transaction that acts on the request, after the body's 400
    checks: a request that is refused or fails then leaves no trace, not even its
    signature. A v1 signature (hook intake only) is not recorded: the event id already
    makes its replay a harmless duplicate.
    """
    signed = signed_request.signed
    if signed.version != 2:
        return
    try:
        spend_signature(signed.digest, signed.expires_at)
    except SignatureUsed:
        raise replayed() from None


def replayed() -> Rejected:
    """The refusal of a POST whose v2 signature was already used."""
    return Rejected(401, "unauthorized", "this signature was already used")


def bad_request(
    field: str | None, message: str, code: str = "invalid_field"
) -> tuple[Response, int]:
    """The 400 answer naming the part of the request at fault."""
    return jsonify({"error": code, "message": message, "field": field}), 400


def json_object(signed_request: SignedRequest) -> dict[str, Any]:
    """The signed body as a JSON object; Rejected (400 `invalid_json`) otherwise."""
    try:
        body = json.loads(signed_request.body)
    except ValueError:
        body = None
    if not isinstance(body, dict):
        raise Rejected(400, "invalid_json", "the body must be a JSON object")
    return body
