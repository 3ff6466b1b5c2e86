"""WP admin says what to do about every reason code an order can carry: the plugin's
table (Admin/ReasonHelp.php) names exactly the sidecar's codes, no more, no fewer."""

from __future__ import annotations

import re
from pathlib import Path

from agent.ledger.reasons import BY_CODE

REASON_HELP = (
    Path(__file__).resolve().parents[1]
    / "wp-plugin/tillsync-bridge/src/Admin/ReasonHelp.php"
)


def test_the_plugin_and_the_sidecar_know_the_same_codes():
    source = REASON_HELP.read_text(encoding="utf-8")
    codes = set(re.findall(r"^\s*'([a-z_]+)' => ", source, flags=re.MULTILINE))
    assert codes == set(BY_CODE)
