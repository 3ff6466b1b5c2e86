"""The sidecar's web app (the door): hook intake, status, WP admin's API, metrics,
dashboard."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask

from agent.hook_secret import read_hook_secret
from agent.ledger.db import open_ledger
from agent.settings import Settings


def create_app(settings: Settings | Mapping[str, Any] | None = None) -> Flask:
    """Build the app on the ledger `settings` name (environment when None).

    A mapping is read like the environment (``{"TILLSYNC_DATA_DIR": …}``), so every test
    builds a fresh app on a fresh ledger.
    """
    if settings is None:
        settings = Settings.load()
    elif not isinstance(settings, Settings):
        settings = Settings.from_mapping(settings)
    app = Flask(__name__)
    app.config["TILLSYNC_SETTINGS"] = settings
    app.config["TILLSYNC_HOOK_SECRET"] = read_hook_secret(settings)
    app.json.sort_keys = False  # type: ignore[attr-defined]
    open_ledger(settings.database_url)

    from agent.web import admin, api, dashboard, hooks, metrics

    for subsystem in (metrics, hooks, api, admin, dashboard):
        subsystem.init_app(app)
    return app
