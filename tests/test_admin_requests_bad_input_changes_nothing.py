"""A request WP admin should not send is answered 400 naming the field, and records
nothing; an unsigned, v1-signed or replayed one is answered 401."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from admin_api import Admin, admin_env
from conftest import HOOK_SECRET, signed_get, signed_json
from sync_world import World

from agent.ledger.admin_actions import AdminAction
from agent.web.signing import signature_v1


@pytest.fixture
def admin(world: World, tmp_path: Path) -> Admin:
    return Admin(admin_env(world, tmp_path / "data"))


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"kind": "explode", "params": {}, "request_id": "r"}, "kind"),
        ({"kind": "connect", "params": [], "request_id": "r"}, "params"),
        ({"kind": "connect", "params": {}, "request_id": ""}, "request_id"),
        ({"kind": "connect", "params": {}, "request_id": "r" * 101}, "request_id"),
        ({"kind": "connect", "params": {}}, "request_id"),
        ({"kind": "connect", "params": {"colour": "red"}, "request_id": "r"}, "colour"),
        (
            {"kind": "connect", "params": {"new_store": "yes"}, "request_id": "r"},
            "new_store",
        ),
        (
            {
                "kind": "import-start",
                "params": {"since": "last week"},
                "request_id": "r",
            },
            "since",
        ),
        (
            {"kind": "import-start", "params": {"until": 20261101}, "request_id": "r"},
            "until",
        ),
        ({"kind": "restore", "params": {}, "request_id": "r"}, "backup_id"),
        (
            {"kind": "restore", "params": {"backup_id": "1"}, "request_id": "r"},
            "backup_id",
        ),
        (
            {"kind": "restore", "params": {"backup_id": True}, "request_id": "r"},
            "backup_id",
        ),
        (
            {
                "kind": "restore",
                "params": {"backup_id": 1, "restore_mode": "all"},
                "request_id": "r",
            },
            "restore_mode",
        ),
    ],
)
def test_a_malformed_request_is_a_400_naming_the_field(
    admin: Admin, body: dict[str, Any], field: str
):
    status, answer = admin.post(body)
    assert status == 400, answer
    assert answer["error"] == "invalid_field" and answer["field"] == field
    assert AdminAction.select().count() == 0


@pytest.mark.parametrize("raw", [b"[1, 2]", b"{not json", b'"connect"'])
def test_a_body_that_is_not_a_json_object_is_a_400(admin: Admin, raw: bytes):
    _, headers = signed_json("/admin/actions", raw)
    answer = admin.client.post("/admin/actions", data=raw, headers=headers)
    assert answer.status_code == 400
    assert answer.get_json()["error"] == "invalid_json"
    assert AdminAction.select().count() == 0


def test_unsigned_v1_and_replayed_requests_are_refused(admin: Admin):
    body = {"kind": "connect", "params": {}, "request_id": "r1"}
    raw, headers = signed_json("/admin/actions", body)
    unsigned = admin.client.post(
        "/admin/actions", data=raw, headers={"Content-Type": "application/json"}
    )
    assert unsigned.status_code == 401
    v1 = dict(headers)
    v1["X-Tillsync-Signature"] = "v1=" + signature_v1(
        HOOK_SECRET, v1["X-Tillsync-Timestamp"], raw
    )
    assert admin.client.post("/admin/actions", data=raw, headers=v1).status_code == 401
    assert AdminAction.select().count() == 0
    first = admin.client.post("/admin/actions", data=raw, headers=headers)
    replay = admin.client.post("/admin/actions", data=raw, headers=headers)
    assert (first.status_code, replay.status_code) == (202, 401)
    assert AdminAction.select().count() == 1
    for target in ("/admin/actions/1", "/admin/actions?kind=connect", "/admin/import"):
        assert admin.client.get(target).status_code == 401


def test_reading_an_unknown_action_or_kind(admin: Admin):
    assert signed_get(admin.client, "/admin/actions/7").status_code == 404
    assert signed_get(admin.client, "/admin/actions?kind=explode").status_code == 400
    assert admin.get("/admin/actions?kind=connect") == {"action": None}
    assert admin.get("/admin/import") == {"import": None}
    assert admin.get("/admin/backups") == {"backups": []}
