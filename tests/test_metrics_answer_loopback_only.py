"""`GET /metrics` answers loopback clients only, with the same check as the dashboard:
order volumes and failure counts are for this machine, whatever TILLSYNC_BIND says."""

from __future__ import annotations

import pytest

LOOPBACK = ["127.0.0.1", "127.8.9.10", "::1", "::ffff:127.0.0.1"]
ELSEWHERE = ["192.168.1.20", "10.0.0.5", "2001:db8::1", "::ffff:192.168.1.20", "", "x"]


@pytest.mark.parametrize("path", ["/metrics", "/"])
@pytest.mark.parametrize("address", ELSEWHERE)
def test_other_clients_are_refused(client, path, address):
    answer = client.get(path, environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 403
    assert b"loopback" in answer.data
    assert b"tillsync_" not in answer.data


@pytest.mark.parametrize("path", ["/metrics", "/"])
@pytest.mark.parametrize("address", LOOPBACK)
def test_loopback_clients_are_answered(client, path, address):
    answer = client.get(path, environ_base={"REMOTE_ADDR": address})
    assert answer.status_code == 200


def test_metrics_from_loopback_are_prometheus_text(client):
    text = client.get("/metrics").data.decode()
    assert "tillsync_orders" in text
