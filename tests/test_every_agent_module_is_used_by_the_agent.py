"""`agent/` ships only what the agent runs: a module no agent code uses is a test fake.

A module counts as used when another agent module imports it, or names it in a string
(the command layer and gunicorn load some modules by name), or the Procfile or
`setup.cfg` names it. Test fakes live under `tests/`; the demo and the benchmarks use the
emulators, which the `tillsync emulate` commands run.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
ENTRY_POINTS = ("Procfile", "setup.cfg")


def module_name(path: Path) -> str:
    """`agent.woo.client` for `agent/woo/client.py`."""
    return ".".join(path.relative_to(REPO).with_suffix("").parts)


def _names_used(source: str) -> set[str]:
    """Every dotted name a module imports or writes in a string."""
    used: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            used.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            used.add(node.module)
            used.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            used.update(node.value.replace(":", " ").replace('"', " ").split())
    return used


def _is_named(module: str, names: set[str]) -> bool:
    return any(name == module or name.startswith(module + ".") for name in names)


def unused_modules(sources: dict[str, str], entry_points: str = "") -> list[str]:
    """The modules of `sources` (name → code) that no other one, nor the entry points,
    uses; packages' `__init__` and `__main__` are entry points themselves."""
    used_by = {name: _names_used(code) for name, code in sources.items()}
    named = set(entry_points.replace(":", " ").replace('"', " ").split())
    unused = []
    for module in sources:
        if module.rpartition(".")[2] in ("__init__", "__main__"):
            continue
        others = set().union(*(u for name, u in used_by.items() if name != module))
        if not _is_named(module, others | named):
            unused.append(module)
    return sorted(unused)


def test_no_module_in_agent_is_used_only_by_tests() -> None:
    sources = {
        module_name(path): path.read_text(encoding="utf-8")
        for path in sorted((REPO / "agent").rglob("*.py"))
    }
    entry_points = "\n".join(
        (REPO / name).read_text(encoding="utf-8") for name in ENTRY_POINTS
    )
    assert unused_modules(sources, entry_points) == [], (
        "only tests use these: move them under tests/"
    )


def test_the_finder_sees_a_module_nothing_imports() -> None:
    sources = {
        "agent.woo.__init__": "from agent.woo.client import WooClient\n",
        "agent.woo.client": "import agent.woo.transport\n",
        "agent.woo.transport": "from agent.woo import errors\n",
        "agent.woo.errors": "",
        "agent.woo.fake": "from agent.woo.client import WooClient\n",
        "agent.__main__": "from agent.cli import main\n",
        "agent.cli": 'LAZY = {"history": "agent.history.commands:group"}\n',
        "agent.history.commands": "",
        "agent.web.conf": "",
    }
    assert unused_modules(sources, "web: gunicorn --config python:agent.web.conf") == [
        "agent.woo.fake"
    ]
