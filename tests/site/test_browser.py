"""Layer 6: the built site in headless Chromium, as a reader sees it.

Every page of both languages is opened once: formulas rendered by KaTeX with no error, every
Mermaid diagram drawn as SVG, no console error, no request to any host but 127.0.0.1. Then the
interactive parts: language switch, search in Chinese and English, copy button, accessibility.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.site import bookcheck
from tests.site.browsing import PROBLEMS, RENDERED, check_mermaid, open_page, page_problems
from tests.site.conftest import watched_tab

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"


# Blocks off screen are not drawn (content-visibility: auto, extra.css) until the reader scrolls
# near them: axe would measure colours and sizes of content no one sees in that state (a skipped
# block has a placeholder height, so a table looks like a scroller). Draw them all first, as a
# reader scrolling through the page would see each one.
AXE_SERIOUS = """async () => {
  const drawAll = document.createElement('style');
  drawAll.textContent = '.md-typeset * { content-visibility: visible !important; }';
  document.head.append(drawAll);
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
    .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
}"""


@contextlib.contextmanager
def phone_width(reader):
    """The reader's tab at a phone's 390 px for the duration, then back to the desktop width."""
    reader.set_viewport_size({"width": 390, "height": 844})
    try:
        yield
    finally:
        reader.set_viewport_size({"width": 1280, "height": 900})


def site_urls() -> list[str]:
    """Every page of both languages, from the sources (so the tests exist before the build)."""
    urls = []
    for key in bookcheck.page_pairs(ROOT / "docs"):
        path = key.rsplit(".", 1)[0]
        path = "" if path == "index" else path.removesuffix("/index") + "/"
        urls += [path, "en/" + path]
    return urls


def test_every_page_renders_offline_without_errors(reader_context, base_url, site):
    """Each page of both languages: formulas, diagrams, no console error, no request leaving.

    Every page load makes Material's search worker index the whole book (megabytes), which would
    take half this test's time on two cores; here the index is empty (search has its own tests).
    One tab, page after page: three tabs loading at once took twice as long on two cores (87 s
    against 45 s), probably because Chromium slows the timers and idle callbacks of tabs in the
    background, and formulas are drawn in idle callbacks.
    """
    config = json.loads((site / "search/search_index.json").read_text(encoding="utf-8"))["config"]
    del config["docs_url"]  # the worker then loads no documents (hooks/search_worker_loader.js)
    empty_index = json.dumps({"config": config, "docs": []})
    tab = watched_tab(reader_context)
    tab.route("**/search/search_index.json",
              lambda route: route.fulfill(status=200, content_type="application/json", body=empty_index))
    urls, problems = site_urls(), []
    for path in urls:
        tab.console_errors.clear()
        tab.outside.clear()
        tab.goto(base_url + path, wait_until="load")
        try:
            tab.wait_for_function(RENDERED, timeout=15_000)
        except PlaywrightTimeout:
            problems.append(f"/{path}: formulas or diagrams still not rendered after 15 s")
        problems += page_problems(tab, path)
    tab.close()
    assert len(urls) >= 2 * 40
    assert not problems, "\n" + "\n".join(problems)


def test_language_switch_keeps_the_page(reader, base_url):
    open_page(reader, base_url + "fundamentals/gradient-descent/")
    reader.hover(".md-header__option .md-select")
    reader.click('.md-select__link[hreflang="en"]')
    reader.wait_for_url("**/en/fundamentals/gradient-descent/")
    assert reader.locator("h1").inner_text().startswith("Gradient descent")
    reader.hover(".md-header__option .md-select")
    reader.click('.md-select__link[hreflang="zh"]')
    reader.wait_for_url(base_url + "fundamentals/gradient-descent/")
    assert reader.locator("h1").inner_text().startswith("梯度下降")


@pytest.mark.parametrize(("path", "query", "expected"), [
    ("", "归根到底", "fundamentals/gradient-descent/"),  # a word from the middle of a Chinese sentence
    ("en/", "steepest", "en/fundamentals/gradient-descent/"),
])
def test_search_finds_words_in_both_languages(reader, base_url, path, query, expected):
    open_page(reader, base_url + path)
    reader.click(".md-search__input")
    # insert_text types CJK as an IME would; the key press fires the keyup Material listens for
    reader.keyboard.insert_text(query)
    reader.keyboard.press("End")
    first = reader.locator(".md-search-result__item a").first
    first.wait_for(timeout=10_000)
    hrefs = reader.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.href)")
    assert any(h.startswith(base_url + expected) for h in hrefs), (query, hrefs)


def test_code_blocks_have_a_copy_button(reader, base_url):
    open_page(reader, base_url + "en/fundamentals/gradient-descent/")
    codes = reader.locator(".md-typeset pre > code")
    blocks = codes.count()
    assert blocks >= 3
    for i in range(blocks):  # Material adds the buttons as blocks come near the screen (content.lazy)
        codes.nth(i).scroll_into_view_if_needed()
    reader.wait_for_function(f"document.querySelectorAll('button[data-md-type=\"copy\"]').length === {blocks}",
                             timeout=5_000)


def test_notebook_page_has_a_download_link(reader, base_url):
    open_page(reader, base_url + "en/notebooks/gradient-descent/")
    link = reader.locator("a[download]")
    assert link.get_attribute("href") == "gradient-descent.en.ipynb"
    assert reader.locator(".jp-CodeCell").count() >= 3


# Reads every element's computed style in page order, and that of each ::before and ::after that is
# drawn, with the trimmed styles and again with the full ones, in light and dark. Custom properties
# are left out: they change nothing unless a property uses them, and reading them is most of the
# cost (a notebook page has 1,500 elements and 130 custom properties).
SWAP_NOTEBOOK_STYLES = """(raw) => {
  const names = [...getComputedStyle(document.body)].filter(name => !name.startsWith('--'));
  const read = style => names.map(name => name + ': ' + style.getPropertyValue(name)).join('; ');
  const computedStyles = () => {
    const out = [];
    for (const el of document.body.querySelectorAll('*:not(style)')) {
      out.push([el.tagName + '.' + el.className, read(getComputedStyle(el))]);
      for (const pseudo of ['::before', '::after']) {
        const style = getComputedStyle(el, pseudo);
        const drawn = !['none', 'normal'].includes(style.content);
        out.push([el.tagName + '.' + el.className + pseudo, drawn ? read(style) : style.content]);
      }
    }
    return out;
  };
  const styles = () => ['default', 'slate'].flatMap(scheme => {  // light and dark
    document.body.setAttribute('data-md-color-scheme', scheme);
    return computedStyles();
  });
  const trimmed = styles();
  const article = document.querySelector('article.md-content__inner');
  const kept = [...article.querySelectorAll('style')];
  const holder = document.createElement('div');
  holder.innerHTML = raw.join('');
  kept[0].before(...holder.children);
  kept.forEach(el => el.remove());
  const full = styles();
  const changed = [];
  trimmed.forEach(([where, values], i) => {
    if (full[i][1] === values) return;
    const now = full[i][1].split('; ');
    changed.push(where + ': ' + values.split('; ').filter((v, k) => v !== now[k])
      .map(v => v + ' (full stylesheet: ' + (now.find(w => w.split(':')[0] === v.split(':')[0]) || '?') + ')').join('; '));
  });
  return {elements: trimmed.length, fullElements: full.length, changed: changed.length + ' changed: ' + changed.slice(-3).join(' | ')};
}"""


# One language of each notebook, taking turns: the twins have the same cells, so the same rules.
NOTEBOOK_STEMS = sorted({p.name.split(".")[0] for p in (ROOT / "docs" / "notebooks").glob("*.ipynb")})


@pytest.mark.parametrize("notebook", [f"{stem}.{('zh', 'en')[i % 2]}.ipynb" for i, stem in enumerate(NOTEBOOK_STEMS)])
def test_trimmed_notebook_styles_style_every_element_as_the_full_ones(reader, base_url, notebook):
    """hooks/notebooks_css.py drops the JupyterLab rules a notebook page cannot use. Put back the
    styles mkdocs-jupyter would have inlined: not one element or pseudo-element may change."""
    import re

    from mkdocs_jupyter.nbconvert2 import nb2html

    name, lang, _ = notebook.split(".")
    open_page(reader, base_url + ("en/" if lang == "en" else "") + f"notebooks/{name}/")
    reader.add_style_tag(content=".md-typeset * { content-visibility: visible !important; }")
    raw = nb2html(str(ROOT / "docs" / "notebooks" / notebook), include_requirejs=False, allow_errors=False)
    styles = re.findall(r"<style[^>]*>.*?</style>", raw, re.S)
    assert sum(map(len, styles)) > 500_000  # the full JupyterLab stylesheet, as mkdocs-jupyter inlines it
    result = reader.evaluate(SWAP_NOTEBOOK_STYLES, styles)
    assert result["elements"] == result["fullElements"] > 1000
    assert result["changed"] == "0 changed: ", result["changed"]


@pytest.mark.parametrize("path", ["", "en/", "fundamentals/gradient-descent/", "en/fundamentals/gradient-descent/",
                                  "en/notebooks/gradient-descent/", "guide/how-to-use/", "financing/",
                                  "en/fundamentals/training-examples/", "appendix/glossary/"])
def test_no_serious_accessibility_violations(reader, base_url, path):
    open_page(reader, base_url + path)
    violations = serious_violations(reader)
    assert not violations, f"/{path}:\n" + "\n".join(violations)


def first_tab(reader) -> None:
    """Press Tab as a keyboard reader does first; scrollable.js then measures every wide block
    (readers who scroll get each one measured as it comes near the screen)."""
    reader.keyboard.press("Tab")
    reader.wait_for_function("document.documentElement.hasAttribute('data-scrollables-all')", timeout=15_000)


def serious_violations(reader) -> list[str]:
    """axe's serious and critical findings on the open page, as a keyboard reader meets it."""
    first_tab(reader)
    reader.add_script_tag(path=str(AXE))
    return reader.evaluate(AXE_SERIOUS)


REGIONS = "document.querySelectorAll('.katex-display, .md-typeset__scrollwrap, .md-typeset pre > code')"
# "Far": four screens down, a screen beyond where scrollable.js looks ahead (two screens below the
# view), so blocks drawn at their real height above cannot push a measured one into the test's range.
REGIONS_FAR_DOWN = f"""() => [...{REGIONS}]
  .map((el, i) => [i, el.getBoundingClientRect().top > 4 * innerHeight, el.getAttribute('role') === 'region'])"""


def test_wide_blocks_far_down_get_a_tab_stop_when_the_reader_comes_near_or_presses_tab(reader, base_url):
    """scrollable.js measures blocks near the screen only (measuring the rest would draw them);
    a keyboard reader's first Tab measures them all."""
    url = base_url + "fundamentals/optimization/"
    with phone_width(reader):
        open_page(reader, url)
        assert not [i for i, far, marked in reader.evaluate(REGIONS_FAR_DOWN) if far and marked]
        first_tab(reader)
        far_marked = [i for i, far, marked in reader.evaluate(REGIONS_FAR_DOWN) if far and marked]
        assert len(far_marked) >= 5
        open_page(reader, url)  # a reader who scrolls instead
        last = far_marked[-1]
        reader.evaluate(f"{REGIONS}[{last}].scrollIntoView()")
        reader.wait_for_function(f"{REGIONS}[{last}].getAttribute('role') === 'region'", timeout=5_000)


def test_every_mermaid_diagram_parses(reader):
    problems = check_mermaid(reader, ROOT / "docs")
    assert not problems, "\n" + "\n".join(problems)


@pytest.mark.parametrize("path", ["fundamentals/transformer/", "en/fundamentals/transformer/",
                                  "en/financing/cap-tables/", "fundamentals/training-large-models/",
                                  "en/appendix/glossary/", "talent/team-design/"])
def test_phone_width_has_no_sideways_page_scroll_and_stays_accessible(reader, base_url, path):
    with phone_width(reader):
        open_page(reader, base_url + path)
        overflow = reader.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"/{path} is {overflow}px wider than a 390px phone screen"
        # a wide diagram scrolls inside its box rather than shrinking its 16 px labels below 12 px
        scales = reader.evaluate("""() => [...document.querySelectorAll('.mermaid-diagram > svg')]
          .map(svg => svg.getBoundingClientRect().width / svg.viewBox.baseVal.width)""")
        assert all(scale >= 0.749 for scale in scales), (path, scales)
        violations = serious_violations(reader)
        assert not violations, f"/{path} at 390px:\n" + "\n".join(violations)


@pytest.mark.parametrize(("start", "query", "expected"), [
    ("index.html", "归根到底", "fundamentals/gradient-descent.html"),
    ("en/index.html", "steepest", "en/fundamentals/gradient-descent.html"),
])
def test_offline_edition_works_from_the_file_system_with_search(reader, offline_root, start, query, expected):
    reader.console_errors.clear()
    reader.outside.clear()
    reader.goto((offline_root / start).as_uri())
    reader.click(".md-search__input")
    reader.keyboard.insert_text(query)
    reader.keyboard.press("End")
    reader.locator(".md-search-result__item a").first.wait_for(timeout=15_000)
    hrefs = reader.eval_on_selector_all(".md-search-result__item a", "els => els.map(a => a.href)")
    assert any(h.startswith((offline_root / expected).as_uri()) for h in hrefs), hrefs
    reader.goto((offline_root / expected).as_uri())
    reader.wait_for_function(RENDERED, timeout=15_000)
    assert not reader.evaluate(PROBLEMS)
    outside = [u for u in reader.outside if not u.startswith("file:")]
    assert not outside and not reader.console_errors, (outside, reader.console_errors)


@pytest.mark.parametrize("path", ["fundamentals/optimization/", "en/appendix/glossary/"])
def test_a_link_to_a_heading_far_down_a_long_page_lands_on_it(reader, base_url, path):
    """Blocks off screen are skipped with a guessed height (extra.css); the jump must still end on
    the heading, from another page (load) and within the page (hash change), on a phone."""
    where = "el => el.getBoundingClientRect().top - parseFloat(getComputedStyle(el).scrollMarginTop)"
    with phone_width(reader):
        open_page(reader, base_url + path)
        ids = reader.eval_on_selector_all(".md-typeset h2[id]", "hs => hs.map(h => h.id)")
        assert len(ids) >= 4
        open_page(reader, base_url + path + "#" + ids[-1])
        reader.wait_for_timeout(300)
        assert abs(reader.eval_on_selector(f"#{ids[-1]}", where)) <= 2, f"/{path}#{ids[-1]} after load"
        reader.evaluate(f"location.hash = '{ids[len(ids) // 2]}'")
        reader.wait_for_timeout(500)
        assert abs(reader.eval_on_selector(f"#{ids[len(ids) // 2]}", where)) <= 2, f"/{path}#{ids[len(ids) // 2]}"
