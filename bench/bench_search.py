"""Search relevance and index size, measured (part of `make bench`; alone: `python bench/bench_search.py`).

Types every query of bench/search_queries.json into the search box of the built site (served on
127.0.0.1) in headless Chromium and prints recall@3 and mean reciprocal rank per language, the
results that came from the other language, the misses, and the size of each language's index.
`--site DIR` measures another build (e.g. one of an older commit, for a before/after comparison).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site.browsing import serve_directory  # noqa: E402
from tests.site.conftest import CHROMIUM_ARGS, chromium_executable  # noqa: E402
from tests.site.searching import LANGS, load_queries, misses, run_queries, scores  # noqa: E402

# Measured on the site before per-language search (commit 69ab151, one index for both languages;
# 2026-12-07, same queries, same machine): kept here so `make bench` prints the comparison.
BEFORE = {"zh": (0.889, 0.801, 38), "en": (0.574, 0.509, 43)}


def index_sizes(site: Path) -> list[tuple[str, int, int, int]]:
    """(path, bytes, gzipped bytes as served, entries) of every search index in the site."""
    import gzip
    import json

    out = []
    for path in sorted(site.rglob("search/search_docs.json")):  # the full index (hooks/search_i18n.py, 4.)
        data = path.read_bytes()
        out.append((path.relative_to(site).as_posix(), len(data), len(gzip.compress(data, 6)),
                    len(json.loads(data)["docs"])))
    return out


def measure(site: Path, verbose: bool = True) -> dict[str, tuple[float, float, int]]:
    from playwright.sync_api import sync_playwright

    data = load_queries()
    result = {}
    executable = chromium_executable()
    with serve_directory(site) as base, sync_playwright() as p:
        browser = p.chromium.launch(args=CHROMIUM_ARGS, **({"executable_path": executable} if executable else {}))
        tab = browser.new_page()
        for lang in LANGS:
            outcomes = run_queries(tab, base, lang, data[lang])
            recall, mrr = scores(outcomes)
            crossed = sum(1 for o in outcomes if o.other_language)
            result[lang] = (recall, mrr, crossed)
            if verbose:
                for line in misses(outcomes):
                    print(f"    miss ({lang}) {line}")
        browser.close()
    return result


def report(site: Path) -> None:
    data = load_queries()
    print("search index (before: one index of both languages on every page, 2481 KiB, 653 KiB gzipped, 964 entries):")
    for name, size, packed, entries in index_sizes(site):
        print(f"  {name:<32} {size / 1024:8.1f} KiB, {packed / 1024:6.1f} KiB gzipped, {entries:4d} entries")
    print(f"search relevance ({', '.join(f'{len(data[lang])} {lang}' for lang in LANGS)} queries, "
          f"bench/search_queries.json; target recall@3 >= {data['floor_recall_at_3']:.0%}):")
    now = measure(site)
    for lang in LANGS:
        recall, mrr, crossed = now[lang]
        before = BEFORE[lang]
        was = (f"   before: recall@3 {before[0]:.0%}, MRR {before[1]:.2f}, {before[2]} with other-language results"
               if before[0] is not None else "")
        print(f"  {lang}: recall@3 {recall:6.1%}  MRR {mrr:.3f}  queries with results in the other language: {crossed}{was}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, default=ROOT / "site", help="a built site (default: site/)")
    report(parser.parse_args().site)
