"""A command that stops because settings are missing names every one it lacks, in one
line, not the first alone (README, "Settings"): a new user fixes them all in one go.
So does the scheduler, which says once what keeps it from pushing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from agent.cli import main
from agent.clients import pos_client, woo_client
from agent.settings import ConfigError, Settings
from agent.sync.runner import build_pusher

POS_PROBLEMS = [
    "TILLSYNC_POS_DOMAIN_PREFIX is not set",
    "TILLSYNC_POS_TOKEN is not set",
]
WOO_PROBLEMS = [
    "TILLSYNC_WC_URL is not set",
    "TILLSYNC_WC_KEY is not set",
    "TILLSYNC_WC_SECRET is not set",
]


def one_line(args: list[str]) -> str:
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 1, result.output
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("tillsync: ")
    return lines[0]


@pytest.mark.parametrize(
    "args",
    [["import-history", "--yes"], ["reconcile"], ["sync", "--once"]],
    ids=" ".join,
)
def test_a_command_needing_both_sides_names_all_five(unconfigured, args):
    line = one_line(args)
    for problem in POS_PROBLEMS + WOO_PROBLEMS:
        assert line.count(problem) == 1, line


def test_a_command_needing_the_pos_names_its_store_and_its_token(unconfigured):
    line = one_line(["backup"])
    for problem in POS_PROBLEMS:
        assert problem in line
    assert "TILLSYNC_WC_" not in line  # a backup needs no WooCommerce
    assert not unconfigured.exists()


def test_half_an_oauth_pair_names_the_other_half(tmp_path):
    settings = Settings.from_mapping(
        {
            "TILLSYNC_DATA_DIR": str(tmp_path),
            "TILLSYNC_POS_CLIENT_SECRET": "oauth-secret",
        }
    )
    with pytest.raises(ConfigError) as error:
        pos_client(settings)
    message = str(error.value)
    assert "TILLSYNC_POS_DOMAIN_PREFIX is not set" in message
    assert "TILLSYNC_POS_CLIENT_ID is not set" in message
    assert "TILLSYNC_POS_TOKEN" not in message  # OAuth was chosen
    assert "oauth-secret" not in message


def test_woocommerce_with_a_url_names_the_key_and_the_secret(tmp_path):
    settings = Settings.from_mapping(
        {"TILLSYNC_DATA_DIR": str(tmp_path), "TILLSYNC_WC_URL": "https://shop.example"}
    )
    with pytest.raises(ConfigError) as error:
        woo_client(settings)
    assert str(error.value) == (
        "TILLSYNC_WC_KEY is not set: WooCommerce REST API consumer key; "
        "TILLSYNC_WC_SECRET is not set: WooCommerce REST API consumer secret"
    )


def test_the_scheduler_says_everything_it_waits_for(tmp_path):
    settings = Settings.from_mapping({"TILLSYNC_DATA_DIR": str(tmp_path)})
    with pytest.raises(ConfigError) as error:
        build_pusher(settings)
    for problem in POS_PROBLEMS + WOO_PROBLEMS:
        assert problem in str(error.value)
