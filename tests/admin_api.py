"""WP admin's API from a test: the real web app on a `World`'s ledger and emulators,
signed requests as the plugin sends them, and the scheduler's action runner."""

from __future__ import annotations

import time
import uuid
from pathlib import Path
from typing import Any

from conftest import HOOK_SECRET, signed_get, signed_json
from history_cli import cli_env
from sync_world import World

from agent.control.runner import ActionRunner
from agent.settings import Settings
from agent.web import create_app


def admin_env(world: World, data_dir: Path) -> dict[str, str]:
    """The sidecar's settings on the world's stores and ledger: the commands' own, with
    the hook secret the signed requests below use."""
    return {**cli_env(world, data_dir), "TILLSYNC_HOOK_SECRET": HOOK_SECRET}


class Admin:
    """The plugin's side of the API, and the scheduler's runner beside it."""

    def __init__(self, env: dict[str, str]) -> None:
        self.env = env
        self.app = create_app(env)
        self.client = self.app.test_client()
        self.runner = ActionRunner(Settings.from_mapping(env))

    def ask(
        self, kind: str, request_id: str | None = None, **params: Any
    ) -> tuple[int, dict[str, Any]]:
        """POST /admin/actions; the status and the answer."""
        body = {
            "kind": kind,
            "params": params,
            "request_id": request_id or _new_id(),
            "send_id": _new_id(),  # as the plugin: each send signed differently
        }
        return self.post(body)

    def post(self, body: Any) -> tuple[int, dict[str, Any]]:
        """POST any body to /admin/actions, signed."""
        raw, headers = signed_json("/admin/actions", body)
        answer = self.client.post("/admin/actions", data=raw, headers=headers)
        return answer.status_code, answer.get_json()

    def get(self, target: str) -> dict[str, Any]:
        """A signed GET that must answer 200."""
        answer = signed_get(self.client, target)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        document: dict[str, Any] = answer.get_json()
        return document

    def action(self, action_id: int) -> dict[str, Any]:
        """The action as the screens read it."""
        found: dict[str, Any] = self.get(f"/admin/actions/{action_id}")["action"]
        return found

    def run(self, kind: str, **params: Any) -> dict[str, Any]:
        """Ask for `kind`, run what is queued as the scheduler would, and return the
        finished action."""
        status, answer = self.ask(kind, **params)
        assert status == 202, answer
        self.runner.run_pending()
        return self.action(answer["action"]["id"])

    def wait(self, action_id: int, timeout: float = 20) -> dict[str, Any]:
        """Poll the action until it is done or failed (another process runs it)."""
        deadline = time.monotonic() + timeout
        while True:
            action = self.action(action_id)
            if action["state"] in ("done", "error") or time.monotonic() > deadline:
                return action
            time.sleep(0.1)


def _new_id() -> str:
    return uuid.uuid4().hex
