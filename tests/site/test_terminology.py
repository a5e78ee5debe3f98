"""One terminology (docs/includes/terminology.yml): pages use the glossary's preferred terms, not the
variants that drifted between chapters. Code, formulas, links, HTML and footnote sources are skipped."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
RULES = yaml.safe_load((DOCS / "includes" / "terminology.yml").read_text(encoding="utf-8"))
NOT_PROSE = [r"`[^`]*`", r"\$\$.*?\$\$", r"\$[^$\n]*\$", r"\]\([^)]*\)", r"<[^>]+>", r"\{[^}]*#[^}]*\}", r"https?://\S+"]


def prose_lines(text: str):
    """(line number, prose) of a page: fences, formulas, footnote definitions and abbreviations skipped."""
    fenced = display = False
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if stripped == "$$":
            display = not display
            continue
        if fenced or display or line.startswith(("[^", "*[", "<!--")) or line.startswith("    ") and "[^" in line[:8]:
            continue
        for pattern in NOT_PROSE:
            line = re.sub(pattern, " ", line)
        yield number, line


def check(text: str, lang: str, where: str) -> list[str]:
    problems = []
    for number, line in prose_lines(text):
        for rule in RULES[lang]:
            for pattern in rule["avoid"]:
                for m in re.finditer(pattern, line):
                    advice = rule.get("say", f"use “{rule['prefer']}”")
                    problems.append(f"{where}:{number}: “{m[0]}”: {advice} (docs/includes/terminology.yml)")
    return problems


def test_pages_use_the_preferred_terms():
    problems = []
    for lang in ("zh", "en"):
        for path in sorted(DOCS.rglob(f"*.{lang}.md")):
            problems += check(path.read_text(encoding="utf-8"), lang, path.relative_to(ROOT).as_posix())
    assert not problems, "\n".join(problems[:60]) + (f"\n… and {len(problems) - 60} more" if len(problems) > 60 else "")


def test_every_preferred_term_is_in_the_glossary():
    for lang in ("zh", "en"):
        glossary = (DOCS / "appendix" / f"glossary.{lang}.md").read_text(encoding="utf-8")
        missing = [rule["prefer"] for rule in RULES[lang] if rule["prefer"] not in glossary]
        assert not missing, f"docs/appendix/glossary.{lang}.md: preferred terms missing from the glossary: {missing}"


def test_the_rules_catch_planted_variants_and_spare_code_and_glosses():
    zh = ("每百万 token 的价格\n词元（token）是单位，`max_tokens` 是参数\n模型浮点利用率为 40%\n"
          "```python\ntokens = 3\n```\n[^x]: Stanford. AI Index Report 2025. <https://x>\n学习率日程\n")
    assert [p.split(":")[1] for p in check(zh, "zh", "z.zh.md")] == ["1", "3", "8"]
    en = "An optimiser and the optimizer.\nThe data set and the dataset; `normalise()` in code.\n[^y]: J. *Optimisation*. 2020.\n"
    assert [p.split(": ")[1] for p in check(en, "en", "e.en.md")] == ["“optimiser”", "“data set”"]
