"""Job: every page says when it last changed, from git, in the page's language.

Material shows `page.meta.revision_date` at the foot of the page. We would rather use
mkdocs-git-revision-date-localized-plugin, but its query (`git log --diff-filter=r`) returns no
commits on git 2.39 (Debian 12, the git of our CI machine), so every page got the build date.
Here one `git log` over docs/ gives the last commit date of every file (a few ms for the whole
site); a file with uncommitted changes, or a checkout without history, gets today's date.
The date is formatted with Babel (a Material dependency): 2026年12月7日 / December 7, 2026.
"""

from __future__ import annotations

import datetime as dt
import subprocess
from pathlib import Path

from babel.dates import format_date
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

_dates: dict[str, dt.date] = {}


def last_changed(folder: Path) -> dict[str, dt.date]:
    """Path relative to `folder` -> date of the last commit touching it (uncommitted: today)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=False).stdout

    dates: dict[str, dt.date] = {}
    date = None
    for line in git("log", "--format=@%cs", "--name-only", "--relative", "--", ".").splitlines():
        if line.startswith("@"):
            date = dt.date.fromisoformat(line[1:])
        elif line and date:
            dates.setdefault(line, date)  # newest commit first: keep the first date seen
    today, prefix = dt.date.today(), git("rev-parse", "--show-prefix").strip()
    for line in git("status", "--porcelain", "--untracked-files=all", "--", ".").splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')  # porcelain paths start at the repository root
        dates[path.removeprefix(prefix)] = today
    return dates


def on_files(files: Files, config: MkDocsConfig) -> Files:
    global _dates
    _dates = last_changed(Path(config.docs_dir))
    return files


def on_page_markdown(markdown: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    lang = "en" if ".en." in page.file.src_uri else "zh"
    date = _dates.get(page.file.src_uri, dt.date.today())
    page.meta["revision_date"] = format_date(date, format="long", locale=lang)
    return markdown
