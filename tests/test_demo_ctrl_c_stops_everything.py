"""Without --once the demo keeps selling until Ctrl-C; Ctrl-C (SIGINT, or SIGTERM) stops
every process it started — emulators, sidecar, gunicorn workers, scheduler — prints the
summary, exits 0 and removes its temporary folder."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import threading
import time
from pathlib import Path

import psutil
import pytest
from processes import start_tillsync

ARGS = ["demo", "--orders", "3", "--history", "5", "--products", "20", "--window", "5"]


def _start() -> tuple[subprocess.Popen, list[str]]:
    # Blank TILLSYNC_* as a merchant's shell might hold them; the demo ignores them.
    process = start_tillsync(
        ARGS, {k: "" for k in os.environ if k.startswith("TILLSYNC_")}
    )
    lines: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        lines.extend(process.stdout)

    threading.Thread(target=read, daemon=True).start()
    return process, lines


def _wait_for(lines: list[str], pattern: str, process: subprocess.Popen) -> str:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        for line in list(lines):
            if re.search(pattern, line):
                return line
        if process.poll() is not None:
            break
        time.sleep(0.1)
    raise AssertionError(f"never saw {pattern!r}:\n{''.join(lines)}")


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM])
def test_ctrl_c_stops_every_process_it_started(stop_signal: signal.Signals):
    process, lines = _start()
    try:
        first = _wait_for(lines, r"data in ", process)
        data_dir = Path(re.search(r"data in (\S+)", first).group(1))
        _wait_for(lines, r"from now on an order every", process)
        # Two running-summary lines later it is selling on its own.
        _wait_for(lines, r"^\s+\d+ live orders placed .*POS requests", process)
        descendants = psutil.Process(process.pid).children(recursive=True)
        names = " ".join(" ".join(p.cmdline()) for p in descendants)
        assert "emulate pos" in names and "emulate woo" in names
        assert "gunicorn" in names and "agent worker" in names
        assert len(descendants) >= 6  # 2 emulators, serve, gunicorn + 2 workers, worker

        process.send_signal(stop_signal)
        assert process.wait(timeout=60) == 0, "".join(lines)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
    time.sleep(0.2)  # let the reader thread drain the pipe
    output = "".join(lines)
    gone = psutil.wait_procs(descendants, timeout=5)[1]
    assert gone == [], [p.cmdline() for p in gone]
    assert (
        len(re.findall(r"stopped (?:sidecar|pos-emulator|woo-emulator)", output)) == 3
    )
    assert "\nsummary\n" in output and "POS requests used:" in output
    assert not data_dir.exists()
