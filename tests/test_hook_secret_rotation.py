"""Several signature values are accepted so a secret can be rotated.

While a secret is being replaced, the plugin may sign with both the old and the new one:
the header then carries two `v2=` values (or, on the hook intake, `v1=` values), and the
request is authentic when any of them is.
"""

from __future__ import annotations

import json

from conftest import HOOK_SECRET, hook_body

from agent.web.signing import signature_v1, signature_v2, signed_headers

OLD_SECRET = "the-previous-secret-0000000000000000"


def _rotating(target: str, method: str, raw: bytes, secrets: list[str]) -> dict:
    headers = signed_headers(HOOK_SECRET, method, target, raw)
    ts = headers["X-Tillsync-Timestamp"]
    values = [f"v2={signature_v2(s, ts, method, target, raw)}" for s in secrets]
    headers["X-Tillsync-Signature"] = ", ".join(values)
    return headers


def test_old_and_new_v2_signatures_together_are_accepted(client):
    for secrets in ([OLD_SECRET, HOOK_SECRET], [HOOK_SECRET, OLD_SECRET]):
        raw = json.dumps(hook_body()).encode()
        headers = _rotating("/hooks/woocommerce", "POST", raw, secrets)
        answer = client.post(
            "/hooks/woocommerce",
            data=raw,
            headers={"Content-Type": "application/json", **headers},
        )
        assert answer.status_code == 202


def test_rotation_works_on_every_signed_endpoint(client):
    both = [OLD_SECRET, HOOK_SECRET]
    status = client.get("/status", headers=_rotating("/status", "GET", b"", both))
    assert status.status_code == 200
    target = "/orders?ids=4"
    orders = client.get(target, headers=_rotating(target, "GET", b"", both))
    assert orders.status_code == 200
    raw = json.dumps({"order_id": 4}).encode()
    retry = client.post(
        "/orders/retry",
        data=raw,
        headers={
            "Content-Type": "application/json",
            **_rotating("/orders/retry", "POST", raw, both),
        },
    )
    assert retry.status_code == 202


def test_old_and_new_v1_signatures_together_are_accepted_on_the_hook(client):
    raw = json.dumps(hook_body()).encode()
    headers = signed_headers(HOOK_SECRET, "POST", "/hooks/woocommerce", raw)
    ts = headers["X-Tillsync-Timestamp"]
    headers["X-Tillsync-Signature"] = (
        f"v1={signature_v1(OLD_SECRET, ts, raw)}, v1={signature_v1(HOOK_SECRET, ts, raw)}"
    )
    answer = client.post(
        "/hooks/woocommerce",
        data=raw,
        headers={"Content-Type": "application/json", **headers},
    )
    assert answer.status_code == 202


def test_only_wrong_signatures_are_refused(client):
    raw = json.dumps(hook_body()).encode()
    wrong = [f"secret-{i}-000000000000000000000000" for i in range(3)]
    headers = _rotating("/hooks/woocommerce", "POST", raw, wrong)
    answer = client.post(
        "/hooks/woocommerce",
        data=raw,
        headers={"Content-Type": "application/json", **headers},
    )
    assert answer.status_code == 401
    status = client.get("/status", headers=_rotating("/status", "GET", b"", wrong))
    assert status.status_code == 401


def test_signed_get_endpoints_refuse_unsigned(client):
    assert client.get("/status").status_code == 401
    assert client.get("/orders?ids=1").status_code == 401
    assert (
        client.get(
            "/status", headers=signed_headers(HOOK_SECRET, "GET", "/status")
        ).status_code
        == 200
    )
