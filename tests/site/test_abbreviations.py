"""Layer 5: abbreviation tooltips in the page's language (hooks/abbreviations.py), on the built pages.

English pages show English expansions only; Chinese pages show Chinese ones. Every abbreviation of
docs/includes/abbreviations.md that a page uses (in its text, outside code and math) is marked up
with a tooltip in the page's language (notebook pages are rendered by nbconvert, which has no
`abbr` extension: they get no tooltips, in either language).
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from tests.site.test_hooks import load_hook

HOOK = load_hook("abbreviations")
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")
SKIP = {"code", "pre", "script", "style", "abbr", "svg", "math"}


class Article(HTMLParser):
    """The <abbr> titles of a page's article, and its text outside code, math and <abbr>."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.titles: list[tuple[str, str]] = []
        self.text: list[str] = []
        self.stack: list[bool] = []  # per open element: is the text inside it skipped?
        self.inside = 0              # depth inside the article

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "article" and "md-content__inner" in (attrs.get("class") or ""):
            self.inside += 1
        if not self.inside or tag in ("br", "img", "hr", "input", "meta", "link", "col", "wbr"):
            return
        if tag == "abbr":
            self.titles.append((attrs.get("title") or "", ""))
        classes = attrs.get("class") or ""
        skipped = tag in SKIP or "arithmatex" in classes or "mermaid" in classes or "headerlink" in classes
        self.stack.append(skipped or (bool(self.stack) and self.stack[-1]))

    def handle_endtag(self, tag):
        if self.inside and self.stack and tag not in ("br", "img", "hr", "input", "meta", "link", "col", "wbr"):
            self.stack.pop()
            if not self.stack and tag == "article":
                self.inside -= 1

    def handle_data(self, data):
        if self.inside and self.stack and not self.stack[-1]:
            # a bare URL shown as link text (footnote sources) is an address, not prose: the abbr
            # extension rightly leaves "MRL" in https://mistral.ai/licenses/MRL-0.1.md alone
            self.text.append(re.sub(r"https?://\S+", " ", data))
        elif self.inside and self.stack and self.titles and self.titles[-1][1] == "" and self.lasttag == "abbr":
            self.titles[-1] = (self.titles[-1][0], data)


def pages(site, lang):
    for html in sorted(site.rglob("index.html")):
        rel = html.relative_to(site).as_posix()
        if rel.startswith(("assets/", "search/")) or (rel.startswith("en/") != (lang == "en")):
            continue
        yield rel, html.read_text(encoding="utf-8")


def test_definitions_split_into_english_and_chinese():
    assert HOOK.split_definition("annual recurring revenue（年度经常性收入）") == ("annual recurring revenue", "年度经常性收入")
    assert HOOK.split_definition("X Act（《某法》（2020 年修订））") == ("X Act", "《某法》（2020 年修订）")
    for bad in ("annual recurring revenue", "（年度经常性收入）", "annual（）"):
        with pytest.raises(ValueError):
            HOOK.split_definition(bad)
    found = HOOK.definitions()
    assert found["ARR"] == {"en": "annual recurring revenue", "zh": "年度经常性收入（annual recurring revenue）"}
    assert all(not CJK.search(t["en"]) and CJK.search(t["zh"]) for t in found.values())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tooltips_are_in_the_page_language_and_cover_every_abbreviation_used(site, lang):
    defined = HOOK.definitions()
    word = re.compile(r"\b(" + "|".join(sorted(map(re.escape, defined), key=len, reverse=True)) + r")\b")
    problems, seen = [], 0
    for rel, html in pages(site, lang):
        article = Article()
        article.feed(html)
        for title, abbr in article.titles:
            seen += 1
            if lang == "en" and CJK.search(title):
                problems.append(f"/{rel}: tooltip of {abbr or '?'} has Chinese text: {title!r}")
            if lang == "zh" and not CJK.search(title):
                problems.append(f"/{rel}: tooltip of {abbr or '?'} has no Chinese: {title!r}")
            if abbr in defined and title != defined[abbr][lang]:
                problems.append(f"/{rel}: tooltip of {abbr} is {title!r}, not {defined[abbr][lang]!r}")
        bare = sorted(set(word.findall(" ".join(article.text))))
        if bare and "jupyter-wrapper" not in html:  # notebooks are rendered by nbconvert: no abbr extension
            problems.append(f"/{rel}: {bare} used without a tooltip")
    assert seen > 100, f"only {seen} tooltips on the {lang} pages"
    assert not problems, "\n" + "\n".join(problems[:40])
