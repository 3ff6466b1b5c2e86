"""WP admin words every code the sidecar sends in the merchant's language: each order
reason code has its "what to do" (Admin/ReasonHelp.php), and each action failure code
its sentence (Admin/ActionErrors.php) unless it is one the plugin shows as the sidecar
wrote it. Neither side may know a code the other does not."""

from __future__ import annotations

import re
from pathlib import Path

from agent.control.failures import (
    CODES,
    OTHER,
    POS_REFUSED,
    SETTINGS_MISSING,
    WOO_REFUSED,
)
from agent.ledger.reasons import BY_CODE

ADMIN = Path(__file__).resolve().parents[1] / "wp-plugin/tillsync-bridge/src/Admin"
# What they say is the POS's, WooCommerce's or a setting's own words: shown as written.
SHOWN_AS_WRITTEN = {POS_REFUSED, WOO_REFUSED, SETTINGS_MISSING, OTHER}


def _codes(php_file: str) -> set[str]:
    source = (ADMIN / php_file).read_text(encoding="utf-8")
    return set(re.findall(r"^\s*'([a-z_]+)' => ", source, flags=re.MULTILINE))


def test_every_order_reason_code_has_what_to_do():
    assert _codes("ReasonHelp.php") == set(BY_CODE)


def test_every_action_failure_code_is_worded_or_shown_as_written():
    assert _codes("ActionErrors.php") == set(CODES) - SHOWN_AS_WRITTEN
