"""Fault injection: seeded 5xx, slow answers, and commit-then-drop for sale writes."""

from __future__ import annotations

import time
import uuid

import pytest
import requests

from agent.emulators.pos import PosEmulator

AUTH = {"Authorization": "Bearer tok"}


def sale(emu: PosEmulator, product_id: str) -> dict:
    return {
        "id": str(uuid.uuid4()),
        "register_id": emu.register_id,
        "user_id": emu.user_id,
        "status": "CLOSED",
        "register_sale_products": [
            {
                "product_id": product_id,
                "quantity": 1,
                "price": 5,
                "tax": 0,
                "tax_id": emu.tax_id("No Tax"),
            }
        ],
    }


def test_drop_commits_a_sale_then_closes_the_connection_unanswered():
    with PosEmulator("tok", fault_drop=1.0) as emulator:
        product_id = emulator.seed_product("Mug", "MUG", level=3)
        body = sale(emulator, product_id)
        with pytest.raises(requests.ConnectionError):
            requests.post(
                f"{emulator.base_url}/api/register_sales", headers=AUTH, json=body
            )
        assert emulator.sale(body["id"])["status"] == "CLOSED"
        assert emulator.inventory_level(product_id) == 2
        (entry,) = emulator.request_log()
        assert (entry.status, entry.fault) == (None, "drop")


def test_drop_on_other_requests_does_not_process_them():
    with PosEmulator("tok", fault_drop=1.0) as emulator:
        with pytest.raises(requests.ConnectionError):
            requests.post(
                f"{emulator.base_url}/api/2.0/products",
                headers=AUTH,
                json={"name": "Cap", "price_excluding_tax": 1},
            )
        assert emulator.products() == []


def test_5xx_faults_answer_json_500_or_html_gateway_pages():
    with PosEmulator("tok", fault_5xx=1.0, seed=1) as emulator:
        answers = [
            requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
            for _ in range(30)
        ]
        statuses = {a.status_code for a in answers}
        assert statuses == {500, 502, 503}
        for answer in answers:
            if answer.status_code == 500:
                assert answer.json() == {"error": "Internal Server Error"}
            else:
                assert answer.headers["Content-Type"].startswith("text/html")


def test_a_5xx_on_a_sale_write_sometimes_committed_it():
    with PosEmulator("tok", fault_5xx=1.0, seed=2) as emulator:
        product_id = emulator.seed_product("Mug", "MUG", level=100)
        bodies = [sale(emulator, product_id) for _ in range(20)]
        for body in bodies:
            answer = requests.post(
                f"{emulator.base_url}/api/register_sales", headers=AUTH, json=body
            )
            assert answer.status_code >= 500
        committed = [b for b in bodies if emulator.sale(b["id"]) is not None]
        assert 0 < len(committed) < len(bodies)
        assert emulator.inventory_level(product_id) == 100 - len(committed)


def test_slow_answers_arrive_late_but_complete():
    with PosEmulator("tok", fault_slow=1.0, slow_seconds=0.3) as emulator:
        answer = requests.get(f"{emulator.base_url}/api/2.0/outlets", headers=AUTH)
        assert answer.status_code == 200
        (entry,) = emulator.request_log()
        assert entry.fault == "slow" and entry.seconds >= 0.3


def test_a_slow_sale_commits_after_the_client_gave_up_waiting():
    with PosEmulator("tok", fault_slow=1.0, slow_seconds=0.5) as emulator:
        product_id = emulator.seed_product("Mug", "MUG", level=3)
        body = sale(emulator, product_id)
        with pytest.raises(requests.Timeout):
            requests.post(
                f"{emulator.base_url}/api/register_sales",
                headers=AUTH,
                json=body,
                timeout=0.1,
            )
        # Right after the timeout the sale may not exist yet: it is processed once the
        # slow wait is over, answered to nobody.
        deadline = time.monotonic() + 10
        while not emulator.request_log() and time.monotonic() < deadline:
            time.sleep(0.05)
        (entry,) = emulator.request_log()
        assert entry.fault == "slow"
        assert emulator.sale(body["id"])["status"] == "CLOSED"
        assert emulator.inventory_level(product_id) == 2


def test_the_same_seed_replays_the_same_faults():
    def story(seed: int) -> list[int]:
        with PosEmulator("tok", fault_5xx=0.5, seed=seed) as emulator:
            return [
                requests.get(
                    f"{emulator.base_url}/api/2.0/outlets", headers=AUTH
                ).status_code
                for _ in range(20)
            ]

    assert story(5) == story(5)
    assert set(story(5)) > {200}


def test_admin_endpoints_are_never_faulted():
    with PosEmulator("tok", fault_5xx=1.0, fault_drop=1.0, fault_slow=1.0) as emulator:
        for _ in range(10):
            assert (
                requests.get(f"{emulator.base_url}/_emulator/state").status_code == 200
            )


@pytest.mark.parametrize(
    "settings",
    [
        {"fault_5xx": 1.5},
        {"fault_drop": -0.1},
        {"slow_seconds": -1},
        {"fault_slow": "often"},
        {"typo": 1},
    ],
)
def test_bad_fault_settings_are_refused_and_change_nothing(settings):
    with PosEmulator("tok", fault_5xx=0.25) as emulator:
        with pytest.raises((ValueError, TypeError)):
            emulator.set_faults(fault_drop=0.5, **settings)
        assert emulator.faults.settings()["fault_drop"] == 0.0
        assert emulator.faults.settings()["fault_5xx"] == 0.25
