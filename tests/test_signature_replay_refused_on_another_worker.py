"""A POST's v2 signature, used once, is refused whichever worker or host the replay
reaches: two gunicorn servers (one worker each, as two hosts would run them) on one
ledger. Also checks, through gunicorn's own request parsing, that the signed target
is the raw one the client sent (`RAW_URI`)."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests
from conftest import HOOK_SECRET, every_backend, hook_body, signed_json
from processes import free_port, stop, wait_healthy

from agent.ledger.models import FAILED, Order, UsedSignature
from agent.web.signing import signed_headers


def _procfile_web() -> list[str]:
    """The web process exactly as the Procfile starts it (`gunicorn --config …`)."""
    for line in (Path(__file__).parents[1] / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return shlex.split(line.removeprefix("web:"))
    raise AssertionError("the Procfile has no web: line")


def _gunicorn(database_url: str, data_dir: Path) -> tuple[str, subprocess.Popen]:
    port = free_port()
    env = {
        **os.environ,
        "TILLSYNC_DATA_DIR": str(data_dir),
        "TILLSYNC_DATABASE_URL": database_url,
        "TILLSYNC_HOOK_SECRET": HOOK_SECRET,
        "TILLSYNC_BIND": f"127.0.0.1:{port}",
        "TILLSYNC_WEB_WORKERS": "1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", *_procfile_web()],
        env=env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        text=True,
    )
    return f"http://127.0.0.1:{port}", process


@pytest.fixture
def two_hosts(ledger, database_url: str, tmp_path: Path) -> Iterator[tuple[str, str]]:
    """Two separate web servers on the same ledger."""
    started = [_gunicorn(database_url, tmp_path / f"host-{n}") for n in (1, 2)]
    try:
        for base, process in started:
            wait_healthy(base, process)
        yield started[0][0], started[1][0]
    finally:
        for _base, process in started:
            stop(process)
            process.communicate()


def _post(base: str, target: str, raw: bytes, headers: dict[str, str]) -> int:
    answer = requests.post(f"{base}{target}", data=raw, headers=headers, timeout=10)
    return answer.status_code


@every_backend
def test_replay_to_the_other_host_is_401(two_hosts):
    first, second = two_hosts
    raw, headers = signed_json("/orders/retry", {"order_id": 31})
    assert _post(first, "/orders/retry", raw, headers) == 202
    Order.update(state=FAILED).execute()

    assert _post(second, "/orders/retry", raw, headers) == 401
    assert Order.get(Order.order_id == 31).state == FAILED

    raw, headers = signed_json("/hooks/woocommerce", hook_body(order_id=32))
    assert _post(second, "/hooks/woocommerce", raw, headers) == 202
    assert _post(first, "/hooks/woocommerce", raw, headers) == 401


@every_backend
def test_the_same_request_sent_to_both_at_once_is_accepted_once(two_hosts):
    # The orders exist first: concurrent retries of orders the ledger has never seen
    # are another matter (their row inserts can deadlock on MariaDB).
    for n in range(20):
        raw, headers = signed_json("/hooks/woocommerce", hook_body(order_id=40 + n))
        assert _post(two_hosts[0], "/hooks/woocommerce", raw, headers) == 202
    spent = UsedSignature.select().count()
    bodies = [signed_json("/orders/retry", {"order_id": 40 + n}) for n in range(20)]
    jobs = [(base, raw, headers) for raw, headers in bodies for base in two_hosts]
    with ThreadPoolExecutor(max_workers=4) as pool:
        codes = list(
            pool.map(lambda job: _post(job[0], "/orders/retry", job[1], job[2]), jobs)
        )
    per_request = [sorted(codes[i : i + 2]) for i in range(0, len(codes), 2)]
    assert per_request == [[202, 401]] * len(bodies)
    assert UsedSignature.select().count() == spent + len(bodies)


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_gunicorn_checks_the_target_as_sent(two_hosts):
    base = two_hosts[0]
    for target in ("/orders?ids=1%2C2", "/orders?ids=1,2", "/status"):
        headers = signed_headers(HOOK_SECRET, "GET", target)
        answer = requests.get(f"{base}{target}", headers=headers, timeout=10)
        assert answer.status_code == 200, (target, answer.text)
    headers = signed_headers(HOOK_SECRET, "GET", "/orders?ids=1")
    tampered = requests.get(f"{base}/orders?ids=2", headers=headers, timeout=10)
    assert tampered.status_code == 401
    # The same query percent-encoded is other bytes on the wire: not what was signed.
    headers = signed_headers(HOOK_SECRET, "GET", "/orders?ids=1,2")
    encoded = requests.get(f"{base}/orders?ids=1%2C2", headers=headers, timeout=10)
    assert encoded.status_code == 401
