"""Chinese typography in the zh pages (GUIDE §4): a space between Chinese and Latin letters or
digits, and full-width punctuation after Chinese text. Code, math, links, HTML, footnote
definitions and abbreviation lines are not prose and are skipped."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
CJK = r"[\u4e00-\u9fff]"
RULES = [
    (re.compile(rf"{CJK}[A-Za-z0-9]|[A-Za-z0-9]{CJK}"), "needs a space between Chinese and Latin letters or digits"),
    (re.compile(rf"{CJK}[,;!?]|{CJK}:(?!//)|{CJK}\("), "uses ASCII punctuation after Chinese text; use ，；！？：（"),
]
NOT_PROSE = [r"`[^`]*`", r"\$[^$]*\$", r"\]\([^)]*\)", r"<[^>]+>", r"\{[^}]*#[^}]*\}"]


def prose_lines(path):
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith(("[^", "<!--", "*[", "$$")):
            continue
        for pattern in NOT_PROSE:
            line = re.sub(pattern, " ", line)
        yield number, line


def test_chinese_pages_follow_the_typography_rules():
    problems = []
    for path in sorted(DOCS.rglob("*.zh.md")):
        for number, line in prose_lines(path):
            for pattern, message in RULES:
                for m in pattern.finditer(line):
                    excerpt = line[max(0, m.start() - 6):m.end() + 6].strip()
                    problems.append(f"{path.relative_to(DOCS.parent)}:{number}: {message}: …{excerpt}…")
    assert not problems, "\n" + "\n".join(problems[:50])


def test_the_rules_catch_what_they_should():
    assert RULES[0][0].search("训练6个") and RULES[0][0].search("用PyTorch")
    assert RULES[1][0].search("损失,梯度") and RULES[1][0].search("交叉熵(cross-entropy)")
    assert not any(p.search("训练 6 个 epoch，用 PyTorch（见下文）") for p, _ in RULES)
