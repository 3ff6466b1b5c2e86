"""Each call uses its pinned API version, and a retired endpoint is PosGone."""

from __future__ import annotations

import uuid

import pytest

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosGone, endpoints
from agent.pos.endpoints import Endpoint


def all_endpoints() -> list[Endpoint]:
    return [v for v in vars(endpoints).values() if isinstance(v, Endpoint)]


def test_sales_writes_and_reads_are_0_9_inventory_set_is_2_1_the_rest_2_0():
    versions = {str(e): e.version for e in all_endpoints()}
    assert versions["POST /api/register_sales"] == "0.9"
    assert versions["GET /api/register_sales/{sale_id}"] == "0.9"
    assert versions["PUT /api/2.1/products/{product_id}"] == "2.1"
    assert versions["POST /api/1.0/token"] == "1.0"
    others = {
        name: version
        for name, version in versions.items()
        if "register_sales" not in name and "2.1" not in name and "token" not in name
    }
    assert set(others.values()) == {"2.0"}
    for endpoint in all_endpoints():
        if endpoint.version != "0.9":
            assert f"/api/{endpoint.version}/" in endpoint.template


def test_path_parameters_are_percent_encoded():
    assert endpoints.SALE_GET.path(sale_id="a/b?c") == "/api/register_sales/a%2Fb%3Fc"


def test_a_retired_sales_endpoint_names_itself_and_its_version():
    with PosEmulator("tok") as emulator:
        emulator.retire("GET /api/register_sales/{sale_id}")
        client = PosClient(emulator.base_url, BearerToken("tok"))
        with pytest.raises(PosGone) as caught:
            client.get_sale(str(uuid.uuid4()))
        assert caught.value.api_version == "0.9"
        assert caught.value.status == 410
        assert "GET /api/register_sales/{sale_id}" in str(caught.value)
        assert len(emulator.request_log()) == 1  # a 410 is not retried
