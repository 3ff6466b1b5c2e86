"""Reference data read through the client from the emulator over loopback HTTP."""

from __future__ import annotations

from decimal import Decimal

import pytest

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosUnauthorized


@pytest.fixture(scope="module")
def store():
    with PosEmulator("tok", registers=2) as emulator:
        yield emulator, PosClient(emulator.base_url, BearerToken("tok"))


def test_registers_point_at_their_outlets(store):
    emulator, client = store
    outlets = client.outlets()
    registers = client.registers()
    assert len(outlets) == len(registers) == 2
    assert {r.outlet_id for r in registers} == {o.id for o in outlets}
    assert registers[0].outlet_id == emulator.registers()[0]["outlet_id"]


def test_payment_types_include_woocommerce_by_id(store):
    emulator, client = store
    by_name = {p.name: p.id for p in client.payment_types()}
    assert by_name["WooCommerce"] == emulator.payment_type_id("WooCommerce")
    assert "Cash" in by_name


def test_taxes_include_no_tax_and_fifteen_percent(store):
    _, client = store
    rates = {t.name: t.rate for t in client.taxes()}
    assert rates["No Tax"] == Decimal(0)
    assert Decimal("0.15") in rates.values()


def test_users_and_the_tokens_own_user(store):
    emulator, client = store
    assert emulator.user_id in {u.id for u in client.users()}
    assert client.current_user().id == emulator.user_id


def test_retailer(store):
    _, client = store
    assert client.retailer()["domain_prefix"] == "emulator"


def test_rate_limit_is_reported_for_status(store):
    _emulator, client = store
    client.outlets()
    status = client.rate_limit
    assert status["limit"] == 650  # 300 x 2 registers + 50
    assert 0 < status["remaining"] < 650


def test_a_wrong_token_is_unauthorized_and_not_retried():
    with PosEmulator("right") as emulator:
        client = PosClient(emulator.base_url, BearerToken("wrong"))
        with pytest.raises(PosUnauthorized):
            client.outlets()
        assert [r.status for r in emulator.request_log()] == [401]


@pytest.mark.parametrize("token", ["", "  x", "a b", "line\nbreak"])
def test_a_malformed_token_is_refused_before_any_request(token: str):
    with pytest.raises(ValueError):
        BearerToken(token)
