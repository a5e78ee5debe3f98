"""Job: stamp every page that shows code with the versions it was verified with (GUIDE §7).

The stamp is generated at build time, never typed: the Python and torch versions of the
environment that builds the site (the same environment in which `make test` executes every code
block and every notebook), and the build date (SOURCE_DATE_EPOCH when set, for reproducible builds).

Notebook pages get a bar at the top instead: the same stamp, a download link for the .ipynb and an
"Open in Colab" link (plain links: nothing is requested from Colab or GitHub when the page loads).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
import html
import re
from importlib.metadata import PackageNotFoundError, version

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

HAS_CODE = re.compile(r"^\s*```python\s*$", re.M)
TEMPLATES = {
    "zh": "本页代码的验证环境：Python {python}，PyTorch {torch}，{date}（构建时生成）。",
    "en": "Code on this page verified with Python {python} and PyTorch {torch} on {date} (generated at build time).",
}


def _torch_version() -> str:
    try:
        return version("torch").split("+")[0]
    except PackageNotFoundError:
        return "not installed"


def _build_date() -> str:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    when = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return when.date().isoformat()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not HAS_CODE.search(markdown):
        return markdown
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    stamp = TEMPLATES[lang].format(python=platform.python_version(), torch=_torch_version(), date=_build_date())
    return f'{markdown}\n\n<p class="verified-with" markdown>{stamp}</p>\n'


COLAB = "https://colab.research.google.com/github/{repo}/blob/main/docs/notebooks/{name}"
NOTEBOOK_BAR = {
    "zh": ("下载笔记本（.ipynb）", "在 Colab 中打开",
           "本笔记本由测试套件在 Python {python}、PyTorch {torch} 下从头到尾运行，{date}（构建时生成）。"),
    "en": ("Download the notebook (.ipynb)", "Open in Colab",
           "This notebook is run top to bottom by the test suite with Python {python} and PyTorch {torch} "
           "on {date} (generated at build time)."),
}


def notebook_bar(name: str, lang: str, repo_url: str) -> str:
    """Download and Colab links plus the versions stamp for the notebook file `name` (e.g. x.en.ipynb)."""
    download, colab, stamp = NOTEBOOK_BAR[lang]
    repo = "/".join(repo_url.rstrip("/").split("/")[-2:])
    stamp = stamp.format(python=platform.python_version(), torch=_torch_version(), date=_build_date())
    return (f'<p class="notebook-bar"><a href="{html.escape(name)}" download>{download}</a> · '
            f'<a href="{html.escape(COLAB.format(repo=repo, name=name))}" rel="noopener">{colab}</a></p>\n'
            f'<p class="verified-with">{stamp}</p>\n')


def on_page_content(content: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".ipynb"):
        return content
    lang = "en" if page.file.src_uri.endswith(".en.ipynb") else "zh"
    return notebook_bar(page.file.src_uri.split("/")[-1], lang, config.repo_url or "") + content
