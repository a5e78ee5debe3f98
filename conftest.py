"""Repository-wide pytest setup.

1. pytest-codeblocks does not expand pymdownx.snippets includes (`--8<-- "file.py"`); we expand them
   before it executes a block, so every page's code is tested exactly as a reader sees it.
2. `make test` prints how long each test layer took (GUIDE §5), so budget regressions are visible.
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

LAYERS = [  # (layer name, test path prefixes); the first match wins, so specific prefixes come first
    ("1 strict build", ("tests/site/test_build.py",)),
    ("2 page code blocks", ("docs/",)),
    ("3 snippets run directly", ("tests/test_snippets.py",)),
    ("4 formulas and calculators", ("tests/fundamentals", "tests/financing", "tests/talent", "tests/ecosystem")),
    ("6 browser", ("tests/site/test_browser.py", "tests/site/test_search.py")),
    ("contributor mistakes caught", ("tests/site/test_planted_mistakes.py",)),
    ("5 structure, links, assets", ("tests/site/",)),
    ("7 training smoke runs", ("tests/train",)),
]
_durations: dict[str, float] = defaultdict(float)
_start = time.perf_counter()


def _layer(nodeid: str) -> str:
    for name, prefixes in LAYERS:
        if nodeid.startswith(prefixes):
            return name
    return "other"


def pytest_collection_modifyitems(items):
    # The strict build runs first: its fixture is shared by every later check of the built site.
    items.sort(key=lambda item: 0 if item.nodeid.startswith("tests/site/test_build.py") else 1)


def pytest_runtest_logreport(report):
    _durations[_layer(report.nodeid)] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _durations:
        return
    terminalreporter.section("time per test layer")
    for name in sorted(_durations):  # "1 ...", "2 ...", ..., then the unnumbered ones
        terminalreporter.write_line(f"{name:<32} {_durations[name]:7.1f} s")
    terminalreporter.write_line(f"{'total (wall clock)':<32} {time.perf_counter() - _start:7.1f} s")
