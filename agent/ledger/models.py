"""The ledger's tables: what Tillsync knows about stores, epochs, orders and events.

Times are Unix seconds (floats, UTC): one representation on SQLite, PostgreSQL and
MySQL, with sub-second precision for leases and no time-zone surprises.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

import peewee

from agent.ledger.db import ledger_db

# Order states (README, 'How an order reaches the POS'). Flags such as found_by_poll
# are columns, not states.
WAITING = "waiting"
PENDING = "pending"
SENT = "sent"
VOIDED = "voided"
SKIPPED = "skipped"
FAILED = "failed"
STATES = (WAITING, PENDING, SENT, VOIDED, SKIPPED, FAILED)

# Why a history order (created before the connection) may be pushed anyway.
RELEASE_IMPORT = "import"
RELEASE_NOTE = "note"
RELEASE_RETRY = "retry"


class LedgerModel(peewee.Model):
    id = peewee.AutoField()

    class Meta:
        database = ledger_db
        legacy_table_names = False


class SchemaVersion(LedgerModel):
    """One row: the schema version this ledger has been migrated to."""

    version = peewee.IntegerField()


class Store(LedgerModel):
    """A POS store Tillsync has connected to; its id scopes the orders."""

    identity = peewee.CharField(max_length=255, unique=True)
    # "The connection" (README glossary): orders created before it are history.
    first_connected_at = peewee.DoubleField()


class Epoch(LedgerModel):
    """One connection period to a store, from `connect` to `disconnect`."""

    store = peewee.ForeignKeyField(Store, backref="epochs")
    store_id: int  # the foreign key's raw column, set by peewee
    register_id = peewee.CharField(max_length=64)
    outlet_id = peewee.CharField(max_length=64)
    user_id = peewee.CharField(max_length=64, null=True)
    payment_type_id = peewee.CharField(max_length=64, null=True)
    opened_at = peewee.DoubleField()
    closed_at = peewee.DoubleField(null=True)


class Order(LedgerModel):
    """A WooCommerce order as the ledger tracks it within one store's scope."""

    scope = peewee.IntegerField(default=0)  # Store id; 0 = before any connection
    order_id = peewee.BigIntegerField()
    state = peewee.CharField(max_length=16, default=PENDING)
    reason_code = peewee.CharField(max_length=64, null=True)
    reason = peewee.TextField(null=True)
    # A history order is pushed only once released (import, merchant's note, retry).
    is_history = peewee.BooleanField(null=True)
    release = peewee.CharField(max_length=16, null=True)
    wc_created_at = peewee.DoubleField(null=True)
    wc_removed = peewee.BooleanField(default=False)  # trashed or deleted in WooCommerce
    found_by_poll = peewee.BooleanField(default=False)
    last_topic = peewee.CharField(max_length=32, null=True)
    # Every hook bumps this; a worker that pushed an older value leaves it pending.
    change_seq = peewee.IntegerField(default=0)
    # The POS side: current sale revision and what it contained.
    revision = peewee.IntegerField(default=0)
    sale_uuid = peewee.CharField(max_length=36, null=True)
    sale_id = peewee.CharField(max_length=64, null=True)
    # CLOSED / VOIDED once known; VOIDING while a void's outcome is unknown. A
    # sale_uuid without sale_status is a POST whose outcome is unknown: look it up.
    sale_status = peewee.CharField(max_length=16, null=True)
    sale_payload = peewee.TextField(null=True)  # what was POSTed, to void it whole
    content_hash = peewee.CharField(max_length=64, null=True)
    epoch_sent = peewee.IntegerField(null=True)
    sent_at = peewee.DoubleField(null=True)
    # Scheduling.
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DoubleField(default=0.0)
    lease_owner = peewee.CharField(max_length=64, null=True)
    lease_expires_at = peewee.DoubleField(null=True)
    created_at = peewee.DoubleField()
    updated_at = peewee.DoubleField()

    def leased(self, now: float) -> bool:
        """Whether a worker holds the order right now (its lease has not run out)."""
        return self.lease_expires_at is not None and self.lease_expires_at >= now

    class Meta:
        indexes = (
            (("scope", "order_id"), True),
            # Exactly what claim_batch() asks: this scope's due pending orders.
            (("scope", "state", "next_attempt_at"), False),
        )


class Event(LedgerModel):
    """A hook accepted from the plugin; `event_id` makes repeats harmless."""

    event_id = peewee.CharField(max_length=100, unique=True)
    topic = peewee.CharField(max_length=32)
    topics = peewee.TextField(default="[]")
    order_id = peewee.BigIntegerField(index=True)
    scope = peewee.IntegerField(default=0)
    occurred_at = peewee.DoubleField()
    received_at = peewee.DoubleField()
    # The v2 signature it came with (schema v7): the same event again under the same
    # signature is a replay (401), under a new one the plugin's resend (a duplicate).
    signature = peewee.CharField(max_length=64, null=True)


class Cursor(LedgerModel):
    """A named resume point: catalogue version, poll position, import page…"""

    name = peewee.CharField(max_length=128, unique=True)
    value = peewee.TextField()
    updated_at = peewee.DoubleField()


class Credential(LedgerModel):
    """A credential the POS rotates (the OAuth2 refresh token)."""

    name = peewee.CharField(max_length=128, unique=True)
    value = peewee.TextField()
    updated_at = peewee.DoubleField()


class ProductLink(LedgerModel):
    """A WooCommerce product or variation linked to a POS product."""

    scope = peewee.IntegerField()
    wc_product_id = peewee.BigIntegerField()
    wc_variation_id = peewee.BigIntegerField(default=0)
    pos_product_id = peewee.CharField(max_length=64)
    sku = peewee.CharField(max_length=255, null=True)
    created = peewee.BooleanField(default=False)  # Tillsync created it in the POS
    linked_at = peewee.DoubleField()

    class Meta:
        indexes = ((("scope", "wc_product_id", "wc_variation_id"), True),)


class CatalogueProduct(LedgerModel):
    """The local copy of the POS catalogue, kept fresh through the version cursor."""

    scope = peewee.IntegerField()
    pos_product_id = peewee.CharField(max_length=64)
    sku_folded = peewee.CharField(max_length=255, null=True)
    sku = peewee.CharField(max_length=255, null=True)
    name = peewee.CharField(max_length=255)
    deleted = peewee.BooleanField(default=False)
    version = peewee.BigIntegerField(default=0)

    class Meta:
        indexes = (
            (("scope", "pos_product_id"), True),
            (("scope", "sku_folded"), False),
        )


# -- history import, backups and stock restore (schema v3) ------------------------


class Backup(LedgerModel):
    """A copy of every POS product and stock level, taken before an import or by hand.

    It also keeps the WooCommerce values an overwrite replaced (`BackupWooProduct`).
    """

    scope = peewee.IntegerField()
    store = peewee.CharField(max_length=255)  # the POS identity it was read from
    taken_at = peewee.DoubleField()
    purpose = peewee.CharField(max_length=128)
    outlet_id = peewee.CharField(max_length=64, null=True)  # the register's, if known
    products = peewee.IntegerField(default=0)
    inventory_rows = peewee.IntegerField(default=0)
    file_path = peewee.TextField(null=True)


class BackupProduct(LedgerModel):
    """One POS product as a backup saw it (prices as exact decimal text)."""

    backup = peewee.ForeignKeyField(Backup, backref="pos_products", on_delete="CASCADE")
    pos_product_id = peewee.CharField(max_length=64)
    sku = peewee.CharField(max_length=255, null=True)
    name = peewee.CharField(max_length=255)
    price_excluding_tax = peewee.CharField(max_length=32, null=True)
    price_including_tax = peewee.CharField(max_length=32, null=True)
    deleted = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("backup", "pos_product_id"), True),)


class BackupInventory(LedgerModel):
    """One stock level (product at outlet) as a backup saw it."""

    backup = peewee.ForeignKeyField(Backup, backref="levels", on_delete="CASCADE")
    pos_product_id = peewee.CharField(max_length=64)
    outlet_id = peewee.CharField(max_length=64)
    level = peewee.CharField(max_length=32)  # exact decimal text

    class Meta:
        indexes = ((("backup", "pos_product_id", "outlet_id"), True),)


class BackupWooProduct(LedgerModel):
    """A WooCommerce product's own values, saved before an overwrite replaced them."""

    backup = peewee.ForeignKeyField(Backup, backref="woo_products", on_delete="CASCADE")
    wc_product_id = peewee.BigIntegerField()
    wc_variation_id = peewee.BigIntegerField(default=0)
    pos_product_id = peewee.CharField(max_length=64)
    sku = peewee.CharField(max_length=255, null=True)
    name = peewee.CharField(max_length=255, null=True)
    regular_price = peewee.CharField(max_length=32, null=True)
    manage_stock = peewee.BooleanField(null=True)
    stock_quantity = peewee.BigIntegerField(null=True)
    # When the overwrite was sent (its queue is `WooOverwrite`).
    overwritten_at = peewee.DoubleField(null=True)

    class Meta:
        indexes = ((("backup", "wc_product_id", "wc_variation_id"), True),)


class HistoryImport(LedgerModel):
    """One `import-history` run over a date window; resumable from its cursor."""

    scope = peewee.IntegerField()
    backup = peewee.ForeignKeyField(Backup, null=True, backref="imports")
    backup_id: int | None
    since = peewee.DoubleField(null=True)  # inclusive, Unix seconds
    until = peewee.DoubleField()  # exclusive
    started_at = peewee.DoubleField()
    queued_at = peewee.DoubleField(null=True)  # every page read and queued
    orders = peewee.IntegerField(default=0)  # orders this import queued


class ImportedOrder(LedgerModel):
    """An order a history import queued (what `restore-stock undo-import` undoes)."""

    history_import = peewee.ForeignKeyField(
        HistoryImport, backref="orders_queued", on_delete="CASCADE"
    )
    scope = peewee.IntegerField()
    order_id = peewee.BigIntegerField()
    # Its sale was already in the POS (lost-ledger recovery): the import moved no stock.
    recovered = peewee.BooleanField(default=False)

    class Meta:
        indexes = ((("history_import", "order_id"), True),)


# How a restore puts stock back: add back what an import's sales took, or set every
# level back to the backup (README, "Commands", `restore-stock`).
UNDO_IMPORT = "undo-import"
SNAPSHOT = "snapshot"
RESTORE_MODES = (UNDO_IMPORT, SNAPSHOT)


class StockRestore(LedgerModel):
    """One `restore-stock` run; its items make a killed run resumable."""

    backup = peewee.ForeignKeyField(Backup, backref="restores")
    mode = peewee.CharField(max_length=16)
    started_at = peewee.DoubleField()
    finished_at = peewee.DoubleField(null=True)


class StockRestoreItem(LedgerModel):
    """One product level a restore puts back, written ahead of its POS write."""

    restore = peewee.ForeignKeyField(StockRestore, backref="items", on_delete="CASCADE")
    pos_product_id = peewee.CharField(max_length=64)
    outlet_id = peewee.CharField(max_length=64)
    change = peewee.CharField(max_length=32)  # undo-import: amount to add back
    target = peewee.CharField(max_length=32, null=True)  # snapshot: the level
    read_level = peewee.CharField(max_length=32, null=True)  # read before the write
    read_version = peewee.BigIntegerField(null=True)
    outcome = peewee.CharField(max_length=16, null=True)  # written | unchanged | …
    done_at = peewee.DoubleField(null=True)

    class Meta:
        indexes = ((("restore", "pos_product_id", "outlet_id"), True),)


SCHEMA_V1 = (SchemaVersion, Store, Epoch, Order, Event, Cursor, Credential)
SCHEMA_V3 = (
    Backup,
    BackupProduct,
    BackupInventory,
    BackupWooProduct,
    HistoryImport,
    ImportedOrder,
    StockRestore,
    StockRestoreItem,
)


# -- live SKU links overwrite WooCommerce (schema v4) ------------------------------


class PosPrice(LedgerModel):
    """A POS product's prices, kept with the catalogue so an overwrite reads none."""

    scope = peewee.IntegerField()
    pos_product_id = peewee.CharField(max_length=64)
    price_excluding_tax = peewee.CharField(max_length=32, null=True)  # exact text
    price_including_tax = peewee.CharField(max_length=32, null=True)

    class Meta:
        indexes = ((("scope", "pos_product_id"), True),)


# Why a WooCommerce product is due to take its POS values (`WooOverwrite.cause`).
OVERWRITE_IMPORT = "import"
OVERWRITE_LIVE_LINK = "live_link"
OVERWRITE_STOCK_LINK = "stock_link"  # linked by SKU by the stock master (schema v8)


class WooOverwrite(LedgerModel):
    """A WooCommerce product linked by SKU to a POS product that already existed: it is
    due to take the POS name, price and stock (the one queue of that step, schema v6:
    an import's links and live orders' alike)."""

    scope = peewee.IntegerField()
    wc_product_id = peewee.BigIntegerField()
    wc_variation_id = peewee.BigIntegerField(default=0)
    pos_product_id = peewee.CharField(max_length=64)
    sku = peewee.CharField(max_length=255, null=True)  # WooCommerce's own SKU
    prices_include_tax = peewee.BooleanField(default=False)  # as the order said
    cause = peewee.CharField(max_length=16, default=OVERWRITE_LIVE_LINK)
    due_at = peewee.DoubleField()
    attempts = peewee.IntegerField(default=0)
    next_attempt_at = peewee.DoubleField(default=0.0)
    last_error = peewee.TextField(null=True)
    # The backup holding the WooCommerce values replaced; set once they are saved.
    backup = peewee.ForeignKeyField(Backup, null=True, backref="live_overwrites")
    backup_id: int | None
    done_at = peewee.DoubleField(null=True)  # overwritten, or given up (last_error)

    class Meta:
        indexes = (
            (("scope", "wc_product_id", "wc_variation_id"), True),
            (("done_at", "next_attempt_at"), False),
        )


SCHEMA_V4 = (PosPrice, WooOverwrite)


# -- signed-request replay guard and cross-process locks (schema v5) ---------------


class UsedSignature(LedgerModel):
    """A v2 signature already used on a POST: refused again until it expires.

    Kept in the ledger because the web workers are separate processes (and may be on
    several hosts): a replay must be refused whichever worker it reaches.
    """

    # Our own hex HMAC of the request, whatever else its signature header held.
    signature = peewee.CharField(max_length=64, unique=True)
    # When the row may go: the timestamp's 300 s window plus a margin for clocks that
    # differ between hosts (agent/ledger/signatures.py).
    expires_at = peewee.DoubleField(index=True)


class LedgerLock(LedgerModel):
    """A named lock held under a lease, across processes and hosts (e.g. the OAuth
    refresh): taken by a conditional UPDATE, so no transaction stays open while held.
    Taken, renewed and released through agent/ledger/locks.py only."""

    name = peewee.CharField(max_length=128, unique=True)
    owner = peewee.CharField(max_length=64, null=True)
    expires_at = peewee.DoubleField(default=0.0)


SCHEMA_V5 = (UsedSignature, LedgerLock)


def rows(query: peewee.BaseQuery) -> Iterable[tuple[Any, ...]]:
    """A query's result as plain tuples (typed for mypy; peewee's stubs say models)."""
    return cast(Iterable[tuple[Any, ...]], query.tuples())
