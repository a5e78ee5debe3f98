"""Site budgets, measured and printed (`make bench`); tests assert correctness, this reports speed.

- cold and warm strict build time (cold: no mkdocs-jupyter cache, no site/);
- size of every built page and of the whole site;
- for the pages with the most formulas and diagrams: page weight (all bytes the browser loads)
  and the time until every formula and diagram is rendered in headless Chromium (median of 5);
- axe-core findings of every impact on every page (the tests fail on serious and critical ones);
- search: each language's index size, recall@3 and MRR on bench/search_queries.json (bench_search.py).
- on phones (issue #20), for one page of each kind: total blocking time at 390 px with the CPU
  slowed 4x (median of 3 loads) and the Lighthouse 12 mobile performance score (median of 3 runs), site served
  with gzip as GitHub Pages serves it. Lighthouse is pinned in bench/lighthouse/package.json
  and installed there on first use (npm); it runs with the system chromium.

Targets (GUIDE §5 and the site issue): warm build < 10 s, heaviest page fully rendered < 1.5 s;
on phones (issue #20): total blocking time <= 1 s and Lighthouse performance >= 90 on every kind.

`python bench/bench_site.py --phone [SITE_DIR]` measures only the phone budgets (of SITE_DIR,
default site/, as built), e.g. to compare two builds.
Mermaid loads lazily (overrides/main.html), so text and formulas appear before the diagrams; both
times are printed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site.browsing import RENDERED, serve_directory  # noqa: E402
from tests.site.conftest import CHROMIUM_ARGS, OPEN_SHADOW_ROOTS, chromium_executable  # noqa: E402
from bench.bench_search import report as search_report  # noqa: E402

SITE = ROOT / "site"
MATH_RENDERED = "() => [...document.querySelectorAll('.arithmatex')].every(el => el.querySelector('.katex'))"


def launch_options() -> dict:
    executable = chromium_executable()
    return {"args": CHROMIUM_ARGS, **({"executable_path": executable} if executable else {})}


def timed_build() -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"], cwd=ROOT, check=True,
                   env=dict(os.environ, NO_MKDOCS_2_WARNING="1"))
    return time.perf_counter() - start


def kib(n: int) -> str:
    return f"{n / 1024:8.1f} KiB"


def page_sizes() -> list[tuple[int, str]]:
    pages = [(p.stat().st_size, p.relative_to(SITE).as_posix()) for p in SITE.rglob("index.html")]
    return sorted(pages, reverse=True)


def heaviest_pages(n: int = 3) -> list[str]:
    """Pages with the most formulas + diagrams, from the built HTML."""
    scored = []
    for html in SITE.rglob("index.html"):
        text = html.read_text(encoding="utf-8")
        score = text.count('class="arithmatex"') + 10 * text.count('class="mermaid"')
        scored.append((score, html.parent.relative_to(SITE).as_posix() + "/"))
    return [path for _, path in sorted(scored, reverse=True)[:n]]


def render_times(paths: list[str], runs: int = 5) -> None:
    from playwright.sync_api import sync_playwright

    with serve_directory(SITE) as base, sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        for path in paths:
            math_times, times, weight = [], [], 0
            for _ in range(runs):
                context = browser.new_context()  # cold cache each run
                context.add_init_script(OPEN_SHADOW_ROOTS)
                page = context.new_page()
                start = time.perf_counter()
                page.goto(base + path)
                page.wait_for_function(MATH_RENDERED, timeout=30_000)
                math_times.append(time.perf_counter() - start)
                page.wait_for_function(RENDERED, timeout=30_000)
                times.append(time.perf_counter() - start)
                weight = page.evaluate("""() => performance.getEntriesByType('resource')
                    .reduce((s, e) => s + e.encodedBodySize, 0) + performance.getEntriesByType('navigation')[0].encodedBodySize""")
                context.close()
            counts = page_counts(path)
            print(f"  /{path:<40} {counts}  weight {kib(weight)}  text+formulas {statistics.median(math_times):.2f} s, "
                  f"+diagrams {statistics.median(times):.2f} s (medians of {runs} cold loads)")
        browser.close()


def accessibility_findings() -> None:
    """axe-core on every page (all impacts, not only the serious ones the tests forbid)."""
    from collections import Counter

    from playwright.sync_api import sync_playwright

    from tests.site.test_browser import AXE, site_urls

    findings: Counter = Counter()
    pages_with: dict = {}
    with serve_directory(SITE) as base, sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        page = browser.new_page()
        page.add_init_script(OPEN_SHADOW_ROOTS)
        for path in site_urls():
            page.goto(base + path)
            page.wait_for_function(RENDERED, timeout=30_000)
            page.add_script_tag(path=str(AXE))
            for rule, impact, nodes in page.evaluate("""async () => (await axe.run(document, {resultTypes: ['violations']}))
                    .violations.map(v => [v.id, v.impact, v.nodes.length])"""):
                findings[(impact, rule)] += nodes
                pages_with.setdefault((impact, rule), set()).add(path)
        browser.close()
    order = {"critical": 0, "serious": 1, "moderate": 2, "minor": 3}
    print(f"accessibility (axe-core {AXE.parent.name}, {len(site_urls())} pages): "
          f"{sum(findings.values())} findings" + (":" if findings else ", none"))
    for (impact, rule), count in sorted(findings.items(), key=lambda kv: (order.get(kv[0][0], 9), -kv[1])):
        print(f"  {impact:<9} {rule:<32} {count:4d} elements on {len(pages_with[(impact, rule)])} pages")


def page_counts(path: str) -> str:
    text = (SITE / path / "index.html").read_text(encoding="utf-8")
    formulas, diagrams = text.count('class="arithmatex"'), text.count('class="mermaid"')
    return f"{formulas:4d} formulas {diagrams:2d} diagrams"


# One page of each kind (issue #20).
PHONE_PAGES = {
    "home": "",
    "formulas": "fundamentals/optimization/",
    "diagrams": "talent/team-design/",
    "glossary": "appendix/glossary/",
    "notebook": "notebooks/attention/",
    "home (en)": "en/",
    "formulas (en)": "en/fundamentals/optimization/",
}
LIGHTHOUSE = ROOT / "bench" / "lighthouse"
# Sum of (long task - 50 ms) from navigation until 4 s after the load event: Lighthouse's
# definition of total blocking time, measured in the page itself with the CPU slowed 4x.
WATCH_LONG_TASKS = """
window.__longTasks = [];
new PerformanceObserver(list => window.__longTasks.push(...list.getEntries().map(e => [e.startTime, e.duration])))
  .observe({type: 'longtask', buffered: true});
"""


def blocking_time(browser, url: str, runs: int = 3) -> float:
    """Median total blocking time (s) of `runs` cold loads at 390 px with the CPU slowed 4x."""
    results = []
    for _ in range(runs):
        context = browser.new_context(viewport={"width": 390, "height": 844}, device_scale_factor=3,
                                      is_mobile=True, has_touch=True)
        context.add_init_script(WATCH_LONG_TASKS)
        page = context.new_page()
        cdp = context.new_cdp_session(page)
        cdp.send("Emulation.setCPUThrottlingRate", {"rate": 4})
        page.goto(url, wait_until="load")
        page.wait_for_timeout(4000)
        results.append(page.evaluate("() => window.__longTasks.reduce((s, [, d]) => s + Math.max(0, d - 50), 0)") / 1000)
        context.close()
    return statistics.median(results)


def lighthouse_score(url: str, runs: int = 3) -> str:
    """Lighthouse's mobile performance score (0-100), default mobile preset: the median of `runs`
    runs and their range (single runs of one build differed by over 40 points on a 2-core machine); '-' if
    every run failed."""
    cli = LIGHTHOUSE / "node_modules" / ".bin" / "lighthouse"
    if not cli.exists():
        subprocess.run(["npm", "ci", "--no-audit", "--no-fund", "--ignore-scripts"], cwd=LIGHTHOUSE, check=True)
    env = dict(os.environ, CHROME_PATH=chromium_executable() or os.environ.get("CHROME_PATH", ""))
    scores = []
    for _ in range(runs):
        run = subprocess.run([str(cli), url, "--quiet", "--only-categories=performance", "--output=json",
                              "--output-path=stdout", "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
                             capture_output=True, text=True, env=env)
        if run.returncode:
            print(f"  lighthouse failed on {url}: {run.stderr.strip().splitlines()[-1:]}")
            continue
        scores.append(round(json.loads(run.stdout)["categories"]["performance"]["score"] * 100))
    if not scores:
        return "-"
    return f"{statistics.median(scores):g} ({min(scores)}-{max(scores)})"


def phone_budgets(site: Path = SITE) -> None:
    from playwright.sync_api import sync_playwright

    print("on phones (390 px, CPU 4x slower, gzip; targets: blocking <= 1.00 s, Lighthouse >= 90):")
    print(f"  {'kind':<14} {'page':<34} {'blocking (median of 3)':>22} {'Lighthouse (median of 3)':>25}")
    with serve_directory(site, compress=True) as base, sync_playwright() as p:
        browser = p.chromium.launch(**launch_options())
        for kind, path in PHONE_PAGES.items():
            tbt = blocking_time(browser, base + path)
            score = lighthouse_score(base + path)
            print(f"  {kind:<14} /{path:<33} {tbt:>20.2f} s {score:>25}", flush=True)
        browser.close()


def main() -> None:
    if "--phone" in sys.argv:
        rest = [a for a in sys.argv[1:] if a != "--phone"]
        phone_budgets(Path(rest[0]).resolve() if rest else SITE)
        return
    shutil.rmtree(ROOT / ".cache" / "mkdocs-jupyter", ignore_errors=True)
    shutil.rmtree(SITE, ignore_errors=True)
    cold = timed_build()
    warm = timed_build()
    print(f"strict build: cold {cold:.1f} s, warm {warm:.1f} s   (target: warm < 10 s)")
    sizes = page_sizes()
    total = sum(p.stat().st_size for p in SITE.rglob("*") if p.is_file())
    print(f"site: {len(sizes)} pages, {kib(sum(s for s, _ in sizes))} of HTML, {kib(total)} in all files")
    print("largest pages (HTML only):")
    for size, name in sizes[:8]:
        print(f"  {kib(size)}  {name}")
    print("heaviest pages in Chromium (target: fully rendered < 1.5 s):")
    render_times(heaviest_pages())
    accessibility_findings()
    search_report(SITE)
    phone_budgets()


if __name__ == "__main__":
    main()
