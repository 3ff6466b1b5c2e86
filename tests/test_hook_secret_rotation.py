"""Several `v1=` signatures are accepted so a secret can be rotated."""

from __future__ import annotations

import json

from conftest import HOOK_SECRET, hook_body

from agent.web.signing import signature, signed_headers


def test_old_and_new_signatures_together_are_accepted(client):
    raw = json.dumps(hook_body()).encode()
    headers = signed_headers(HOOK_SECRET, raw)
    ts = headers["X-Tillsync-Timestamp"]
    old = signature("the-previous-secret-0000000000000000", ts, raw)
    headers["X-Tillsync-Signature"] = f"v1={old}, {headers['X-Tillsync-Signature']}"
    answer = client.post(
        "/hooks/woocommerce",
        data=raw,
        headers={"Content-Type": "application/json", **headers},
    )
    assert answer.status_code == 202


def test_only_wrong_signatures_are_refused(client):
    raw = json.dumps(hook_body()).encode()
    headers = signed_headers(HOOK_SECRET, raw)
    ts = headers["X-Tillsync-Timestamp"]
    wrong = [
        signature(f"secret-{i}-000000000000000000000000", ts, raw) for i in range(3)
    ]
    headers["X-Tillsync-Signature"] = ",".join(f"v1={w}" for w in wrong)
    answer = client.post(
        "/hooks/woocommerce",
        data=raw,
        headers={"Content-Type": "application/json", **headers},
    )
    assert answer.status_code == 401


def test_signed_get_endpoints_refuse_unsigned(client):
    assert client.get("/status").status_code == 401
    assert client.get("/orders?ids=1").status_code == 401
    assert (
        client.get("/status", headers=signed_headers(HOOK_SECRET, b"")).status_code
        == 200
    )
