"""Layer 6: the built site in headless Chromium, as a reader sees it.

Every page of both languages is opened once: formulas rendered by KaTeX with no error, every
Mermaid diagram drawn as SVG, no console error, no request to any host but 127.0.0.1. Then the
interactive parts: language switch, search in Chinese and English, copy button, accessibility.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socketserver
import threading
from pathlib import Path

import pytest

from tests.site import bookcheck

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
AXE = Path(__file__).with_name("vendor") / "axe-core" / "axe.min.js"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--disable-quic"]
# Material draws Mermaid into a *closed* shadow root; open it so the test can look inside.
OPEN_SHADOW_ROOTS = """
const attach = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attach.call(this, {...init, mode: "open"}); };
"""
RENDERED = """() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  const mathDone = math.every(el => el.querySelector('.katex, .katex-error'));
  const diagrams = [...document.querySelectorAll('.mermaid')];
  const diagramsDone = diagrams.every(el => el.shadowRoot && el.shadowRoot.querySelector('svg'));
  return mathDone && diagramsDone && (!window.katex || document.querySelector('.arithmatex') == null || mathDone);
}"""
PROBLEMS = """() => {
  const out = [];
  document.querySelectorAll('.katex-error').forEach(el => out.push('KaTeX error: ' + el.title));
  document.querySelectorAll('.arithmatex').forEach(el => {
    if (!el.querySelector('.katex')) out.push('formula not rendered: ' + el.textContent.slice(0, 60));
  });
  document.querySelectorAll('pre.mermaid, div.mermaid').forEach(el => {
    const svg = el.shadowRoot && el.shadowRoot.querySelector('svg');
    if (!svg) out.push('Mermaid diagram not rendered: ' + el.textContent.slice(0, 60));
    else if (svg.getAttribute('aria-roledescription') === 'error' || svg.querySelector('.error-icon'))
      out.push('Mermaid syntax error in a diagram');
  });
  document.querySelectorAll('.jp-RenderedMarkdown').forEach(el => {
    if (/\\$[^$\\s][^$]*\\$/.test(el.textContent) && !el.querySelector('.katex')) out.push('notebook math not rendered');
  });
  const text = document.querySelector('.md-content').innerText;
  if (/(^|\\n)\\s*\\$\\$/.test(text)) out.push('raw $$ left in the page');
  if (/```/.test(text)) out.push('raw ``` fence left in the page');
  return out;
}"""


def site_urls() -> list[str]:
    """Every page of both languages, from the sources (so the tests exist before the build)."""
    urls = []
    for key in bookcheck.page_pairs(ROOT / "docs"):
        path = key.rsplit(".", 1)[0]
        path = "" if path == "index" else path.removesuffix("/index") + "/"
        urls += [path, "en/" + path]
    return urls


def chromium_executable() -> str | None:
    for candidate in (os.environ.get("CHROMIUM"), "/usr/bin/chromium", "/usr/bin/chromium-browser",
                      "/usr/bin/google-chrome", shutil.which("chromium"), shutil.which("google-chrome")):
        if candidate and Path(candidate).exists():
            return candidate
    return None  # Playwright's own browser, where `playwright install chromium` was run


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    args = {**browser_type_launch_args, "args": CHROMIUM_ARGS}
    executable = chromium_executable()
    if executable:
        args["executable_path"] = executable
    return args


@pytest.fixture(scope="session")
def base_url(site):
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(site)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()


@pytest.fixture(scope="session")
def reader(browser, base_url):
    """One tab for the whole session, with every request outside 127.0.0.1 blocked and recorded."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.outside = []

    def guard(route):
        if route.request.url.startswith(("http://127.0.0.1", "data:", "blob:")):
            route.continue_()
        else:
            context.outside.append(route.request.url)
            route.abort()

    context.route("**/*", guard)
    page = context.new_page()
    page.console_errors = []
    page.on("console", lambda msg: msg.type == "error" and page.console_errors.append(msg.text))
    page.on("pageerror", lambda err: page.console_errors.append(str(err)))
    yield page
    context.close()


def open_page(reader, url):
    reader.console_errors.clear()
    reader.context.outside.clear()
    reader.goto(url, wait_until="load")
    reader.wait_for_function(RENDERED, timeout=15_000)


@pytest.mark.parametrize("path", site_urls())
def test_page_renders_offline_without_errors(reader, base_url, path):
    open_page(reader, base_url + path)
    problems = reader.evaluate(PROBLEMS)
    problems += [f"console error: {e}" for e in reader.console_errors]
    problems += [f"request left the site: {u}" for u in reader.context.outside]
    assert not problems, f"/{path}:\n" + "\n".join(problems)


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
    blocks = reader.locator(".md-typeset pre > code").count()
    buttons = reader.locator('button[data-md-type="copy"]')
    assert blocks >= 3
    buttons.first.wait_for(state="attached")
    assert buttons.count() == blocks


def test_notebook_page_has_a_download_link(reader, base_url):
    open_page(reader, base_url + "en/notebooks/gradient-descent/")
    link = reader.locator("a[download]")
    assert link.get_attribute("href") == "gradient-descent.en.ipynb"
    assert reader.locator(".jp-CodeCell").count() >= 3


@pytest.mark.parametrize("path", ["", "en/", "fundamentals/gradient-descent/", "en/fundamentals/gradient-descent/",
                                  "en/notebooks/gradient-descent/", "guide/how-to-use/"])
def test_no_serious_accessibility_violations(reader, base_url, path):
    open_page(reader, base_url + path)
    reader.add_script_tag(path=str(AXE))
    violations = reader.evaluate("""async () => {
      const r = await axe.run(document, {resultTypes: ['violations']});
      return r.violations.filter(v => ['serious', 'critical'].includes(v.impact))
        .map(v => v.id + ' (' + v.impact + '): ' + v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(' | '));
    }""")
    assert not violations, f"/{path}:\n" + "\n".join(violations)
