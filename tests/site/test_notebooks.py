"""Every notebook on the site runs top to bottom in a fresh kernel, as a reader's Jupyter would.
A notebook whose code cells are identical to its twin's (in the other language) runs once: the
text differs, the code and therefore the run do not."""

from pathlib import Path

import nbclient
import nbformat
import pytest

DOCS = Path(__file__).resolve().parents[2] / "docs"
NOTEBOOKS = sorted(DOCS.rglob("*.ipynb"))


def code_of(path: Path) -> list[str]:
    return [cell.source for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"]


def to_execute() -> list[Path]:
    """One notebook per distinct code; a twin with other code (translated comments) runs too."""
    chosen, seen = [], []
    for path in NOTEBOOKS:
        if code_of(path) not in seen:
            chosen.append(path)
            seen.append(code_of(path))
    return chosen


@pytest.mark.parametrize("path", to_execute(), ids=[p.relative_to(DOCS).as_posix() for p in to_execute()])
def test_notebook_executes_without_errors(path, tmp_path):
    notebook = nbformat.read(path, as_version=4)
    nbformat.validate(notebook)
    client = nbclient.NotebookClient(notebook, kernel_name="python3", timeout=120,
                                     resources={"metadata": {"path": str(tmp_path)}})
    client.execute()  # raises CellExecutionError naming the cell on the first failure
    outputs = [o for cell in notebook.cells if cell.cell_type == "code" for o in cell.outputs]
    assert not [o for o in outputs if o.output_type == "error"]


def test_every_notebook_is_valid_and_its_code_is_run():
    executed = [code_of(p) for p in to_execute()]
    for path in NOTEBOOKS:
        nbformat.validate(nbformat.read(path, as_version=4))
        assert code_of(path) in executed, f"{path.relative_to(DOCS.parent)}: its code is not executed"
