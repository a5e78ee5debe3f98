"""Job: keep notebook pages offline by replacing mkdocs-jupyter's MathJax with the site's KaTeX.

mkdocs-jupyter's template inserts a MathJax 2.7 <script> from a CDN plus its configuration into
every notebook page. We cut that block out; overrides/main.html then loads the vendored KaTeX on
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


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        html = MATHJAX_BLOCK.sub("", html)
    return html
