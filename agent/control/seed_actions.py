"""The History and Backups tabs: import preview and start, backups, restore preview and
restore — the code of `import-history`, `backup` and `restore-stock`."""

from __future__ import annotations

from typing import Any

from agent.control.context import ActionContext
from agent.control.failures import NO_BACKUP, ActionFailed
from agent.history.importer import (
    ImportContext,
    Importer,
    import_to_resume,
    orders_in_window,
)
from agent.history.summary import plan_lines
from agent.history.window import ImportWindow
from agent.history.writers import DryRunWriter
from agent.ledger.backup_list import backup_document
from agent.ledger.models import UNDO_IMPORT, Backup
from agent.ledger.report import iso
from agent.pos.governor import budget_for
from agent.progress import Progress, eta_from_rate_limit
from agent.quantities import units_text
from agent.stock.backups import manual_backup
from agent.stock.restore import UNCERTAIN, pending_restore

SHOWN_CHANGES = 200


class ActionProgress(Progress):
    """A progress bar drawn into the action's row instead of a terminal, at most once
    a second (each draw is a ledger write that also renews the action's lease)."""

    def __init__(self, ctx: ActionContext) -> None:
        super().__init__(interactive=False, quiet_interval=1.0)
        self._ctx = ctx

    def note(self, line: str) -> None:
        """Phases are not shown in WP admin; the action's state says enough."""

    def _draw(self, eta: float | None) -> None:
        self._drawn = (self.done, self.total)
        self._ctx.report(self.done, self.total or None)


def _window(ctx: ActionContext, params: dict[str, Any]) -> ImportWindow:
    connection = ctx.connection()
    return ImportWindow.build(
        params.get("since"), params.get("until"), connection.first_connected_at
    )


def _importer(ctx: ActionContext) -> Importer:
    context = ImportContext.configured(ctx.pos, ctx.woo, ctx.connection(), ctx.settings)
    return Importer(context, ActionProgress(ctx))


def import_preview(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """The dry run: what the import would back up, send and change; writes nothing."""
    window = _window(ctx, params)
    run = _importer(ctx).run(window, dry_run=True)
    assert isinstance(run.writer, DryRunWriter)
    plan = run.plan
    window_seconds = float(ctx.settings.pos_rate_window)
    return {
        "window": window.describe(),
        "since": iso(window.since.timestamp()) if window.since else None,
        "until": iso(window.until.timestamp()),
        "orders": plan.orders_seen,
        "sales_to_create": plan.sales_to_create,
        "products_to_back_up": len(plan.snapshot.products),
        "eta_seconds": round(
            eta_from_rate_limit(plan.sales_to_create, budget_for(1), window_seconds)
        ),
        "lines": plan_lines(plan, run.writer.woo_values, window.describe()),
    }


def import_start(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Back up, then queue the orders of the window (resuming an interrupted import);
    the scheduler pushes them, and `GET /admin/import` follows them to the end."""
    window = _window(ctx, params)
    resume = import_to_resume(ctx.connection().scope, window)
    if resume is None and orders_in_window(ctx.woo, window) == 0:
        return {"import_id": None, "queued": 0, "window": window.describe()}
    run = _importer(ctx).run(
        window,
        dry_run=False,
        skip_backup=bool(params.get("skip_backup")),
        resume=resume,
    )
    history_import = run.history_import
    assert history_import is not None
    return {
        "import_id": history_import.id,
        "queued": history_import.orders,
        "window": window.describe(),
    }


def backup(ctx: ActionContext, _params: dict[str, Any]) -> dict[str, Any]:
    """Back up every POS product and stock level (`tillsync backup`)."""
    taken = manual_backup(ctx.pos, ctx.store, ctx.settings.data_dir)
    return backup_document(taken)


def _backup(params: dict[str, Any]) -> Backup:
    found = Backup.get_or_none(Backup.id == params["backup_id"])
    if found is None:
        raise ActionFailed(
            f"there is no backup {params['backup_id']}",
            NO_BACKUP,
            backup_id=int(params["backup_id"]),
        )
    return found


def restore_preview(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """The levels a restore would write, now against then (`restore-stock --dry-run`)."""
    chosen = _backup(params)
    pending = pending_restore(ctx.pos, chosen, params.get("restore_mode", UNDO_IMPORT))
    summary = {"backup_id": chosen.id, "mode": pending.mode}
    if pending.resumes is not None:
        return {
            **summary,
            "resumes": pending.resumes.id,
            "count": len(pending.left),
            "changes": [
                {"pos_id": item.pos_product_id, "change": item.change}
                for item in pending.left[:SHOWN_CHANGES]
            ],
        }
    return {
        **summary,
        "resumes": None,
        "count": len(pending.lines),
        "changes": [
            {
                "pos_id": line.pos_product_id,
                "sku": line.sku,
                "name": line.name,
                "outlet_id": line.outlet_id,
                "now": units_text(line.now),
                "after": units_text(line.after),
            }
            for line in pending.lines[:SHOWN_CHANGES]
        ],
    }


def restore(ctx: ActionContext, params: dict[str, Any]) -> dict[str, Any]:
    """Write the levels back (resuming an interrupted restore, never planning twice)."""
    chosen = _backup(params)
    pending = pending_restore(ctx.pos, chosen, params.get("restore_mode", UNDO_IMPORT))
    if pending.empty:
        return {"restore_id": None, "written": 0, "uncertain": []}
    restore_id, outcomes = pending.carry_out(ctx.pos, on_item=ctx.report)
    uncertain = [pos_id for (pos_id, _), how in outcomes.items() if how == UNCERTAIN]
    return {
        "restore_id": restore_id,
        "written": len(outcomes) - len(uncertain),
        "uncertain": uncertain,
    }
