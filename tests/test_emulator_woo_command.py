"""`python -m agent.emulators.woo` (the `tillsync emulate woo` command) as a process."""

from __future__ import annotations

import re
import signal
import subprocess
import sys

import requests

from agent.woo import WooClient

KEY, SECRET = "ck_cmd", "cs_cmd"


def start(*args: str) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "agent.emulators.woo", *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def test_prints_one_line_serves_and_stops_on_sigterm() -> None:
    process = start(
        "--port", "0", "--key", KEY, "--secret", SECRET, "--orders", "12",
        "--products", "4", "--seed", "5",
    )  # fmt: skip
    try:
        assert process.stdout is not None
        line = process.stdout.readline()
        match = re.fullmatch(r"listening on (http://127\.0\.0\.1:(\d+))\n", line)
        assert match, line
        base_url = match.group(1)
        assert int(match.group(2)) > 0
        client = WooClient(base_url, KEY, SECRET)
        assert sum(len(page.items) for page in client.orders(status="any,trash")) == 12
        refused = requests.get(
            f"{base_url}/wp-json/wc/v3/orders", auth=(KEY, SECRET), timeout=10
        )
        assert refused.status_code == 401  # Basic on plain http without --trust-basic
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=15)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    assert process.returncode == 0, err
    assert out == ""  # nothing after the one line


def test_trust_basic_flag_accepts_basic() -> None:
    process = start("--port", "0", "--key", KEY, "--secret", SECRET, "--trust-basic")
    try:
        assert process.stdout is not None
        base_url = process.stdout.readline().split()[-1]
        answer = requests.get(
            f"{base_url}/wp-json/wc/v3/orders", auth=(KEY, SECRET), timeout=10
        )
        assert answer.status_code == 200
        assert answer.json() == []
    finally:
        process.terminate()
        process.communicate(timeout=15)


def test_bad_arguments_are_a_usage_error() -> None:
    for args in (
        ["--key", "bad key", "--secret", SECRET],
        ["--key", KEY, "--secret", SECRET, "--hook-url", "http://127.0.0.1:1/h"],
        ["--key", KEY, "--secret", SECRET, "--orders", "3"],
    ):
        process = start(*args)
        out, err = process.communicate(timeout=15)
        assert process.returncode == 2, (args, err)
        assert out == ""
        assert "Error:" in err
