"""Exactly once where requests and runners overlap, on every ledger backend: eight web
threads asking for an import at the same instant queue one; runners racing for the same
actions run each once; a runner that dies mid-action leaves it to another only when its
lease runs out, and can no longer end it then."""

from __future__ import annotations

import collections
import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from admin_api import Admin, admin_env
from conftest import every_backend, signed_json
from sync_world import World
from werkzeug.serving import make_server

from agent.control import runner as runner_module
from agent.control.runner import ActionRunner
from agent.ledger.admin_actions import AdminAction, claim_next, finish, request_action
from agent.settings import Settings


@pytest.fixture
def admin(world: World, tmp_path: Path) -> Admin:
    return Admin(admin_env(world, tmp_path / "data"))


@pytest.fixture
def served(admin: Admin) -> Iterator[str]:
    """The app behind a real threaded server: requests overlap for real."""
    server = make_server("127.0.0.1", 0, admin.app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


@every_backend
def test_eight_simultaneous_imports_queue_one(served: str):
    barrier = threading.Barrier(8)
    answers: list[dict[str, Any]] = []

    def ask() -> None:
        body = {"kind": "import-start", "params": {}, "request_id": uuid.uuid4().hex}
        raw, headers = signed_json("/admin/actions", body)
        barrier.wait()
        answer = requests.post(
            f"{served}/admin/actions", data=raw, headers=headers, timeout=30
        )
        assert answer.status_code == 202, answer.text
        answers.append(answer.json())

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert len({a["action"]["id"] for a in answers}) == 1
    assert sum(a["created"] for a in answers) == 1
    assert AdminAction.select().count() == 1


@every_backend
def test_racing_runners_run_each_action_once(
    admin: Admin, monkeypatch: pytest.MonkeyPatch
):
    runs: collections.Counter[str] = collections.Counter()

    def counted(kind: str) -> Any:
        real = runner_module.HANDLERS[kind]

        def handler(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
            runs[kind] += 1
            time.sleep(0.05)  # long enough for the others to try to take it
            return real(ctx, params)

        return handler

    kinds = ["retrigger-preview", "disconnect"]
    for kind in kinds:
        monkeypatch.setitem(runner_module.HANDLERS, kind, counted(kind))
        assert admin.ask(kind)[0] == 202
    settings = Settings.from_mapping(admin.env)
    runners = [ActionRunner(settings) for _ in range(4)]
    barrier = threading.Barrier(len(runners))

    def run(runner: ActionRunner) -> None:
        barrier.wait()
        runner.run_pending()

    threads = [threading.Thread(target=run, args=(r,)) for r in runners]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert runs == dict.fromkeys(kinds, 1)
    assert [a.state for a in AdminAction.select()] == ["done", "done"]


@every_backend
def test_a_dead_runner_keeps_its_action_until_the_lease_ends(admin: Admin):
    asked = request_action("retrigger-preview", {}, "form-1").action
    dead = claim_next("dead-runner", lease_seconds=2.0)
    assert dead is not None and dead.id == asked.id
    taker = ActionRunner(Settings.from_mapping(admin.env), lease_seconds=2.0)
    assert taker.run_pending() == 0, "taken while its runner's lease still held"
    time.sleep(2.2)
    assert taker.run_pending() == 1
    action = AdminAction.get_by_id(asked.id)
    assert action.state == "done" and action.owner == taker.owner
    assert json.loads(action.result) == {"count": 0, "by_state": {}, "orders": []}
    assert not finish(asked.id, "dead-runner", error="too late"), (
        "a dead runner ended it"
    )
    assert AdminAction.get_by_id(asked.id).error is None


@every_backend
def test_a_long_silent_action_keeps_its_lease_while_its_runner_lives(
    admin: Admin, monkeypatch: pytest.MonkeyPatch
):
    runs: list[str] = []
    started = threading.Event()

    def slow(ctx: Any, params: dict[str, Any]) -> dict[str, Any]:
        runs.append("ran")
        started.set()
        time.sleep(4.5)  # three leases long, and never a progress report
        return {}

    monkeypatch.setitem(runner_module.HANDLERS, "backup", slow)
    assert admin.ask("backup")[0] == 202
    settings = Settings.from_mapping(admin.env)
    first, second = ActionRunner(settings, 1.5), ActionRunner(settings, 1.5)
    worker = threading.Thread(target=first.run_pending)
    worker.start()
    assert started.wait(10)
    deadline = time.monotonic() + 4.0
    while time.monotonic() < deadline:
        assert second.run_pending() == 0, "taken from a runner that is alive"
        time.sleep(0.1)
    worker.join()
    assert runs == ["ran"]
    assert AdminAction.get().state == "done" and AdminAction.get().owner == first.owner
