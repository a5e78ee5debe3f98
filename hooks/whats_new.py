"""Job: the What's new page and its Atom feed, from docs/includes/whats-new.yml.

Authors add one entry per substantive content change (a new chapter, a rule that changed, a
corrected figure) to the YAML file, in both languages. Git history is not used: commit messages are
written for contributors, in English, and mix typo fixes with changes a reader cares about.
The page docs/appendix/whats-new.{zh,en}.md holds the marker `<!-- whats-new -->`, replaced here by
the entries grouped by month, newest first; `feed.xml` (zh) and `en/feed.xml` (en) are Atom feeds
of the same entries, written next to the site (no request leaves the site: readers' feed readers
fetch them).
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from xml.etree import ElementTree as ET

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.whats_new")
MARKER = "<!-- whats-new -->"
SOURCE = "includes/whats-new.yml"
FEED_TITLE = {"zh": "大模型时代创业指南：更新记录", "en": "The Founder's Guide to the Large-Model Era: what's new"}
_entries: list[dict] = []


def load(path: Path, docs: Path) -> tuple[list[dict], list[str]]:
    """(entries newest first, problems). ValueError naming the entry when one is incomplete; a page
    that does not exist is a problem (a warning, so --strict fails) and its link is left out."""
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except yaml.YAMLError as err:
        raise ValueError(f"docs/{SOURCE}: not valid YAML: {err}") from None
    entries, problems = [], []
    for number, entry in enumerate(raw, 1):
        where = f"docs/{SOURCE}: entry {number}"
        if not isinstance(entry, dict) or not {"date", "zh", "en"} <= entry.keys():
            raise ValueError(f"{where}: needs date, zh and en")
        date = entry["date"]
        if not isinstance(date, dt.date):
            raise ValueError(f"{where}: date {date!r} is not YYYY-MM-DD")
        pages = []
        for page in entry.get("pages", []):
            if (docs / page.replace(".md", ".zh.md")).is_file():
                pages.append(page)
            else:
                problems.append(f"{where}: page {page} does not exist (give it as part/name.md)")
        entries.append({**entry, "pages": pages})
    return sorted(entries, key=lambda e: e["date"], reverse=True), problems


def render(entries: list[dict], lang: str, titles: dict[str, str]) -> str:
    out, month = [], None
    for entry in entries:
        if entry["date"].strftime("%Y-%m") != month:
            month = entry["date"].strftime("%Y-%m")
            out.append(f"\n## {month} {{ #m{month} }}\n")
        links = "".join(f" [{titles.get(p, p)}](../{p})" for p in entry["pages"])
        out.append(f"- **{entry['date'].isoformat()}** {entry[lang].strip()}{links}")
    return "\n".join(out) + "\n"


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _entries
    _entries, problems = load(Path(config.docs_dir) / SOURCE, Path(config.docs_dir))
    for problem in problems:
        log.warning(problem)
    return files


def _titles(docs: Path, lang: str, pages: set[str]) -> dict[str, str]:
    """part/name.md -> the page's `# Title` in `lang`, for the pages the entries link to."""
    titles = {}
    for page in pages:
        path = docs / page.replace(".md", f".{lang}.md")
        lines = path.read_text(encoding="utf-8").splitlines()
        titles[page] = next((line[2:].strip() for line in lines if line.startswith("# ")), path.stem)
    return titles


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if MARKER not in markdown:
        return markdown
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    titles = _titles(Path(config.docs_dir), lang, {p for e in _entries for p in e["pages"]})
    return markdown.replace(MARKER, render(_entries, lang, titles))


def feed(entries: list[dict], lang: str, site_url: str) -> bytes:
    ns = "http://www.w3.org/2005/Atom"
    base = site_url.rstrip("/") + ("/en/" if lang == "en" else "/")
    root = ET.Element("feed", xmlns=ns)
    ET.SubElement(root, "title").text = FEED_TITLE[lang]
    ET.SubElement(root, "id").text = base + "appendix/whats-new/"
    ET.SubElement(root, "link", href=base + "appendix/whats-new/")
    ET.SubElement(root, "updated").text = f"{entries[0]['date'].isoformat()}T00:00:00Z" if entries else "1970-01-01T00:00:00Z"
    for number, entry in enumerate(entries):
        item = ET.SubElement(root, "entry")
        text = entry[lang].strip()
        ET.SubElement(item, "title").text = text.split("。")[0].split(". ")[0][:120]
        ET.SubElement(item, "id").text = f"{base}appendix/whats-new/#{entry['date'].isoformat()}-{len(entries) - number}"
        link = entry["pages"][0].removesuffix(".md").removesuffix("index") + "/" if entry["pages"] else "appendix/whats-new/"
        link = link.lstrip("/")
        ET.SubElement(item, "link", href=base + link)
        ET.SubElement(item, "updated").text = f"{entry['date'].isoformat()}T00:00:00Z"
        ET.SubElement(item, "summary").text = text
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def on_post_build(config: MkDocsConfig) -> None:
    site = Path(config.site_dir)
    for lang, folder in (("zh", site), ("en", site / "en")):
        if folder.is_dir():
            (folder / "feed.xml").write_bytes(feed(_entries, lang, config.site_url or "http://127.0.0.1:8000/"))
