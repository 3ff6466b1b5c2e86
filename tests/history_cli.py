"""Running the history commands against a `World`, as a merchant would (CLI).

The commands read their settings from the environment; `cli_env` gives them the world's
emulators and ledger and a data dir of their own. `ledger_dump` and `emulator_state`
capture everything a dry run must leave alone.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from click.testing import CliRunner, Result
from sync_world import KEY, SECRET, TOKEN, World

from agent.cli import main
from agent.ledger.migrations import ALL_MODELS


def cli_env(world: World, data_dir: Path) -> dict[str, str]:
    """Environment for `tillsync` commands on the world's store and ledger."""
    return {
        "TILLSYNC_DATA_DIR": str(data_dir),
        "TILLSYNC_DATABASE_URL": world.settings.database_url,
        "TILLSYNC_POS_BASE_URL": world.pos.base_url,
        "TILLSYNC_POS_TOKEN": TOKEN,
        "TILLSYNC_POS_RATE_WINDOW": str(world.settings.pos_rate_window),
        "TILLSYNC_WC_URL": world.woo.base_url,
        "TILLSYNC_WC_KEY": KEY,
        "TILLSYNC_WC_SECRET": SECRET,
        "TILLSYNC_HOOK_SECRET": "x" * 40,
        "TILLSYNC_LEASE_SECONDS": "30",
        "TILLSYNC_PRODUCT_FIELDS": ",".join(sorted(world.settings.product_fields)),
    }


def tillsync(
    world: World, data_dir: Path, *args: str, input: str | None = None
) -> Result:
    """`tillsync ARGS` in-process; the result keeps exit code, stdout and stderr."""
    return CliRunner().invoke(
        main,
        list(args),
        env=cli_env(world, data_dir),
        input=input,
        catch_exceptions=False,
    )


def ledger_dump() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every ledger table, in id order."""
    return {
        model._meta.table_name: sorted(
            tuple(row.values()) for row in model.select().order_by(model.id).dicts()
        )
        for model in ALL_MODELS
    }


def emulator_state(world: World) -> dict[str, Any]:
    """Both emulators' data, request counters and rate-limit budget aside."""
    pos = world.pos.dump()
    pos.pop("rate_limit")
    woo = world.woo.state()
    woo.pop("counters")
    return {"pos": pos, "woo": woo}


def write_requests(world: World) -> list[str]:
    """Every request that could change either store (anything but a GET)."""
    pos = [f"{r.method} {r.path}" for r in world.pos.request_log() if r.method != "GET"]
    woo = [
        f"{r['method']} {r['path']}"
        for r in world.woo.request_log
        if r.get("kind") != "hook" and r.get("method") not in (None, "GET")
    ]
    return pos + woo
