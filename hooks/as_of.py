"""Job: show readers when each time-sensitive fact was last checked (the as-of mark).

Authors end a footnote about a law, price, licence, funding round, programme or market figure with
`checked: YYYY-MM-DD` (or `checked: YYYY-MM`), the same in zh and en (CONTRIBUTING.md). This hook
renders the mark as a small "as of 2026-12" / "截至 2026-12" badge wherever it appears (footnotes
and the generated References page), and fails the strict build with file:line for a malformed date.
`make freshness` (scripts/freshness.py) reads the same marks with `parse_date` from here.
"""

from __future__ import annotations

import datetime as dt
import logging
import re

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

log = logging.getLogger("mkdocs.hooks.as_of")

# "checked:" and the word after it; trailing punctuation is not part of the date.
MARK = re.compile(r"(?<![\w:.-])checked:[ \t]+([^\s<&]*)")
TRAILING = ".,;:)]。，；：）】"
LABEL = {"zh": ("截至 {date}", "该来源最后一次核实的日期"),
         "en": ("as of {date}", "the date this source was last checked")}
CODE = re.compile(r"(<pre\b.*?</pre>|<code\b.*?</code>)", re.S)


class MalformedDate(ValueError):
    """A `checked:` mark whose date is not YYYY-MM or YYYY-MM-DD (or is not a real date)."""


def parse_date(value: str) -> dt.date:
    """`2026-12-07` -> date(2026, 12, 7); `2026-12` -> date(2026, 12, 1). ValueError says what is wrong."""
    match = re.fullmatch(r"(\d{4})-(\d{2})(?:-(\d{2}))?", value)
    if not match:
        raise MalformedDate(f"checked date {value!r} is not YYYY-MM or YYYY-MM-DD")
    year, month, day = int(match[1]), int(match[2]), int(match[3] or 1)
    try:
        return dt.date(year, month, day)
    except ValueError as err:
        raise MalformedDate(f"checked date {value!r} is not a real date ({err})") from None


def language(page: Page) -> str:
    return "en" if page.file.src_uri.endswith(".en.md") else "zh"


def source_line(page: Page, value: str) -> int:
    for number, line in enumerate(page.file.content_string.splitlines(), 1):
        if f"checked: {value}" in line or f"checked:{value}" in line:
            return number
    return 0


def render(html: str, lang: str, on_error) -> str:
    text, title = LABEL[lang]

    def badge(match: re.Match) -> str:
        value = match[1].rstrip(TRAILING)
        tail = match[1][len(value):]
        try:
            parse_date(value)
        except MalformedDate as err:
            on_error(value, err)
            return match[0]
        return f'<span class="as-of" title="{title}">{text.format(date=value)}</span>{tail}'

    parts = CODE.split(html)  # odd items are code: a mark shown as an example stays as written
    return "".join(part if i % 2 else MARK.sub(badge, part) for i, part in enumerate(parts))


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if not page.file.src_uri.endswith(".md"):
        return html  # notebooks: their CSS has `:checked:` selectors, and they carry no footnotes
    def report(value: str, err: Exception) -> None:
        log.warning(f"docs/{page.file.src_uri}:{source_line(page, value)}: {err}")

    return render(html, language(page), report)
