"""Job: put each Mermaid diagram into the page as an SVG drawn at authoring time, not in the browser.

Drawing Mermaid in the reader's browser blocked a phone's main thread for seconds (issue #20,
GUIDE §10). `make diagrams` (scripts/diagrams.py) draws every ```mermaid block in docs/ once, with
the vendored Mermaid and Material's own diagram styles, in Chromium, and stores the SVG in
docs/assets/diagrams/<key>.svg, where <key> is a hash of the diagram's source and the Mermaid
version; the folder is committed, so a build needs no browser. The SVG takes its colours from
Material's CSS variables (--md-mermaid-*), so one drawing follows the light and the dark palette;
its labels stay text (selectable, searchable) and it gets a label in the page's language.

A diagram with no SVG in the cache (new or edited, `make diagrams` not run yet) stays a Mermaid
block that the browser draws as before (overrides/main.html loads Mermaid lazily), so the page is
still right; tests/site/test_diagrams.py names the file and line so that CI asks for
`make diagrams`.
"""

from __future__ import annotations

import hashlib
import html
import logging
import re
import textwrap
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / "docs" / "assets" / "diagrams"
VENDORED = ROOT / "docs" / "assets" / "vendor" / "VENDOR.md"  # written by `make vendor`
# Bump when scripts/diagrams.py draws differently, so every cached SVG counts as stale.
RENDERER = "1"
BLOCK = re.compile(r'<pre class="mermaid"><code>(.*?)</code></pre>', re.S)
SVG_ROLE = re.compile(r'^<svg\b([^>]*?)\srole="[^"]*"')
MAX_WIDTH = re.compile(r'^(<svg\b[^>]*?\sstyle="max-width: ([0-9.]+)px;)')
# Mermaid draws its labels at 16 px and the SVG shrinks to the column: a diagram four times wider
# than the column had 4 px text. It may shrink to 3/4 of its drawn size (12 px text, the smallest
# Lighthouse counts as legible) and scrolls sideways beyond that (.mermaid-diagram in extra.css).
MIN_SCALE = 0.75
LABEL = {"zh": "图：", "en": "Diagram: "}
LABEL_SEPARATOR = {"zh": "；", "en": "; "}
log = logging.getLogger(f"mkdocs.hooks.{__name__}")


def normalize(code: str) -> str:
    """The diagram's source as the cache sees it: indentation and trailing blanks do not count."""
    return textwrap.dedent("\n".join(line.rstrip() for line in code.splitlines())).strip("\n")


def mermaid_version() -> str:
    """The version of the vendored Mermaid, as recorded by `make vendor`."""
    found = re.search(r"^\| mermaid \| ([^ |]+) \|", VENDORED.read_text(encoding="utf-8"), re.M)
    if not found:
        raise RuntimeError(f"{VENDORED}: no row for mermaid; run `make vendor`")
    return found.group(1)


def diagram_key(code: str, version: str | None = None) -> str:
    """Cache key of a diagram: its normalized source, the Mermaid version and the renderer."""
    text = f"mermaid {version or mermaid_version()}\nrenderer {RENDERER}\n{normalize(code)}"
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:20]


def cached_svg(key: str) -> Path:
    return CACHE / f"{key}.svg"


def labelled(svg: str, labels: str, lang: str) -> str:
    """The SVG as an image whose accessible name, in the page's language, lists its labels."""
    name = html.escape(LABEL[lang] + labels, quote=True)
    svg = SVG_ROLE.sub(r"<svg\1", svg, count=1)
    return svg.replace("<svg", f'<svg role="img" aria-label="{name}"', 1)


def diagram_labels(svg: str, lang: str) -> str:
    """The texts of the diagram's nodes and edges, in drawing order, each once."""
    texts = re.findall(r"<(?:p|tspan|span)\b[^>]*>([^<>]+)</(?:p|tspan|span)>", svg)
    seen: dict[str, None] = {}
    for text in texts:
        text = html.unescape(text).strip()
        if text:
            seen.setdefault(text)
    return LABEL_SEPARATOR[lang].join(seen)


def legible(svg: str) -> str:
    """The SVG with a minimum width that keeps its text at least 12 px high."""
    return MAX_WIDTH.sub(lambda m: f"{m.group(1)} min-width: {float(m.group(2)) * MIN_SCALE:.0f}px;", svg, count=1)


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lang = "en" if ".en." in page.file.src_uri else "zh"
    version = mermaid_version()

    def inline(match: re.Match) -> str:
        key = diagram_key(html.unescape(match.group(1)), version)
        path = cached_svg(key)
        if not path.is_file():
            log.info("%s: a Mermaid diagram has no drawn SVG (key %s); the browser draws it. "
                     "Run `make diagrams`.", page.file.src_uri, key)
            return match.group(0)
        svg = legible(path.read_text(encoding="utf-8"))
        return f'<div class="mermaid-diagram">{labelled(svg, diagram_labels(svg, lang), lang)}</div>'

    return BLOCK.sub(inline, content)
