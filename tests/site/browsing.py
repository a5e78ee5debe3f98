"""Helpers for driving the built site in Chromium (used by the browser and planted-mistake tests)."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import io
import socketserver
import threading
from pathlib import Path

from tests.site import bookcheck

RENDERED = """() => {
  const math = [...document.querySelectorAll('.arithmatex')];
  const mathDone = math.every(el => el.querySelector('.katex, .katex-error'));
  const diagrams = [...document.querySelectorAll('.mermaid')];
  const diagramsDone = diagrams.every(el => el.shadowRoot && el.shadowRoot.querySelector('svg'));
  // scrollable.js measures wide tables and formulas while the browser is idle, then says so
  const measured = !window.markScrollableRegions || document.documentElement.hasAttribute('data-scrollables-marked');
  return mathDone && diagramsDone && measured;
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
  // on a notebook page, $...$ in a heading also reaches the tables of contents
  if (document.querySelector('.jp-RenderedMarkdown')) document.querySelectorAll('.jp-RenderedMarkdown, .md-nav__link').forEach(el => {
    if (/\\$[^$\\s][^$]*\\$/.test(el.textContent) && !el.querySelector('.katex'))
      out.push('notebook math not rendered: ' + el.textContent.trim().slice(0, 60));
  });
  const text = document.querySelector('.md-content').innerText;
  if (/(^|\\n)\\s*\\$\\$/.test(text)) out.push('raw $$ left in the page');
  if (/```/.test(text)) out.push('raw ``` fence left in the page');
  return out;
}"""


COMPRESSIBLE = (".html", ".js", ".css", ".json", ".svg", ".xml", ".txt")


@contextlib.contextmanager
def serve_directory(directory: Path, compress: bool = False):
    """Serve `directory` on 127.0.0.1 (a free port) for the duration; yields the base URL.

    With `compress`, text files go out gzip-encoded to clients that accept it, as GitHub Pages
    serves them (the phone benchmark measures what readers get, not `http.server`'s raw bytes)."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

        def handle(self):
            try:
                super().handle()
            except (BrokenPipeError, ConnectionResetError):
                pass  # the browser dropped a request it no longer needed

        def send_head(self):
            path = Path(self.translate_path(self.path))
            if path.is_dir():
                path = path / "index.html"
            if not (compress and path.suffix in COMPRESSIBLE and path.is_file()
                    and "gzip" in self.headers.get("Accept-Encoding", "")):
                return super().send_head()
            if not self.path.split("?")[0].endswith("/") and path.name == "index.html" and \
                    not self.path.split("?")[0].endswith("index.html"):
                return super().send_head()  # let the parent redirect ".../page" to ".../page/"
            body = gzip.compress(path.read_bytes(), mtime=0)
            self.send_response(200)
            self.send_header("Content-Type", self.guess_type(str(path)))
            self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            return io.BytesIO(body)

    server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), functools.partial(Quiet, directory=str(directory)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()


def open_page(reader, url):
    reader.console_errors.clear()
    reader.outside.clear()
    reader.goto(url, wait_until="load")
    reader.wait_for_function(RENDERED, timeout=15_000)
    reader.evaluate("document.fonts.ready.then(() => true)")  # layout-dependent fixes run after fonts


def page_problems(tab, path: str) -> list[str]:
    """Everything a reader would see go wrong on the page now open in `tab`."""
    problems = tab.evaluate(PROBLEMS)
    problems += [f"console error: {e}" for e in tab.console_errors]
    problems += [f"request left the site: {u}" for u in tab.outside]
    return [f"/{path}: {p}" for p in problems]


MERMAID_JS = Path(__file__).resolve().parents[2] / "docs/assets/vendor/mermaid/mermaid.min.js"


def check_mermaid(page, docs: Path) -> list[str]:
    """Parse every Mermaid block in docs/ with the vendored Mermaid; report file:line of each failure."""
    diagrams = [(f"{bookcheck.rel(path, docs.parent)}:{block.line}", block.code)
                for path in sorted(docs.rglob("*.md")) for block in bookcheck.parse_page(path).mermaid]
    page.set_content("<html><body></body></html>")
    page.add_script_tag(path=str(MERMAID_JS))
    return page.evaluate("""async (diagrams) => {
      const bad = [];
      for (const [where, code] of diagrams) {
        try { await mermaid.parse(code); }
        catch (e) { bad.push(where + ': Mermaid syntax error: ' + String(e.message || e).split('\\n')[0]); }
      }
      return bad;
    }""", diagrams)
