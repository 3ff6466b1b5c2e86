"""Health, status and per-order endpoints (README "HTTP")."""

from __future__ import annotations

import peewee
from flask import Blueprint, Flask, current_app, jsonify, request
from werkzeug.wrappers import Response

from agent.ledger.db import in_transaction, ledger_db
from agent.ledger.queue import queue_retry
from agent.ledger.report import orders_document, status_document
from agent.web.auth import (
    Rejected,
    authenticate,
    bad_request,
    json_object,
    spend_signature_of,
)

blueprint = Blueprint("api", __name__)
MAX_IDS = 500


@blueprint.get("/healthz")
def healthz() -> tuple[Response, int]:
    """200 when the ledger answers, 503 otherwise."""
    try:
        ledger_db.execute_sql("SELECT 1")
    except peewee.DatabaseError as exc:
        return jsonify({"ok": False, "error": type(exc).__name__}), 503
    return jsonify({"ok": True}), 200


@blueprint.get("/status")
def status() -> Response:
    """The `tillsync status --json` document, for the plugin's status panel."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    return jsonify(status_document(current_app.config["TILLSYNC_SETTINGS"]))


@blueprint.get("/orders")
def orders() -> Response | tuple[Response, int]:
    """`{"orders": [...]}` for the ids asked (the plugin's column and box)."""
    try:
        authenticate()
    except Rejected as rejected:
        return rejected.response()
    raw = request.args.get("ids", "")
    try:
        ids = [int(part) for part in raw.split(",") if part.strip()]
    except ValueError:
        return bad_request("ids", "ids must be comma-separated order numbers")
    if not ids or len(ids) > MAX_IDS or any(i <= 0 for i in ids):
        return bad_request(
            "ids", f"give between 1 and {MAX_IDS} positive order numbers"
        )
    return jsonify(orders_document(ids=ids))


@blueprint.post("/orders/retry")
def retry() -> Response | tuple[Response, int]:
    """Queue an order again ("Send to POS again" in the plugin)."""
    try:
        signed = authenticate()
    except Rejected as rejected:
        return rejected.response()
    try:
        order_id = json_object(signed).get("order_id")
    except Rejected as rejected:
        return rejected.response()
    if not isinstance(order_id, int) or isinstance(order_id, bool) or order_id <= 0:
        return bad_request("order_id", "order_id must be a positive integer")

    def spend_and_queue() -> bool:
        spend_signature_of(signed)
        return queue_retry(order_id)

    try:
        queued = in_transaction(spend_and_queue)
    except Rejected as rejected:
        return rejected.response()
    return jsonify({"accepted": True, "order_id": order_id, "known": queued}), 202


def init_app(app: Flask) -> None:
    """Register health, status and order endpoints."""
    app.register_blueprint(blueprint)
