"""Layer 5: the search hook's parts (hooks/search_i18n.py) and the per-language indexes it writes.

The relevance benchmark itself runs in the browser (tests/site/test_search.py); these checks need no
browser and say precisely which part broke.
"""

from __future__ import annotations

import json
import re

import pytest

from tests.site.test_hooks import ROOT, load_hook

HOOK = load_hook("search_i18n")
CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
MATERIAL_WORKERS = sorted((ROOT / ".venv").glob("lib/python*/site-packages/material/templates/assets/javascripts/workers/search.*.min.js"))


def test_glossary_terms_feed_the_jieba_dictionary():
    terms = HOOK.glossary_terms()
    for term in ("对赌", "期权池", "算力券", "词元", "模式崩溃", "缓存"):
        assert term in terms, term
    assert all(2 <= len(t) <= HOOK.MAX_TERM and CJK.match(t) for t in terms)
    assert len(terms) == len(set(terms))


def test_the_dictionary_keeps_book_terms_whole(tmp_path):
    jieba = pytest.importorskip("jieba")
    tokenizer = jieba.Tokenizer()
    tokenizer.load_userdict(str(HOOK.write_user_dict(HOOK.glossary_terms(), tmp_path / "dict.txt")))
    for term in ("对赌", "期权池", "算力券", "模式崩溃"):
        assert term in tokenizer.lcut(f"关于{term}的讨论"), term


def test_english_pages_point_at_the_english_index_and_every_page_at_the_query_worker():
    html = ('<script id="__config" type="application/json">{"base": "../../..", '
            '"search": "../../../assets/javascripts/workers/search.abc.min.js"}</script>')
    en = json.loads(HOOK.CONFIG_SCRIPT.search(HOOK.rewrite_config(html, "en")).group(2))
    zh = json.loads(HOOK.CONFIG_SCRIPT.search(HOOK.rewrite_config(html, "zh")).group(2))
    assert en["base"] == "../../../en/" and zh["base"] == "../../.."
    assert en["search"] == zh["search"] == "../../../assets/javascripts/workers/" + HOOK.WORKER_NAME


def test_the_merged_index_is_split_by_language():
    merged = {"config": {"lang": ["en", "zh"], "separator": "x", "pipeline": ["stemmer"], "fields": {}},
              "docs": [{"location": "", "title": "首页", "text": ""},
                       {"location": "a/#b", "title": "甲", "text": ""},
                       {"location": "en/", "title": "Home", "text": ""},
                       {"location": "en/a/#b", "title": "A", "text": ""}]}
    out = HOOK.split_index(merged)
    assert [d["location"] for d in out["zh"]["docs"]] == ["", "a/#b"]
    assert [d["location"] for d in out["en"]["docs"]] == ["", "a/#b"]
    assert out["en"]["config"]["lang"] == ["en"] and out["zh"]["config"]["separator"] == "x"


@pytest.mark.skipif(not MATERIAL_WORKERS, reason="Material's worker not found in .venv")
def test_the_worker_copy_fixes_query_segmentation_and_stems_english_terms():
    source = MATERIAL_WORKERS[0].read_text(encoding="utf-8")
    patched = HOOK.patched_worker(source)
    assert len(HOOK.SEGMENT_LOOP.findall(source)) == 1
    assert re.search(r"for\(let (\w+)=\w+\+1;\1<=\w+\.length;", patched)
    assert "lunr.stemmer" in patched and "sourceMappingURL" not in patched
    assert patched.startswith(HOOK.WORKER_LOADER.read_text(encoding="utf-8"))  # its listener before Material's
    with pytest.raises(Exception, match="segmentation loop"):
        HOOK.patched_worker("a changed worker")


def test_each_language_has_its_own_index_in_the_built_site(site):
    zh = json.loads((site / "search" / HOOK.DOCS_NAME).read_text(encoding="utf-8"))
    en = json.loads((site / "en/search" / HOOK.DOCS_NAME).read_text(encoding="utf-8"))
    assert len(zh["docs"]) > 100 and len(en["docs"]) > 100
    assert not [d["location"] for d in zh["docs"] if d["location"].startswith("en/")]
    assert not [d["location"] for d in en["docs"] if d["location"].startswith("en/")]
    titles = {lang: {d["location"]: d["title"] for d in index["docs"]} for lang, index in (("zh", zh), ("en", en))}
    assert titles["en"]["fundamentals/backprop/"].startswith("Backpropagation")
    assert titles["zh"]["fundamentals/backprop/"].startswith("反向传播")
    assert en["config"]["lang"] == ["en"]
    assert any("\u200b对赌\u200b" in d["text"] for d in zh["docs"])  # a glossary term kept whole
    for folder, index in (("search", zh), ("en/search", en)):  # the page gets the config, the worker the rest
        small = json.loads((site / folder / "search_index.json").read_text(encoding="utf-8"))
        assert small == {"config": {**index["config"], "docs_url": f"{folder}/{HOOK.DOCS_NAME}"}, "docs": []}
    worker = site / "assets/javascripts/workers" / HOOK.WORKER_NAME
    assert worker.is_file()
    config = re.search(r'<script id="__config" type="application/json">(.*?)</script>',
                       (site / "en/fundamentals/backprop/index.html").read_text(encoding="utf-8")).group(1)
    assert json.loads(config)["base"] == "../../../en/"
