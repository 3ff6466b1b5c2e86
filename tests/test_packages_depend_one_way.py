"""The packages of `agent/` depend one way, in the order the README's "Architecture"
section states.

The order is the table between `<!-- layers:start -->` and `<!-- layers:end -->` in
README.md, read here and nowhere else, so the document and the code cannot drift. Every
import in `agent/` — at module level, inside a function or under TYPE_CHECKING — is an
arrow; this test fails on:

- an import of `agent.cli` anywhere but `agent/__main__.py` (the entry point);
- an import cycle between packages (and top-level modules) of `agent/`;
- an arrow the table does not allow, a module no row holds, or a row naming a module
  that does not exist.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
AGENT = REPO / "agent"
README = REPO / "README.md"
ENTRY_POINT = "agent.__main__"
CLI = "agent.cli"


# -- the table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Layer:
    """One row: a name, the modules it holds (dotted, under `agent`), what it may import."""

    name: str
    modules: tuple[str, ...]
    may_import: frozenset[str]


def read_layers(readme: str) -> list[Layer]:
    """The rows of the layers table, bottom layer first; AssertionError if malformed."""
    found = re.search(
        r"<!-- layers:start -->\n(.*?)<!-- layers:end -->", readme, re.DOTALL
    )
    assert found, "README.md has no <!-- layers:start/end --> table"
    rows = [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in found.group(1).strip().splitlines()
    ][2:]  # after the header and its |---| line
    layers = []
    for cells in rows:
        assert len(cells) == 3, f"a layers row needs 3 cells: {cells}"
        name, modules, may_import = cells
        allowed = {part.strip() for part in may_import.split(",")} - {"", "—"}
        layers.append(
            Layer(name, tuple(re.findall(r"`([^`]+)`", modules)), frozenset(allowed))
        )
    return layers


def table_problems(layers: list[Layer]) -> list[str]:
    """A row may import only itself and the rows above it: the arrows point one way."""
    problems = []
    seen: set[str] = set()
    for layer in layers:
        seen.add(layer.name)
        problems += [
            f"layer '{layer.name}' may import '{other}', which is not a row above it"
            for other in sorted(layer.may_import - seen)
        ]
        if not layer.modules:
            problems.append(f"layer '{layer.name}' names no module")
    return problems


def layer_of(module: str, layers: list[Layer]) -> tuple[Layer, str] | None:
    """The row holding `agent.<…>` `module` and the entry that matched (the longest)."""
    best: tuple[Layer, str] | None = None
    for layer in layers:
        for entry in layer.modules:
            dotted = f"agent.{entry}"
            holds = module == dotted or module.startswith(dotted + ".")
            if holds and (best is None or len(entry) > len(best[1])):
                best = (layer, entry)
    return best


# -- the arrows in the source -----------------------------------------------------------


@dataclass(frozen=True)
class Arrow:
    """`source` imports `target` (both dotted module names) at `line`."""

    source: str
    target: str
    line: int


def modules_under(root: Path) -> dict[str, Path]:
    """Every module of the package at `root`, by dotted name (`agent.sync.pusher`)."""
    found = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def _resolve(name: str, known: dict[str, Path]) -> str:
    """The module `name` is, or the nearest enclosing module (an attribute's owner)."""
    while name not in known and "." in name:
        name = name.rsplit(".", 1)[0]
    return name


def _imported(
    node: ast.Import | ast.ImportFrom, module: str, is_package: bool
) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
        return
    base = node.module or ""
    if node.level:
        package = module if is_package else module.rsplit(".", 1)[0]
        parents = package.split(".")[: len(package.split(".")) - (node.level - 1)]
        base = ".".join([*parents, base] if base else parents)
    for alias in node.names:
        # `from agent.history import commands` imports the module agent.history.commands.
        yield f"{base}.{alias.name}"


def arrows(root: Path) -> list[Arrow]:
    """Every import of a module of `root`'s package, from a module of it."""
    known = modules_under(root)
    top = root.name
    found: dict[Arrow, None] = {}  # one arrow per statement, however many names
    for module, path in known.items():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if not isinstance(node, ast.Import | ast.ImportFrom):
                continue
            for name in _imported(node, module, path.name == "__init__.py"):
                if name == top or name.startswith(top + "."):
                    target = _resolve(name, known)
                    if target != module:
                        found[Arrow(module, target, node.lineno)] = None
    return list(found)


# -- the checks ---------------------------------------------------------------------------


def cli_imports(found: list[Arrow]) -> list[Arrow]:
    """Imports of `agent.cli` from anything but the entry point."""
    return [a for a in found if a.target == CLI and a.source != ENTRY_POINT]


def package_of(module: str) -> str:
    """`agent.sync.pusher` → `agent.sync`; a top-level module is its own package."""
    return ".".join(module.split(".")[:2])


def package_cycles(found: list[Arrow]) -> list[list[str]]:
    """Groups of packages (or top-level modules) that import each other, in a circle."""
    graph: dict[str, set[str]] = {}
    for arrow in found:
        source, target = package_of(arrow.source), package_of(arrow.target)
        graph.setdefault(target, set())
        if source != target:
            graph.setdefault(source, set()).add(target)
    reach = {node: _reachable(graph, node) for node in graph}
    cycles = []
    seen: set[str] = set()
    for node in sorted(graph):
        if node in seen or node not in reach[node]:
            continue
        group = sorted(other for other in reach[node] if node in reach[other])
        seen |= set(group)
        cycles.append(group)
    return cycles


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    found: set[str] = set()
    todo = list(graph[start])
    while todo:
        node = todo.pop()
        if node not in found:
            found.add(node)
            todo.extend(graph.get(node, ()))
    return found


def arrows_against_the_table(found: list[Arrow], layers: list[Layer]) -> list[str]:
    """Imports the table does not allow, and modules no row holds."""
    problems = []
    for arrow in found:
        source, target = layer_of(arrow.source, layers), layer_of(arrow.target, layers)
        if source is None or target is None:
            continue  # reported by unplaced_modules
        if source[1] == target[1] or target[0].name in source[0].may_import:
            continue
        problems.append(
            f"{arrow.source} (layer '{source[0].name}') imports {arrow.target} "
            f"(layer '{target[0].name}') at line {arrow.line}"
        )
    return problems


def unplaced_modules(root: Path, layers: list[Layer]) -> list[str]:
    """Modules no row holds, and row entries that name no module."""
    known = modules_under(root)
    top = root.name
    problems = [
        f"{module} is in no layer of the README table"
        for module in sorted(known)
        if module != top and layer_of(module, layers) is None
    ]
    problems += [
        f"layer '{layer.name}' names `{entry}`, which is not a module of agent/"
        for layer in layers
        for entry in layer.modules
        if f"{top}.{entry}" not in known
    ]
    return problems


# -- the tests ------------------------------------------------------------------------------


def readme_layers() -> list[Layer]:
    """The table as the README states it."""
    return read_layers(README.read_text(encoding="utf-8"))


def test_nothing_but_the_entry_point_imports_the_cli():
    offenders = [f"{a.source} line {a.line}" for a in cli_imports(arrows(AGENT))]
    assert not offenders, (
        f"only {ENTRY_POINT} may import {CLI}; a command gets what it needs from "
        f"agent.command_env: {offenders}"
    )


def test_no_import_cycle_between_packages():
    assert not package_cycles(arrows(AGENT))


def test_the_readme_table_points_one_way_and_names_every_module():
    layers = readme_layers()
    assert not table_problems(layers)
    assert not unplaced_modules(AGENT, layers)


def test_every_import_follows_the_readme_table():
    problems = arrows_against_the_table(arrows(AGENT), readme_layers())
    assert not problems, "\n".join(problems)


# -- the checks catch what they are for --------------------------------------------------

PLANTED_TABLE = """
<!-- layers:start -->
| layer | modules | may import |
|---|---|---|
| leaves | `settings`, `logs` | leaves |
| far side | `pos`, `woo` | leaves |
| memory | `ledger` | leaves |
| subsystems | `history`, `reconcile` | leaves, far side, memory |
| commands | `command_env`, `history.commands` | leaves, far side, memory, subsystems, commands |
| entry | `cli`, `__main__` | leaves, far side, memory, subsystems, commands, entry |
<!-- layers:end -->
"""

PLANTED = {
    "__init__.py": "",
    "settings.py": "",
    "logs.py": "from agent.settings import X\n",  # leaf to leaf: allowed
    "pos/__init__.py": "import agent.woo\n",  # far side to itself: not allowed
    "woo/__init__.py": "from agent.pos import PosClient\n",  # …and a cycle
    "ledger/__init__.py": "",
    "ledger/db.py": "from ..history import plan\n",  # relative, upward
    "history/__init__.py": "",
    "history/plan.py": (
        "from agent.ledger.db import connect\n"  # allowed
        "def late():\n"
        "    from agent.history import commands\n"  # a submodule, upward, in a function
    ),
    "history/commands.py": (
        "from agent.command_env import start\n"  # allowed
        "from agent.history.plan import late\n"  # allowed
        "from agent.cli import main\n"  # never
    ),
    "reconcile/__init__.py": "from agent import history\n",  # subsystems: each other
    "command_env.py": "from agent.ledger import db\n",
    "cli.py": "from agent.history.commands import register\n",
    "__main__.py": "from agent.cli import main\n",
    "stray.py": "",  # in no layer
}


def plant(root: Path) -> Path:
    """A small `agent/` package with the violations above, under `root`."""
    agent = root / "agent"
    for name, source in PLANTED.items():
        path = agent / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return agent


def test_the_checks_find_every_planted_violation_and_nothing_else(tmp_path):
    agent = plant(tmp_path)
    layers = read_layers(PLANTED_TABLE)
    found = arrows(agent)

    assert [(a.source, a.line) for a in cli_imports(found)] == [
        ("agent.history.commands", 3)
    ]
    # The cli ↔ history cycle is the one a command importing `agent.cli` makes.
    assert package_cycles(found) == [
        ["agent.cli", "agent.command_env", "agent.history", "agent.ledger"],
        ["agent.pos", "agent.woo"],
    ]
    against = arrows_against_the_table(found, layers)
    assert sorted(against) == [
        (
            "agent.history.commands (layer 'commands') imports agent.cli "
            "(layer 'entry') at line 3"
        ),
        (
            "agent.history.plan (layer 'subsystems') imports agent.history.commands "
            "(layer 'commands') at line 3"
        ),
        (
            "agent.ledger.db (layer 'memory') imports agent.history.plan "
            "(layer 'subsystems') at line 1"
        ),
        "agent.pos (layer 'far side') imports agent.woo (layer 'far side') at line 1",
        (
            "agent.reconcile (layer 'subsystems') imports agent.history "
            "(layer 'subsystems') at line 1"
        ),
        "agent.woo (layer 'far side') imports agent.pos (layer 'far side') at line 1",
    ]
    assert unplaced_modules(agent, layers) == [
        "agent.stray is in no layer of the README table"
    ]
    assert table_problems(layers) == []


def test_a_table_whose_arrows_point_back_is_refused():
    backwards = PLANTED_TABLE.replace(
        "| memory | `ledger` | leaves |", "| memory | `ledger` | leaves, subsystems |"
    )
    assert table_problems(read_layers(backwards)) == [
        "layer 'memory' may import 'subsystems', which is not a row above it"
    ]
