"""Job: search per language, English queries processed like the index, Chinese words kept whole.

Measured with bench/search_queries.json (`make bench`, tests/site/test_search.py); see
CONTRIBUTING.md "Search". Four changes to Material's search, each small:

1. One index per language. mkdocs-static-i18n merges every language's entries into one
   search/search_index.json that every page loads (English searches returned Chinese pages and
   the reverse). After the build we split it: Chinese entries stay in search/, English entries go
   to en/search/ with locations relative to en/, and each English page's `base` in Material's
   `__config` points at en/ (Material loads "<base>search/search_index.json" and resolves result
   links against the same base; base is used for nothing else with our features). The offline
   edition gets a search_index.js next to each (file:// cannot fetch).
2. English query terms stemmed like the index. Material adds a trailing wildcard to every query
   term, and lunr skips its search pipeline (the stemmer) for wildcard terms: "dilution*" was
   compared with the stemmed index ("dilut") and matched nothing. A copy of Material's worker with
   search_worker.js (beside this file) appended shortens each such term to the common prefix of
   the word and its Porter stem, the same lunr.stemmer the index uses: "dilution" -> "dilut*",
   "vesting" -> "vest*", "backprop" -> "backprop*" (a word still being typed keeps matching);
   an English stop word is looked up whole ("lock-in": "in", not every word starting with "in").
3. Chinese terms of the book kept whole. Material segments Chinese text with jieba at build time,
   and the browser splits a Chinese query into the longest words found in the index. Terms jieba
   did not know (对赌, 模式崩溃, 算力券) were cut into single characters, so the query matched
   every page with 对 or 模式. A jieba user dictionary generated from the glossary's Chinese
   column (.cache/search/jieba_userdict.txt) keeps them whole in the index, and the same copy of
   the worker fixes an off-by-one in Material's query segmentation that dropped a query's last
   word (see SEGMENT_LOOP).
4. The index parsed in the worker, not on the page. Material's page script fetches the index,
   parses it and posts it to the worker: the whole book, 1.8 MB, parsed and copied on a phone's
   main thread while the page loads. Each language's full index is written to search_docs.json;
   search_index.json, the file Material's page script asks for, holds only the config and a
   `docs_url`, and search_worker_loader.js (prepended to the worker) loads the documents there.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

ROOT = Path(__file__).resolve().parent.parent
GLOSSARY_ZH = ROOT / "docs" / "appendix" / "glossary.zh.md"
USER_DICT = ROOT / ".cache" / "search" / "jieba_userdict.txt"
WORKER_TEMPLATE = Path(__file__).with_name("search_worker.js")
WORKER_LOADER = Path(__file__).with_name("search_worker_loader.js")
DOCS_NAME = "search_docs.json"  # the full index; search_index.json is its config and docs_url only
WORKER_NAME = "search_i18n.js"  # written next to Material's worker, assets/javascripts/workers/
OTHER_LANGS = ("en",)           # languages built under <lang>/; the default (zh) is at the root

HAN_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]{2,}")
CONFIG_SCRIPT = re.compile(r'(<script id="__config" type="application/json">)(.*?)(</script>)', re.S)
MAX_TERM = 8  # longer glossary terms stay split, so their parts ("备案" in a long name) match too


# ---------------------------------------------------------------- 3. jieba user dictionary


def glossary_terms(path: Path = GLOSSARY_ZH) -> list[str]:
    """The Chinese terms of the glossary's first column: each run of 2-8 Chinese characters of
    each alternative ("A / B", "X（Y、Z）"), in file order, without repeats."""
    terms: dict[str, None] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 4 or set(cells[0]) <= {"-", ":"} or cells[0] == "中文":
            continue
        for run in HAN_RUN.findall(cells[0]):
            if len(run) <= MAX_TERM:
                terms.setdefault(run, None)
    return list(terms)


def write_user_dict(terms: list[str], path: Path = USER_DICT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    # No frequency: jieba then picks one just high enough to keep each word whole.
    path.write_text("".join(f"{term}\n" for term in terms), encoding="utf-8")
    return path


def on_config(config: MkDocsConfig) -> MkDocsConfig:
    import jieba

    glossary = Path(config.docs_dir) / "appendix" / "glossary.zh.md"
    if glossary.is_file():  # a partial copy of the docs (tests) may have none
        jieba.load_userdict(str(write_user_dict(glossary_terms(glossary))))
    return config


# ---------------------------------------------------------------- 1 and 2. page config


def page_language(page) -> str:
    locale = getattr(page.file, "locale", None)
    if locale:
        return locale
    first = page.url.split("/", 1)[0]
    return first if first in OTHER_LANGS else "zh"


def rewrite_config(html: str, lang: str) -> str:
    """Point Material's `__config` at this language's index and at the query-stemming worker."""
    match = CONFIG_SCRIPT.search(html)
    if not match:
        return html
    app = json.loads(match.group(2))
    if lang in OTHER_LANGS:
        app["base"] = app["base"].rstrip("/") + f"/{lang}/"
    worker = app.get("search")
    if worker and "/workers/" in worker:
        app["search"] = worker.rsplit("/", 1)[0] + "/" + WORKER_NAME
    return html[: match.start(2)] + json.dumps(app, ensure_ascii=False) + html[match.end(2):]


def on_post_page(output: str, page, config: MkDocsConfig) -> str:
    return rewrite_config(output, page_language(page))


def on_post_template(output_content: str, template_name: str, config: MkDocsConfig) -> str:
    return rewrite_config(output_content, "zh") if template_name == "404.html" else output_content


# ---------------------------------------------------------------- 1 and 2. files


def split_index(index: dict) -> dict[str, dict]:
    """{lang: index}: the merged index's entries by language, locations relative to each root."""
    out = {}
    for lang in ("zh", *OTHER_LANGS):
        prefix = f"{lang}/"
        if lang == "zh":
            docs = [d for d in index["docs"] if not d["location"].startswith(tuple(f"{o}/" for o in OTHER_LANGS))]
            langs = index["config"]["lang"]
        else:
            docs = [{**d, "location": d["location"][len(prefix):]} for d in index["docs"] if d["location"].startswith(prefix)]
            langs = [lang]
        out[lang] = {"config": {**index["config"], "lang": langs}, "docs": docs}
    return out


# Material's query segmentation (worker, `segment`) looks up every substring query[i:j] of a Chinese
# query in the index, but with j < len(query): the whole query, and any word that ends it, is never
# found, so 对赌 was searched as 对* and 模式崩溃 as 模式* 崩*. We let j reach the end.
SEGMENT_LOOP = re.compile(r"for\(let (\w+)=(\w+)\+1;\1<(\w+)\.length;\1\+\+\)\3\.slice\(\2,\1\)in ")


def patched_worker(material: str) -> str:
    """Material's worker with the segmentation fix, search_worker_loader.js prepended and
    search_worker.js appended."""
    fixed, count = SEGMENT_LOOP.subn(lambda m: m.group(0).replace("<", "<=", 1), material)
    if count != 1:
        raise PluginError(f"{__name__}: Material's search worker changed (query segmentation loop not found); "
                          "update SEGMENT_LOOP in hooks/search_i18n.py")
    fixed = re.sub(r"\n?//# sourceMappingURL=\S+\s*$", "\n", fixed)
    return WORKER_LOADER.read_text(encoding="utf-8") + fixed + WORKER_TEMPLATE.read_text(encoding="utf-8")


def write_worker(site: Path) -> None:
    workers = site / "assets" / "javascripts" / "workers"
    material = sorted(p for p in workers.glob("search.*.js") if p.name != WORKER_NAME)
    if not material:
        raise PluginError(f"{__name__}: Material's search worker not found in {workers}")
    (workers / WORKER_NAME).write_text(patched_worker(material[0].read_text(encoding="utf-8")), encoding="utf-8")


@event_priority(-1000)  # after i18n (-100) merged every language into search/search_index.json
def on_post_build(config: MkDocsConfig) -> None:
    i18n = config.plugins.get("i18n")
    if i18n is not None and getattr(i18n, "building", False):
        return  # a language's inner build: the merged index is written afterwards
    site = Path(config.site_dir)
    merged = site / "search" / "search_index.json"
    if not merged.is_file():
        return
    offline = config.plugins.get("material/offline") or config.plugins.get("offline")
    inline = offline is not None and offline.config.enabled
    for lang, index in split_index(json.loads(merged.read_text(encoding="utf-8"))).items():
        folder = site / ("" if lang == "zh" else lang) / "search"
        folder.mkdir(parents=True, exist_ok=True)
        data = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
        (folder / DOCS_NAME).write_text(data, encoding="utf-8")
        docs_url = folder.relative_to(site).as_posix() + "/" + DOCS_NAME
        stub = {"config": {**index["config"], "docs_url": docs_url}, "docs": []}
        (folder / "search_index.json").write_text(json.dumps(stub, ensure_ascii=False), encoding="utf-8")
        if inline:  # file:// cannot fetch: Material loads the index as a script there (ASCII: any charset reads it)
            data = json.dumps(index, separators=(",", ":"))
            (folder / "search_index.js").write_text(f"var __index = {data}", encoding="utf-8")
    write_worker(site)
