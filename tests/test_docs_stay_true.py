"""The README stays true: every setting, command, reason code and metric is in it.

- The settings table (between `<!-- settings-table:start/end -->`) equals the one
  generated from `agent.settings.SETTINGS`.
- Every `tillsync` command and subcommand (walked from the click group, lazy ones
  included) appears in the commands table.
- Every reason code the code can write into `Order.reason_code` — found by reading the
  source, not by trusting a list — is in `agent.ledger.reasons.REASONS`, and the
  Troubleshooting table equals the one generated from REASONS.
- Every metric `GET /metrics` exposes is named in "Metrics and logs".

After changing SETTINGS or REASONS, regenerate the tables:

    .venv/bin/python tests/test_docs_stay_true.py --write
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

REPO = Path(__file__).resolve().parents[1]
README = REPO / "README.md"
# Modules that may write a reason code into the ledger (the clients' own error codes,
# such as PosError.code, are not reason codes); outcome.py builds the push's outcome.
CODE_WRITERS = (
    "agent/sync",
    "agent/connection",
    "agent/history",
    "agent/reconcile",
    "agent/ledger/outcome.py",
)


# -- generated tables ---------------------------------------------------------------


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def settings_table() -> str:
    """The README settings table, from SETTINGS."""
    from agent.settings import SETTINGS

    rows = ["| variable | default | meaning |", "|---|---|---|"]
    for setting in SETTINGS:
        default = f"`{setting.default}`" if setting.default is not None else "—"
        rows.append(f"| `{setting.env}` | {default} | {_cell(setting.help)} |")
    return "\n".join(rows)


def reasons_table() -> str:
    """The README Troubleshooting table, from REASONS."""
    from agent.ledger.reasons import REASONS

    rows = ["| reason code | state | what it means | what to do |", "|---|---|---|---|"]
    for reason in REASONS:
        rows.append(
            f"| `{reason.code}` | {reason.state} | {_cell(reason.meaning)} | "
            f"{_cell(reason.action)} |"
        )
    return "\n".join(rows)


GENERATED = {"settings-table": settings_table, "reasons": reasons_table}


def block(text: str, name: str) -> str:
    """What the README holds between `<!-- name:start -->` and `<!-- name:end -->`."""
    found = re.search(
        rf"<!-- {name}:start -->\n(.*?)<!-- {name}:end -->", text, re.DOTALL
    )
    assert found, f"README.md has no <!-- {name}:start/end --> block"
    return found.group(1).removesuffix("\n")


def section(text: str, heading: str) -> str:
    """The body of the `## heading` section."""
    found = re.search(
        rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", text, re.DOTALL | re.MULTILINE
    )
    assert found, f"README.md has no '## {heading}' section"
    return found.group(1)


def write_generated() -> None:
    """Rewrite every generated block of the README in place."""
    text = README.read_text(encoding="utf-8")
    for name, make in GENERATED.items():
        block(text, name)  # fails loudly when a marker is missing
        text = re.sub(
            rf"(<!-- {name}:start -->\n).*?(<!-- {name}:end -->)",
            lambda m, make=make: m.group(1) + make() + "\n" + m.group(2),
            text,
            flags=re.DOTALL,
        )
    README.write_text(text, encoding="utf-8")


# -- commands -------------------------------------------------------------------------


def command_paths() -> Iterator[str]:
    """`serve`, `emulate pos`, …: every command and subcommand of `tillsync`."""
    from agent.cli import main

    def walk(group: click.Group, prefix: str) -> Iterator[str]:
        context = click.Context(group)
        for name in group.list_commands(context):
            command = group.get_command(context, name)
            assert command is not None, f"`tillsync {prefix}{name}` cannot be loaded"
            if isinstance(command, click.Group):
                yield from walk(command, f"{prefix}{name} ")
            else:
                yield f"{prefix}{name}"

    yield from walk(main, "")


# -- reason codes, read from the source --------------------------------------------


def _python_files() -> Iterator[Path]:
    for place in CODE_WRITERS:
        path = REPO / place
        yield from [path] if path.suffix == ".py" else sorted(path.rglob("*.py"))


def _mentions_reason_code(node: ast.AST) -> bool:
    return any(
        isinstance(n, ast.Attribute) and n.attr == "reason_code" for n in ast.walk(node)
    )


class _CodeFinder:
    """Collects the literals that reach a reason-code position, with where they are."""

    def __init__(self, trees: dict[Path, ast.Module]) -> None:
        self.trees = trees
        self.constants: dict[str, list[str]] = {}  # NAME = "x" / ("x", "y")
        self.code_params: dict[str, int] = {}  # callable → index of its `code` arg
        for tree in trees.values():
            self._index(tree)
        self.found: dict[str, str] = {}

    def _index(self, tree: ast.Module) -> None:
        for node in ast.walk(tree):
            if isinstance(node, ast.Assign) and len(node.targets) == 1:
                target = node.targets[0]
                values = self._literals(node.value, resolve=False)
                if isinstance(target, ast.Name) and values:
                    self.constants[target.id] = values
            if isinstance(node, ast.ClassDef):
                for item in node.body:
                    if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                        self._code_param(node.name, item, skip_self=True)
            elif isinstance(node, ast.FunctionDef):
                args = [a.arg for a in node.args.args]
                self._code_param(
                    node.name, node, skip_self=args[:1] in (["self"], ["cls"])
                )

    def _code_param(self, name: str, func: ast.FunctionDef, skip_self: bool) -> None:
        args = [a.arg for a in func.args.args][1 if skip_self else 0 :]
        for wanted in ("reason_code", "code"):
            if wanted in args:
                self.code_params[name] = args.index(wanted)
                return

    def _literals(self, node: ast.AST | None, resolve: bool = True) -> list[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return [node.value]
        if isinstance(node, ast.Tuple | ast.List | ast.Set):
            return [v for e in node.elts for v in self._literals(e, resolve)]
        if resolve and isinstance(node, ast.Name):
            return self.constants.get(node.id, [])
        return []

    def _add(self, node: ast.AST | None, where: str) -> None:
        for value in self._literals(node):
            self.found.setdefault(value, where)

    def run(self) -> dict[str, str]:
        """{code: "file:line"} for every reason code the source can write."""
        for path, tree in self.trees.items():
            name = path.relative_to(REPO)
            for node in ast.walk(tree):
                where = f"{name}:{getattr(node, 'lineno', '?')}"
                if isinstance(node, ast.Call):
                    self._call(node, where)
                elif isinstance(node, ast.Dict):
                    for key, value in zip(node.keys, node.values, strict=True):
                        if key is not None and _mentions_reason_code(key):
                            self._add(value, where)
                elif isinstance(node, ast.Compare):
                    sides = [node.left, *node.comparators]
                    if any(_mentions_reason_code(s) for s in sides):
                        for side in sides:
                            self._add(side, where)
        return self.found

    def _call(self, node: ast.Call, where: str) -> None:
        func = node.func
        called = (
            func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        )
        if called == "in_" and _mentions_reason_code(func):
            for arg in node.args:
                self._add(arg, where)
        for keyword in node.keywords:
            if keyword.arg == "reason_code" or (
                keyword.arg == "code" and called in self.code_params
            ):
                self._add(keyword.value, where)
        index = self.code_params.get(called)
        if index is not None and index < len(node.args):
            self._add(node.args[index], where)


def reason_codes_in_source() -> dict[str, str]:
    """Every reason code the code can write, with one place it appears."""
    trees = {p: ast.parse(p.read_text(encoding="utf-8")) for p in _python_files()}
    return _CodeFinder(trees).run()


# -- tests ----------------------------------------------------------------------------

FIX = "run `.venv/bin/python tests/test_docs_stay_true.py --write`"


def test_settings_table_equals_the_one_generated_from_settings():
    readme = README.read_text(encoding="utf-8")
    assert block(readme, "settings-table") == settings_table(), FIX


def test_every_command_and_subcommand_is_in_the_commands_table():
    table = block(README.read_text(encoding="utf-8"), "commands")
    paths = list(command_paths())
    assert {"serve", "demo", "emulate pos", "emulate woo"} <= set(paths)
    missing = [p for p in paths if f"`tillsync {p}" not in table]
    assert not missing, f"add these to the README commands table: {missing}"


def test_every_option_is_in_its_commands_row():
    """Each row names all its command's options (`demo` included), except the rows
    that say `…` and leave the emulators' many options to their `--help`."""
    from agent.cli import main

    rows = block(README.read_text(encoding="utf-8"), "commands").splitlines()
    missing = {}
    for path in command_paths():
        command: click.Command | None = main
        for name in path.split():
            assert isinstance(command, click.Group)
            command = command.get_command(click.Context(command), name)
        assert command is not None
        row = next(r for r in rows if re.match(rf"\| `tillsync {path}[ `]", r))
        if "…" in row:
            continue
        options = [
            flag
            for param in command.params
            if isinstance(param, click.Option)
            for flag in param.opts
            if flag.startswith("--")
        ]
        if absent := [flag for flag in options if flag not in row]:
            missing[path] = absent
    assert not missing, f"add these options to the README commands table: {missing}"


def test_every_reason_code_in_the_source_is_explained_and_documented():
    from agent.ledger.reasons import BY_CODE

    found = reason_codes_in_source()
    # The reader must see what the merchant sees: the codes the public interface names at least.
    assert {"pos_product_deleted", "pos_validation", "wc_order_missing"} <= set(found)
    unexplained = {code: where for code, where in found.items() if code not in BY_CODE}
    assert not unexplained, f"add to agent/ledger/reasons.py: {unexplained}"
    unused = sorted(set(BY_CODE) - set(found))
    assert not unused, f"reasons.py lists codes no code writes any more: {unused}"
    readme = README.read_text(encoding="utf-8")
    assert block(readme, "reasons") == reasons_table(), FIX
    assert "<!-- reasons:start -->" in section(readme, "Troubleshooting")


def test_the_reason_finder_sees_a_new_code_wherever_it_is_written():
    source = """
LOST = "wc_lost_in_space"
CODES = ("pos_gremlin",)

def _failed(order, code, reason): ...

class OddError(ValueError):
    def __init__(self, code, message): ...

def push(order):
    _failed(order, "pos_new_failure", "why")
    raise OddError("wc_odd", "msg")
    changes = {Order.reason_code: LOST}
    if row.reason_code == "still_compared":
        pass
    Order.reason_code.in_(CODES)
    error = PosError("not a reason", code="pos_error_code")
"""
    found = _CodeFinder({REPO / "agent/sync/x.py": ast.parse(source)}).run()
    assert set(found) == {
        "pos_new_failure",
        "wc_odd",
        "wc_lost_in_space",
        "still_compared",
        "pos_gremlin",
    }


def test_every_metric_is_named_in_metrics_and_logs(client):
    import agent.sync.counters  # noqa: F401 — the scheduler's counters

    text = client.get("/metrics").get_data(as_text=True)
    names = {
        line.split()[2]
        for line in text.splitlines()
        if line.startswith("# TYPE tillsync_")
        and not line.split()[2].endswith("_created")
    }
    assert {"tillsync_pushes_total", "tillsync_sync_lag_seconds"} <= names
    documented = section(README.read_text(encoding="utf-8"), "Metrics and logs")
    missing = sorted(n for n in names if f"`{n}`" not in documented)
    assert not missing, f"document these in README 'Metrics and logs': {missing}"


def test_troubleshooting_has_the_anchor_the_plugin_links_to():
    readme = README.read_text(encoding="utf-8")
    # GitHub makes `#troubleshooting` of exactly this heading; the plugin links there.
    assert len(re.findall(r"^## Troubleshooting$", readme, re.MULTILINE)) == 1


if __name__ == "__main__":
    if sys.argv[1:] != ["--write"]:
        sys.exit("usage: tests/test_docs_stay_true.py --write")
    sys.path.insert(0, str(REPO))
    write_generated()
    print(f"rewrote the generated tables in {README}")
