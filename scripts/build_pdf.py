"""`make pdf`: the book as one PDF per language, from the built site, printed by Chromium.

For each language the chapters of the built site (site/, in nav order) are put into one print
page: a cover, a table of contents with links, then every part and chapter. Ids and links are
prefixed per chapter so that footnotes and cross-references jump inside the PDF; links to pages
outside the book go to the website. Formulas are rendered by the site's KaTeX; diagrams are the SVGs
drawn by `make diagrams` (hooks/diagrams.py). Chromium's page.pdf() then writes bookmarks from
the headings (parts, chapters, sections), embeds the fonts it used (CJK included) and numbers the
pages.

    python scripts/build_pdf.py [SITE_DIR] [OUT_DIR] [--pages a/b.md,c/d.md]

--pages keeps only the named nav entries (the test builds a small edition that way).
"""

from __future__ import annotations

import datetime as dt
import html
import os
import re
import sys
import time
from pathlib import Path
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site import bookcheck  # noqa: E402
from tests.site.browsing import serve_directory  # noqa: E402

NAME = "founders-guide"
ARTICLE = re.compile(r'<article class="md-content__inner md-typeset">(.*?)</article>', re.S)
TITLE = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)
HEADERLINK = re.compile(r'<a class="(?:headerlink|anchor-link)"[^>]*>.*?</a>', re.S)
BUTTONS = re.compile(r'<a [^>]*class="md-content__button[^"]*"[^>]*>.*?</a>', re.S)
ID_ATTR = re.compile(r'\s(id|for)="([^"]+)"')
HREF = re.compile(r'\shref="([^"]*)"')
SRC = re.compile(r'\ssrc="([^"]*)"')
HEADING = re.compile(r"<(/?)h([1-5])\b")
TEXT = {
    "zh": {"contents": "目录", "edition": "PDF 版，{date} 由网站 {url} 构建"},
    "en": {"contents": "Contents", "edition": "PDF edition, built {date} from the website {url}"},
}
PRINT_CSS = """
@page { size: A4; margin: 16mm 15mm 18mm; }
body { background: #fff; }
.pdf-cover { height: 240mm; display: flex; flex-direction: column; justify-content: center; }
.pdf-cover h1 { font-size: 2.2rem; margin: 0 0 1rem; color: var(--md-primary-fg-color); }
.pdf-cover p { font-size: 0.8rem; }
.pdf-toc, .pdf-part, .pdf-chapter { break-before: page; }
.md-typeset .pdf-toc ol { list-style: none; margin-left: 0; padding-left: 0; }
.md-typeset .pdf-toc ol ol { margin-left: 1.2em; }
.md-typeset .pdf-toc > ol > li > a { font-weight: 700; }
.pdf-part h1 { font-size: 1.8rem; margin-top: 30%; }
.md-typeset pre, .md-typeset pre > code { white-space: pre-wrap; overflow-wrap: anywhere; overflow: visible; }
.md-typeset .katex-display { overflow: visible; }
.md-typeset .md-typeset__scrollwrap, .md-typeset .md-typeset__table { overflow: visible; }
.md-typeset table:not([class]) { font-size: 0.45rem; }
.md-typeset .mermaid-diagram { break-inside: avoid; }
.md-typeset .mermaid-diagram > svg { max-height: 220mm; min-width: 0 !important; }  /* paper does not scroll */
.md-clipboard, .md-content__button { display: none !important; }
"""


def nav_sections(config: dict) -> list[tuple[str, list[str]]]:
    """[(section title, [nav entries])] in the book's order."""
    return [(title, bookcheck.nav_entries(entries)) for item in config["nav"] for title, entries in item.items()]


def i18n_language(config: dict, locale: str) -> dict:
    i18n = next(p["i18n"] for p in config["plugins"] if isinstance(p, dict) and "i18n" in p)
    return next(entry for entry in i18n["languages"] if entry["locale"] == locale)


def book_sections(config: dict, lang: str, only: set[str] | None = None) -> list[tuple[str, list[str]]]:
    """The parts of the book in `lang` with their nav entries (only those in `only`, if given)."""
    names = i18n_language(config, "en")["nav_translations"] if lang == "en" else {}
    sections = [(names.get(title, title), [e for e in entries if only is None or e in only])
                for title, entries in nav_sections(config)]
    return [(title, entries) for title, entries in sections if entries]


def page_url(entry: str, lang: str) -> str:
    """Site path of a nav entry: 'fundamentals/cnn.md' -> 'en/fundamentals/cnn/'."""
    path = re.sub(r"\.(md|ipynb)$", "", entry)
    path = "" if path == "index" else re.sub(r"(^|/)index$", "", path) + "/"
    return ("en/" if lang == "en" else "") + path


def slug(url: str) -> str:
    return re.sub(r"^en/", "", url).strip("/").replace("/", "-") or "home"


def page_title(page_html: str) -> str | None:
    """The text of the page's <h1>, as a reader sees it."""
    title = TITLE.search(HEADERLINK.sub("", page_html))
    return html.unescape(re.sub(r"<[^>]+>", "", title.group(1))).strip() if title else None


def chapter_html(site: Path, url: str, lang: str, book: dict[str, str], site_url: str) -> tuple[str, str]:
    """(title, article HTML) of the built page at `url`, its ids and links made PDF-internal."""
    text = (site / url / "index.html").read_text(encoding="utf-8")
    match = ARTICLE.search(text)
    if not match:
        sys.exit(f"scripts/build_pdf.py: no <article> in {url}index.html; has the theme changed?")
    body = BUTTONS.sub("", HEADERLINK.sub("", match.group(1)))
    if 'class="mermaid"' in body:
        sys.exit(f"scripts/build_pdf.py: /{url} has a Mermaid diagram without a drawn SVG; run `make diagrams`")
    prefix = slug(url)
    body = ID_ATTR.sub(lambda m: m.group(0) if m.group(2).startswith("mermaid-")
                       else f' {m.group(1)}="{prefix}--{m.group(2)}"', body)
    here = "/" + url

    def link(m: re.Match) -> str:
        href = html.unescape(m.group(1))
        if href.startswith("#"):
            return f' href="#{prefix}--{href[1:]}"' if href[1:] else f' href="#{prefix}"'
        parts = urlsplit(href)
        if parts.scheme or href.startswith(("mailto:", "//")):
            return m.group(0)
        target = urlsplit(urljoin(here, href))
        path = target.path.lstrip("/")
        if path in book:
            anchor = f"{book[path]}--{target.fragment}" if target.fragment else book[path]
            return f' href="#{anchor}"'
        return f' href="{html.escape(urljoin(site_url, path + ("#" + target.fragment if target.fragment else "")))}"'

    body = HREF.sub(link, body)
    body = SRC.sub(lambda m: m.group(0) if urlsplit(m.group(1)).scheme or m.group(1).startswith("data:")
                   else f' src="{urljoin(here, m.group(1))}"', body)
    body = body.replace("<details", "<details open")
    title_text = page_title(body) or prefix
    body = HEADING.sub(lambda m: f"<{m.group(1)}h{int(m.group(2)) + 1}", body)  # parts are the h1s
    return title_text, f'<section class="pdf-chapter" id="{prefix}">{body}</section>'


def print_page(site: Path, lang: str, config: dict, only: set[str] | None) -> str:
    site_url = config.get("site_url", "/")
    site_url = site_url + ("en/" if lang == "en" else "")
    en = i18n_language(config, "en")
    name = en["site_name"] if lang == "en" else config["site_name"]
    description = en["site_description"] if lang == "en" else config["site_description"]
    sections = book_sections(config, lang, only)
    book = {page_url(e, lang): slug(page_url(e, lang)) for _, entries in sections for e in entries}
    toc, parts = [], []
    for number, (title, entries) in enumerate(sections):
        chapters = [chapter_html(site, page_url(e, lang), lang, book, site_url) for e in entries]
        toc.append(f'<li><a href="#part-{number}">{html.escape(title)}</a><ol>'
                   + "".join(f'<li><a href="#{slug(page_url(e, lang))}">{html.escape(t)}</a></li>'
                             for e, (t, _) in zip(entries, chapters)) + "</ol></li>")
        parts.append(f'<section class="pdf-part" id="part-{number}"><h1>{html.escape(title)}</h1></section>'
                     + "".join(body for _, body in chapters))
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    date = (dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)).date()
    sample = (site / page_url(sections[0][1][0], lang) / "index.html").read_text(encoding="utf-8")
    sheets = re.findall(r'<link rel="stylesheet" href="(?:\.\./)*([^"]+)"', sample)
    katex = [s for s in ("assets/vendor/katex/katex.min.js", "assets/vendor/katex/auto-render.min.js",
                         "assets/javascripts/katex-init.js")]
    return f"""<!doctype html>
<html lang="{'en' if lang == 'en' else 'zh'}"><head><meta charset="utf-8"><title>{html.escape(name)}</title>
{''.join(f'<link rel="stylesheet" href="/{s}">' for s in sheets + ["assets/vendor/katex/katex.min.css"])}
<style>{PRINT_CSS}</style></head>
<body dir="ltr" data-md-color-scheme="default" data-md-color-primary="indigo" data-md-color-accent="indigo">
<div class="md-typeset">
<section class="pdf-cover"><h1>{html.escape(name)}</h1><p>{html.escape(description)}</p>
<p>{html.escape(TEXT[lang]["edition"].format(date=date.isoformat(), url=site_url))}</p></section>
<nav class="pdf-toc"><h1>{TEXT[lang]["contents"]}</h1><ol>{''.join(toc)}</ol></nav>
{''.join(parts)}
</div>
{''.join(f'<script src="/{s}"></script>' for s in katex)}
</body></html>"""


def build_pdfs(site: Path, out: Path, only: set[str] | None = None) -> list[Path]:
    from playwright.sync_api import sync_playwright

    from tests.site.conftest import CHROMIUM_ARGS, chromium_executable

    config = bookcheck.load_mkdocs_yml(ROOT / "mkdocs.yml")
    out.mkdir(parents=True, exist_ok=True)
    written = []
    executable = chromium_executable()
    with serve_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(args=CHROMIUM_ARGS, **({"executable_path": executable} if executable else {}))
        for lang in ("zh", "en"):
            document = print_page(site, lang, config, only)
            name = f"{NAME}-{lang}.pdf"
            (site / f".print-{lang}.html").write_text(document, encoding="utf-8")
            try:
                page = browser.new_page()
                page.route("**/*", lambda route: route.continue_() if route.request.url.startswith(base)
                           else route.abort())  # nothing leaves the machine
                page.goto(f"{base}.print-{lang}.html", wait_until="load", timeout=120_000)
                page.wait_for_function("() => [...document.querySelectorAll('.arithmatex')]"
                                       ".every(el => el.querySelector('.katex, .katex-error'))", timeout=120_000)
                page.evaluate("document.fonts.ready.then(() => true)")
                page.pdf(path=str(out / name), format="A4", scale=0.8, print_background=True, outline=True, tagged=True,
                         display_header_footer=True, header_template="<span></span>",
                         footer_template='<div style="font-size:8px;width:100%;text-align:center;color:#666">'
                                         '<span class="pageNumber"></span> / <span class="totalPages"></span></div>')
                page.close()
            finally:
                (site / f".print-{lang}.html").unlink()
            written.append(out / name)
        browser.close()
    return written


def main() -> None:
    args = [a for a in sys.argv[1:] if not a.startswith("--pages")]
    only = next((set(a.split("=", 1)[1].split(",")) for a in sys.argv[1:] if a.startswith("--pages=")), None)
    site = Path(args[0]) if args else ROOT / "site"
    out = Path(args[1]) if len(args) > 1 else ROOT / "pdf"
    start = time.perf_counter()
    for path in build_pdfs(site.resolve(), out.resolve(), only):
        print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}: {path.stat().st_size / 1e6:.1f} MB")
    print(f"PDF editions written in {time.perf_counter() - start:.0f} s")


if __name__ == "__main__":
    main()
