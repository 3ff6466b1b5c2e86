"""The seed story through WP admin's API, as the plugin drives it: connect, import
preview (changes nothing), import, backups, restore preview and restore, retrigger,
reconcile, stock — each run by the scheduler's runner through the commands' own code,
asserted on the POS emulator, not only on the answers."""

from __future__ import annotations

from pathlib import Path

import pytest
from admin_api import Admin, admin_env
from history_cli import emulator_state, ledger_dump
from stock_world import StockWorld
from sync_world import World, days_ago

from agent.connection.retrigger import RESEND_NOTE
from agent.ledger.admin_actions import AdminAction
from agent.ledger.models import HistoryImport, Order


@pytest.fixture
def admin(world: World, tmp_path: Path) -> Admin:
    return Admin(admin_env(world, tmp_path / "data"))


def history(world: World, count: int) -> tuple[str, list[int]]:
    """A product (level 50 in the POS) and `count` paid orders of 2 units each, placed
    before the connection."""
    _, pos_id = world.product("SEED-1", level=50)
    assert pos_id is not None
    orders = [
        world.order([{"sku": "SEED-1", "quantity": 2}], created=days_ago(5), hook=False)
        for _ in range(count)
    ]
    return pos_id, orders


def test_the_seed_story_end_to_end(world: World, admin: Admin):
    pos_id, orders = history(world, 3)

    registers = admin.run("registers")
    assert registers["state"] == "done", registers
    (till,) = registers["result"]["registers"]

    connected = admin.run("connect", register_id=till["id"])
    assert connected["state"] == "done", connected
    assert connected["result"]["register"]["id"] == till["id"]
    assert not connected["result"]["already"]

    before_preview = (ledger_dump(), emulator_state(world))
    preview = admin.run("import-preview")
    assert preview["state"] == "done", preview
    assert preview["result"]["orders"] == 3
    assert preview["result"]["sales_to_create"] == 3
    assert preview["result"]["products_to_back_up"] >= 1
    dump, state = before_preview
    after = ledger_dump()
    for door in ("admin_action", "used_signature"):  # the request itself, nothing more
        after.pop(door), dump.pop(door)
    assert after == dump, "a preview changed the ledger"
    assert emulator_state(world) == state, "a preview changed a store"

    started = admin.run("import-start")
    assert started["state"] == "done", started
    assert started["result"]["queued"] == 3
    world.push()
    assert all(len(world.sales(o)) == 1 for o in orders)
    assert world.level(pos_id) == 50 - 6
    progress = admin.get("/admin/import")["import"]
    assert (progress["queued"], progress["settled"], progress["pending"]) == (3, 3, 0)

    (backup,) = admin.get("/admin/backups")["backups"]
    assert backup["purpose"] == "before import-history"
    restore_preview = admin.run("restore-preview", backup_id=backup["id"])
    assert restore_preview["state"] == "done", restore_preview
    (change,) = restore_preview["result"]["changes"]
    assert (change["pos_id"], change["now"], change["after"]) == (pos_id, "44", "50")
    assert world.level(pos_id) == 44, "a preview wrote stock"

    restored = admin.run("restore", backup_id=backup["id"])
    assert restored["state"] == "done", restored
    assert restored["result"]["written"] == 1 and restored["done"] == 1
    assert world.level(pos_id) == 50
    again = admin.run("restore-preview", backup_id=backup["id"])
    assert again["state"] == "error"
    assert (again["error_code"], again["error_details"]) == (
        "already_undone",
        {"backup_id": backup["id"]},
    ), again
    assert "would add the stock twice" in again["error"]

    assert admin.run("retrigger-preview")["result"]["count"] == 0
    reconciled = admin.run("reconcile")
    assert reconciled["state"] == "done", reconciled
    assert reconciled["result"]["missing"] == []

    StockWorld(world).feed.run_pass()  # the scheduler's feed links by SKU
    stock = admin.run("stock")
    assert stock["state"] == "done", stock
    assert [row["sku"] for row in stock["result"]["products"]] == ["SEED-1"]

    disconnected = admin.run("disconnect")
    assert disconnected["result"]["closed_epoch"] == connected["result"]["epoch"]


def test_a_double_submitted_import_imports_once(world: World, admin: Admin):
    _, orders = history(world, 2)
    assert admin.run("connect")["state"] == "done"

    first_status, first = admin.ask("import-start", request_id="form-1")
    again_status, again = admin.ask("import-start", request_id="form-1")
    other_status, other = admin.ask("import-start", request_id="form-2")
    assert (first_status, again_status, other_status) == (202, 202, 202)
    assert first["created"] and not again["created"] and not other["created"]
    assert first["action"]["id"] == again["action"]["id"] == other["action"]["id"]

    assert admin.runner.run_pending() == 1
    assert admin.action(first["action"]["id"])["state"] == "done"
    # Submitted once more after it finished (the browser's back button): same action.
    assert admin.ask("import-start", request_id="form-1")[1]["action"] == admin.action(
        first["action"]["id"]
    )
    assert admin.runner.run_pending() == 0
    world.push()
    assert HistoryImport.select().count() == 1
    assert [len(world.sales(o)) for o in orders] == [1, 1]


def test_the_tabs_check_boxes_do_what_the_command_flags_do(world: World, admin: Admin):
    """History's "Skip the backup" is `--skip-backup-i-know`; Orders' "Through WooCommerce
    instead" is `retrigger --via-note`."""
    _, orders = history(world, 2)
    assert admin.run("connect")["state"] == "done"

    started = admin.run("import-start", skip_backup=True)
    assert started["state"] == "done", started
    assert started["result"]["queued"] == 2
    (backup,) = admin.get("/admin/backups")["backups"]  # WooCommerce's values only
    assert backup["products"] == 0
    assert backup["purpose"].endswith("(POS not backed up: --skip-backup-i-know)")

    # Not pushed yet, so both count as never sent: each gets one resend note.
    noted = admin.run("retrigger", via_note=True)
    assert noted["result"] == {"notes_added": 2, "refused": {}}, noted
    for order in orders:
        notes = [n["note"] for n in world.woo.notes(order)]
        assert notes.count(RESEND_NOTE) == 1, notes


def test_an_action_that_cannot_run_says_why_and_changes_nothing(
    world: World, admin: Admin
):
    history(world, 1)
    preview = admin.run("import-preview")
    assert preview["state"] == "error"
    assert preview["error"] == (
        "not connected to the POS: connect first (Connection tab, or `tillsync connect`)"
    )
    assert (preview["error_code"], preview["error_details"]) == ("not_connected", {})
    wrong = admin.run("connect", register_id="no-such-register")
    assert wrong["state"] == "error"
    assert "no-such-register" in wrong["error"]
    assert (wrong["error_code"], wrong["error_details"]) == (
        "no_such_register",
        {"register_id": "no-such-register"},
    )
    assert Order.select().count() == 0
    missing = admin.run("restore-preview", backup_id=99)
    assert missing["error"] == "there is no backup 99"
    assert (missing["error_code"], missing["error_details"]) == (
        "no_backup",
        {"backup_id": 99},
    )
    assert admin.run("reconcile")["error_code"] == "never_connected"


def test_a_missing_credential_is_named(world: World, tmp_path: Path):
    env = admin_env(world, tmp_path / "data")
    del env["TILLSYNC_POS_TOKEN"]
    admin = Admin(env)
    failed = admin.run("connect")
    assert failed["state"] == "error"
    assert "TILLSYNC_POS_TOKEN" in failed["error"]
    assert AdminAction.get().active_kind is None  # a new connect may be asked at once
    assert failed["error_code"] == "settings_missing"


def test_a_refused_token_says_which_fix_applies(world: World, tmp_path: Path):
    env = admin_env(world, tmp_path / "data")
    env["TILLSYNC_POS_TOKEN"] = "not-the-stores-token"
    failed = Admin(env).run("registers")
    assert failed["state"] == "error"
    assert failed["error_code"] == "pos_credentials_refused", failed
    assert failed["error"].startswith("the POS refused the credentials")
