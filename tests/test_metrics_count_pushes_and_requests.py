"""The scheduler's pusher counts every push by result, and every POS and WooCommerce
request by endpoint and status — the same numbers the emulators saw."""

from __future__ import annotations

from collections import Counter

from prometheus_client import REGISTRY
from sync_world import World


def _samples(name: str) -> Counter:
    """Every sample of a counter family, by its labels."""
    found: Counter = Counter()
    for family in REGISTRY.collect():
        for sample in family.samples:
            if sample.name == name:
                found[tuple(sorted(sample.labels.items()))] += sample.value
    return found


def test_pushes_and_requests_are_counted_as_the_emulators_saw_them(world: World):
    world.connect()
    world.product("CUP-1", "4.00")
    world.product("CUP-2", "6.00")
    pushes, pos, woo = (
        _samples("tillsync_pushes_total"),
        _samples("tillsync_pos_requests_total"),
        _samples("tillsync_woo_requests_total"),
    )
    world.pos.reset_counters()
    world.woo.clear_log()

    paid = [world.order([{"sku": "CUP-1", "quantity": 1}]) for _ in range(3)]
    world.order([{"sku": "CUP-2", "quantity": 1}], status="on-hold")
    cancelled = world.order([{"sku": "CUP-2", "quantity": 1}], status="cancelled")
    report = world.push()
    assert report.sent == 3, world.explain()
    assert world.ledger(cancelled).state == "skipped"

    pushed = _samples("tillsync_pushes_total") - pushes
    assert pushed == Counter(
        {
            (("result", "sent"),): 3,
            (("result", "waiting"),): 1,
            (("result", "skipped"),): 1,
        }
    )
    counted_pos = _samples("tillsync_pos_requests_total") - pos
    seen_pos = Counter(
        (("endpoint", r.endpoint), ("status", str(r.status)))
        for r in world.pos.request_log()
    )
    assert counted_pos == seen_pos
    assert sum(counted_pos.values()) >= len(paid)
    counted_woo = _samples("tillsync_woo_requests_total") - woo
    rest_calls = sum(
        n
        for route, n in world.woo.counters.items()
        if route != "admin" and not route.startswith("hook")
    )
    assert sum(counted_woo.values()) == rest_calls >= 1
    # Orders, then CUP-1's first live link by SKU: its values read, then overwritten.
    assert {dict(k)["endpoint"] for k in counted_woo} == {
        "GET orders",
        "GET products",
        "POST products/batch",
    }


def test_a_transient_failure_counts_as_retrying(world: World):
    world.connect()
    world.product("CUP-3", "4.00")
    before = _samples("tillsync_pushes_total")
    world.pos.set_faults(fault_5xx=1.0)
    world.order([{"sku": "CUP-3", "quantity": 1}])
    world.push()
    world.pos.set_faults(fault_5xx=0.0)
    assert _samples("tillsync_pushes_total") - before == Counter(
        {(("result", "retrying"),): 1}
    )
