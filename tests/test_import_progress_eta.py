"""The import's progress bar: its ETA comes from the POS rate limit (one sale request
per order within `limit` requests per window); off a terminal it prints plain lines,
sparingly, and always the final state."""

from __future__ import annotations

import io

from agent.progress import Progress, eta_from_rate_limit, format_duration


def test_eta_is_the_orders_left_over_the_budget():
    assert eta_from_rate_limit(700, limit=350, window=300) == 600.0
    assert eta_from_rate_limit(0, limit=350, window=300) == 0.0
    assert format_duration(600) == "10m00s"
    assert format_duration(3725) == "1h02m"
    assert format_duration(42.4) == "42s"


def test_plain_lines_off_a_terminal():
    now = [0.0]
    out = io.StringIO()
    bar = Progress(out, interactive=False, quiet_interval=30, clock=lambda: now[0])
    bar.start("pushing", 200)
    for done in range(1, 201):
        now[0] += 0.5
        bar.update(done, eta=eta_from_rate_limit(200 - done, 350, 300))
    bar.finish()
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("pushing [") and "1/200  ETA 2m51s" in lines[0]
    assert len(lines) == 5  # at 0.5 s, then every 30 s, then the end
    assert lines[-1].endswith("100% 200/200  ETA 0s")


def test_a_terminal_redraws_in_place():
    out = io.StringIO()
    bar = Progress(out, interactive=True)
    bar.start("reading orders", 300)
    bar.update(100)
    bar.update(300)
    bar.finish()
    text = out.getvalue()
    assert text.count("\r") == 2 and text.endswith("\n")
    assert "33%" in text and "100% 300/300" in text
