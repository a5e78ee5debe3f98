"""Layer 3: every program in snippets/ runs as a reader would run it (`python file.py`).

Run in-process with runpy (importing torch once is what makes the suite fast), from a temporary
working directory, with the snippet's own folder first on sys.path like `python file.py` does.
The training CLIs in snippets/train/ need data and flags; tests/train/ runs them.
"""

import runpy
import sys
from pathlib import Path

import pytest

SNIPPETS = Path(__file__).resolve().parents[1] / "snippets"
FILES = sorted(p for p in SNIPPETS.rglob("*.py") if "train" not in p.relative_to(SNIPPETS).parts)


@pytest.mark.parametrize("path", FILES, ids=[p.relative_to(SNIPPETS).as_posix() for p in FILES])
def test_snippet_runs_directly(path, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(path.parent))
    monkeypatch.setattr(sys, "argv", [str(path)])
    runpy.run_path(str(path), run_name="__main__")
