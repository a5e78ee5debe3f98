"""Job: flag English pages that may lag behind their Chinese source (GUIDE §7).

Chinese is the source language. When the last commit touching x.en.md is from an earlier day
(UTC) than the last one touching x.zh.md, the English page gets a banner saying so. Days, not
times: the banner names the two dates, and zh and en edited the same day (a terminology pass on
the Chinese pages an hour after both were written) would read "changed on 2026-12-07; this English
page was last changed on 2026-12-07". `make i18n-status` prints the same
comparison for every pair (scripts/i18n_status.py imports `drift` from here). Files with no commit
yet count as changed now; a shallow clone without history shows no banner.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

BANNER = ('!!! warning "This translation may be outdated"\n'
          "    The Chinese original of this page changed on {zh}; this English page was last changed on {en}.\n"
          '    Until someone updates it, the <a href="{link}" hreflang="zh">Chinese version</a> is authoritative.\n\n')


def last_change(path: Path) -> dt.datetime:
    """Time of the last commit touching `path`, or now if it has uncommitted changes or none."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=path.parent, capture_output=True, text=True, check=False).stdout.strip()

    now = dt.datetime.now(dt.timezone.utc)
    if git("status", "--porcelain", "--", path.name):
        return now
    stamp = git("log", "-1", "--format=%cI", "--", path.name)
    return dt.datetime.fromisoformat(stamp) if stamp else now


def drift(zh: Path, en: Path) -> tuple[dt.datetime, dt.datetime, bool]:
    """(zh changed, en changed, en last changed on an earlier day than zh)."""
    zh_time, en_time = last_change(zh), last_change(en)
    return zh_time, en_time, day(en_time) < day(zh_time)


def day(time: dt.datetime) -> dt.date:
    return time.astimezone(dt.timezone.utc).date()


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".en.md"):
        return markdown
    en = Path(page.file.abs_src_path)
    zh = en.with_name(en.name.replace(".en.md", ".zh.md"))
    if not zh.is_file():
        return markdown
    zh_time, en_time, outdated = drift(zh, en)
    if not outdated:
        return markdown
    # the zh twin's built URL, relative to this page: en/x/y/ -> ../../../x/y/ (en/x/y.html offline)
    link = "../" * page.url.count("/") + page.url.removeprefix("en/")
    banner = BANNER.format(zh=day(zh_time), en=day(en_time), link=link)
    title, _, body = markdown.partition("\n")
    return f"{title}\n\n{banner}{body}" if title.startswith("# ") else banner + markdown
