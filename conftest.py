"""Repository-wide pytest setup.

1. pytest-codeblocks does not expand pymdownx.snippets includes (`--8<-- "file.py"`); we expand them
   before it executes a block, so every page's code is tested exactly as a reader sees it.
2. Tests run layer by layer, source checks first (see LAYERS), and `make test` prints how long each
   layer took (GUIDE §5), so budget regressions are visible.
3. Browser and training tests get their markers from what they use, so `make check`
   (`-m "not browser and not training"`) skips exactly them.
"""

from __future__ import annotations

import hashlib
import time
from collections import defaultdict

import pytest
import pytest_codeblocks.plugin as codeblocks_plugin

from tests.layers import BROWSER_FIXTURES, layer, rank
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

_durations: dict[str, float] = defaultdict(float)
_start = time.perf_counter()


def pytest_collection_modifyitems(config, items):
    # `make check` deselects these markers; they are set here from what a test needs, so a new
    # browser test or training test cannot slip into the quick check by forgetting a decorator.
    for item in items:
        if BROWSER_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.browser)
        if item.nodeid.startswith("tests/train"):
            item.add_marker(pytest.mark.training)
    items.sort(key=rank)  # stable: the order within a layer stays as written
    _run_identical_blocks_once(items)


def _run_identical_blocks_once(items) -> None:
    """A code block identical (after includes) to one already collected runs once: the zh and en
    twins include the same snippet, and executing it twice proves nothing new. Blocks that check
    printed output, and blocks whose twin is not collected (`pytest docs/x.zh.md`), still run."""
    first: dict[str, str] = {}
    for item in items:
        block = getattr(item, "obj", None)
        if not isinstance(item, codeblocks_plugin.TestBlock) or block.syntax != "python" \
                or block.expected_output is not None or item.get_closest_marker("skip"):
            continue
        key = hashlib.sha256(block.code.encode()).hexdigest()
        if key in first:
            item.add_marker(pytest.mark.skip(reason="same code as a block already run (its twin in the other language)"))
        else:
            first[key] = item.nodeid


def pytest_runtest_logreport(report):
    _durations[layer(report.nodeid)] += report.duration


def pytest_terminal_summary(terminalreporter):
    if not _durations:
        return
    terminalreporter.section("time per test layer")
    for name in sorted(_durations):  # "0 ...", "1 ...", ..., then "other"
        terminalreporter.write_line(f"{name:<32} {_durations[name]:7.1f} s")
    terminalreporter.write_line(f"{'total (wall clock)':<32} {time.perf_counter() - _start:7.1f} s")
