"""Every bad `tillsync connect` input stops with one clear line and exit status 1,
and writes nothing to the ledger."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from click.testing import CliRunner
from sync_world import TOKEN

from agent.cli import main
from agent.emulators.pos import PosEmulator
from agent.ledger.db import ledger_db, open_ledger
from agent.ledger.models import Epoch


@pytest.fixture
def two_registers() -> Iterator[PosEmulator]:
    with PosEmulator(TOKEN, registers=2, seed=2, window=1.0) as pos:
        yield pos


def run(tmp_path, pos: PosEmulator | None, *args: str, **env: str):
    base = {
        "TILLSYNC_DATA_DIR": str(tmp_path),
        "TILLSYNC_POS_RATE_WINDOW": "1",
    }
    if pos is not None:
        base |= {"TILLSYNC_POS_BASE_URL": pos.base_url, "TILLSYNC_POS_TOKEN": TOKEN}
    base |= env
    result = CliRunner().invoke(main, ["connect", *args], env=base)
    return result


def epochs(tmp_path) -> int:
    db = open_ledger(f"sqlite:///{tmp_path}/ledger.db")
    try:
        return Epoch.select().count()
    finally:
        db.close()
        ledger_db.initialize(None)


def one_line(result) -> str:
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_missing_store_names_the_variable(tmp_path):
    result = run(tmp_path, None)
    assert result.exit_code == 1
    assert "TILLSYNC_POS_DOMAIN_PREFIX is not set" in one_line(result)


def test_missing_token_names_the_variable(tmp_path, two_registers):
    result = run(tmp_path, two_registers, TILLSYNC_POS_TOKEN="")
    assert result.exit_code == 1
    assert "TILLSYNC_POS_TOKEN is not set" in one_line(result)


def test_bad_token_is_refused_by_the_pos(tmp_path, two_registers):
    result = run(tmp_path, two_registers, TILLSYNC_POS_TOKEN="wrong-token")
    assert result.exit_code == 1
    assert "the POS refused the credentials" in one_line(result)
    assert "wrong-token" not in result.output
    assert epochs(tmp_path) == 0


def test_several_registers_and_none_chosen_lists_them(tmp_path, two_registers):
    result = run(tmp_path, two_registers)
    assert result.exit_code == 1
    line = one_line(result)
    assert "choose one with --register" in line
    for register in two_registers.registers():
        assert register["id"] in line
    assert epochs(tmp_path) == 0


def test_unknown_register_lists_the_real_ones(tmp_path, two_registers):
    result = run(tmp_path, two_registers, "--register", "nope")
    assert result.exit_code == 1
    line = one_line(result)
    assert "no register 'nope'" in line
    assert two_registers.registers()[0]["id"] in line


def test_unknown_payment_type_lists_them(tmp_path, two_registers):
    register = two_registers.registers()[1]["id"]
    result = run(
        tmp_path,
        two_registers,
        "--register",
        register,
        TILLSYNC_POS_PAYMENT_TYPE_ID="bogus",
    )
    assert result.exit_code == 1
    assert "WooCommerce" in one_line(result)


def test_unreachable_pos_says_so(tmp_path):
    result = run(
        tmp_path,
        None,
        TILLSYNC_POS_BASE_URL="http://127.0.0.1:9",
        TILLSYNC_POS_TOKEN=TOKEN,
    )
    assert result.exit_code == 1
    assert "did not answer" in one_line(result)


def test_connect_then_again_then_another_store(tmp_path, two_registers):
    register = two_registers.registers()[1]["id"]
    first = run(tmp_path, two_registers, "--register", register)
    assert first.exit_code == 0, first.output
    assert "register" in first.output and register in first.output
    again = run(tmp_path, two_registers, "--register", register)
    assert again.exit_code == 0
    assert "already connected" in again.output
    with PosEmulator(TOKEN, seed=9, window=1.0) as other:
        refused = run(tmp_path, other)
        assert refused.exit_code == 1
        assert "--new-store" in one_line(refused)
        moved = run(tmp_path, other, "--new-store")
        assert moved.exit_code == 0, moved.output
    assert epochs(tmp_path) == 2
