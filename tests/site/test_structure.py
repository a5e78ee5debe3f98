"""Layer 5 (sources): page pairs, zh/en parity, nav, snippet includes, code fences, formulas."""

from pathlib import Path

import pytest

from tests.site import bookcheck

ROOT = Path(__file__).resolve().parents[2]
DOCS, SNIPPETS = ROOT / "docs", ROOT / "snippets"


def report(problems):
    return "\n".join(problems)  # the first line of the failure is the first file:line


def test_every_page_exists_in_both_languages():
    problems = bookcheck.check_pairs(DOCS)
    assert not problems, report(problems)


def test_zh_and_en_twins_have_the_same_structure():
    problems = bookcheck.check_parity(DOCS)
    assert not problems, report(problems)


def test_notebook_twins_match_and_are_output_free():
    problems = bookcheck.check_notebook_parity(DOCS)
    assert not problems, report(problems)


def test_nav_lists_every_page_and_only_existing_pages():
    problems = bookcheck.check_nav(ROOT / "mkdocs.yml", DOCS)
    assert not problems, report(problems)


def test_snippet_includes_point_to_existing_files_and_sections():
    problems = bookcheck.check_includes(DOCS, SNIPPETS)
    assert not problems, report(problems)


def test_no_python_fence_is_silently_skipped():
    problems = bookcheck.check_fences(DOCS)
    assert not problems, report(problems)


def test_every_formula_parses_with_katex():
    problems = bookcheck.check_formulas(DOCS)
    assert not problems, report(problems)


@pytest.mark.parametrize("md", ["index", "guide/how-to-use", "fundamentals/gradient-descent"])
def test_parser_sees_the_content_the_checks_rely_on(md):
    # Guards the checks themselves: if parsing broke, every parity check would pass vacuously.
    page = bookcheck.parse_page(DOCS / f"{md}.zh.md")
    assert page.headings and page.headings[0][0] == 1
    if md == "fundamentals/gradient-descent":
        assert len(page.display_math) == 4 and page.inline_math and page.includes and page.mermaid
