#!/usr/bin/env python3
"""What the safety-net poll costs WooCommerce: requests per hour, idle and busy.

Runs the real poll (agent/sync/poll.py) against the WooCommerce emulator on loopback,
with the emulator's clock simulated so that an hour of a store passes in seconds: orders
are placed at a steady rate between polls, each poll reads what changed, and the
emulator's request log counts the list requests. The POS is never involved (the poll
costs WooCommerce requests only). Nothing is pushed, so every found order stays
pending; a pushed order would be compared by hash and cost the same single read.

    .venv/bin/python scripts/bench_poll.py [--interval 300] [--hours 1]

`print_poll_cost()` prints the same table for scripts/bench_push.py.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from agent.emulators.woo import WooEmulator
from agent.ledger.db import ledger_db, open_ledger
from agent.ledger.epochs import open_epoch
from agent.sync.poll import OVERLAP_SECONDS, Poller
from agent.woo import WooClient

KEY, SECRET = "ck_bench", "cs_bench"


class SimulatedClock:
    """The emulator's clock, moved by the benchmark."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now


@dataclass
class Cost:
    """One scenario's figures per simulated hour."""

    scenario: str
    polls: int
    requests: int
    orders_read: int
    queued: int


def measure(
    scenario: str,
    new_per_hour: int,
    completed_per_hour: int = 0,
    interval: int = 300,
    hours: int = 1,
) -> Cost:
    """Run `hours` of polls every `interval` s while orders arrive; count requests.

    A first, unmeasured hour of the same traffic comes before, so that the measured
    hours complete orders placed earlier (each completion moves `date_modified`).
    """
    clock = SimulatedClock(datetime.now(UTC).replace(microsecond=0) - timedelta(days=2))
    with (
        tempfile.TemporaryDirectory() as tmp,
        WooEmulator(KEY, SECRET, products=5, seed=1, clock=clock) as woo,
    ):
        db = open_ledger(f"sqlite:///{tmp}/ledger.db")
        open_epoch("bench-store", "register", "outlet", now=clock.now.timestamp())
        product_id = int(woo.products()[0]["id"])
        poller = Poller(WooClient(woo.base_url, KEY, SECRET))
        placed: list[int] = []
        polls_per_hour = 3600 // interval
        arrivals = new_per_hour * interval // 3600
        completions = completed_per_hour * interval // 3600
        listed = queued = read = 0
        for poll in range((hours + 1) * polls_per_hour):
            if poll == polls_per_hour:  # the warm-up hour is over
                listed = len(_list_requests(woo))
                queued = read = 0
            start = clock.now
            earlier = placed[: max(0, len(placed) - arrivals)]
            due = earlier[:completions] if poll >= polls_per_hour else []
            events = arrivals + len(due)
            for i in range(events):
                clock.now = start + timedelta(seconds=(i + 1) * interval / (events + 1))
                if i < len(due):
                    woo.update_order(due[i], {"status": "completed"})
                    placed.remove(due[i])
                else:
                    spec = {
                        "status": "processing",
                        "line_items": [{"product_id": product_id, "quantity": 1}],
                    }
                    placed.append(int(woo.create_order(spec)["id"]))
            clock.now = start + timedelta(seconds=interval)
            report = poller.run_pass()
            queued += len(report.queued)
            read += report.seen
        requests = len(_list_requests(woo)) - listed
        db.close()
        ledger_db.initialize(None)
    return Cost(
        scenario, polls_per_hour, requests // hours, read // hours, queued // hours
    )


def _list_requests(woo: WooEmulator) -> list[dict]:
    return [r for r in woo.request_log if r.get("route") == "/orders"]


def print_poll_cost(interval: int = 300, hours: int = 1) -> list[Cost]:
    """Measure and print the poll's WooCommerce cost per hour (idle and busy)."""
    costs = [
        measure("idle store", 0, interval=interval, hours=hours),
        measure("1,000 new orders/hour", 1000, interval=interval, hours=hours),
        measure(
            "1,000 new + 1,000 completed/hour",
            1000,
            1000,
            interval=interval,
            hours=hours,
        ),
    ]
    print(
        f"safety-net poll every {interval} s (overlap {OVERLAP_SECONDS:.0f} s, "
        "100 orders per page), WooCommerce cost per hour; the POS is never asked:"
    )
    print(f"  {'scenario':34} {'requests':>9} {'orders read':>12} {'queued':>7}")
    for cost in costs:
        print(
            f"  {cost.scenario:34} {cost.requests:>9} {cost.orders_read:>12} "
            f"{cost.queued:>7}"
        )
    return costs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--interval", type=int, default=300)
    parser.add_argument("--hours", type=int, default=1)
    args = parser.parse_args()
    print_poll_cost(args.interval, args.hours)


if __name__ == "__main__":
    main()
