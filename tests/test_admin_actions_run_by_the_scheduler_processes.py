"""WP admin's actions run in the scheduler processes, not in the web workers: `tillsync
serve` and a second `tillsync worker` on one PostgreSQL ledger take the actions a
merchant asks for, and each runs once — one connect, one backup, one import whose orders
each become one sale in the POS, followed to the end through `GET /admin/import`."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

import pytest
import requests
from admin_api import admin_env
from conftest import HOOK_SECRET, signed_json
from processes import free_port, start_tillsync, stop, wait_healthy
from sync_world import World, days_ago

from agent.ledger.models import Backup, HistoryImport
from agent.web.signing import signed_headers

ORDERS = 40


class Sidecar:
    """The plugin's view of a running sidecar: signed requests over HTTP."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url

    def ask(self, kind: str, **params: Any) -> dict[str, Any]:
        body = {
            "kind": kind,
            "params": params,
            "request_id": uuid.uuid4().hex,
            "send_id": uuid.uuid4().hex,
        }
        raw, headers = signed_json("/admin/actions", body)
        answer = requests.post(
            f"{self.base_url}/admin/actions", data=raw, headers=headers, timeout=10
        )
        assert answer.status_code == 202, answer.text
        action: dict[str, Any] = answer.json()["action"]
        return action

    def get(self, target: str) -> dict[str, Any]:
        headers = signed_headers(HOOK_SECRET, "GET", target)
        answer = requests.get(f"{self.base_url}{target}", headers=headers, timeout=10)
        assert answer.status_code == 200, answer.text
        document: dict[str, Any] = answer.json()
        return document

    def finished(self, action: dict[str, Any], timeout: float = 30) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            now: dict[str, Any] = self.get(f"/admin/actions/{action['id']}")["action"]
            if now["state"] in ("done", "error"):
                return now
            time.sleep(0.2)
        raise AssertionError(f"action {action['kind']} never finished: {now}")


@pytest.mark.parametrize("database_url", ["postgresql"], indirect=True)
def test_serve_and_a_worker_run_each_action_once(world: World, tmp_path: Path):
    _, pos_id = world.product("P-1", level=500)
    orders = [
        world.order([{"sku": "P-1", "quantity": 1}], created=days_ago(2), hook=False)
        for _ in range(ORDERS)
    ]
    port = free_port()
    env = {
        **admin_env(world, tmp_path / "data"),
        "TILLSYNC_BIND": f"127.0.0.1:{port}",
        "TILLSYNC_SYNC_INTERVAL": "1",
        "TILLSYNC_STOCK_INTERVAL": "0",
        "TILLSYNC_POLL_INTERVAL": "0",
    }
    serve = start_tillsync(["serve"], env)
    worker = start_tillsync(["worker"], env)
    try:
        wait_healthy(f"http://127.0.0.1:{port}", serve)
        sidecar = Sidecar(f"http://127.0.0.1:{port}")
        connected = sidecar.finished(sidecar.ask("connect"))
        assert connected["state"] == "done", connected
        backup = sidecar.finished(sidecar.ask("backup"))
        assert backup["state"] == "done", backup
        imported = sidecar.finished(sidecar.ask("import-start"))
        assert imported["state"] == "done", imported
        assert imported["result"]["queued"] == ORDERS
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            progress = sidecar.get("/admin/import")["import"]
            if progress["settled"] == ORDERS:
                break
            time.sleep(0.3)
        assert progress["by_state"] == {"sent": ORDERS}, progress
        assert progress["eta_seconds"] == 0
    finally:
        for process in (serve, worker):
            stop(process)
    assert Backup.select().count() == 2  # the merchant's, and the import's own
    assert HistoryImport.select().count() == 1
    assert [len(world.sales(o)) for o in orders] == [1] * ORDERS
    assert world.level(pos_id) == 500 - ORDERS
