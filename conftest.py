"""Repository-wide pytest setup.

1. pytest-codeblocks does not expand pymdownx.snippets includes (`--8<-- "file.py"`); we expand them
   before it executes a block, so every page's code is tested exactly as a reader sees it.
2. Tests run layer by layer, source checks first (see LAYERS), and `make test` prints how long each
   layer took (GUIDE §5), so budget regressions are visible.
3. Browser and training tests get their markers from what they use, so `make check`
   (`-m "not browser and not training"`) skips exactly them.
"""

from __future__ import annotations

import time
from collections import defaultdict

import pytest
import pytest_codeblocks.plugin as codeblocks_plugin

from tests.site.bookcheck import expand_includes

_extract = codeblocks_plugin.extract_from_file


def _extract_with_includes(path, *args, **kwargs):
    blocks = _extract(path, *args, **kwargs)
    for block in blocks:
        try:
            block.code = expand_includes(block.code)
        except LookupError as err:
            raise pytest.UsageError(f"{path}, code block at line {block.lineno}: {err}") from None
    return blocks


codeblocks_plugin.extract_from_file = _extract_with_includes

# Layers in the order they run: cheap source checks first, so that `pytest -x` (or the first failure
# in a CI log) names the file and line of a contributor's mistake instead of a page URL of the
# browser layer. The first matching prefix wins, so specific prefixes come first.
LAYERS = [
    ("0 sources: parity, nav, formulas", ("tests/site/test_structure.py", "tests/site/test_typography.py",
                                          "tests/site/test_spelling.py", "tests/site/test_glossary.py",
                                          "tests/site/test_terminology.py", "tests/site/test_freshness.py",
                                          "tests/site/test_vendor.py", "tests/site/test_github.py",
                                          "tests/site/test_sources.py", "tests/site/test_dated_facts.py")),
    ("1 strict build", ("tests/site/test_build.py",)),
    ("2 page code blocks", ("docs/",)),
    ("3 snippets run directly", ("tests/test_snippets.py",)),
    ("4 formulas and calculators", ("tests/fundamentals", "tests/financing", "tests/talent", "tests/ecosystem")),
    ("5 built site, hooks, notebooks", ("tests/site/test_site_html.py", "tests/site/test_hooks.py",
                                        "tests/site/test_notebooks.py")),
    ("6 contributor mistakes caught", ("tests/site/test_planted_mistakes.py",)),
    ("7 browser", ("tests/site/test_browser.py",)),
    ("8 training smoke runs", ("tests/train",)),
]
LAYER_NAMES = [name for name, _ in LAYERS]
BROWSER_FIXTURES = {"browser", "page", "reader", "reader_context", "base_url", "context"}
# Within the browser layer, the check that names a diagram's file and line runs before the checks
# that render whole pages (a broken diagram would otherwise first show up as a page URL).
BROWSER_FIRST = ("test_every_mermaid_diagram_parses",)
_durations: dict[str, float] = defaultdict(float)
_start = time.perf_counter()


def _layer(nodeid: str) -> str:
    for name, prefixes in LAYERS:
        if nodeid.startswith(prefixes):
            return name
    return "5 built site, hooks, notebooks" if nodeid.startswith("tests/site/") else "other"


def _rank(item) -> tuple[int, int]:
    name = _layer(item.nodeid)
    layer = LAYER_NAMES.index(name) if name in LAYER_NAMES else len(LAYER_NAMES)
    if item.get_closest_marker("browser") and layer < LAYER_NAMES.index("7 browser"):
        layer = LAYER_NAMES.index("7 browser")  # e.g. a planted-mistake test that needs chromium
    return layer, 0 if item.name.startswith(BROWSER_FIRST) else 1


def pytest_collection_modifyitems(config, items):
    # `make check` deselects these markers; they are set here from what a test needs, so a new
    # browser test or training test cannot slip into the quick check by forgetting a decorator.
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if item.nodeid.startswith("tests/train"):
            item.add_marker(pytest.mark.training)
    items.sort(key=_rank)  # stable: the order within a layer stays as written


def pytest_runtest_logreport(report):
    _durations[_layer(report.nodeid)] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _durations:
        return
    terminalreporter.section("time per test layer")
    for name in sorted(_durations):  # "0 ...", "1 ...", ..., then "other"
        terminalreporter.write_line(f"{name:<32} {_durations[name]:7.1f} s")
    terminalreporter.write_line(f"{'total (wall clock)':<32} {time.perf_counter() - _start:7.1f} s")
