"""`POST /hooks/woocommerce`: the door every order event comes in by."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify
from werkzeug.wrappers import Response

from agent.ledger.events import ReplayedHook, record_hook
from agent.web import metrics
from agent.web.auth import (
    Rejected,
    SignedRequest,
    authenticate,
    replayed,
)
from agent.web.hook_body import InvalidBody, parse_hook_body

log = logging.getLogger(__name__)
blueprint = Blueprint("hooks", __name__)


@blueprint.post("/hooks/woocommerce")
def receive_hook() -> Response | tuple[Response, int]:
    """Check, validate and record one event; nothing is written unless all pass."""
    try:
        signed = authenticate(accept_v1=True)
        event = parse_hook_body(signed.body)
        recorded = record_hook(event, signature=hook_signature(signed))
    except ReplayedHook:
        metrics.HOOKS.labels(topic="unknown", result="rejected_401").inc()
        return replayed().response()
    except Rejected as rejected:
        metrics.HOOKS.labels(
            topic="unknown", result=f"rejected_{rejected.status}"
        ).inc()
        return rejected.response()
    except InvalidBody as invalid:
        metrics.HOOKS.labels(topic="unknown", result="rejected_400").inc()
        return jsonify(invalid.document()), 400
    metrics.HOOKS.labels(
        topic=event.topic, result="accepted" if recorded else "duplicate"
    ).inc()
    if recorded:
        log.debug("hook %s %s order %s", event.event_id, event.topic, event.order_id)
    return jsonify({"accepted": True, "duplicate": not recorded}), 202


def hook_signature(signed_request: SignedRequest) -> str | None:
    """The v2 signature a hook is recorded with (its replay is refused); None for v1,
    whose replay the event id already makes a harmless duplicate."""
    signed = signed_request.signed
    return signed.digest if signed.version == 2 else None


def init_app(app: Flask) -> None:
    """Register the hook intake."""
    app.register_blueprint(blueprint)
