"""PHP-FPM serving a test WordPress over a unix socket, as a production host runs it.

PHP's built-in server has no fastcgi_finish_request(); under PHP-FPM the plugin answers the
visitor first and delivers its events after. This runs the same site's files and database
through a PHP-FPM pool (Debian's php-fpm package, its php.ini with OPcache on), and talks to
it with the FastCGI client in fastcgi.py the way nginx would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

from fastcgi import FastCgiError, FastCgiResponse, fastcgi_request
from wp_site import WordPressSite, stop_process_group

PING_PATH = "/tillsync-fpm-ping"


def php_fpm_binary() -> str:
    """Debian's php-fpm (it is installed as php-fpm<version>)."""
    found = shutil.which("php-fpm") or next(
        (str(p) for p in sorted(Path("/usr/sbin").glob("php-fpm*"))), None
    )
    if found is None:
        raise AssertionError("php-fpm is not installed (Debian package php-fpm)")
    return found


@dataclass
class PhpFpm:
    """A PHP-FPM master with one static pool for `site`, in its own process group."""

    site: WordPressSite
    workers: int = 4
    process: subprocess.Popen | None = None

    @property
    def socket_path(self) -> Path:
        """Where the pool listens."""
        return self.site.workdir / "php-fpm.sock"

    @property
    def log(self) -> Path:
        """The master's log (workers' PHP errors go to WordPress' debug log)."""
        return self.site.workdir / "php-fpm.log"

    def _config(self) -> str:
        work = self.site.workdir
        return f"""[global]
pid = {work / "php-fpm.pid"}
error_log = {self.log}
daemonize = no

[tillsync]
listen = {self.socket_path}
listen.mode = 0600
pm = static
pm.max_children = {self.workers}
ping.path = {PING_PATH}
ping.response = pong
catch_workers_output = yes
php_admin_value[memory_limit] = 512M
"""

    def start(self, timeout: float = 20) -> None:
        """Start the pool and wait until it answers its ping."""
        config = self.site.workdir / "php-fpm.conf"
        config.write_text(self._config())
        self.socket_path.unlink(missing_ok=True)
        log = self.log.open("ab")
        command = [php_fpm_binary(), "--nodaemonize", "--fpm-config", str(config)]
        if os.geteuid() == 0:
            command.append("--allow-to-run-as-root")  # CI and the dev machines are root
        self.process = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"php-fpm exited:\n{self.log.read_text()}")
            if self.socket_path.exists():
                try:
                    ping = fastcgi_request(
                        str(self.socket_path),
                        {
                            "SCRIPT_NAME": PING_PATH,
                            "SCRIPT_FILENAME": PING_PATH,
                            "REQUEST_METHOD": "GET",
                        },
                        timeout=5,
                    )
                    if ping.body.strip() == b"pong":
                        return
                except (OSError, FastCgiError):
                    pass
            time.sleep(0.05)
        raise AssertionError(f"php-fpm never answered:\n{self.log.read_text()}")

    def stop(self) -> None:
        """Stops the master and its workers (the whole process group)."""
        stop_process_group(self.process)
        self.process = None

    def get(
        self,
        path: str = "/",
        query: dict[str, str] | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> FastCgiResponse:
        """A GET as nginx passes it to WordPress (front controller unless a .php is named)."""
        script = path if path.endswith(".php") else "/index.php"
        query_string = urlencode(query or {})
        params = {
            "GATEWAY_INTERFACE": "CGI/1.1",
            "SERVER_SOFTWARE": "tillsync-tests",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REQUEST_METHOD": "GET",
            "REQUEST_SCHEME": "http",
            "REQUEST_URI": path + (f"?{query_string}" if query_string else ""),
            "QUERY_STRING": query_string,
            "DOCUMENT_ROOT": str(self.site.root),
            "DOCUMENT_URI": script,
            "SCRIPT_NAME": script,
            "SCRIPT_FILENAME": str(self.site.root) + script,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_ADDR": "127.0.0.1",
            "SERVER_PORT": str(self.site.port),
            "REMOTE_ADDR": "127.0.0.1",
            "REMOTE_PORT": "40000",
            "HTTP_HOST": f"127.0.0.1:{self.site.port}",
            "CONTENT_TYPE": "",
            "CONTENT_LENGTH": "",
        }
        for name, value in (headers or {}).items():
            params["HTTP_" + name.upper().replace("-", "_")] = value
        return fastcgi_request(str(self.socket_path), params, timeout=timeout)

    def drive(self, action: str, **params: str) -> FastCgiResponse:
        """The store driver mu-plugin, through PHP-FPM (see WordPressSite.drive)."""
        query = {"tillsync_test": action, "token": self.site.driver_token, **params}
        return self.get("/", query)
