"""How WooCommerce 7.8 moves stock for an order, function for function.

- `reduce_levels` (wc_reduce_stock_levels): each product line whose product (or
  variation) manages stock, in a store that manages stock, loses the line's quantity,
  and keeps what it took in its `_reduced_stock` meta; a line that already has it is
  skipped. The order runs it once: `OrderBook` marks the order (`_order_stock_reduced`)
  when it becomes on-hold, processing or completed, whether or not anything moved.
- `increase_levels` (wc_increase_stock_levels): when the order becomes cancelled or
  pending, each line gives back its `_reduced_stock` and loses the meta.
- `restock_refunded` (wc_restock_refunded_items): a refund that restocks raises the
  stock by the refunded quantity of each line that took stock, lowers its
  `_reduced_stock`, adds the quantity to its `_restock_refunded_items`, and says so in a
  note per line ("Item #<product id> stock increased from <old> to <new>.").
- `adjust_line` (wc_maybe_adjust_line_item_product_stock): an admin edit of a line's
  quantity (0: the line is removed) moves stock by the difference, so the line's
  `_reduced_stock` equals its quantity minus what refunds restocked.

Meta values are strings, as WordPress reads them back; `stock_amount` reads them the way
wc_stock_amount() does (a whole number, 0 when absent).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING

from agent.emulators.woo.orders import ItemMeta, LineItem, Order

if TYPE_CHECKING:
    from agent.emulators.woo.catalog import Product
    from agent.emulators.woo.store import Store

HOLDING_STATUSES = ("on-hold", "processing", "completed")  # stock leaves the shelf
RESTORING_STATUSES = ("cancelled", "pending")  # stock comes back
REDUCED_META = "_reduced_stock"
RESTOCKED_META = "_restock_refunded_items"


def stock_amount(value: str | None) -> int:
    """A stock meta value as a whole number, like wc_stock_amount() (0 when blank)."""
    if not value:
        return 0
    try:
        return int(Decimal(value))
    except InvalidOperation:
        return 0


def set_meta(store: Store, line: LineItem, key: str, value: int) -> None:
    """update_meta_data(): change the entry in place (same id), or add one."""
    for meta in line.meta:
        if meta.key == key:
            meta.value = str(value)
            return
    line.meta.append(ItemMeta(store.next_meta_id(), key, str(value)))


def _delete_meta(line: LineItem, key: str) -> None:
    line.meta = [m for m in line.meta if m.key != key]


def stocked_product(store: Store, line: LineItem) -> Product | None:
    """The line's product or variation if it manages stock in a store that does."""
    product = store.catalog.get(line.variation_id or line.product_id)
    if product is None or not (store.manages_stock and product.manage_stock):
        return None
    return product


def formatted_name(product: Product) -> str:
    """WC_Product::get_formatted_name(): "Name (SKU)", or "Name (#id)" without one."""
    return f"{product.name} ({product.sku or f'#{product.id}'})"


def _move(store: Store, product: Product, delta: int) -> tuple[int, int]:
    """wc_update_product_stock(): (before, after) of a product known to be managed."""
    moved = store.catalog.adjust_stock(product, delta)
    assert moved is not None  # stocked_product() checked it manages stock
    return moved


def reduce_levels(store: Store, order: Order) -> str | None:
    """Take each line's quantity out of stock once; the note to add, if any moved."""
    if not store.manages_stock:
        return None
    changes = []
    for line in order.line_items:
        product = stocked_product(store, line)
        if product is None or stock_amount(line.get_meta(REDUCED_META)):
            continue
        before, after = _move(store, product, -line.quantity)
        set_meta(store, line, REDUCED_META, line.quantity)
        changes.append(f"{formatted_name(product)} {before}&rarr;{after}")
    return f"Stock levels reduced: {', '.join(changes)}" if changes else None


def increase_levels(store: Store, order: Order) -> str | None:
    """Give back what each line took; the note to add, if any moved."""
    if not store.manages_stock:
        return None
    changes = []
    for line in order.line_items:
        product = stocked_product(store, line)
        reduced = stock_amount(line.get_meta(REDUCED_META))
        if product is None or not reduced:
            continue
        before, after = _move(store, product, reduced)
        _delete_meta(line, REDUCED_META)
        changes.append(f"{formatted_name(product)} {before}&rarr;{after}")
    return f"Stock levels increased: {', '.join(changes)}" if changes else None


def restock_refunded(
    store: Store, order: Order, quantities: dict[int, int]
) -> list[str]:
    """Put refunded units (line id → quantity) back in stock; the notes to add."""
    notes = []
    for line in order.line_items:
        quantity = quantities.get(line.id, 0)
        product = stocked_product(store, line)
        reduced = stock_amount(line.get_meta(REDUCED_META))
        if not quantity or product is None or not reduced:
            continue
        before, after = _move(store, product, quantity)
        restocked = stock_amount(line.get_meta(RESTOCKED_META))
        set_meta(store, line, REDUCED_META, reduced - quantity)
        set_meta(store, line, RESTOCKED_META, restocked + quantity)
        notes.append(f"Item #{product.id} stock increased from {before} to {after}.")
    return notes


def adjust_line(
    store: Store, order: Order, line: LineItem, quantity: int | None = None
) -> None:
    """Move stock so the line holds `quantity` (default: its own; 0: it is removed)."""
    product = stocked_product(store, line)
    if product is None:
        return
    wanted = line.quantity if quantity is None else quantity
    reduced = stock_amount(line.get_meta(REDUCED_META))
    restocked = stock_amount(line.get_meta(RESTOCKED_META))
    diff = -reduced if wanted == 0 else wanted - restocked - reduced
    if diff == 0:
        return
    _move(store, product, -diff)
    set_meta(store, line, REDUCED_META, wanted - restocked)
    if wanted > 0:
        order.stock_reduced = True
