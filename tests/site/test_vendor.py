"""Vendored browser libraries match the sha256 recorded in docs/assets/vendor/VENDOR.md."""

import hashlib
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ROW = re.compile(r"^\| (?P<pkg>[\w-]+) \| (?P<version>[\d.]+) \| (?P<license>[^|]+) \| `(?P<file>[^`]+)` \| `(?P<sha>[0-9a-f]{64})` \|$")


def rows():
    text = (ROOT / "docs/assets/vendor/VENDOR.md").read_text(encoding="utf-8")
    return [m.groupdict() for m in map(ROW.match, text.splitlines()) if m]


def test_every_vendored_file_matches_its_recorded_checksum():
    recorded = rows()
    assert {r["pkg"] for r in recorded} == {"katex", "mermaid", "axe-core", "iframe-worker"}
    for row in recorded:
        digest = hashlib.sha256((ROOT / row["file"]).read_bytes()).hexdigest()
        assert digest == row["sha"], f"{row['file']} changed; run `make vendor` instead of editing it"


def test_no_unrecorded_file_in_the_vendor_folders():
    recorded = {r["file"] for r in rows()}
    on_disk = {p.relative_to(ROOT).as_posix() for folder in ("docs/assets/vendor", "tests/site/vendor")
               for p in (ROOT / folder).rglob("*") if p.is_file() and p.name != "VENDOR.md"}
    assert on_disk == recorded


def test_versions_match_the_pins_in_package_json():
    import json
    pins = json.loads((ROOT / "scripts/vendor/package.json").read_text(encoding="utf-8"))["dependencies"]
    assert {r["pkg"]: r["version"] for r in rows()} == pins
