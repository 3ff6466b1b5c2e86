"""Only `agent/ledger/` writes `Order` rows: every other package queues an order through
`agent.ledger.queue.enqueue` and settles a push through `agent.ledger.leases`, so one
module holds each rule about an order's row (README, "Architecture")."""

from __future__ import annotations

import ast
from pathlib import Path

AGENT = Path(__file__).resolve().parents[1] / "agent"
WRITES = {
    "update",
    "insert",
    "insert_many",
    "insert_from",
    "create",
    "delete",
    "replace",
}
ROW_WRITES = {"save", "delete_instance"}


def order_writes(source: str) -> list[str]:
    """Where `source` writes the ledger's Order model (by name, after importing it)."""
    tree = ast.parse(source)
    names = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "agent.ledger.models"
        for alias in node.names
        if alias.name == "Order"
    }
    rows = _order_rows(tree, names)
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call) or not isinstance(node.func, ast.Attribute):
            continue
        target, method = node.func.value, node.func.attr
        if isinstance(target, ast.Name) and target.id in names and method in WRITES:
            found.append(f"line {node.lineno}: {target.id}.{method}(…)")
        if isinstance(target, ast.Name) and target.id in rows and method in ROW_WRITES:
            found.append(f"line {node.lineno}: {target.id}.{method}() of an Order row")
        if method == "execute_sql" and _writes_orders(node):
            found.append(f"line {node.lineno}: raw SQL writing orders")
    return found


def _order_rows(tree: ast.AST, names: set[str]) -> set[str]:
    """Variables that hold Order rows: read from the model, or annotated with it."""

    def from_model(node: ast.AST) -> bool:
        return any(isinstance(n, ast.Name) and n.id in names for n in ast.walk(node))

    rows = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and from_model(node.value):
            rows |= {t.id for t in node.targets if isinstance(t, ast.Name)}
        elif isinstance(node, ast.For) and from_model(node.iter):
            rows |= {n.id for n in ast.walk(node.target) if isinstance(n, ast.Name)}
        elif isinstance(node, ast.arg | ast.AnnAssign) and node.annotation is not None:
            target = node.arg if isinstance(node, ast.arg) else node.target
            if from_model(node.annotation) and isinstance(target, str | ast.Name):
                rows.add(target if isinstance(target, str) else target.id)
    return rows


def _writes_orders(call: ast.Call) -> bool:
    text = " ".join(
        part.value.upper()
        for arg in call.args[:1]
        for part in ast.walk(arg)
        if isinstance(part, ast.Constant) and isinstance(part.value, str)
    )
    return "ORDER" in text and any(w in text for w in ("UPDATE", "INSERT", "DELETE"))


def test_no_module_outside_the_ledger_writes_orders():
    offenders = {}
    for path in sorted(AGENT.rglob("*.py")):
        relative = path.relative_to(AGENT)
        if relative.parts[0] in ("ledger", "emulators"):
            continue
        writes = order_writes(path.read_text(encoding="utf-8"))
        if writes:
            offenders[str(relative)] = writes
    assert offenders == {}


def test_the_check_sees_each_kind_of_write():
    source = """
from agent.ledger.models import Order as Row
from agent.ledger.db import ledger_db
Row.update(state="sent").execute()
Row.create(order_id=1)
row = Row.get()
row.save()
def touch(order: Row) -> None:
    order.delete_instance()
ledger_db.execute_sql("UPDATE order SET state = 'sent'")
"""
    assert len(order_writes(source)) == 5
