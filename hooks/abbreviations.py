"""Job: abbreviation tooltips in the page's language.

docs/includes/abbreviations.md stays the one list (a line per abbreviation, both languages:
`*[ARR]: annual recurring revenue（年度经常性收入）`). Each Markdown page gets the definitions of its
own language appended, for the `abbr` extension to turn into <abbr title="…"> tooltips:

- English pages (`*.en.md`): `*[ARR]: annual recurring revenue`
- Chinese pages:             `*[ARR]: 年度经常性收入（annual recurring revenue）`

so English readers see no Chinese and Chinese readers get the Chinese name first, with the English
one the abbreviation stands for. (This replaces pymdownx.snippets' auto_append, which put the
bilingual line on every page.) tests/site/test_abbreviations.py checks the built pages.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ABBREVIATIONS = ROOT / "docs" / "includes" / "abbreviations.md"
DEFINITION = re.compile(r"^\*\[([^\]\s][^\]]*)\]: (\S.*)$")


def split_definition(title: str) -> tuple[str, str]:
    """'English（中文）' -> ('English', '中文'); the Chinese part is the last full-width parenthesis."""
    title = title.strip()
    if not title.endswith("）"):
        raise ValueError(f"{title!r} does not end with （中文）")
    depth = 0
    for i in range(len(title) - 1, -1, -1):
        depth += {"）": 1, "（": -1}.get(title[i], 0)
        if depth == 0:
            english, chinese = title[:i].strip(), title[i + 1:-1].strip()
            if not english or not chinese:
                raise ValueError(f"{title!r}: an English expansion and a Chinese one are both needed")
            return english, chinese
    raise ValueError(f"{title!r}: unbalanced parentheses")


def definitions(path: Path = ABBREVIATIONS) -> dict[str, dict[str, str]]:
    """{abbreviation: {"en": expansion, "zh": 中文（expansion）}} from the bilingual file."""
    out = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        match = DEFINITION.match(line)
        if match:
            english, chinese = split_definition(match.group(2))
            out[match.group(1)] = {"en": english, "zh": f"{chinese}（{english}）"}
    return out


def block(lang: str, path: Path = ABBREVIATIONS) -> str:
    return "\n".join(f"*[{abbr}]: {titles[lang]}" for abbr, titles in definitions(path).items())


def page_language(src_uri: str) -> str:
    return "en" if src_uri.endswith(".en.md") else "zh"


_cache: dict[str, str] = {}


def on_pre_build(config) -> None:
    _cache.clear()  # re-read on every build (mkdocs serve)


def on_page_markdown(markdown: str, page, config, files) -> str:
    src = page.file.src_uri
    path = Path(config["docs_dir"]) / "includes" / "abbreviations.md"
    if not src.endswith(".md") or not path.is_file():
        return markdown
    lang = page_language(src)
    if lang not in _cache:
        _cache[lang] = block(lang, path)
    return f"{markdown.rstrip()}\n\n{_cache[lang]}\n"
