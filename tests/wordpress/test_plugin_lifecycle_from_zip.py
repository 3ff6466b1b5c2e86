"""The merchant's path: upload the built zip, activate (no WooCommerce yet), deactivate, delete.

A separate, bare WordPress (no WooCommerce shim) so the guard clause and uninstall can be
seen without touching the session's site.
"""

from __future__ import annotations

import json
import subprocess
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from wp_site import PLUGIN_FILE, REPO, WordPressSite, mysql

pytestmark = pytest.mark.wordpress


@pytest.fixture(scope="module")
def built_zip(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    done = subprocess.run(
        [str(REPO / "scripts" / "build-plugin-zip"), "--out", str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    return Path(done.stdout.strip())


@pytest.fixture(scope="module")
def bare_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressSite]:
    site = WordPressSite(tmp_path_factory.mktemp("bare-wordpress"))
    try:
        site.build(mu_plugins=("tillsync-test-network-guard.php",), with_plugin=False)
        yield site
    finally:
        site.destroy()


def test_zip_holds_one_plugin_folder(built_zip: Path) -> None:
    version = (REPO / "wp-plugin/tillsync-bridge/tillsync-bridge.php").read_text()
    assert (
        built_zip.name == "tillsync-bridge-0.4.0.zip"
        and "Version:              0.4.0" in version
    )
    names = zipfile.ZipFile(built_zip).namelist()
    assert {n.split("/")[0] for n in names} == {"tillsync-bridge"}
    for required in (
        "tillsync-bridge/tillsync-bridge.php",
        "tillsync-bridge/uninstall.php",
        "tillsync-bridge/readme.txt",
        "tillsync-bridge/languages/tillsync-bridge-fr_FR.mo",
        "tillsync-bridge/languages/tillsync-bridge.pot",
    ):
        assert required in names
    assert not [n for n in names if "test" in n.lower() or n.endswith((".py", ".xml"))]


def _state(site: WordPressSite) -> dict:
    return json.loads(
        site.php(
            """
            require_once ABSPATH . 'wp-admin/includes/plugin.php';
            global $wpdb;
            echo wp_json_encode([
                'active' => is_plugin_active('tillsync-bridge/tillsync-bridge.php'),
                'table' => (bool) $wpdb->get_var("SHOW TABLES LIKE '{$wpdb->prefix}tillsync_outbox'"),
                'options' => $wpdb->get_col("SELECT option_name FROM {$wpdb->options}
                    WHERE option_name LIKE 'tillsync%' ORDER BY option_name"),
                'cron' => (bool) wp_next_scheduled('tillsync_bridge_drain_outbox'),
                'capture_hooked' => (bool) has_action('woocommerce_new_order'),
            ]);
            """
        )
    )


def test_upload_activate_without_woocommerce_deactivate_delete(
    bare_site: WordPressSite, built_zip: Path
) -> None:
    installed = bare_site.php(
        f"""
        require_once ABSPATH . 'wp-admin/includes/class-wp-upgrader.php';
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        require_once ABSPATH . 'wp-admin/includes/file.php';
        wp_set_current_user(1);
        $upgrader = new Plugin_Upgrader(new Automatic_Upgrader_Skin());
        $result = $upgrader->install('{built_zip}');
        echo $result === true ? $upgrader->plugin_info() : 'failed';
        """
    )
    assert installed.strip() == PLUGIN_FILE

    activated = bare_site.php(
        f"""
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        $r = activate_plugin('{PLUGIN_FILE}');
        echo is_wp_error($r) ? $r->get_error_message() : 'ok';
        """
    )
    assert activated.strip() == "ok"
    state = _state(bare_site)
    assert state["active"] and state["table"] and state["cron"]
    assert (
        "tillsync_hook_secret" in state["options"]
        and "tillsync_sidecar_url" in state["options"]
    )
    # Guard clause: no WooCommerce, so nothing is captured and the admin is told why.
    assert state["capture_hooked"] is False
    notice = bare_site.php(
        "wp_set_current_user(1); ob_start(); do_action('admin_notices'); echo ob_get_clean();"
    )
    assert "Tillsync Bridge needs WooCommerce" in notice
    autoload = mysql(
        f"SELECT autoload FROM {bare_site.db_name}.wp_options WHERE option_name IN "
        "('tillsync_sidecar_url', 'tillsync_hook_secret')"
    ).split()[1:]
    assert autoload == ["no", "no"]

    bare_site.php(
        f"require_once ABSPATH . 'wp-admin/includes/plugin.php'; deactivate_plugins('{PLUGIN_FILE}');"
    )
    state = _state(bare_site)
    assert not state["active"] and not state["cron"]
    assert state["table"], "deactivating keeps the outbox: its events are not lost"

    deleted = bare_site.php(
        f"""
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        require_once ABSPATH . 'wp-admin/includes/file.php';
        wp_set_current_user(1);
        $r = delete_plugins(['{PLUGIN_FILE}']);
        echo $r === true ? 'ok' : 'failed';
        """
    )
    assert deleted.strip() == "ok"
    state = _state(bare_site)
    assert state == {
        "active": False,
        "table": False,
        "options": [],
        "cron": False,
        "capture_hooked": False,
    }
    assert not (bare_site.root / "wp-content/plugins/tillsync-bridge").exists()


def test_uninstall_script_does_nothing_outside_wordpress() -> None:
    done = subprocess.run(
        ["php", str(REPO / "wp-plugin/tillsync-bridge/uninstall.php")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0 and done.stdout == "" and done.stderr == ""
