"""Job: stamp every page that shows code with the versions it was verified with (GUIDE §7).

The stamp is generated at build time, never typed: the Python and torch versions of the
environment that builds the site (the same environment in which `make test` executes every code
block), and the build date (SOURCE_DATE_EPOCH when set, for reproducible builds).
"""

from __future__ import annotations

import datetime as dt
import os
import platform
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
