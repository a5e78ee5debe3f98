"""Shared fixtures: the built site (one strict build per test session) and a copy of the project."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PROJECT_PARTS = ("docs", "snippets", "hooks", "overrides", "mkdocs.yml")


@dataclass
class Build:
    returncode: int
    log: str
    site: Path


def build_site(project: Path, site: Path, strict: bool = True) -> Build:
    """Run `mkdocs build` for the project in `project`, writing the site to `site`."""
    cmd = [sys.executable, "-m", "mkdocs", "build", "--site-dir", str(site)]
    if strict:
        cmd.append("--strict")
    env = dict(os.environ, NO_MKDOCS_2_WARNING="1")
    result = subprocess.run(cmd, cwd=project, capture_output=True, text=True, env=env, check=False)
    return Build(result.returncode, result.stdout + result.stderr, site)


@pytest.fixture(scope="session")
def strict_build(tmp_path_factory) -> Build:
    return build_site(ROOT, tmp_path_factory.mktemp("built") / "site", strict=True)


@pytest.fixture(scope="session")
def site(strict_build) -> Path:
    if strict_build.returncode != 0:
        pytest.fail("the strict build failed (see tests/site/test_build.py); nothing to check in the site")
    return strict_build.site


@pytest.fixture
def project_copy(tmp_path) -> Path:
    """A throwaway copy of everything the site is built from, for planting mistakes."""
    for part in PROJECT_PARTS:
        src = ROOT / part
        if src.is_dir():
            shutil.copytree(src, tmp_path / part, ignore=shutil.ignore_patterns("__pycache__", "vendor"))
        else:
            shutil.copy2(src, tmp_path / part)
    vendor = tmp_path / "docs" / "assets" / "vendor"
    vendor.symlink_to(ROOT / "docs" / "assets" / "vendor")
    return tmp_path
