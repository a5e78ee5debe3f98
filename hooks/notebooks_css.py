"""Job: give each notebook page only the JupyterLab styles it can use.

mkdocs-jupyter inlines JupyterLab's whole stylesheet (574 KB, 3,165 rules) into every notebook
page. Most of it styles widgets, menus and outputs a static page never shows, and 80 KB sits in
`.jupyter-wrapper :root { ... }` rules, which match nothing (`:root` is never a descendant).
We keep a rule when one of its selectors could match: every class it requires is used in the
notebook's HTML or added by Material's script (classes inside `:not()`, `:is()` and other
functions are not required; element and attribute parts are kept as they are), and `:root`
does not come after a combinator. Media and supports blocks are filtered the same way; other
at-rules (`@charset`, `@keyframes`, `@font-face`) stay. The attention notebook's page goes from
680 KB to 131 KB; Lighthouse (mobile, 4 interleaved runs) measured its blocking time 475 -> 197 ms
and its largest paint 2.5 -> 1.9 s.

mkdocs-jupyter also appends a Python list's repr inside a `<style>` element (its nbconvert2.py
formats `resources["inlining"]["css"]`, a list, into the page): not CSS, and a repeat of the
Pygments rules already on the page, so it goes, as does a style element left empty.

tests/site/test_browser.py compares the computed style of every element of each notebook page,
light and dark, with the trimmed and with the full stylesheets.
"""

from __future__ import annotations

import re

import tinycss2
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

STYLE = re.compile(r"(<style[^>]*>)(.*?)(</style>)", re.S)
CLASS_ATTR = re.compile(r'\bclass="([^"]*)"')
LIST_REPR = re.compile(r"\s*\[\s*'")
FILTERED_AT_RULES = {"media", "supports"}
# Classes that Material's script adds inside the notebook after load (it wraps every table).
RUNTIME_CLASSES = {"md-typeset__scrollwrap", "md-typeset__table"}


def selectors(prelude: list) -> list[list]:
    """A selector list's selectors, each as its top-level tokens without surrounding whitespace."""
    parts: list[list] = [[]]
    for token in prelude:
        if token.type == "literal" and token.value == ",":
            parts.append([])
        else:
            parts[-1].append(token)
    return [_strip(part) for part in parts]


def _strip(tokens: list) -> list:
    while tokens and tokens[0].type == "whitespace":
        tokens = tokens[1:]
    while tokens and tokens[-1].type == "whitespace":
        tokens = tokens[:-1]
    return tokens


def _after_literal(tokens: list, literal: str, position: int) -> bool:
    return position > 0 and tokens[position - 1].type == "literal" and tokens[position - 1].value == literal


def _after_combinator(tokens: list, position: int) -> bool:
    if position == 0:
        return False
    before = tokens[position - 1]
    return before.type == "whitespace" or (before.type == "literal" and before.value in ">+~")


def can_match(selector: list, used: set[str]) -> bool:
    """False when the selector needs a class the page never uses, or `:root` below another element."""
    for i, token in enumerate(selector):
        if token.type != "ident":
            continue
        if _after_literal(selector, ".", i) and token.value not in used:
            return False
        if _after_literal(selector, ":", i) and token.lower_value == "root" and _after_combinator(selector, i - 1):
            return False
    return True


def keep_rules(rules: list, used: set[str]) -> list:
    kept = []
    for rule in rules:
        if rule.type == "qualified-rule":
            if any(can_match(selector, used) for selector in selectors(rule.prelude)):
                kept.append(rule)
        elif rule.type == "at-rule" and rule.lower_at_keyword in FILTERED_AT_RULES and rule.content is not None:
            inner = keep_rules(tinycss2.parse_rule_list(rule.content, skip_comments=True, skip_whitespace=True), used)
            if inner:
                rule.content = inner
                kept.append(rule)
        elif rule.type == "at-rule":
            kept.append(rule)
    return kept


def trim_stylesheet(css: str, used: set[str]) -> str:
    rules = tinycss2.parse_stylesheet(css, skip_comments=True, skip_whitespace=True)
    return tinycss2.serialize(keep_rules(rules, used))


def trim_page(html: str) -> str:
    used = RUNTIME_CLASSES | {name for value in CLASS_ATTR.findall(html) for name in value.split()}

    def replace(match: re.Match) -> str:
        opening, css, closing = match.groups()
        if LIST_REPR.match(css):
            return ""
        css = trim_stylesheet(css, used)
        return opening + css + closing if css else ""

    return STYLE.sub(replace, html)


def on_page_content(html: str, page: Page, config: MkDocsConfig, files: Files) -> str:
    if page.file.src_uri.endswith(".ipynb"):
        html = trim_page(html)
    return html
