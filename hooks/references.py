"""Job: generate the References appendix from the footnotes of every page (never kept by hand).

docs/appendix/references.{zh,en}.md contain the marker line `<!-- references -->`; we replace it
with every footnote definition (`[^id]: ...`) of the pages in the same language, grouped by part
in nav order, each group listing its pages and their sources. A source cited on several pages is
listed under each page that cites it.
"""

from __future__ import annotations

import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

MARKER = "<!-- references -->"
FOOTNOTE = re.compile(r"^\[\^([^\]]+)\]:[ \t]*(.*(?:\n(?:    |\t).*)*)", re.M)
PARTS = ["guide", "financing", "talent", "ecosystem", "fundamentals", "appendix"]
PART_TITLES = {
    "zh": {"guide": "开始", "financing": "融资", "talent": "人才", "ecosystem": "生态与资源整合",
           "fundamentals": "模型基础", "appendix": "附录"},
    "en": {"guide": "Start", "financing": "Financing", "talent": "Talent", "ecosystem": "Ecosystem and resource integration",
           "fundamentals": "Model fundamentals", "appendix": "Appendices"},
}


def collect(docs: Path, lang: str, nav_order: list[str]) -> dict[str, list[tuple[str, str, list[str]]]]:
    """part -> [(page src path without suffix, page title, [reference texts])] in nav order."""
    order = {name: i for i, name in enumerate(nav_order)}
    groups: dict[str, list[tuple[str, str, list[str]]]] = {part: [] for part in PARTS}
    pages = sorted(docs.rglob(f"*.{lang}.md"), key=lambda p: order.get(_key(docs, p, lang), len(order)))
    for path in pages:
        part = path.relative_to(docs).parts[0] if len(path.relative_to(docs).parts) > 1 else "guide"
        text = path.read_text(encoding="utf-8")
        refs = [" ".join(body.split()) for _, body in FOOTNOTE.findall(text)]
        if refs and part in groups and not path.name.startswith("references."):
            title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), path.stem)
            groups[part].append((_key(docs, path, lang), title, refs))
    return groups


def _key(docs: Path, path: Path, lang: str) -> str:
    return path.relative_to(docs).as_posix().replace(f".{lang}.md", ".md")


def render(groups, lang: str) -> str:
    out = []
    for part, pages in groups.items():
        if not pages:
            continue
        out.append(f"## {PART_TITLES[lang][part]} {{ #{part} }}\n")
        for key, title, refs in pages:
            out.append(f"### [{title}](../{key})\n")
            out += [f"- {ref}" for ref in refs]
            out.append("")
    return "\n".join(out)


def _nav_files(nav) -> list[str]:
    out = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        out += _nav_files(value) if isinstance(value, list) else [value]
    return out


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    groups = collect(Path(config.docs_dir), lang, _nav_files(config.nav))
    return markdown.replace(MARKER, render(groups, lang))
