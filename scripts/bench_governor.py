"""Benchmark the rate governor against the POS emulator.

Clients push requests as fast as the governor lets them for N seconds against the
emulator with the window compressed to 350 requests per 10 s (one register), then print
how close they came to the ceiling and how many 429s each window saw.
Targets (issue 3): ratio >= 0.95 of the ceiling, <= 1 429 per window.

    .venv/bin/python scripts/bench_governor.py [--seconds 60] [--threads 2] [--window 10]
"""

from __future__ import annotations

import argparse
import threading
import time

from agent.emulators.pos import PosEmulator
from agent.pos import BearerToken, PosClient, PosError, RateGovernor

TOKEN = "bench-token"


def main() -> int:
    """Run the benchmark and print its figures; exit 1 if a target was missed."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--window", type=float, default=10.0)
    parser.add_argument("--registers", type=int, default=1)
    args = parser.parse_args()

    with PosEmulator(TOKEN, registers=args.registers, window=args.window) as emulator:
        governor = RateGovernor(registers=args.registers, window=args.window)
        client = PosClient(emulator.base_url, BearerToken(TOKEN), governor=governor)
        errors: list[str] = []
        deadline = time.monotonic() + args.seconds

        def push() -> None:
            while time.monotonic() < deadline:
                try:
                    client.outlets()
                except PosError as exc:
                    errors.append(str(exc))

        started = time.monotonic()
        started_wall = time.time()
        workers = [threading.Thread(target=push) for _ in range(args.threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - started
        ended_wall = started_wall + elapsed
        windows = emulator.rate_limit_windows()
        client.close()

    accepted = sum(int(w["accepted"]) for w in windows)
    refused = [int(w["refused"]) for w in windows]
    ceiling = emulator.limit / args.window
    rate = accepted / elapsed
    ratio = rate / ceiling
    print(f"duration            {elapsed:.1f} s, {args.threads} threads")
    print(f"budget              {emulator.limit} requests / {args.window:g} s")
    print(f"requests answered   {accepted}")
    print(f"achieved rate       {rate:.2f} req/s (ceiling {ceiling:.2f} req/s)")
    print(f"ratio               {ratio:.3f} (target >= 0.95)")
    print(
        f"windows             {len(windows)}: accepted {[w['accepted'] for w in windows]}"
    )
    full = [w for w in windows if float(w["started_at"]) + args.window <= ended_wall]
    if full:
        mean = sum(int(w["accepted"]) for w in full) / len(full)
        print(
            f"full windows        {len(full)}, mean {mean:.1f} accepted "
            f"({100 * mean / emulator.limit:.1f} % of the budget)"
        )
    print(
        f"429s per window     max {max(refused, default=0)}, total {sum(refused)} "
        "(target <= 1 per window)"
    )
    print(f"client errors       {len(errors)}")
    ok = ratio >= 0.95 and max(refused, default=0) <= 1
    print("targets met" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
