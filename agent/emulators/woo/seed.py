"""A plausible store from a seed: a catalogue and a history of orders.

Products: every 7th one variable (sizes S, M, L as variations), every 4th zero-rated
(the rest pay 15 % tax), most managing stock. SKUs are `SKU-0001`, variations
`SKU-0007-S`. Orders: created over the past 90 days, 1–4 lines, a realistic mix of
statuses, some with shipping, fees, coupons, partial refunds; a few in the trash.
Seeding goes through the same order operations as the admin endpoints, with the
store's clock set to each order's own past moment.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime, timedelta
from decimal import Decimal

from agent.emulators.woo.catalog import Catalog
from agent.emulators.woo.order_changes import OrderChanges
from agent.emulators.woo.order_specs import ChargeSpec, CouponSpec, LineSpec, OrderSpec
from agent.emulators.woo.orders import cents
from agent.emulators.woo.store import Store

ADJECTIVES = ("Classic", "Organic", "Vintage", "Merino", "Linen", "Canvas", "Ceramic")
NOUNS = ("Tee", "Hoodie", "Mug", "Tote", "Cap", "Scarf", "Notebook", "Candle", "Socks")
SIZES = ("S", "M", "L")
STATUS_WEIGHTS = {
    "completed": 45,
    "processing": 22,
    "on-hold": 5,
    "pending": 6,
    "cancelled": 8,
    "refunded": 5,
    "failed": 4,
}
PAYMENT_METHODS = ("stripe", "stripe", "paypal", "bacs", "cod")
HISTORY_DAYS = 90


def seed_products(store: Store, count: int, rng: random.Random) -> None:
    """`count` products (variable ones get three variations), made before any order."""
    catalog = store.catalog
    real_clock = store.clock
    store.clock = _frozen(store.now() - timedelta(days=HISTORY_DAYS + 10))
    try:
        _make_products(catalog, count, rng)
    finally:
        store.clock = real_clock


def _make_products(catalog: Catalog, count: int, rng: random.Random) -> None:
    for i in range(1, count + 1):
        name = f"{rng.choice(ADJECTIVES)} {rng.choice(NOUNS)} {i}"
        price = f"{rng.randint(5, 120)}.{rng.choice(('00', '50', '95'))}"
        managed = rng.random() < 0.8
        fields = {
            "name": name,
            "sku": f"SKU-{i:04d}",
            "regular_price": price,
            "tax_class": "zero-rate" if i % 4 == 0 else "",
            "manage_stock": managed,
            "stock_quantity": rng.randint(20, 80),
        }
        if i % 7 == 0:
            parent = catalog.create({**fields, "type": "variable", "regular_price": ""})
            for size in SIZES:
                catalog.create(
                    {
                        "sku": f"SKU-{i:04d}-{size}",
                        "regular_price": price,
                        "tax_class": fields["tax_class"],
                        "manage_stock": managed,
                        "stock_quantity": rng.randint(5, 30),
                        "attributes": [{"name": "Size", "option": size}],
                    },
                    parent=parent,
                )
        else:
            catalog.create(fields)


def _order_spec(store: Store, rng: random.Random, created: datetime) -> OrderSpec:
    sellable = [
        p
        for p in store.catalog.products.values()
        if p.type in ("simple", "variation") and p.regular_price
    ]
    lines = []
    for product in rng.sample(sellable, k=min(len(sellable), rng.randint(1, 4))):
        lines.append(
            LineSpec(
                product_id=product.parent_id or product.id,
                variation_id=product.id if product.parent_id else 0,
                name=product.name,
                quantity=rng.choice((1, 1, 1, 2, 3)),
                unit_price=Decimal(product.regular_price),
                discount=Decimal(0),
                tax_rate=product.tax_rate,
            )
        )
    lines_value = sum((li.unit_price * li.quantity for li in lines), Decimal(0))
    shipping = []
    if rng.random() < 0.6:
        rate = Decimal("0.15") if rng.random() < 0.5 else Decimal(0)
        cost = Decimal(rng.choice(("5.00", "7.50", "12.00")))
        shipping.append(ChargeSpec("Flat rate", "flat_rate", cost, rate))
    fees = []
    if rng.random() < 0.1:
        fees.append(ChargeSpec("Gift wrap", "", Decimal("3.50"), Decimal(0)))
    coupons = []
    if rng.random() < 0.15:
        coupons.append(CouponSpec("WELCOME10", cents(lines_value / 10)))
    status = rng.choices(list(STATUS_WEIGHTS), weights=list(STATUS_WEIGHTS.values()))[0]
    return OrderSpec(
        status=status,
        currency="USD",
        payment_method=rng.choice(PAYMENT_METHODS),
        date_created=created,
        line_items=lines,
        shipping_lines=shipping,
        fee_lines=fees,
        coupon_lines=coupons,
    )


def _frozen(moment: datetime) -> Callable[[], datetime]:
    return lambda: moment


def seed_orders(store: Store, count: int, rng: random.Random) -> None:
    """`count` past orders, oldest first (ids grow with time, as in a real store)."""
    if count and not store.catalog.products:
        raise ValueError("seeded orders need products: pass products >= 1")
    real_clock = store.clock
    now = store.now()
    moments = sorted(
        now - timedelta(seconds=rng.randint(3600, HISTORY_DAYS * 86400))
        for _ in range(count)
    )
    unused = OrderChanges()  # seeding is history: nothing is forwarded
    try:
        for created in moments:
            store.clock = _frozen(created)
            spec = _order_spec(store, rng, created)
            final = spec.status or "processing"
            if final == "refunded":
                spec.status = "completed"
            order = store.orders.create(spec, unused)
            later = min(now, created + timedelta(minutes=rng.randint(1, 2880)))
            store.clock = _frozen(later)
            if final == "refunded":
                store.orders.refund(order, order.total, "Customer request", unused)
            elif final == "completed" and rng.random() < 0.05:
                line = order.line_items[0]
                partial = min(line.total + line.total_tax, order.total)
                store.orders.refund(order, partial, "Damaged item", unused)
            else:
                order.date_modified = later
            if rng.random() < 0.03:
                store.orders.trash(order, unused)
    finally:
        store.clock = real_clock
