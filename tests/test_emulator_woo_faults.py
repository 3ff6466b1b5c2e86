"""Faults the WooCommerce emulator injects: 5xx pages, slow answers, dropped answers."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests

from agent.emulators.woo import WooEmulator

KEY, SECRET = "ck_fault", "cs_fault"


@pytest.fixture
def store() -> Iterator[WooEmulator]:
    with WooEmulator(
        KEY, SECRET, trust_basic=True, products=2, orders=2, seed=3
    ) as emu:
        yield emu


def rest(
    store: WooEmulator, method: str, path: str, **kwargs: Any
) -> requests.Response:
    url = f"{store.base_url}/wp-json/wc/v3/{path}"
    return requests.request(method, url, auth=(KEY, SECRET), timeout=10, **kwargs)


def test_fail_next_answers_html_5xx_then_recovers(store: WooEmulator) -> None:
    settings = requests.put(
        f"{store.base_url}/_emulator/faults", json={"fail_next": 2}, timeout=10
    )
    assert settings.json()["fail_next"] == 2
    first, second, third = (rest(store, "GET", "orders") for _ in range(3))
    assert [first.status_code, second.status_code, third.status_code] == [503, 503, 200]
    assert first.headers["Content-Type"].startswith("text/html")
    assert "Service Unavailable" in first.text
    assert store.counters["GET (fault)"] == 2


def test_admin_endpoints_are_never_faulted(store: WooEmulator) -> None:
    store.set_faults(fault_5xx=1.0)
    assert rest(store, "GET", "orders").status_code == 503
    state = requests.get(f"{store.base_url}/_emulator/state", timeout=10)
    assert state.status_code == 200
    assert len(state.json()["orders"]) == 2
    store.set_faults(fault_5xx=0.0)
    assert rest(store, "GET", "orders").status_code == 200


def test_drop_applies_the_write_then_closes_without_answer(store: WooEmulator) -> None:
    order_id = store.orders()[0]["id"]
    store.set_faults(drop_next=1)
    with pytest.raises(requests.ConnectionError):
        rest(store, "POST", f"orders/{order_id}/notes", json={"note": "landed"})
    assert any(n["note"] == "landed" for n in store.notes(order_id))
    dropped = [e for e in store.request_log if e.get("fault") == "drop"]
    assert dropped and dropped[0]["status"] is None


def test_slow_fault_delays_but_answers(store: WooEmulator) -> None:
    store.set_faults(fault_slow=1.0, slow_seconds=0.05)
    assert rest(store, "GET", "orders").status_code == 200
    assert store.request_log[-1]["slow"] is True


@pytest.mark.parametrize(
    "body",
    [{"fault_5xx": 2}, {"fault_drop": -0.1}, {"fail_next": "many"}, {"loud": 1}],
)
def test_bad_fault_settings_are_refused_and_change_nothing(
    store: WooEmulator, body: dict[str, Any]
) -> None:
    response = requests.put(f"{store.base_url}/_emulator/faults", json=body, timeout=10)
    assert response.status_code == 400
    assert response.json()["field"] == next(iter(body))
    assert rest(store, "GET", "orders").status_code == 200
