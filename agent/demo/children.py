"""The processes the demo starts, and stopping every one of them.

Each background child (`tillsync emulate pos`, `tillsync emulate woo`, `tillsync serve`)
runs in its own session, writes to its own log file under `<data dir>/logs/`, and is
stopped by the demo itself: SIGTERM, a grace period, then SIGKILL to its whole process
group (gunicorn's workers and the scheduler included). Ctrl-C therefore reaches only
the demo, which then stops the children in reverse order and says so.
"""

from __future__ import annotations

import contextlib
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

STOP_GRACE_SECONDS = 15.0
LISTENING = re.compile(r"(?:listening|serving) on (http://127\.0\.0\.1:\d+)")


class ChildFailed(Exception):
    """A child process died or never became ready; the message ends with its log."""


def tillsync_command(*args: str) -> list[str]:
    """The command line of `tillsync ARGS` with this very interpreter."""
    return [sys.executable, "-m", "agent", *args]


class Child:
    """One background `tillsync …` process and its log file."""

    def __init__(
        self, name: str, args: list[str], env: Mapping[str, str], cwd: Path
    ) -> None:
        self.name = name
        self.log_path = cwd / "logs" / f"{name}.log"
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("wb") as log:
            self.process = subprocess.Popen(
                tillsync_command(*args),
                env=dict(env),
                cwd=cwd,
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    @property
    def pid(self) -> int:
        """The child's process id (also its process group id)."""
        return self.process.pid

    def alive(self) -> bool:
        """True while the process runs."""
        return self.process.poll() is None

    def check(self) -> None:
        """ChildFailed if the process has died."""
        if not self.alive():
            raise self.failure(f"exited with status {self.process.returncode}")

    def tail(self, lines: int = 15) -> str:
        """The end of the child's log, for an error message."""
        try:
            text = self.log_path.read_text(encoding="utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])

    def failure(self, what: str) -> ChildFailed:
        """The error for `what` went wrong, with the log's last lines."""
        return ChildFailed(
            f"{self.name} {what}; its log {self.log_path} ends:\n{self.tail()}"
        )

    def wait_listening(self, timeout: float = 30.0) -> str:
        """The `http://127.0.0.1:<port>` the child announced once it accepts."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = LISTENING.search(self.log_path.read_text(errors="replace"))
            if found:
                return found.group(1)
            self.check()
            time.sleep(0.05)
        raise self.failure(f"did not start listening within {timeout:.0f} s")

    def stop(self, grace: float = STOP_GRACE_SECONDS) -> int | None:
        """SIGTERM, wait up to `grace`, then SIGKILL the whole group; exit status."""
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            with contextlib.suppress(subprocess.TimeoutExpired):
                self.process.wait(timeout=grace)
        # Whatever is left in the group (a gunicorn worker, the scheduler) goes too.
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(self.process.pid, signal.SIGKILL)
        return self.process.wait()


class Children:
    """Every child the demo started; `stop_all` stops them newest first."""

    def __init__(self) -> None:
        self.started: list[Child] = []

    def start(
        self, name: str, args: list[str], env: Mapping[str, str], cwd: Path
    ) -> Child:
        """Start `tillsync ARGS` in the background as `name`."""
        child = Child(name, args, env, cwd)
        self.started.append(child)
        return child

    def check_alive(self) -> None:
        """ChildFailed if any child has died."""
        for child in self.started:
            child.check()

    def stop_all(self) -> list[str]:
        """Stop every child, newest first; one line per child for the terminal."""
        lines = []
        while self.started:
            child = self.started.pop()
            status = child.stop()
            lines.append(f"stopped {child.name} (pid {child.pid}, exit {status})")
        return lines
