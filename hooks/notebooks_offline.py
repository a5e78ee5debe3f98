"""Job: keep notebook pages offline (no CDN), with math rendered by the site's KaTeX.

mkdocs-jupyter's template inserts into every notebook page a MathJax 2.7 <script> from a CDN plus
its configuration, and a module script that imports Mermaid from a CDN when the notebook has a
Mermaid cell. We cut both out (our notebooks have no Mermaid cells; diagrams live in the pages); overrides/main.html then loads the vendored KaTeX on
pages that contain a notebook, and docs/assets/javascripts/katex-init.js renders `$...$` in the
notebook's Markdown cells. If mkdocs-jupyter changes its markers, the CDN tag survives and the
"no external assets" test fails, which is what we want.
"""

from __future__ import annotations

import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

MATHJAX_BLOCK = re.compile(r"<!-- Load mathjax -->.*?<!-- End of mathjax configuration -->", re.S)
MERMAID_MODULE = re.compile(r'<script type="module">\s*document\.addEventListener\("DOMContentLoaded".*?mermaid.*?</script>', re.S)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        html = MERMAID_MODULE.sub("", MATHJAX_BLOCK.sub("", html))
    return html
