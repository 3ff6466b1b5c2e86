"""The repository explains itself: no test reads a file outside it, and no comment or
docstring in the code points a reader at documents the repository does not hold (the
README's own sections are cited instead)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
OUTSIDE_DOCUMENTS = re.compile(
    r"CONTRACT(\.md| ?§)|POS-API\.md|WOOCOMMERCE\.md|WORDPRESS-TESTING\.md"
    r"|STYLE\.md|\.\./shared|shared/spec"
)


def paths_outside(source: str, here: Path) -> list[str]:
    """String constants in `source` that name a path outside the repository."""
    tree = ast.parse(source)
    docstrings = {
        id(node.value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
    }
    found = []
    for node in ast.walk(tree):
        if id(node) in docstrings:
            continue  # words for a reader; the other test checks what they cite
        if (
            isinstance(node, ast.Constant)
            and isinstance(node.value, str)
            and ("../shared" in node.value or "shared/spec" in node.value)
        ):
            found.append(node.value)
        # Path(__file__).parents[N] climbing above the repository root.
        if (
            isinstance(node, ast.Subscript)
            and isinstance(node.value, ast.Attribute)
            and node.value.attr == "parents"
            and isinstance(node.slice, ast.Constant)
            and isinstance(node.slice.value, int)
            and node.slice.value >= len(here.relative_to(ROOT).parts)
        ):
            found.append(f"parents[{node.slice.value}] (above the repository)")
    return found


def test_no_test_reads_outside_the_repository():
    offenders = {}
    for path in sorted((ROOT / "tests").rglob("*.py")):
        if path.name == Path(__file__).name:
            continue  # it names those paths to look for them
        found = paths_outside(path.read_text(encoding="utf-8"), path)
        if found:
            offenders[str(path.relative_to(ROOT))] = found
    assert offenders == {}


def test_no_code_cites_documents_outside_the_repository():
    offenders = {}
    for folder in ("agent", "scripts", "tests", "wp-plugin"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.suffix not in (".py", ".php", ".sh", "") or not path.is_file():
                continue
            if path.suffix == "" and "scripts" not in path.parts:
                continue
            lines = [
                f"{number}: {line.strip()}"
                for number, line in enumerate(
                    path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
                )
                if OUTSIDE_DOCUMENTS.search(line) and path.name != Path(__file__).name
            ]
            if lines:
                offenders[str(path.relative_to(ROOT))] = lines
    assert offenders == {}


def test_the_checks_see_what_they_look_for(tmp_path: Path):
    deep = ROOT / "tests" / "x.py"
    assert paths_outside('open("../shared/spec/CONTRACT.md")', deep)
    assert paths_outside("Path(__file__).parents[2] / 'a'", deep)
    assert not paths_outside("Path(__file__).parents[1] / 'agent'", deep)
    assert OUTSIDE_DOCUMENTS.search("# see CONTRACT §3")
    assert not OUTSIDE_DOCUMENTS.search("# see the README, 'HTTP'")
