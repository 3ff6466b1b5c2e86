"""A POS sale status is written and compared as `agent.pos.SaleStatus`, never as a
bare "CLOSED" or "VOIDED" string: the statuses Tillsync knows live in one enum
(agent/pos/records.py). The emulators, which play the POS itself, are left out."""

from __future__ import annotations

import ast
from pathlib import Path

AGENT = Path(__file__).resolve().parents[1] / "agent"
STATUSES = {"CLOSED", "VOIDED"}
HOME = AGENT / "pos" / "records.py"


def test_no_bare_sale_status_outside_the_enum():
    found = []
    for path in sorted(AGENT.rglob("*.py")):
        if path == HOME or (AGENT / "emulators") in path.parents:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and node.value in STATUSES:
                found.append(f"{path.relative_to(AGENT.parent)}:{node.lineno}")
    assert found == [], "use agent.pos.SaleStatus: " + ", ".join(found)
    assert set(HOME.read_text(encoding="utf-8").split('"')) >= STATUSES
