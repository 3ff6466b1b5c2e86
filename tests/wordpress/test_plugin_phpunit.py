"""PHPUnit against the real WordPress: each PHPUnit file is one behaviour of the plugin.

PHPUnit runs once per session (well under a second of tests); each PHPUnit class is then
reported here as its own pytest test, with PHPUnit's failure text when it fails.
"""

from __future__ import annotations

import os
import subprocess
import xml.etree.ElementTree as ET

import pytest
from wp_site import HERE, WordPressSite

pytestmark = pytest.mark.wordpress

PHPUNIT_DIR = HERE / "phpunit"
CLASSES = sorted(p.stem for p in (PHPUNIT_DIR / "tests").glob("*Test.php"))


@pytest.fixture(scope="module")
def phpunit_report(
    wp_site: WordPressSite, tmp_path_factory: pytest.TempPathFactory
) -> ET.Element:
    """Run the whole PHPUnit suite once; return its JUnit XML."""
    junit = tmp_path_factory.mktemp("phpunit") / "junit.xml"
    done = subprocess.run(
        [
            "phpunit",
            "--configuration",
            str(PHPUNIT_DIR / "phpunit.xml.dist"),
            "--log-junit",
            str(junit),
        ],
        env={**os.environ, "TILLSYNC_WP_ROOT": str(wp_site.root)},
        capture_output=True,
        text=True,
        timeout=300,
        cwd=PHPUNIT_DIR,
        check=False,
    )
    if not junit.exists():
        pytest.fail(
            f"PHPUnit did not run ({done.returncode}):\n{done.stdout}\n{done.stderr}"
        )
    return ET.parse(junit).getroot()


def test_every_phpunit_file_is_collected(phpunit_report: ET.Element) -> None:
    """A PHPUnit file that fails to load would otherwise vanish silently."""
    ran = {
        case.get("class", "").rsplit("\\", 1)[-1]
        for case in phpunit_report.iter("testcase")
    }
    assert ran == set(CLASSES)


@pytest.mark.parametrize("php_class", CLASSES)
def test_phpunit_class_passes(phpunit_report: ET.Element, php_class: str) -> None:
    """Every test of this PHPUnit class passed (none skipped, none risky)."""
    cases = [
        case
        for case in phpunit_report.iter("testcase")
        if case.get("class", "").endswith("\\" + php_class)
    ]
    assert cases, f"{php_class} ran no test"
    problems = []
    for case in cases:
        for kind in ("failure", "error", "skipped", "warning"):
            for element in case.findall(kind):
                problems.append(
                    f"{case.get('name')} {kind}:\n{element.text or element.get('message')}"
                )
    assert not problems, "\n\n".join(problems)


def test_no_notice_from_the_plugin_during_phpunit(
    phpunit_report: ET.Element, wp_site: WordPressSite
) -> None:
    """PHP notices, warnings and deprecations from the plugin's own files: none."""
    assert wp_site.plugin_notices() == []
