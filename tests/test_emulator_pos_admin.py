"""Admin endpoints seed and inspect the emulator over HTTP, outside the rate limit."""

from __future__ import annotations

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


@pytest.fixture
def emulator():
    with PosEmulator("tok", seed=12) as emu:
        yield emu


def admin(emu: PosEmulator, method: str, path: str, body=None) -> requests.Response:
    return requests.request(method, f"{emu.base_url}/_emulator/{path}", json=body)


def test_seed_delete_and_in_store_sale(emulator):
    answer = admin(
        emulator,
        "POST",
        "products",
        {
            "products": [
                {"name": "Mug", "sku": "MUG", "price_excluding_tax": 9.5, "level": 4}
            ]
        },
    )
    assert answer.status_code == 201
    (product_id,) = answer.json()["ids"]
    assert emulator.inventory_level(product_id) == 4
    assert len(admin(emulator, "POST", "products", {"count": 3}).json()["ids"]) == 3

    sold = admin(
        emulator, "POST", "in_store_sales", {"product_id": product_id, "quantity": 3}
    )
    assert sold.status_code == 201
    assert emulator.inventory_level(product_id) == 1

    deleted = admin(emulator, "DELETE", f"products/{product_id}")
    assert deleted.json()["data"]["deleted_at"]
    assert admin(emulator, "DELETE", "products/unknown").status_code == 404


@pytest.mark.parametrize(
    ("path", "body"),
    [
        ("products", {"count": -1}),
        ("products", {"products": [{"name": ""}]}),
        ("products", {"products": [{"name": "A", "colour": "red"}]}),
        ("in_store_sales", {"product_id": "unknown"}),
        ("in_store_sales", {"product_id": "x", "quantity": 0}),
        ("retired", {"endpoint": "GET /api/9.9/nothing"}),
    ],
)
def test_bad_admin_input_is_400_and_changes_nothing(emulator, path, body):
    answer = admin(emulator, "POST", path, body)
    assert answer.status_code == 400
    assert emulator.products() == [] and emulator.sales() == []
    assert emulator.retired == {}


def test_faults_can_be_read_and_changed(emulator):
    changed = admin(emulator, "PUT", "faults", {"fault_5xx": 0.5, "slow_seconds": 2})
    assert changed.json()["faults"]["fault_5xx"] == 0.5
    assert admin(emulator, "GET", "faults").json()["faults"]["slow_seconds"] == 2
    refused = admin(emulator, "PUT", "faults", {"fault_drop": 2})
    assert refused.status_code == 400
    assert emulator.faults.settings()["fault_drop"] == 0.0


def test_state_requests_and_counters(emulator):
    requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
    requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
    state = admin(emulator, "GET", "state").json()
    assert {"products", "inventory", "sales", "outlets", "rate_limit"} <= set(state)
    log = admin(emulator, "GET", "requests").json()["requests"]
    assert [(r["method"], r["path"], r["status"]) for r in log[:2]] == [
        ("GET", "/api/2.0/outlets", 200)
    ] * 2
    counters = admin(emulator, "GET", "counters").json()
    assert counters["counters"] == {"GET /api/2.0/outlets": 2}
    assert counters["windows"][0]["accepted"] == 2
    admin(emulator, "POST", "counters/reset")
    assert emulator.counters() == {}


def test_retire_and_refresh_tokens(emulator):
    assert (
        admin(
            emulator, "POST", "retired", {"endpoint": "POST /api/register_sales"}
        ).status_code
        == 200
    )
    gone = requests.post(
        f"{emulator.base_url}/api/register_sales", headers=AUTH, json={}
    )
    assert gone.status_code == 410
    token = admin(emulator, "POST", "oauth/refresh_tokens").json()["refresh_token"]
    assert token and not emulator.refresh_token_revoked(token)


def test_admin_needs_no_token_and_is_not_counted(emulator):
    for _ in range(20):
        admin(emulator, "GET", "state")
    answer = requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
    assert answer.headers["X-RateLimit-Remaining"] == "349"
    assert admin(emulator, "GET", "nothing-here").status_code == 404


def test_the_request_log_prints_readably_for_failing_tests(emulator):
    requests.get(f"{emulator.base_url}/api/2.0/outlets")
    text = emulator.format_request_log()
    assert "GET /api/2.0/outlets -> 401" in text


def test_constructor_refuses_bad_settings():
    for kwargs in (
        {"registers": 0},
        {"window": 0},
        {"products": -1},
        {"host": "0.0.0.0"},
        {"fault_5xx": 2.0},
    ):
        with pytest.raises((ValueError, TypeError)):
            PosEmulator("tok", **kwargs)
    with pytest.raises(ValueError):
        PosEmulator("has space")
