"""Deleting the plugin from a WordPress network removes what it made on EVERY site.

A real multisite: a bare single site is turned into a network the way wp-admin's Network
Setup does it (install_network, populate_network, the MULTISITE constants), two more sites
are added, and the plugin is activated on each. Deleting the plugin must then leave no
option, transient, outbox table or cron event on any of them, and nothing network-wide.
"""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest
from wp_site import PLUGIN_FILE, PLUGIN_SOURCE, WordPressSite, mysql

pytestmark = pytest.mark.wordpress

NETWORK_DOMAIN = "localhost"
SITE_PATHS = ("/", "/second/", "/third/")


def _on_network(site: WordPressSite, code: str) -> str:
    """PHP against the network's main site (multisite needs a host to pick the site by)."""
    return site.php(
        f"""
        $_SERVER['HTTP_HOST'] = '{NETWORK_DOMAIN}';
        $_SERVER['REQUEST_URI'] = '/';
        require '{site.root}/wp-load.php';
        {code}
        """,
        load=False,
    )


@pytest.fixture(scope="module")
def network(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WordPressSite]:
    """Three sites, the plugin active on each, each with a transient of the plugin's."""
    site = WordPressSite(tmp_path_factory.mktemp("network-wordpress"))
    try:
        site.build(mu_plugins=("tillsync-test-network-guard.php",), with_plugin=False)
        shutil.copytree(
            PLUGIN_SOURCE, site.root / "wp-content" / "plugins" / "tillsync-bridge"
        )
        site.php(
            f"""
            require_once ABSPATH . 'wp-admin/includes/upgrade.php';
            global $wpdb;
            foreach ($wpdb->tables('ms_global') as $table => $prefixed) {{
                $wpdb->$table = $prefixed;
            }}
            install_network();
            $made = populate_network(1, '{NETWORK_DOMAIN}', 'admin@example.test',
                'Tillsync Test Network', '/', false);
            if (is_wp_error($made)) {{ fwrite(STDERR, $made->get_error_message()); exit(1); }}
            """
        )
        site.constants.update(
            {
                "WP_ALLOW_MULTISITE": True,
                "MULTISITE": True,
                "SUBDOMAIN_INSTALL": False,
                "DOMAIN_CURRENT_SITE": NETWORK_DOMAIN,
                "PATH_CURRENT_SITE": "/",
                "SITE_ID_CURRENT_SITE": 1,
                "BLOG_ID_CURRENT_SITE": 1,
            }
        )
        site.write_config()
        _on_network(
            site,
            f"""
            foreach (['{SITE_PATHS[1]}', '{SITE_PATHS[2]}'] as $path) {{
                $id = wpmu_create_blog('{NETWORK_DOMAIN}', $path, 'Shop ' . $path, 1);
                if (is_wp_error($id)) {{ fwrite(STDERR, $id->get_error_message()); exit(1); }}
            }}
            """,
        )
        # A process of its own: set_transient() right after wpmu_create_blog() did not reach
        # the database (seen with WordPress 6.1), and the test wants them there.
        _on_network(
            site,
            f"""
            require_once ABSPATH . 'wp-admin/includes/plugin.php';
            foreach (get_sites(['fields' => 'ids']) as $id) {{
                switch_to_blog($id);
                $done = activate_plugin('{PLUGIN_FILE}');
                if (is_wp_error($done)) {{ fwrite(STDERR, $done->get_error_message()); exit(1); }}
                set_transient('tillsync_notice_1', ['type' => 'info', 'message' => 'x'], 300);
                restore_current_blog();
            }}
            """,
        )
        yield site
    finally:
        site.destroy()


def _left_behind(site: WordPressSite) -> dict[str, list[str]]:
    """What of the plugin's each site's tables still hold, read straight from the database."""
    db = site.db_name
    found: dict[str, list[str]] = {}
    for prefix in ("wp_", "wp_2_", "wp_3_"):
        rows = mysql(
            f"SELECT option_name FROM {db}.{prefix}options WHERE option_name LIKE "
            "'%tillsync%' OR (option_name = 'cron' AND option_value LIKE "
            "'%tillsync_bridge_drain_outbox%') ORDER BY option_name"
        ).split()[1:]
        tables = mysql(
            "SELECT table_name FROM information_schema.tables "
            f"WHERE table_schema = '{db}' AND table_name = '{prefix}tillsync_outbox'"
        ).split()[1:]
        found[prefix] = rows + tables
    found["network"] = mysql(
        f"SELECT meta_key FROM {db}.wp_sitemeta WHERE meta_key LIKE '%tillsync%'"
    ).split()[1:]
    return found


def test_every_site_is_cleaned_not_only_the_main_one(network: WordPressSite) -> None:
    before = _left_behind(network)
    for prefix in ("wp_", "wp_2_", "wp_3_"):
        assert {
            "tillsync_sidecar_url",
            "tillsync_hook_secret",
            "_transient_tillsync_notice_1",
            "cron",
            f"{prefix}tillsync_outbox",
        } <= set(before[prefix]), before

    deleted = _on_network(
        network,
        f"""
        require_once ABSPATH . 'wp-admin/includes/plugin.php';
        require_once ABSPATH . 'wp-admin/includes/file.php';
        wp_set_current_user(1);
        foreach (get_sites(['fields' => 'ids']) as $id) {{
            switch_to_blog($id);
            deactivate_plugins('{PLUGIN_FILE}');
            restore_current_blog();
        }}
        echo delete_plugins(['{PLUGIN_FILE}']) === true ? 'deleted' : 'failed';
        """,
    )

    assert deleted.strip() == "deleted"
    assert _left_behind(network) == {
        "wp_": [],
        "wp_2_": [],
        "wp_3_": [],
        "network": [],
    }
    assert not (network.root / "wp-content/plugins/tillsync-bridge").exists()
