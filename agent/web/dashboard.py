"""`GET /`: the read-only dashboard, plain server-rendered HTML (no build step).

Everything on it comes from the same functions as `tillsync status --json`
(agent/ledger/report.py) plus the pending backlog (backlog.py) and the explanation of
each failure's reason code (agent/ledger/reasons.py), so the page and the command
cannot disagree. It refreshes itself every few seconds. It holds order numbers and
failure reasons, so it answers only loopback clients, whatever TILLSYNC_BIND says.
"""

from __future__ import annotations

import re
import time
from typing import Any

from flask import Blueprint, Flask, current_app, render_template, request
from markupsafe import Markup, escape
from werkzeug.wrappers import Response

from agent.ledger.epochs import current_connection
from agent.ledger.reasons import explain
from agent.ledger.report import iso, status_document
from agent.ledger.stock_levels import followed_products
from agent.settings import Settings
from agent.web.backlog import AGE_BANDS, read_backlog
from agent.web.import_progress import read_import_progress
from agent.web.loopback import is_loopback

blueprint = Blueprint("dashboard", __name__)
REFRESH_SECONDS = 5
STOCK_ROWS = 100  # the most recently moved products; `tillsync stock` lists them all
STATE_MEANINGS = {
    "waiting": "not paid yet, or placed before the connection",
    "pending": "queued for the POS",
    "sent": "the POS sale exists",
    "voided": "sale voided after a cancel or full refund",
    "skipped": "nothing to send (cancelled or trashed first)",
    "failed": "needs a person: see below",
}


def duration(seconds: float | None) -> str:
    """`42 s`, `3 min 5 s`, `2 h 10 min`: how long, for a person."""
    if seconds is None:
        return "—"
    whole = int(seconds)
    if whole < 60:
        return f"{whole} s"
    if whole < 3600:
        return f"{whole // 60} min {whole % 60} s"
    return f"{whole // 3600} h {whole % 3600 // 60} min"


def backticks(text: str | None) -> Markup:
    """Escaped text whose `quoted` parts (commands, codes) are shown as code."""
    escaped = str(escape(text or ""))
    return Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped))


def dashboard_view(
    now: float | None = None, settings: Settings | None = None
) -> dict[str, Any]:
    """Everything the page shows, as plain data (`settings`: the app's, which tell
    the setup section what is missing)."""
    now = time.time() if now is None else now
    status = status_document(settings)
    backlog = read_backlog(now)
    failures = []
    for failure in status["failures"]:
        reason = explain(failure["reason_code"])
        failures.append(
            {
                **failure,
                "meaning": reason.meaning if reason else None,
                "action": reason.action if reason else None,
            }
        )
    rate = status["rate_limit"]
    used_share = None
    if rate["limit"] and rate["remaining"] is not None:
        used_share = max(0.0, min(1.0, 1 - rate["remaining"] / rate["limit"]))
    return {
        "status": status,
        "failures": failures,
        "backlog": {
            "oldest_order_id": backlog.oldest_order_id,
            "oldest_since": iso(backlog.oldest_since),
            "lag": duration(backlog.lag_seconds if backlog.oldest_since else None),
            "lag_seconds": round(backlog.lag_seconds, 1),
            "by_age": backlog.by_age,
            "pending": backlog.pending,
        },
        "age_bands": [name for name, _ in AGE_BANDS],
        "rate_used_percent": None if used_share is None else round(used_share * 100),
        "state_meanings": STATE_MEANINGS,
        "import": read_import_progress(),
        "stock_products": stock_products(),
        "generated_at": iso(now),
        "refresh_seconds": REFRESH_SECONDS,
    }


def stock_products() -> list[dict[str, Any]]:
    """The stock table: the products the feed follows, most recently moved first."""
    connection = current_connection()
    if connection is None:
        return []
    found = followed_products(connection.scope, connection.outlet_id, STOCK_ROWS)
    return [row | {"written_at": iso(row["written_at"])} for row in found]


@blueprint.get("/")
def dashboard() -> Response | tuple[str, int]:
    """The dashboard page (loopback clients only)."""
    if not is_loopback(request.remote_addr):
        return "The Tillsync dashboard answers only on this machine (loopback).\n", 403
    settings = current_app.config["TILLSYNC_SETTINGS"]
    html = render_template("dashboard.html", **dashboard_view(settings=settings))
    response = Response(html, mimetype="text/html")
    response.headers["Cache-Control"] = "no-store"
    return response


def init_app(app: Flask) -> None:
    """Register the dashboard at `/`."""
    app.register_blueprint(blueprint)
    app.add_template_filter(backticks)
