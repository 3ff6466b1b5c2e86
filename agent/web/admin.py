"""WP admin's API: `/admin/…`, signed v2 (README, "WP admin's API").

The door records what the merchant asked for and answers at once; the scheduler
process runs it (agent/control/) and the screens read its progress here. Nothing here
talks to the POS or WooCommerce: a web worker is never held by a long action.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import Blueprint, Flask, current_app, jsonify, request
from werkzeug.wrappers import Response

from agent.ledger.admin_actions import (
    KINDS,
    BadRequest,
    Requested,
    action_document,
    check_request,
    find_action,
    latest_action,
    request_action,
)
from agent.ledger.admin_credentials import (
    authorize_url,
    check_credentials_request,
    check_oauth_request,
    keep_candidates,
    shown_credentials,
)
from agent.ledger.backup_list import backups_document
from agent.ledger.db import in_transaction
from agent.ledger.report import status_document
from agent.progress import eta_from_rate_limit
from agent.web.auth import (
    Rejected,
    SignedRequest,
    authenticate,
    bad_request,
    json_object,
    spend_signature_of,
)
from agent.web.import_progress import read_import_progress

blueprint = Blueprint("admin", __name__, url_prefix="/admin")


@blueprint.post("/actions")
def ask() -> Response | tuple[Response, int]:
    """Queue an action: `{"kind", "params", "request_id"}` → 202 with the action (the
    one already queued or running when this request id or kind names one)."""
    try:
        signed = authenticate()
        body = json_object(signed)
    except Rejected as rejected:
        return rejected.response()
    kind, params = body.get("kind"), body.get("params", {})
    try:
        check_request(kind, params, body.get("request_id"))
    except BadRequest as bad:
        return bad_request(bad.field, str(bad))
    return _queue(signed, str(kind), params, body["request_id"])


@blueprint.post("/credentials")
def give_credentials() -> Response | tuple[Response, int]:
    """Keep credentials given in WP admin (sealed) and queue their check:
    `{"values": {field: text}, "request_id"}`, or `{"oauth": {"code", "redirect_uri",
    "domain_prefix"}, "request_id"}` after "Connect with Lightspeed" → 202 with the
    `check-credentials` action. Only a check that passes puts them in use."""
    try:
        signed = authenticate()
        body = json_object(signed)
    except Rejected as rejected:
        return rejected.response()
    host = current_app.config["TILLSYNC_SETTINGS"]
    try:
        if "oauth" in body:
            values = check_oauth_request(host, body["oauth"])
        else:
            values = check_credentials_request(host, body.get("values"))
        check_request("check-credentials", {}, body.get("request_id"))
    except BadRequest as bad:
        return bad_request(bad.field, str(bad))
    return _queue(
        signed,
        "check-credentials",
        {},
        body["request_id"],
        first=lambda: keep_candidates(host, values),
    )


@blueprint.get("/setup")
def setup() -> Response:
    """What is configured and where from (`environment`, `wp-admin`, or not given),
    secrets shown only as a fingerprint; the status document's connection and setup."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    host = current_app.config["TILLSYNC_SETTINGS"]
    status = status_document(host)
    return jsonify(
        {
            "credentials": shown_credentials(host),
            "oauth_authorize_url": authorize_url(host),
            "connection": status["connection"],
            "setup": status["setup"],
        }
    )


@blueprint.get("/actions/<int:action_id>")
def show(action_id: int) -> Response | tuple[Response, int]:
    """One action: its state, progress, result or error."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    action = find_action(action_id)
    if action is None:
        return jsonify({"error": "not_found", "message": "no such action"}), 404
    return jsonify({"action": action_document(action)})


@blueprint.get("/actions")
def latest() -> Response | tuple[Response, int]:
    """`?kind=…`: the newest action of that kind (a reloaded page finds it again)."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    kind = request.args.get("kind", "")
    if kind not in KINDS:
        return bad_request("kind", f"kind must be one of: {', '.join(KINDS)}")
    action = latest_action(kind)
    return jsonify({"action": action_document(action) if action else None})


@blueprint.get("/import")
def import_progress() -> Response:
    """The latest history import: queued, pushed, by state, and an ETA at the POS
    rate limit for what is still pending."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    progress = read_import_progress()
    if progress is not None:
        # The budget the POS last stated; none before the first request.
        limit = status_document()["rate_limit"]["limit"]
        window = float(current_app.config["TILLSYNC_SETTINGS"].pos_rate_window)
        progress["eta_seconds"] = (
            round(eta_from_rate_limit(progress["pending"], int(limit), window))
            if limit
            else None
        )
    return jsonify({"import": progress})


@blueprint.get("/backups")
def backups() -> Response:
    """The POS product and stock backups, newest first (as `backups --json`)."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    return jsonify(backups_document())


def _queue(
    signed: SignedRequest,
    kind: str,
    params: dict[str, Any],
    request_id: str,
    first: Callable[[], None] | None = None,
) -> Response | tuple[Response, int]:
    """Spend the request's signature, do `first`, and queue the action: one
    transaction, so a refused or failed request leaves nothing behind."""

    def act() -> Requested:
        spend_signature_of(signed)
        if first is not None:
            first()
        return request_action(kind, params, request_id)

    try:
        asked = in_transaction(act)
    except Rejected as rejected:
        return rejected.response()
    answer = {"action": action_document(asked.action), "created": asked.created}
    return jsonify(answer), 202


def init_app(app: Flask) -> None:
    """Register WP admin's endpoints."""
    app.register_blueprint(blueprint)
