"""Chinese typography in the zh pages (GUIDE §4): a space between Chinese and Latin letters or
digits, and full-width punctuation after Chinese text, in the prose and in the footnotes (a Chinese
source ends its segments with 。，；, a Latin one keeps its own punctuation). Code, math, links,
HTML and abbreviation lines are not prose and are skipped."""

import re
from pathlib import Path

DOCS = Path(__file__).resolve().parents[2] / "docs"
CJK = r"[\u4e00-\u9fff]"
RULES = [
    (re.compile(rf"{CJK}[A-Za-z0-9]|[A-Za-z0-9]{CJK}"), "needs a space between Chinese and Latin letters or digits"),
    (re.compile(rf"{CJK}[,;!?]|{CJK}:(?!//)|{CJK}\("), "uses ASCII punctuation after Chinese text; use ，；！？：（"),
]
# In footnotes only punctuation is checked: source titles keep their own spacing (《中华人民共和国……法》第三条).
FOOTNOTE_RULE = (re.compile(rf"(?:{CJK}|[》）」])[.,;](?=\s|$)"), "uses ASCII punctuation after Chinese text in a footnote; use 。，；")
NOT_PROSE = [r"`[^`]*`", r"\$[^$]*\$", r"\]\([^)]*\)", r"<[^>]+>", r"\{[^}]*#[^}]*\}"]


def prose_lines(path):
    fenced = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced or line.startswith(("<!--", "*[", "$$")):
            continue
        if line.startswith("[^"):  # a footnote definition: checked by FOOTNOTE_RULE only
            yield number, "[^" + re.sub(r"<[^>]+>|\]\([^)]*\)", " ", line)
            continue
        for pattern in NOT_PROSE:
            line = re.sub(pattern, " ", line)
        yield number, line


def test_chinese_pages_follow_the_typography_rules():
    problems = []
    for path in sorted(DOCS.rglob("*.zh.md")):
        for number, line in prose_lines(path):
            for pattern, message in ([FOOTNOTE_RULE] if line.startswith("[^") else RULES):
                for m in pattern.finditer(line):
                    excerpt = line[max(0, m.start() - 6):m.end() + 6].strip()
                    problems.append(f"{path.relative_to(DOCS.parent)}:{number}: {message}: …{excerpt}…")
    assert not problems, "\n" + "\n".join(problems[:50])


def test_the_rules_catch_what_they_should():
    assert RULES[0][0].search("训练6个") and RULES[0][0].search("用PyTorch")
    assert RULES[1][0].search("损失,梯度") and RULES[1][0].search("交叉熵(cross-entropy)")
    assert not any(p.search("训练 6 个 epoch，用 PyTorch（见下文）") for p, _ in RULES)
    footnote = FOOTNOTE_RULE[0]
    assert footnote.search("国家网信办.《生成式人工智能服务管理暂行办法》. 2023") and footnote.search("第三条; 转引自")
    assert footnote.search("2023 年施行.") and not footnote.search("国家网信办。《办法》。2023。Vaswani et al. *Attention*. 2017.")
