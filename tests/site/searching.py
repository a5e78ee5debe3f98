"""The search relevance benchmark, typed into the real search box (used by tests/site/test_search.py
and `make bench`).

bench/search_queries.json lists, per language, queries a reader would type and the page(s) any of
which should come first. Each query is typed into the search box of the language's home page, the
way a reader types it, and the result list Material draws is read back: the pages in the order
shown (one entry per page, its sections folded in), so recall@3 and MRR measure what a reader sees.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[2]
QUERIES = ROOT / "bench" / "search_queries.json"
LANGS = ("zh", "en")

# Material shows this meta line while the box is empty, and a result count once the worker answered.
RESULTS_SHOWN = """(placeholder) => {
  const meta = document.querySelector('.md-search-result__meta');
  return meta && meta.textContent.trim() !== '' && meta.textContent.trim() !== placeholder;
}"""
RESULT_PAGES = """() => [...document.querySelectorAll('.md-search-result__list > .md-search-result__item')]
  .map(item => item.querySelector('a').href)"""


def load_queries() -> dict:
    return json.loads(QUERIES.read_text(encoding="utf-8"))


@dataclass
class Outcome:
    query: str
    expect: list[str]      # language-relative page paths, e.g. "financing/cap-tables/"
    pages: list[str]       # the result pages in order, as site-relative paths ("en/…/" or "…/")
    rank: int | None       # 1-based rank of the first expected page, None when not shown
    other_language: list[str]  # result pages of the other language


def page_path(href: str, root: str) -> str:
    """Site-relative page path of a result link: no query, no fragment; `x.html` read as `x/`."""
    path = href.split("#")[0].split("?")[0]
    path = path[len(root):] if path.startswith(root) else urlsplit(path).path.lstrip("/")
    if path.endswith("index.html"):
        path = path[: -len("index.html")]
    elif path.endswith(".html"):
        path = path[: -len(".html")] + "/"
    return path


def run_queries(tab, root: str, lang: str, queries: list[dict], offline: bool = False) -> list[Outcome]:
    """Type each query into the search box of the `lang` home page under `root` (a URL ending in /)."""
    prefix = "" if lang == "zh" else "en/"
    tab.goto(root + prefix + ("index.html" if offline else ""), wait_until="load")
    tab.click(".md-search__input")
    placeholder = tab.evaluate("JSON.parse(document.getElementById('__config').textContent)"
                               ".translations['search.result.placeholder']").strip()
    outcomes = []
    for item in queries:
        box = tab.locator(".md-search__input")
        box.fill("")
        tab.keyboard.press("End")
        tab.wait_for_function(f"() => document.querySelector('.md-search-result__meta').textContent.trim() === {json.dumps(placeholder)}",
                              timeout=10_000)
        # insert_text types CJK as an IME would; the key press fires the keyup Material listens for
        tab.keyboard.insert_text(item["query"])
        tab.keyboard.press("End")
        tab.wait_for_function(RESULTS_SHOWN, arg=placeholder, timeout=15_000)
        pages = [page_path(href, root) for href in tab.evaluate(RESULT_PAGES)]
        wanted = [prefix + path for path in item["expect"]]
        rank = next((i for i, page in enumerate(pages, 1) if page in wanted), None)
        other = [p for p in pages if p.startswith("en/") != (lang == "en")]
        outcomes.append(Outcome(item["query"], item["expect"], pages, rank, other))
    return outcomes


def scores(outcomes: list[Outcome]) -> tuple[float, float]:
    """recall@3 (share of queries with an expected page in the top three) and mean reciprocal rank."""
    if not outcomes:
        return 0.0, 0.0
    recall = sum(1 for o in outcomes if o.rank is not None and o.rank <= 3) / len(outcomes)
    mrr = sum(1 / o.rank for o in outcomes if o.rank) / len(outcomes)
    return recall, mrr


def misses(outcomes: list[Outcome]) -> list[str]:
    return [f"{o.query!r}: expected {o.expect} in the top 3, got {o.pages[:3] or 'nothing'}"
            for o in outcomes if o.rank is None or o.rank > 3]
