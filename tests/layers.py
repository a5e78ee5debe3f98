"""The test layers in the order they run (root conftest.py sorts the suite with `rank`)."""

from __future__ import annotations

# Layers in the order they run: cheap source checks first, so that `pytest -x` (or the first failure
# in a CI log) names the file and line of a contributor's mistake instead of a page URL of the
# browser layer. The first matching prefix wins, so specific prefixes come first.
LAYERS = [
    ("0 sources: parity, nav, formulas", ("tests/site/test_structure.py", "tests/site/test_typography.py",
                                          "tests/site/test_spelling.py", "tests/site/test_glossary.py",
                                          "tests/site/test_terminology.py",
                                          "tests/site/test_vendor.py", "tests/site/test_github.py",
                                          "tests/site/test_sources.py", "tests/site/test_dated_facts.py",
                                          "tests/site/test_diagrams.py")),
    ("1 strict build", ("tests/site/test_build.py",)),
    ("2 page code blocks", ("docs/",)),
    ("3 snippets run directly", ("tests/test_snippets.py",)),
    ("4 formulas and calculators", ("tests/fundamentals", "tests/financing", "tests/talent", "tests/ecosystem")),
    ("5 built site, hooks, notebooks", ("tests/site/test_site_html.py", "tests/site/test_hooks.py",
                                        "tests/site/test_notebooks.py")),
    ("6 contributor mistakes caught", ("tests/site/test_planted_mistakes.py",)),
    ("7 browser", ("tests/site/test_browser.py", "tests/site/test_search.py")),
    ("8 training smoke runs", ("tests/train",)),
]
LAYER_NAMES = [name for name, _ in LAYERS]
BROWSER_FIXTURES = {"browser", "page", "reader", "reader_context", "base_url", "context"}
# Within the browser layer, the check that names a diagram's file and line runs before the checks
# that render whole pages (a broken diagram would otherwise first show up as a page URL).
BROWSER_FIRST = ("test_every_mermaid_diagram_parses",)


def layer(nodeid: str) -> str:
    """The layer a test belongs to, from its node id."""
    for name, prefixes in LAYERS:
        if nodeid.startswith(prefixes):
            return name
    return "5 built site, hooks, notebooks" if nodeid.startswith("tests/site/") else "other"


def rank(item) -> tuple[int, int]:
    """Sort key: layer number, then the browser checks that name a source file first."""
    name = layer(item.nodeid)
    number = LAYER_NAMES.index(name) if name in LAYER_NAMES else len(LAYER_NAMES)
    if item.get_closest_marker("browser") and number < LAYER_NAMES.index("7 browser"):
        number = LAYER_NAMES.index("7 browser")  # e.g. a planted-mistake test that needs chromium
    return number, 0 if item.name.startswith(BROWSER_FIRST) else 1
