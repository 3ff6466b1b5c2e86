"""Shared fixtures: a fresh ledger on every backend, a fresh app, signing."""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import peewee
import pytest
from sync_world import KEY, SECRET, TOKEN, World

from agent.ledger.db import ledger_db, open_ledger
from agent.web.signing import signed_headers

HOOK_SECRET = "test-secret-0123456789-abcdefghijklmnop"
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/test"
MYSQL_ADMIN = {"host": "127.0.0.1", "port": 3306, "user": "root", "password": ""}


def _pg_database() -> Iterator[str]:
    import psycopg2

    name = f"tillsync_{uuid.uuid4().hex[:12]}"
    admin = psycopg2.connect(PG_ADMIN)
    admin.autocommit = True
    admin.cursor().execute(f"CREATE DATABASE {name}")
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.close()


def _mysql_database() -> Iterator[str]:
    import pymysql

    name = f"tillsync_{uuid.uuid4().hex[:12]}"
    admin = pymysql.connect(**MYSQL_ADMIN, autocommit=True)
    admin.cursor().execute(f"CREATE DATABASE {name} CHARACTER SET utf8mb4")
    try:
        yield f"mysql://root@127.0.0.1:3306/{name}"
    finally:
        admin.cursor().execute(f"DROP DATABASE IF EXISTS {name}")
        admin.close()


@pytest.fixture
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A throw-away database URL on the backend the test is parametrised with."""
    kind = getattr(request, "param", "sqlite")
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path}/ledger.db"
    elif kind == "postgresql":
        yield from _pg_database()
    else:
        yield from _mysql_database()


BACKENDS = ["sqlite", "postgresql", "mysql"]


def every_backend(test: Any) -> Any:
    """Run `test` once per ledger backend (SQLite, PostgreSQL, MariaDB)."""
    return pytest.mark.parametrize("database_url", BACKENDS, indirect=True)(test)


@pytest.fixture
def ledger(database_url: str) -> Iterator[peewee.Database]:
    """A fresh, migrated ledger bound to the models."""
    db = open_ledger(database_url)
    yield db
    db.close()
    ledger_db.initialize(None)


@pytest.fixture
def settings_env(tmp_path: Path, database_url: str) -> dict[str, str]:
    """Environment-style settings for an app on a fresh ledger."""
    return {
        "TILLSYNC_DATA_DIR": str(tmp_path / "data"),
        "TILLSYNC_DATABASE_URL": database_url,
        "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
    }


@pytest.fixture
def app(settings_env: dict[str, str]) -> Iterator[Any]:
    """A fresh app on a fresh ledger."""
    from agent.web import create_app

    application = create_app(settings_env)
    application.config["TESTING"] = True
    yield application
    ledger_db.close()
    ledger_db.initialize(None)


@pytest.fixture
def client(app: Any) -> Any:
    """Flask's test client for `app`."""
    return app.test_client()


@pytest.fixture
def unconfigured(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A command's world on a first run: no TILLSYNC_ variable but the data dir (not
    there yet, returned), no `.env` in the working directory."""
    for name in list(os.environ):
        if name.startswith("TILLSYNC_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    data_dir = tmp_path / "data"
    monkeypatch.setenv("TILLSYNC_DATA_DIR", str(data_dir))
    return data_dir


@pytest.fixture
def first_run(
    ledger: peewee.Database, database_url: str, unconfigured: Path
) -> dict[str, str]:
    """`unconfigured` on a fresh ledger: the environment to give `tillsync` (the data
    dir and the ledger's URL, nothing else)."""
    return {
        "TILLSYNC_DATA_DIR": str(unconfigured),
        "TILLSYNC_DATABASE_URL": database_url,
    }


def hook_body(order_id: int = 1001, topic: str = "order.created", **extra: Any) -> dict:
    """A valid hook body with a fresh event id."""
    body = {
        "id": str(uuid.uuid4()),
        "topic": topic,
        "order_id": order_id,
        "occurred_at": "2026-11-27T10:00:00Z",
        "store_url": "https://shop.example",
        "data": {"topics": [topic]},
    }
    body.update(extra)
    return body


def post_hook(
    client: Any,
    body: Any,
    secret: str = HOOK_SECRET,
    now: float | None = None,
    **header_overrides: str,
) -> Any:
    """POST `body` signed (v2) with `secret` at `now` to the hook endpoint.

    The plugin signs every send afresh: to send an event again, as the plugin would, pass
    a later `now` (the same signature twice is a replay, refused).
    """
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(secret, "POST", "/hooks/woocommerce", raw, now=now),
    }
    headers.update(header_overrides)
    return client.post("/hooks/woocommerce", data=raw, headers=headers)


def signed_get(client: Any, target: str, secret: str = HOOK_SECRET) -> Any:
    """GET `target` (path and query), signed v2 as the plugin signs it."""
    return client.get(target, headers=signed_headers(secret, "GET", target))


def signed_json(
    target: str, body: Any, secret: str = HOOK_SECRET, now: float | None = None
) -> tuple[bytes, dict[str, str]]:
    """The raw JSON of `body` and the headers of a POST of it to `target`, signed v2."""
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    headers = {
        "Content-Type": "application/json",
        **signed_headers(secret, "POST", target, raw, now=now),
    }
    return raw, headers


def pytest_report_header() -> str:
    return f"ledger backends: {', '.join(BACKENDS)} (pid {os.getpid()})"


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Any:
    """Keep each phase's report on the item, so fixtures can print logs on failure."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


@pytest.fixture
def world(
    ledger: peewee.Database, database_url: str, request: pytest.FixtureRequest
) -> Iterator[World]:
    """A connected store on both emulators and a fresh ledger; a test marked
    `@pytest.mark.settings(TILLSYNC_…="…")` gets those settings too, one marked
    `@pytest.mark.pos(registers=2)` a POS with that many registers (one outlet each)."""
    from agent.emulators.pos import PosEmulator
    from agent.emulators.woo import WooEmulator

    marker = request.node.get_closest_marker("settings")
    settings = dict(marker.kwargs) if marker else {}
    pos_marker = request.node.get_closest_marker("pos")
    pos_options = dict(pos_marker.kwargs) if pos_marker else {}
    with (
        PosEmulator(TOKEN, seed=1, window=1.0, **pos_options) as pos,
        WooEmulator(KEY, SECRET, seed=1) as woo,
    ):
        w = World(pos, woo, database_url, **settings)
        yield w
        report = getattr(request.node, "rep_call", None)
        if report is not None and report.failed:
            print(w.explain())
