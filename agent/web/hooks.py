"""`POST /hooks/woocommerce`: the door every order event comes in by."""

from __future__ import annotations

import logging

from flask import Blueprint, Flask, jsonify
from werkzeug.wrappers import Response

from agent.ledger.events import record_hook
from agent.web import metrics
from agent.web.auth import Rejected, authenticated_body
from agent.web.hook_body import InvalidBody, parse_hook_body

log = logging.getLogger(__name__)
blueprint = Blueprint("hooks", __name__)


@blueprint.post("/hooks/woocommerce")
def receive_hook() -> Response | tuple[Response, int]:
    """Check, validate and record one event; nothing is written unless all pass."""
    try:
        body = authenticated_body()
        event = parse_hook_body(body)
    except Rejected as rejected:
        metrics.HOOKS.labels(
            topic="unknown", result=f"rejected_{rejected.status}"
        ).inc()
        return rejected.response()
    except InvalidBody as invalid:
        metrics.HOOKS.labels(topic="unknown", result="rejected_400").inc()
        return jsonify(invalid.document()), 400
    recorded = record_hook(event)
    metrics.HOOKS.labels(
        topic=event.topic, result="accepted" if recorded else "duplicate"
    ).inc()
    if recorded:
        log.debug("hook %s %s order %s", event.event_id, event.topic, event.order_id)
    return jsonify({"accepted": True, "duplicate": not recorded}), 202


def init_app(app: Flask) -> None:
    """Register the hook intake."""
    app.register_blueprint(blueprint)
