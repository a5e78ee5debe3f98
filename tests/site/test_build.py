"""Layer 1: the whole site builds in strict mode (warnings are errors) in both languages."""

import re


def test_strict_build_has_no_warnings(strict_build):
    problems = [line for line in strict_build.log.splitlines() if re.match(r"(WARNING|ERROR)\b", line)]
    assert strict_build.returncode == 0 and not problems, "mkdocs build --strict failed:\n" + "\n".join(
        problems or strict_build.log.splitlines()[-20:])


def test_both_languages_are_built(site):
    assert (site / "index.html").is_file()
    assert (site / "en" / "index.html").is_file()
    assert '<html lang="zh"' in (site / "index.html").read_text(encoding="utf-8")
    assert '<html lang="en"' in (site / "en" / "index.html").read_text(encoding="utf-8")
