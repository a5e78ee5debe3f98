"""Layer 5 (sources): the bilingual glossary and the shared abbreviation file. No build needed.

- Every link in docs/appendix/glossary.{zh,en}.md points to an existing page and to an explicit
  `{ #id }` heading on it, and each row sits in the table of the part it links to.
- The zh and en glossaries have the same rows (中文, English, link) in the same order.
- Every "中文术语（English term）" first use in the zh chapters has its English term in the glossary.
- docs/includes/abbreviations.md holds only `*[ABBR]: expansion（中文）` lines, and every
  abbreviation it defines occurs in the text of at least one page.

Abbreviations deliberately left out of docs/includes/abbreviations.md, because an `abbr` definition
applies to every page: CAC (customer acquisition cost in financing, but the Cyberspace
Administration of China in ecosystem/regulation); GM, BM, MRR, ACV (they appear only inside
formulas); AI, US, EU, USD, CEO (too common to need a tooltip); PM, GTM, FDE (Mermaid node names).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.site import bookcheck

ROOT = bookcheck.ROOT
DOCS = ROOT / "docs"
APPENDIX = DOCS / "appendix"
GLOSSARY = {lang: APPENDIX / f"glossary.{lang}.md" for lang in bookcheck.LANGS}
ABBREVIATIONS = DOCS / "includes" / "abbreviations.md"
PARTS = ("financing", "talent", "ecosystem", "fundamentals")

CJK = "\u3400-\u4dbf\u4e00-\u9fff"
# A first use: Chinese characters (optionally closed by bold or a closing quote), then the English
# term in full-width parentheses: 交叉熵（cross-entropy）, “默认存活”（default alive）,
# **精确率**（precision，又称查准率）. The parenthesis must start with a Latin letter, so notes such as
# （float32 中 …） or （2023 年）are not read as terms.
TERM_PAIR = re.compile(rf"[{CJK}](?:\*\*|[”’」』])?（([A-Za-z][^）\n]{{1,40}})）")
# Inside the parentheses, terms are separated by commas: （mean squared error，MSE）.
TERM_SEPARATOR = re.compile(r"[，,；;]")
NOT_A_TERM = re.compile(rf"[{CJK}$\[\]]")  # a piece with Chinese, math or a footnote is a note

# English words in "中文（English）" that are not glossary terms. Keep it short and say why.
EXCLUDED = {
    # Proper names of companies and products, given in English so readers can look them up.
    "Insilico Medicine": "company name (ecosystem/cross-industry)",
    "Duolingo": "company name (ecosystem/cross-industry)",
    "Khan Academy": "organisation name (ecosystem/cross-industry)",
    "Schaeffler": "company name (ecosystem/downstream)",
    "Model Studio": "product name, Alibaba Cloud's 百炼 (ecosystem)",
    # David Sacks's burn-multiple ratings, quoted verbatim in a table; the glossary has the
    # burn multiple itself.
    "amazing": "rating label (financing/runway-compute)",
    "great": "rating label (financing/runway-compute)",
    "good": "rating label (financing/runway-compute)",
    "suspect": "rating label (financing/runway-compute)",
    "bad": "rating label (financing/runway-compute)",
    # A venue and year in prose: 在 DCGAN 论文（ICLR 2016）中.
    "ICLR 2016": "citation (fundamentals/gan)",
}

FENCE_OPEN = re.compile(r"^\s*(`{3,}|~{3,})")
LINK = re.compile(r"(?<!!)\[[^\]]*\]\(([^)\s]+)\)")
ABBR_LINE = re.compile(r"^\*\[([^\]\s][^\]]*)\]: (\S.*)$")
DISPLAY_MATH = re.compile(r"^\s*\$\$.*?^\s*\$\$\s*$", re.S | re.M)
ATTR_LIST = re.compile(r"\{\s*[#.][^}]*\}")
HTML_COMMENT = re.compile(r"<!--.*?-->", re.S)


def rel(path: Path) -> str:
    return bookcheck.rel(path, ROOT)


def prose_lines(path: Path, footnotes: bool = False) -> list[tuple[int, str]]:
    """(line number, text) of a page's prose: no fenced code, no code spans, footnote definitions
    only if asked for (terms are introduced in the text, not in the references)."""
    out, fence = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if fence:
            if line.strip().startswith(fence):
                fence = None
            continue
        opening = FENCE_OPEN.match(line)
        if opening:
            fence = opening.group(1)
            continue
        if line.startswith("[^"):
            if not footnotes:
                continue
            line = bookcheck.FOOTNOTE_DEF.sub("", line)
        out.append((number, bookcheck.CODE_SPAN.sub("", line)))
    return out


def rendered_text(path: Path) -> str:
    """The text an `abbr` definition can reach: prose without code, math, link targets or attributes."""
    text = "\n".join(line for _, line in prose_lines(path, footnotes=True))
    text = DISPLAY_MATH.sub("", text)
    text = bookcheck.INLINE_MATH.sub("", text)
    text = HTML_COMMENT.sub("", text)
    text = re.sub(r"\]\([^)]*\)", "]", text)
    text = re.sub(r"<https?://[^>]*>", "", text)
    return ATTR_LIST.sub("", text)


def term_pairs(line: str) -> list[str]:
    """English terms given in full-width parentheses after Chinese text on one line."""
    terms = []
    for match in TERM_PAIR.finditer(line):
        for piece in TERM_SEPARATOR.split(match.group(1)):
            piece = piece.strip()
            if piece and not NOT_A_TERM.search(piece):
                terms.append(piece)
    return terms


def normalize(text: str) -> str:
    text = text.lower().replace("’", "'")
    text = re.sub(r"[-‐–—]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


def contains_term(haystack: str, term: str) -> bool:
    pattern = rf"(?<![a-z0-9]){re.escape(normalize(term))}(?![a-z0-9])"
    return re.search(pattern, normalize(haystack)) is not None


# ---------------------------------------------------------------- glossary rows


def glossary_rows(path: Path) -> list[dict]:
    """Table rows under each `## part { #id }` heading: part, line, 中文, English, definition, link."""
    rows, part = [], None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        heading = bookcheck.HEADING.match(line)
        if heading:
            hid = bookcheck.HEADING_ID.search(heading.group(2))
            part = hid.group(1) if hid and len(heading.group(1)) == 2 else part
            continue
        if not line.startswith("|") or re.fullmatch(r"\|[\s:|-]+\|", line.strip()):
            continue
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if cells[:2] == ["中文", "English"]:
            continue
        links = LINK.findall(cells[-1]) if cells else []
        rows.append({
            "part": part, "line": number, "cells": cells,
            "zh": cells[0] if cells else "", "en": cells[1] if len(cells) > 1 else "",
            "link": links[0] if len(links) == 1 else None,
        })
    return rows


def resolve(link: str, lang: str) -> tuple[Path, str | None]:
    """`../x/y.md#id` relative to docs/appendix/ -> (the .zh.md/.en.md twin, id)."""
    target, _, anchor = link.partition("#")
    page = (APPENDIX / target).resolve()
    return page.with_name(f"{page.name[:-3]}.{lang}.md"), anchor or None


@pytest.fixture(scope="module")
def rows() -> dict[str, list[dict]]:
    missing = [rel(path) for path in GLOSSARY.values() if not path.exists()]
    assert not missing, f"glossary page missing: {missing}"
    return {lang: glossary_rows(path) for lang, path in GLOSSARY.items()}


@pytest.mark.parametrize("lang", bookcheck.LANGS)
def test_glossary_has_one_table_per_part(rows, lang):
    page = bookcheck.parse_page(GLOSSARY[lang])
    parts = [hid for level, hid, _ in page.headings if level == 2]
    assert parts == list(PARTS), f"{rel(GLOSSARY[lang])}: '## ... {{ #id }}' sections are {parts}, expected {list(PARTS)}"
    problems = []
    for row in rows[lang]:
        where = f"{rel(GLOSSARY[lang])}:{row['line']}"
        if len(row["cells"]) != 4 or not all(row["cells"]):
            problems.append(f"{where}: a row needs four non-empty cells: 中文 | English | definition | [→](link)")
        elif row["link"] is None:
            problems.append(f"{where}: the last cell needs exactly one link, e.g. [→](../fundamentals/loss-functions.md#cross-entropy)")
        elif not row["link"].startswith(f"../{row['part']}/"):
            problems.append(f"{where}: {row['en']!r} links to {row['link']} but sits in the #{row['part']} table; move the row")
    assert len(rows[lang]) >= 100, f"{rel(GLOSSARY[lang])}: only {len(rows[lang])} rows parsed"
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", bookcheck.LANGS)
def test_glossary_links_point_to_existing_pages_and_anchors(lang):
    path = GLOSSARY[lang]
    problems, ids = [], {}
    for number, line in prose_lines(path):
        for link in LINK.findall(line):
            where = f"{rel(path)}:{number}"
            if re.match(r"[a-z]+:", link) or link.startswith("/"):
                problems.append(f"{where}: {link} is not a relative link to a page of the book")
                continue
            page, anchor = resolve(link, lang)
            if not link.split("#")[0].endswith(".md") or not page.exists():
                problems.append(f"{where}: {link} points to {rel(page)}, which does not exist")
                continue
            if anchor is None:
                problems.append(f"{where}: {link} has no #anchor; link to the section that explains the term")
                continue
            if page not in ids:
                ids[page] = {hid for _, hid, _ in bookcheck.parse_page(page).headings if hid}
            if anchor not in ids[page]:
                problems.append(f"{where}: {link}: {rel(page)} has no heading with {{ #{anchor} }}")
    assert not problems, "\n" + "\n".join(problems)


def test_zh_and_en_glossaries_have_the_same_rows(rows):
    zh = [(r["part"], r["zh"], r["en"], r["link"]) for r in rows["zh"]]
    en = [(r["part"], r["zh"], r["en"], r["link"]) for r in rows["en"]]
    if zh != en:
        k = next((i for i, (a, b) in enumerate(zip(zh, en)) if a != b), min(len(zh), len(en)))
        zl = rows["zh"][k]["line"] if k < len(zh) else "end"
        el = rows["en"][k]["line"] if k < len(en) else "end"
        pytest.fail(
            f"{rel(GLOSSARY['zh'])}:{zl} and {rel(GLOSSARY['en'])}:{el}: rows differ "
            f"(part, 中文, English, link): {zh[k:k + 1]} vs {en[k:k + 1]}; "
            f"{len(zh)} vs {len(en)} rows. Keep the 中文, English and link cells identical and in the same order."
        )


# ---------------------------------------------------------------- terms used in the chapters


def chapter_terms() -> list[tuple[str, str]]:
    """(where, English term) for every 中文（English） first use in the zh chapters of the four parts."""
    found = []
    for part in PARTS:
        for path in sorted((DOCS / part).glob("*.zh.md")):
            for number, line in prose_lines(path):
                found += [(f"{rel(path)}:{number}", term) for term in term_pairs(line)]
    return found


@pytest.mark.parametrize("line, expected", [
    ("用均方误差（mean squared error，MSE）作损失", ["mean squared error", "MSE"]),
    ("就是“默认存活”（default alive）；不能", ["default alive"]),
    ("F1 是**精确率**（precision，又称查准率）$P$ 与", ["precision"]),
    ("反向传播（backpropagation，简称 backprop）是", ["backpropagation"]),
    ("对应的梯度（L1 是次梯度，subgradient）为", ["subgradient"]),
    ("会遇到上溢（float32 中 $e^{1000}$ 为无穷大）和", []),
    ("约 989 TFLOPS（NVIDIA 标称带稀疏为 1979 TFLOPS）", []),
    ("在 A100 上（BF16 峰值 312 TFLOP/s[^nvidia-a100]）", []),
    ("缩放（见 [Transformer](transformer.md) 一章）", []),
])
def test_term_extractor_reads_real_pairs_and_skips_notes(line, expected):
    assert term_pairs(line) == expected


def test_terms_used_in_the_chapters_are_in_the_glossary(rows):
    found = chapter_terms()
    assert len(found) >= 100, f"only {len(found)} 中文（English） pairs found in the zh chapters: is the extractor broken?"
    english = [row["en"] for row in rows["en"]]
    problems = [
        f"{where}: {term!r} (from 中文（{term}）) is not in the English column of {rel(GLOSSARY['en'])}; "
        f"add a row to both glossary pages, or, if it is not a term, add it to EXCLUDED in {rel(Path(__file__))}"
        for where, term in found
        if term not in EXCLUDED and not any(contains_term(cell, term) for cell in english)
    ]
    assert not problems, "\n" + "\n".join(problems)


def test_excluded_terms_still_occur():
    terms = {term for _, term in chapter_terms()}
    stale = [term for term in EXCLUDED if term not in terms]
    assert not stale, f"EXCLUDED in {rel(Path(__file__))} lists terms no chapter uses any more; remove {stale}"


@pytest.mark.parametrize("cell, term, expected", [
    ("per-seat pricing", "per seat", True),
    ("learning-rate warm-up", "warm-up", True),
    ("most favoured nation (MFN)", "MFN", True),
    ("confirmation bias", "bias", True),
    ("saturation", "saturate", False),
    ("pre-seed", "seed round", False),
])
def test_term_matching_is_by_whole_words(cell, term, expected):
    assert contains_term(cell, term) is expected


# ---------------------------------------------------------------- abbreviations


def abbreviations() -> tuple[dict[str, str], list[str]]:
    assert ABBREVIATIONS.exists(), f"{rel(ABBREVIATIONS)} is missing"
    found, problems = {}, []
    for number, line in enumerate(ABBREVIATIONS.read_text(encoding="utf-8").splitlines(), 1):
        where = f"{rel(ABBREVIATIONS)}:{number}"
        match = ABBR_LINE.match(line)
        if not match:
            problems.append(f"{where}: {line!r} is not of the form '*[ABBR]: expansion（中文）' (no blank lines, no comments)")
            continue
        abbr, title = match.groups()
        if abbr in found:
            problems.append(f"{where}: {abbr} is defined twice")
        if len(abbr) < 2 or not re.fullmatch(r"[A-Za-z][A-Za-z0-9]*[A-Za-z0-9]", abbr) or abbr.islower():
            problems.append(f"{where}: {abbr!r}: define only abbreviations of two or more characters with a capital letter")
        if not (re.search(rf"[{CJK}]", title) and re.search(r"[A-Za-z]{2,}", title)):
            problems.append(f"{where}: the definition of {abbr} must be bilingual: English expansion（中文）")
        found[abbr] = title
    return found, problems


def test_abbreviation_file_has_only_definitions():
    found, problems = abbreviations()
    assert found, f"{rel(ABBREVIATIONS)} defines no abbreviation"
    assert not problems, "\n" + "\n".join(problems)


def test_every_abbreviation_occurs_in_a_page():
    found, _ = abbreviations()
    # The glossary pages do not count: an abbreviation must occur in the book's own text.
    pages = [
        path for path in sorted(DOCS.rglob("*.md"))
        if path not in GLOSSARY.values() and not {"assets", "includes"} & set(path.relative_to(DOCS).parts)
    ]
    text = "\n".join(rendered_text(path) for path in pages)
    # The same word-boundary match the `abbr` extension uses, so "SAFEs" does not count as SAFE.
    unused = [abbr for abbr in found if not re.search(rf"\b{re.escape(abbr)}\b", text)]
    assert not unused, (
        f"{rel(ABBREVIATIONS)}: these abbreviations occur in no page's text (outside code and math): "
        f"{unused}; remove them"
    )
