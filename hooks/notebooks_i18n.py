"""Job: make mkdocs-jupyter render notebooks under mkdocs-static-i18n (suffix layout).

mkdocs-jupyter marks `*.ipynb` files as pages in `on_files`; mkdocs-static-i18n then rebuilds
every file object in its own `on_files` (priority -100) and the mark is lost, so the notebook is
copied raw to `.../index.html` (static-i18n issue #198). Running after i18n, we mark the
localized notebook files as documentation pages again; i18n has already given them the right
destination (`notebooks/x.en.ipynb` -> `en/notebooks/x/`), and mkdocs-jupyter's `on_pre_page`
then renders them.
"""

from __future__ import annotations

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority
from mkdocs.structure.files import Files


def _is_page() -> bool:
    return True


@event_priority(-200)  # after mkdocs-static-i18n's on_files (-100)
def on_files(files: Files, config: MkDocsConfig) -> Files:
    for file in files:
        if file.src_uri.endswith(".ipynb"):
            file.is_documentation_page = _is_page  # instance attribute overrides File's method
    return files
