"""Deleting the plugin revokes the WooCommerce REST key it made for the sidecar.

The key is read-write to the whole shop: it must not outlive the plugin that answers for
it. Keys the merchant made for other integrations stay; deactivating keeps everything (the
merchant may be updating); and a shop whose WooCommerce was deleted first, with its
tables, still uninstalls the plugin cleanly.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from wp_site import PLUGIN_FILE, WordPressSite, mysql

pytestmark = pytest.mark.wordpress

MAKE_KEYS = """
global $wpdb;
$theirs = $wpdb->insert($wpdb->prefix . 'woocommerce_api_keys', [
    'user_id' => 1, 'description' => 'Accounting app', 'permissions' => 'read',
    'consumer_key' => wc_api_hash('ck_accounting'), 'consumer_secret' => 'cs_accounting',
    'truncated_key' => 'ounting',
]);
if ($theirs !== 1) { fwrite(STDERR, $wpdb->last_error); exit(1); }
$keys = new Tillsync\\Bridge\\WooRestKey();
$made = $keys->create(1);
$keys->remember($made['key_id'], 7, true);
echo $made['key_id'];
"""

DELETE_PLUGIN = f"""
require_once ABSPATH . 'wp-admin/includes/plugin.php';
require_once ABSPATH . 'wp-admin/includes/file.php';
wp_set_current_user(1);
deactivate_plugins('{PLUGIN_FILE}');
echo delete_plugins(['{PLUGIN_FILE}']) === true ? 'deleted' : 'failed';
"""


@pytest.fixture
def shop(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressSite]:
    site = WordPressSite(tmp_path_factory.mktemp("uninstall-key-wordpress"))
    try:
        site.build()
        yield site
    finally:
        site.destroy()


def _keys(site: WordPressSite) -> list[str]:
    return mysql(
        f"SELECT description FROM {site.db_name}.wp_woocommerce_api_keys "
        "ORDER BY key_id"
    ).splitlines()[1:]


def test_delete_revokes_the_plugins_key_and_keeps_the_merchants(
    shop: WordPressSite,
) -> None:
    shop.php(MAKE_KEYS)
    assert _keys(shop) == ["Accounting app", "Tillsync sidecar"]

    shop.php(
        f"require_once ABSPATH . 'wp-admin/includes/plugin.php';"
        f"deactivate_plugins('{PLUGIN_FILE}');"
    )
    assert _keys(shop) == ["Accounting app", "Tillsync sidecar"], "deactivate keeps it"

    assert shop.php(DELETE_PLUGIN).strip() == "deleted"
    assert _keys(shop) == ["Accounting app"]
    remembered = mysql(
        f"SELECT option_name FROM {shop.db_name}.wp_options "
        "WHERE option_name = 'tillsync_wc_key'"
    )
    assert remembered.strip() == ""


def test_delete_after_woocommerce_took_its_tables_away(shop: WordPressSite) -> None:
    shop.php(MAKE_KEYS)
    mysql(f"DROP TABLE {shop.db_name}.wp_woocommerce_api_keys")
    shutil.rmtree(shop.root / "wp-content/mu-plugins")  # WooCommerce is gone

    # A database error about the missing table would be printed before "deleted".
    assert shop.php(DELETE_PLUGIN) == "deleted"
    left = mysql(
        f"SELECT option_name FROM {shop.db_name}.wp_options "
        "WHERE option_name LIKE 'tillsync%' AND option_name NOT LIKE 'tillsync_test%'"
    )
    assert left.strip() == ""
