"""Languages: the .pot matches the sources, French is complete, and the .mo is its compilation."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from wp_site import PLUGIN_SOURCE, REPO

pytestmark = pytest.mark.wordpress

LANGUAGES = PLUGIN_SOURCE / "languages"


def _msgids(po: Path) -> set[str]:
    text = po.read_text()
    ids = set()
    for block in re.findall(r'^msgid ((?:".*"\n)+)', text, re.MULTILINE):
        ids.add("".join(re.findall(r'"((?:[^"\\]|\\.)*)"', block)))
    ids.discard("")
    return ids


def test_pot_lists_exactly_the_strings_of_the_sources(tmp_path: Path) -> None:
    copy = tmp_path / "wp-plugin"
    shutil.copytree(REPO / "wp-plugin", copy)
    subprocess.run([str(copy / "update-translations")], check=True, capture_output=True)

    assert _msgids(copy / "tillsync-bridge/languages/tillsync-bridge.pot") == _msgids(
        LANGUAGES / "tillsync-bridge.pot"
    )
    assert len(_msgids(LANGUAGES / "tillsync-bridge.pot")) > 50


def test_french_is_complete() -> None:
    done = subprocess.run(
        [
            "msgfmt",
            "--check",
            "--statistics",
            "-o",
            "/dev/null",
            str(LANGUAGES / "tillsync-bridge-fr_FR.po"),
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "fuzzy" not in done.stderr and "untranslated" not in done.stderr, done.stderr
    assert _msgids(LANGUAGES / "tillsync-bridge-fr_FR.po") == _msgids(
        LANGUAGES / "tillsync-bridge.pot"
    )


def test_mo_is_compiled_from_the_po(tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.mo"
    subprocess.run(
        [
            "msgfmt",
            "--check",
            "-o",
            str(fresh),
            str(LANGUAGES / "tillsync-bridge-fr_FR.po"),
        ],
        check=True,
    )
    assert fresh.read_bytes() == (LANGUAGES / "tillsync-bridge-fr_FR.mo").read_bytes()


def _entries(po: Path) -> list[dict[str, str]]:
    """Each entry's msgid, msgid_plural and msgstr[…] with continuation lines joined."""
    entries = []
    for block in po.read_text().split("\n\n"):
        entry: dict[str, str] = {}
        key = ""
        for line in block.splitlines():
            match = re.match(r'^(msgid|msgid_plural|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                key = match.group(1)
                entry[key] = match.group(2)
            elif line.startswith('"') and key:
                entry[key] += line[1:-1]
        if entry.get("msgid"):
            entries.append(entry)
    return entries


def test_every_translation_keeps_its_placeholders() -> None:
    entries = _entries(LANGUAGES / "tillsync-bridge-fr_FR.po")
    assert len(entries) > 50
    placeholders = re.compile(r"%(?:\d\$)?[sd]")
    for entry in entries:
        wanted = sorted(placeholders.findall(entry["msgid"]))
        for key, text in entry.items():
            if key.startswith("msgstr"):
                assert text, entry["msgid"]
                assert sorted(placeholders.findall(text)) == wanted, (
                    entry["msgid"],
                    text,
                )
