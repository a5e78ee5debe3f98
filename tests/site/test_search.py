"""Layer 6: site search, as a reader uses it (hooks/search_i18n.py; benchmark bench/search_queries.json).

Every query of the benchmark is typed into the search box of its language, on the served site and
in the offline edition opened from the file system: recall@3 must stay at or above the floor the
JSON file sets, no result may come from the other language, and no request may leave the machine.
A result opens its page with the query highlighted. Adding a query is an edit of the JSON file.
"""

from __future__ import annotations

import pytest

from tests.site.searching import LANGS, load_queries, misses, run_queries, scores

pytestmark = pytest.mark.browser

DATA = load_queries()


def check(outcomes, lang: str) -> None:
    recall, mrr = scores(outcomes)
    crossed = [f"{o.query!r}: {o.other_language}" for o in outcomes if o.other_language]
    assert not crossed, f"{lang} search returned pages of the other language:\n" + "\n".join(crossed)
    assert recall >= DATA["floor_recall_at_3"], (
        f"{lang}: recall@3 {recall:.1%} (MRR {mrr:.3f}) is below the floor {DATA['floor_recall_at_3']:.0%}; misses:\n"
        + "\n".join(misses(outcomes)))


def test_the_benchmark_has_enough_queries_per_language():
    for lang in LANGS:
        queries = DATA[lang]
        assert len(queries) >= 40, f"{lang}: {len(queries)} queries, at least 40 wanted"
        assert len({q["query"] for q in queries}) == len(queries), f"{lang}: a query is listed twice"
        for q in queries:
            assert q["expect"] and all(e.endswith("/") and not e.startswith(("/", "en/")) for e in q["expect"]), q


@pytest.mark.parametrize("lang", LANGS)
def test_search_finds_the_right_chapter_in_the_page_language(reader, base_url, lang):
    reader.console_errors.clear()
    reader.outside.clear()
    check(run_queries(reader, base_url, lang, DATA[lang]), lang)
    assert not reader.outside and not reader.console_errors, (reader.outside, reader.console_errors)


@pytest.mark.parametrize("lang", LANGS)
def test_offline_edition_search_passes_the_same_queries(reader, offline_root, lang):
    reader.console_errors.clear()
    reader.outside.clear()
    check(run_queries(reader, offline_root.as_uri() + "/", lang, DATA[lang], offline=True), lang)
    outside = [u for u in reader.outside if not u.startswith("file:")]
    assert not outside and not reader.console_errors, (outside, reader.console_errors)


@pytest.mark.parametrize(("lang", "query", "page", "marked"), [
    ("en", "dilution", "en/financing/cap-tables/", "dilut"),
    ("zh", "对赌", "financing/landscape/", "对赌"),
])
def test_a_result_opens_its_page_with_the_query_highlighted(reader, base_url, lang, query, page, marked):
    run_queries(reader, base_url, lang, [{"query": query, "expect": [page.removeprefix("en/")]}])
    # the first link to the page that carries the matched terms (a page entry that matched only
    # through its sections has none, as in Material)
    hrefs = reader.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.getAttribute('href'))")
    href = next(h for h in hrefs if h.startswith(base_url + page) and "?h=" in h and "?h=#" not in h + "#"
                and h.split("?h=")[1].split("#")[0])
    reader.locator(f'.md-search-result__item a[href="{href}"]').first.click()
    reader.wait_for_url(f"{base_url}{page}**")
    reader.locator(".md-content mark").first.wait_for(timeout=10_000)
    marks = reader.eval_on_selector_all(".md-content mark", "els => els.map(e => e.textContent.toLowerCase())")
    assert any(marked in m for m in marks), marks
