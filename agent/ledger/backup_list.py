"""The backups as `tillsync backups --json` and WP admin's Backups tab list them."""

from __future__ import annotations

from typing import Any

from agent.ledger.models import Backup, BackupWooProduct
from agent.ledger.report import iso


def backup_document(backup: Backup) -> dict[str, Any]:
    """One backup as `backups --json` lists it (README, 'Commands')."""
    woo = BackupWooProduct.select().where(BackupWooProduct.backup == backup.id).count()
    return {
        "id": backup.id,
        "taken_at": iso(backup.taken_at),
        "purpose": backup.purpose,
        "products": backup.products,
        "inventory_rows": backup.inventory_rows,
        "woocommerce_products": woo,
        "store": backup.store,
        "outlet_id": backup.outlet_id,
        "file": backup.file_path,
    }


def backups_document(limit: int | None = None) -> dict[str, Any]:
    """`{"backups": [...]}`, newest first."""
    query = Backup.select().order_by(Backup.id.desc())
    if limit is not None:
        query = query.limit(limit)
    return {"backups": [backup_document(b) for b in query]}
