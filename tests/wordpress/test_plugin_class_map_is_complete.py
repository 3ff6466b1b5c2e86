"""The plugin's class loader reads a fixed map: every class file is in it, and nothing else."""

from __future__ import annotations

import json
import re
import subprocess

import pytest
from wp_site import PLUGIN_SOURCE

pytestmark = pytest.mark.wordpress

SRC = PLUGIN_SOURCE / "src"
NOT_CLASSES = {"autoload.php", "classmap.php"}
# Every plugin file refuses to run unless WordPress has loaded (ABSPATH); play WordPress here.
AS_WORDPRESS = "define('ABSPATH', '/');"


def _class_map() -> dict[str, str]:
    done = subprocess.run(
        [
            "php",
            "-r",
            f"{AS_WORDPRESS} echo json_encode(require '{SRC / 'classmap.php'}');",
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    return dict(json.loads(done.stdout))


def _declared_class(path_text: str) -> str:
    namespace = re.search(r"^namespace ([\w\\]+);", path_text, re.MULTILINE)
    name = re.search(
        r"^(?:final |abstract )?(?:class|interface|trait|enum) (\w+)",
        path_text,
        re.MULTILINE,
    )
    assert namespace and name, "a class file declares a namespace and one class"
    return f"{namespace.group(1)}\\{name.group(1)}"


def test_every_class_file_is_mapped_to_the_class_it_declares() -> None:
    files = {
        str(path.relative_to(SRC)): _declared_class(path.read_text())
        for path in sorted(SRC.rglob("*.php"))
        if path.name not in NOT_CLASSES
    }
    mapped = {file: cls for cls, file in _class_map().items()}
    assert mapped == files


def test_the_loader_finds_every_mapped_class_and_only_those() -> None:
    code = (
        f"{AS_WORDPRESS} require '{SRC / 'autoload.php'}';"
        f"$map = require '{SRC / 'classmap.php'}';"
        "$missing = array_values(array_filter(array_keys($map), fn ($c) =>"
        " !class_exists($c) && !interface_exists($c)));"
        "echo json_encode(['missing' => $missing,"
        " 'unknown' => class_exists('Tillsync\\\\Bridge\\\\NoSuchClass')]);"
    )
    done = subprocess.run(
        ["php", "-r", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout) == {"missing": [], "unknown": False}
