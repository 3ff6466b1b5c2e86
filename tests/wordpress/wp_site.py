"""A real WordPress on this machine for the plugin's tests and benchmark.

Debian's WordPress copied into a temporary folder (a symlinked tree would load Debian's
own wp-config.php), our own wp-config.php, a throw-away MariaDB database, and PHP's
built-in server with four workers in its own process group (one worker deadlocks as
soon as WordPress calls itself). (README, 'The WordPress plugin').
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import time
import uuid
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PLUGIN_SOURCE = REPO / "wp-plugin" / "tillsync-bridge"
MU_PLUGINS = HERE / "mu-plugins"
WORDPRESS_SOURCE = Path("/usr/share/wordpress")
PLUGIN_FILE = "tillsync-bridge/tillsync-bridge.php"
DB_HOST = os.environ.get("TILLSYNC_TEST_MYSQL_HOST", "127.0.0.1")
DB_PORT = int(os.environ.get("TILLSYNC_TEST_MYSQL_PORT", "3306"))
ADMIN = ("admin", "admin-password-0123")
SHOP_MANAGER = ("shopmanager", "manager-password-0123")
TEST_MU_PLUGINS = (
    "tillsync-test-woocommerce-shim.php",
    "tillsync-test-network-guard.php",
    "tillsync-test-driver.php",
    "tillsync-test-woo-key-mirror.php",
)


class PhpError(AssertionError):
    """A PHP snippet run against the site failed."""


def free_port() -> int:
    """An unused loopback TCP port."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def mysql(sql: str) -> str:
    """Run SQL as root on the test MariaDB server."""
    done = subprocess.run(
        ["mariadb", "--protocol=tcp", "-h", DB_HOST, "-P", str(DB_PORT), "-u", "root"],
        input=sql,
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    if done.returncode != 0:
        raise AssertionError(f"mariadb failed: {done.stderr}")
    return done.stdout


def _wp_config(site: WordPressSite) -> str:
    keys = "\n".join(
        f"define('{name}', '{secrets.token_hex(32)}');"
        for name in (
            "AUTH_KEY",
            "SECURE_AUTH_KEY",
            "LOGGED_IN_KEY",
            "NONCE_KEY",
            "AUTH_SALT",
            "SECURE_AUTH_SALT",
            "LOGGED_IN_SALT",
            "NONCE_SALT",
        )
    )
    extra = "\n".join(
        f"define('{name}', {json.dumps(value)});"
        for name, value in site.constants.items()
    )
    return f"""<?php
// Written by tests/wordpress/wp_site.py for one test session.
define('DB_NAME', '{site.db_name}');
define('DB_USER', 'root');
define('DB_PASSWORD', '');
define('DB_HOST', '{DB_HOST}:{DB_PORT}');
define('DB_CHARSET', 'utf8mb4');
define('DB_COLLATE', '');
{keys}
$table_prefix = 'wp_';
define('WP_HOME', '{site.url}');
define('WP_SITEURL', '{site.url}');
define('DISABLE_WP_CRON', true);
define('AUTOMATIC_UPDATER_DISABLED', true);
define('WP_AUTO_UPDATE_CORE', false);
define('FS_METHOD', 'direct');
define('WP_DEBUG', true);
define('WP_DEBUG_LOG', '{site.debug_log}');
define('WP_DEBUG_DISPLAY', false);
define('TILLSYNC_TEST_DRIVER_TOKEN', '{site.driver_token}');
{extra}
if (!defined('ABSPATH')) {{
    define('ABSPATH', __DIR__ . '/');
}}
require_once ABSPATH . 'wp-settings.php';
"""


def stop_process_group(process: subprocess.Popen | None) -> None:
    """SIGTERM a server's whole process group, SIGKILL it if it lingers."""
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


@dataclass
class WordPressSite:
    """One throw-away WordPress site with the plugin active and the WooCommerce shim."""

    workdir: Path
    port: int = field(default_factory=free_port)
    db_name: str = field(default_factory=lambda: f"tillsync_wp_{uuid.uuid4().hex[:10]}")
    driver_token: str = field(default_factory=lambda: secrets.token_hex(16))
    constants: dict[str, Any] = field(default_factory=dict)
    plugin_source: Path = PLUGIN_SOURCE
    process: subprocess.Popen | None = None

    @property
    def root(self) -> Path:
        """The WordPress folder (ABSPATH)."""
        return self.workdir / "site"

    @property
    def url(self) -> str:
        """Home and site URL."""
        return f"http://127.0.0.1:{self.port}"

    @property
    def debug_log(self) -> Path:
        """WP_DEBUG_LOG: notices, warnings and deprecations land here."""
        return self.workdir / "debug.log"

    @property
    def http_log(self) -> Path:
        """Every outbound HTTP request WordPress attempted (network guard mu-plugin)."""
        return self.workdir / "http.log"

    @property
    def server_log(self) -> Path:
        """PHP's built-in server's own output."""
        return self.workdir / "php-server.log"

    # -- building ----------------------------------------------------------------------

    def build(
        self, mu_plugins: Iterable[str] = TEST_MU_PLUGINS, *, with_plugin: bool = True
    ) -> None:
        """Database, files, install, plugin activated, a shop manager (about 2 s)."""
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.constants.setdefault("TILLSYNC_TEST_HTTP_LOG", str(self.http_log))
        mysql(f"CREATE DATABASE {self.db_name} CHARACTER SET utf8mb4")
        shutil.copytree(WORDPRESS_SOURCE, self.root, symlinks=True)
        self.write_config()
        # Installing needs no mu-plugins yet: they expect the tables to exist.
        self.php(
            f"""
            define('WP_INSTALLING', true);
            function wp_new_blog_notification() {{}}
            require '{self.root}/wp-load.php';
            require_once ABSPATH . 'wp-admin/includes/upgrade.php';
            $r = wp_install('Tillsync Test Shop', '{ADMIN[0]}', 'admin@example.test', false,
                '', '{ADMIN[1]}');
            update_option('show_avatars', 0);
            echo 'installed';
            """,
            load=False,
        )
        mu_dir = self.root / "wp-content" / "mu-plugins"
        mu_dir.mkdir(exist_ok=True)
        for name in mu_plugins:
            shutil.copy(MU_PLUGINS / name, mu_dir / name)
        if not with_plugin:
            return
        shutil.copytree(
            self.plugin_source, self.root / "wp-content" / "plugins" / "tillsync-bridge"
        )
        self.php(
            f"""
            require_once ABSPATH . 'wp-admin/includes/plugin.php';
            $result = activate_plugin('{PLUGIN_FILE}');
            if (is_wp_error($result)) {{ fwrite(STDERR, $result->get_error_message()); exit(1); }}
            wp_insert_user(['user_login' => '{SHOP_MANAGER[0]}',
                'user_pass' => '{SHOP_MANAGER[1]}', 'user_email' => 'manager@example.test',
                'role' => 'shop_manager']);
            echo 'activated';
            """
        )

    def write_config(self) -> None:
        """(Re)write wp-config.php from this site's settings and `constants`."""
        (self.root / "wp-config.php").write_text(_wp_config(self))

    def start(self, php_args: Iterable[str] = ()) -> None:
        """PHP's built-in server, four workers, its own process group."""
        log = self.server_log.open("ab")
        self.process = subprocess.Popen(
            ["php", *php_args, "-S", f"127.0.0.1:{self.port}", "-t", str(self.root)],
            env={**os.environ, "PHP_CLI_SERVER_WORKERS": "4"},
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(self.server_log.read_text())
            try:
                requests.get(f"{self.url}/wp-login.php", timeout=5)
                return
            except requests.ConnectionError:
                time.sleep(0.05)
        raise AssertionError("PHP's built-in server never answered")

    def stop(self) -> None:
        """Kills the server's whole process group (the workers too)."""
        stop_process_group(self.process)
        self.process = None

    def destroy(self) -> None:
        """Stops the server and drops the database."""
        self.stop()
        mysql(f"DROP DATABASE IF EXISTS {self.db_name}")

    # -- acting on the site ------------------------------------------------------------

    def php(self, code: str, *, load: bool = True, timeout: float = 120) -> str:
        """Run PHP against the site from the command line; return what it printed."""
        prelude = f"require '{self.root}/wp-load.php';\n" if load else ""
        done = subprocess.run(
            ["php", "-d", "display_errors=stderr", "-d", "memory_limit=512M"],
            input=f"<?php\n{prelude}{code}\n",
            capture_output=True,
            text=True,
            timeout=timeout,
            cwd=self.root,
            check=False,
        )
        if done.returncode != 0:
            raise PhpError(
                f"PHP exited {done.returncode}:\n{done.stdout}\n{done.stderr}"
            )
        return done.stdout

    def php_json(self, code: str) -> Any:
        """Run PHP that echoes one JSON document; return it decoded."""
        out = self.php(code)
        try:
            return json.loads(out)
        except json.JSONDecodeError as exc:
            raise PhpError(f"not JSON: {out!r}") from exc

    def drive(self, action: str, **params: Any) -> dict[str, Any]:
        """Act like a shopper or merchant through the store driver mu-plugin."""
        query = {"tillsync_test": action, "token": self.driver_token, **params}
        answer = requests.get(f"{self.url}/", params=query, timeout=30)
        assert answer.status_code == 200, (answer.status_code, answer.text[:2000])
        return dict(answer.json())

    def configure_sidecar(self, url: str, secret: str) -> None:
        """Point the plugin at a sidecar, as a merchant would on the settings page."""
        self.php(
            f"update_option('tillsync_sidecar_url', {json.dumps(url)});"
            f"update_option('tillsync_hook_secret', {json.dumps(secret)});"
            "update_option('tillsync_breaker', ['until' => 0, 'failures' => 0, 'reason' => '']);"
        )

    def outbox_size(self) -> int:
        """Rows waiting in the plugin's outbox table."""
        out = mysql(f"SELECT COUNT(*) FROM {self.db_name}.wp_tillsync_outbox")
        return int(out.split()[-1])

    def outbox_order_ids(self) -> list[int]:
        """Order ids of the rows in the outbox, oldest first."""
        out = mysql(
            f"SELECT order_id FROM {self.db_name}.wp_tillsync_outbox ORDER BY id"
        )
        return [int(v) for v in out.split()[1:]]

    def run_cron_now(self) -> None:
        """Make the outbox drain due, then let WordPress run it through wp-cron.php."""
        self.php(
            "$hook = 'tillsync_bridge_drain_outbox';"
            "$next = wp_next_scheduled($hook);"
            "if ($next) { wp_unschedule_event($next, $hook); }"
            "wp_schedule_event(time() - 1, 'tillsync_every_minute', $hook);"
        )
        answer = requests.get(f"{self.url}/wp-cron.php", timeout=120)
        assert answer.status_code == 200, answer.text[:2000]

    def login(self, user: tuple[str, str] = ADMIN) -> requests.Session:
        """A requests session logged into wp-admin."""
        session = requests.Session()
        session.get(f"{self.url}/wp-login.php", timeout=30)  # sets the test cookie
        answer = session.post(
            f"{self.url}/wp-login.php",
            data={
                "log": user[0],
                "pwd": user[1],
                "wp-submit": "Log In",
                "redirect_to": f"{self.url}/wp-admin/profile.php",
                "testcookie": "1",
            },
            timeout=30,
        )
        assert any(c.name.startswith("wordpress_logged_in") for c in session.cookies), (
            answer.text[:2000]
        )
        return session

    def http_requests(self) -> list[dict[str, Any]]:
        """Every outbound request the network guard saw, in order."""
        if not self.http_log.exists():
            return []
        lines = self.http_log.read_text().splitlines()
        return [json.loads(line) for line in lines if line.strip()]

    def plugin_notices(self) -> list[str]:
        """Lines of the PHP debug log that come from the plugin's own files."""
        if not self.debug_log.exists():
            return []
        marker = "/plugins/tillsync-bridge/"
        return [
            line for line in self.debug_log.read_text().splitlines() if marker in line
        ]
