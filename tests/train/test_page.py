"""docs/fundamentals/training-examples.*.md: the defaults and targets the page states are the scripts' own."""

import re
from pathlib import Path

import pytest

import char_gpt
import dcgan
import mnist_cnn
import mnist_mlp
from targets import QUALITY

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fundamentals"
SCRIPTS = {"mnist_mlp.py": mnist_mlp, "mnist_cnn.py": mnist_cnn, "dcgan.py": dcgan, "char_gpt.py": char_gpt}


def table_rows(text: str, first_cell: str, width: int) -> list[list[str]]:
    """The cells of the rows of `width`-column tables whose first cell is `first_cell`."""
    rows = [[cell.strip() for cell in line.strip().strip("|").split("|")] for line in text.splitlines() if line.startswith("|")]
    return [row for row in rows if row[0] == first_cell and len(row) == width]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_defaults_table_matches_the_parsers(lang):
    text = (DOCS / f"training-examples.{lang}.md").read_text()
    header = next(line for line in text.splitlines() if "| `mnist_mlp.py` | `mnist_cnn.py` |" in line)
    scripts = [cell.strip().strip("`") for cell in header.strip().strip("|").split("|")][1:]
    assert scripts == list(SCRIPTS)
    checked = 0
    for flag in ("--epochs", "--max-steps", "--batch-size", "--lr"):
        [row] = table_rows(text, f"`{flag}`", width=5)
        for script, cell in zip(scripts, row[1:]):
            defaults = {a.dest: a.default for a in SCRIPTS[script].get_parser()._actions}
            key = flag[2:].replace("-", "_")
            assert (cell == "—") == (key not in defaults), f"{script} {flag}"
            if cell != "—":
                assert float(cell) == defaults[key], f"{script} {flag}: page {cell}, script {defaults[key]}"
                checked += 1
    assert checked == 12


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_targets_on_the_page_are_the_tested_ones(lang):
    text = (DOCS / f"training-examples.{lang}.md").read_text()
    for script in SCRIPTS:
        [row] = table_rows(text, f"`{script}`", width=3)
        numbers = re.findall(r"\d+(?:\.\d+)?", QUALITY[script[:-3]])
        assert numbers and all(n in re.findall(r"\d+(?:\.\d+)?", row[2]) for n in numbers), \
            f"{script}: the page says {row[2]!r}, targets.py {QUALITY[script[:-3]]!r}"
