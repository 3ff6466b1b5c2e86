"""`python -m agent.emulators.pos` (README, 'Commands'): one line once listening, clean stop."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import pytest
import requests


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "agent.emulators.pos", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
def test_prints_one_line_serves_and_stops_cleanly(stop_signal):
    process = start(
        "--port",
        "0",
        "--token",
        "T",
        "--products",
        "2",
        "--seed",
        "1",
        "--registers",
        "2",
        "--window",
        "60",
    )
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert match, line
        base = match.group(1)
        answer = requests.get(
            f"{base}/api/2.0/products",
            timeout=10,
            headers={"Authorization": "Bearer T"},
        )
        assert [p["sku"] for p in answer.json()["data"]] == ["EMU-0001", "EMU-0002"]
        assert answer.headers["X-RateLimit-Limit"] == "650"
        process.send_signal(stop_signal)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 0, err
        assert out == ""  # exactly one line in all
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()


@pytest.mark.parametrize(
    "args",
    [
        ("--port", "0"),
        ("--token", "T"),
        ("--port", "0", "--token", "T", "--fault-5xx", "1.5"),
    ],
)
def test_usage_errors_exit_2(args):
    process = start(*args)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 2
    assert "Error" in err
