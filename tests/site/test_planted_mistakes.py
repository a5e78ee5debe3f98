"""Contributor mistakes are caught: plant one mistake in a copy of the project, run the check a
pull request would run, and assert it fails with a message that names the file (and line).

These tests prove that the checks above cannot pass vacuously.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PROJECT_PARTS, build_site
from tests.site import bookcheck
from tests.site.browsing import check_mermaid

ROOT = Path(__file__).resolve().parents[2]
PAGE = "docs/guide/how-to-use.en.md"


def plant(project: Path, relpath: str, old: str, new: str) -> None:
    path = project / relpath
    text = path.read_text(encoding="utf-8")
    assert old in text, f"the planting spot {old!r} is gone from {relpath}; update this test"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def line_of(project: Path, relpath: str, needle: str) -> int:
    """1-based number of the first line that contains `needle` (or equals it, for a fence)."""
    lines = (project / relpath).read_text(encoding="utf-8").splitlines()
    exact = needle.startswith("```")
    return next(i for i, line in enumerate(lines, 1) if (line.strip() == needle if exact else needle in line))


def test_a_failing_code_block_fails_the_suite_naming_file_and_line(project_copy):
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, project_copy / name)
    (project_copy / "tests/site").mkdir(parents=True)
    shutil.copy2(ROOT / "tests/site/bookcheck.py", project_copy / "tests/site/bookcheck.py")
    shutil.copy2(ROOT / "tests/layers.py", project_copy / "tests/layers.py")
    plant(project_copy, PAGE, "## Contributing { #contributing }",
          "```python\nassert 1 + 1 == 3, 'planted'\n```\n\n## Contributing { #contributing }")
    line = line_of(project_copy, PAGE, "assert 1 + 1 == 3") - 1  # the fence line
    result = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             "--codeblocks", PAGE], cwd=project_copy, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout[-2000:]
    assert re.search(rf"FAILED {re.escape(PAGE)}::line {line}\b", result.stdout), result.stdout[-2000:]


def test_a_missing_snippet_file_is_reported_with_file_and_line(project_copy):
    page = "docs/fundamentals/gradient-descent.en.md"
    plant(project_copy, page, '--8<-- "fundamentals/gradient_descent_by_hand.py"', '--8<-- "fundamentals/missing.py"')
    problems = bookcheck.check_includes(project_copy / "docs", project_copy / "snippets")
    line = line_of(project_copy, page, "fundamentals/missing.py")
    assert problems == [f'{page}:{line}: snippet file "fundamentals/missing.py" not found under snippets/']


def test_a_page_in_one_language_only_is_reported(project_copy):
    (project_copy / PAGE).unlink()
    problems = bookcheck.check_pairs(project_copy / "docs")
    assert problems == ["docs/guide/how-to-use.zh.md: exists in one language only; add docs/guide/how-to-use.en.md"]


def test_a_structural_difference_between_twins_is_reported(project_copy):
    plant(project_copy, PAGE, "## Contributing { #contributing }", "## Contributing { #contribute }")
    problems = bookcheck.check_parity(project_copy / "docs")
    assert len(problems) == 1 and problems[0].startswith("docs/guide/how-to-use.zh.md:")
    assert "docs/guide/how-to-use.en.md:" in problems[0] and "headings differ" in problems[0]


def test_a_malformed_formula_is_reported_with_file_and_line(project_copy):
    page = "docs/fundamentals/gradient-descent.zh.md"
    plant(project_copy, page, r"\theta_{t+1} = \theta_t - \alpha\, J'(\theta_t)", r"\theta_{t+1} = \frac{\theta_t")
    problems = bookcheck.check_formulas(project_copy / "docs")
    line = line_of(project_copy, page, r"\theta_{t+1} = \frac{\theta_t") - 1  # the opening $$ line
    assert len(problems) == 1 and problems[0].startswith(f"{page}:{line}: formula does not parse")


def test_an_unexecuted_python_fence_is_reported(project_copy):
    plant(project_copy, PAGE, "## Contributing { #contributing }", "```py\nprint('never runs')\n```\n\n## Contributing { #contributing }")
    problems = bookcheck.check_fences(project_copy / "docs")
    line = line_of(project_copy, PAGE, "```py")
    assert len(problems) == 1 and problems[0].startswith(f"{PAGE}:{line}: fence ```py is not executed")


@pytest.fixture(scope="module")
def planted_site(tmp_path_factory):
    """One build of a copy with two mistakes that only the built site shows.

    Only the start pages are copied (a fifth of the build time); the nav entries of the missing
    pages add warnings of their own, so the tests look for the planted ones by file name.
    """
    project = tmp_path_factory.mktemp("planted")
    for part in PROJECT_PARTS:
        src = ROOT / part
        if part == "docs":
            shutil.copytree(src, project / part, ignore=lambda folder, names: [
                n for n in names if Path(folder) == src and n not in ("index.zh.md", "index.en.md", "guide", "assets", "includes")])
        else:
            (shutil.copytree(src, project / part) if src.is_dir() else shutil.copy2(src, project / part))
    plant(project, PAGE, "## Contributing { #contributing }",
          "See [a page that does not exist](../no-such-page.md) and [a missing anchor](how-to-use.md#no-such-anchor).\n\n"
          '<script src="https://cdn.example.com/lib.js"></script>\n\n## Contributing { #contributing }')
    return build_site(project, project / "site", strict=True)


def test_a_broken_internal_link_fails_the_strict_build_naming_the_file(planted_site):
    assert planted_site.returncode != 0
    warnings = [line for line in planted_site.log.splitlines() if line.startswith("WARNING")]
    assert any("guide/how-to-use.en.md" in w and "no-such-page.md" in w for w in warnings), warnings
    assert any("guide/how-to-use.en.md" in w and "no-such-anchor" in w for w in warnings), warnings


def test_a_cdn_script_tag_is_reported_naming_the_page(planted_site):
    problems = bookcheck.check_external_assets(planted_site.site)
    assert len(problems) == 1, problems
    assert re.match(r"en/guide/how-to-use/index\.html:\d+: <script> loads an external asset https://cdn\.example\.com/lib\.js$",
                    problems[0])


def test_inline_cdn_imports_are_reported(tmp_path):
    (tmp_path / "page.html").write_text('<p>x</p>\n<script type="module">await import("https://cdn.example.com/m.esm.min.mjs")</script>')
    assert bookcheck.check_external_assets(tmp_path) == [
        "page.html:2: inline code refers to an external asset https://cdn.example.com/m.esm.min.mjs"]


@pytest.mark.browser
def test_a_mermaid_syntax_error_is_reported_with_file_and_line(project_copy, reader):
    page = "docs/fundamentals/gradient-descent.en.md"
    plant(project_copy, page, '    P["parameter θ"] --> F', '    P["parameter θ"] --> --> F(((')
    problems = check_mermaid(reader, project_copy / "docs")
    line = line_of(project_copy, page, "```mermaid")
    assert len(problems) == 1 and problems[0].startswith(f"{page}:{line}: Mermaid syntax error"), problems


class _Item:
    """Just what conftest's ordering looks at: a node id, a name and markers."""

    def __init__(self, nodeid: str, browser: bool = False):
        self.nodeid, self.name, self._browser = nodeid, nodeid.split("::")[-1], browser

    def get_closest_marker(self, name):
        return name == "browser" and self._browser or None


def test_source_checks_run_before_the_build_the_browser_and_training():
    from tests.layers import rank  # the sort key of the root conftest.py

    written_order = [
        _Item("tests/train/test_mnist.py::test_dry_run"),
        _Item("tests/site/test_browser.py::test_every_page_renders_offline_without_errors", browser=True),
        _Item("tests/site/test_browser.py::test_every_mermaid_diagram_parses", browser=True),
        _Item("tests/site/test_planted_mistakes.py::test_a_mermaid_syntax_error_is_reported_with_file_and_line", browser=True),
        _Item("tests/site/test_site_html.py::test_no_external_assets_in_the_built_site"),
        _Item("tests/site/test_new_feature.py::test_something_of_the_built_site"),
        _Item("tests/fundamentals/test_cnn.py::test_output_size"),
        _Item("docs/guide/how-to-use.en.md::line 12"),
        _Item("tests/site/test_build.py::test_strict_build_has_no_warnings"),
        _Item("tests/site/test_sources.py::test_no_page_or_template_loads_an_external_asset"),
        _Item("tests/site/test_structure.py::test_every_formula_parses_with_katex"),
    ]
    ordered = [item.nodeid for item in sorted(written_order, key=rank)]
    assert ordered == [
        "tests/site/test_sources.py::test_no_page_or_template_loads_an_external_asset",
        "tests/site/test_structure.py::test_every_formula_parses_with_katex",
        "tests/site/test_build.py::test_strict_build_has_no_warnings",
        "docs/guide/how-to-use.en.md::line 12",
        "tests/fundamentals/test_cnn.py::test_output_size",
        "tests/site/test_site_html.py::test_no_external_assets_in_the_built_site",
        "tests/site/test_new_feature.py::test_something_of_the_built_site",
        "tests/site/test_browser.py::test_every_mermaid_diagram_parses",
        "tests/site/test_browser.py::test_every_page_renders_offline_without_errors",
        "tests/site/test_planted_mistakes.py::test_a_mermaid_syntax_error_is_reported_with_file_and_line",
        "tests/train/test_mnist.py::test_dry_run",
    ]


def test_first_failure_under_x_names_the_file_of_a_planted_cdn_script(project_copy):
    """End to end, as a contributor runs it: `pytest -x` on a copy with an external script in a page
    stops at the source check, whose first line is the page's file and line, before any build."""
    for name in ("conftest.py", "pyproject.toml"):
        shutil.copy2(ROOT / name, project_copy / name)
    shutil.copytree(ROOT / "tests", project_copy / "tests", ignore=shutil.ignore_patterns("__pycache__", "vendor"))
    plant(project_copy, PAGE, "## Contributing { #contributing }",
          '<script src="https://cdn.example.com/lib.js"></script>\n\n## Contributing { #contributing }')
    line = line_of(project_copy, PAGE, "cdn.example.com")
    result = subprocess.run([sys.executable, "-m", "pytest", "-x", "-q", "-p", "no:cacheprovider", "-o", "addopts=",
                             "-m", "not browser and not training", "tests/site/test_sources.py", "tests/site/test_build.py",
                             "tests/site/test_site_html.py"],
                            cwd=project_copy, capture_output=True, text=True, check=False)
    assert result.returncode == 1, result.stdout[-2000:]
    failed = [l for l in result.stdout.splitlines() if l.startswith("FAILED")]
    assert len(failed) == 1 and failed[0].startswith("FAILED tests/site/test_sources.py::"), result.stdout[-2000:]
    assert f"AssertionError: {PAGE}:{line}: <script> loads an external asset https://cdn.example.com/lib.js" in result.stdout
