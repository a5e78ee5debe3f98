"""Job: give the offline edition a search index with both languages.

Material's offline plugin inlines search/search_index.json into search/search_index.js (for
file:// there is no fetch). Under mkdocs-static-i18n it does so while the English build runs,
before i18n merges the Chinese pages into the index, so offline search found only English.
Running last, we inline the final, merged index again.
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.plugins import event_priority


@event_priority(-1000)  # after the offline plugin (-100) and i18n's search merge
def on_post_build(config: MkDocsConfig) -> None:
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    search = Path(config.site_dir) / "search"
    if offline is None or not offline.config.enabled or not (search / "search_index.json").is_file():
        return
    data = (search / "search_index.json").read_text(encoding="utf-8")
    (search / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
