"""English spelling in pages, code and docs (codespell; settings in pyproject.toml [tool.codespell])."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_no_english_misspellings():
    paths = ["docs", "snippets", "tests", "hooks", "scripts", "bench", "README.md", "CONTRIBUTING.md"]
    result = subprocess.run([sys.executable, "-m", "codespell_lib", "--toml", "pyproject.toml", *paths],
                            cwd=ROOT, capture_output=True, text=True, check=False)
    assert result.returncode == 0, "codespell found (file:line: word ==> suggestion):\n" + result.stdout
