"""`make diagrams`: draw every Mermaid diagram in docs/ to SVG once, for hooks/diagrams.py.

Draws with the vendored Mermaid and the styles Material itself gives diagrams (taken from the
installed mkdocs-material, so colours come from its --md-mermaid-* variables and follow the
palette), in Chromium, each diagram once per source: the result goes to
docs/assets/diagrams/<key>.svg (commit it). Diagrams already drawn are skipped and SVGs no page
uses any more are removed, so running it twice changes nothing.

    python scripts/diagrams.py          # draw what is missing, drop what is unused
    python scripts/diagrams.py --check  # only report (exit 1 when anything is missing or unused)
"""

from __future__ import annotations

import importlib.util
import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.site import bookcheck  # noqa: E402

DOCS = ROOT / "docs"
MERMAID_JS = DOCS / "assets" / "vendor" / "mermaid" / "mermaid.min.js"


def load_hook():
    spec = importlib.util.spec_from_file_location("diagrams_hook", ROOT / "hooks" / "diagrams.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


hook = load_hook()


def diagrams_in(docs: Path = DOCS) -> dict[str, list[tuple[str, str]]]:
    """key -> [(path:line, source)] of every Mermaid block in the Markdown pages under `docs`."""
    found: dict[str, list[tuple[str, str]]] = {}
    version = hook.mermaid_version()
    for path in sorted(docs.rglob("*.md")):
        for block in bookcheck.parse_page(path).mermaid:
            where = f"{bookcheck.rel(path, docs.parent)}:{block.line}"
            found.setdefault(hook.diagram_key(block.code, version), []).append((where, block.code))
    return found


def cache_problems(docs: Path = DOCS, cache: Path | None = None) -> list[str]:
    """Diagrams with no drawn SVG (file:line each) and drawn SVGs that no page uses."""
    cache = cache or hook.CACHE
    found = diagrams_in(docs)
    problems = [f"{where}: Mermaid diagram has no drawn SVG in {bookcheck.rel(cache, ROOT)}/ "
                f"(new or changed); run `make diagrams` and commit the result"
                for key, places in found.items() if not (cache / f"{key}.svg").is_file()
                for where, _ in places]
    problems += [f"{bookcheck.rel(svg, ROOT)}: drawn SVG of a diagram no page has any more; run `make diagrams`"
                 for svg in sorted(cache.glob("*.svg")) if svg.stem not in found]
    return problems


def material_assets() -> tuple[str, list[Path]]:
    """Material's diagram styles (the themeCSS its bundle passes to Mermaid) and its stylesheets."""
    import material

    assets = Path(material.__file__).parent / "templates" / "assets"
    bundle = next((assets / "javascripts").glob("bundle.*.min.js")).read_text(encoding="utf-8")
    name = re.search(r"themeCSS:(\w+)", bundle)
    value = name and re.search(rf"\b{name.group(1)}=(\"(?:[^\"\\]|\\.)*\")", bundle)
    if not value:
        sys.exit("scripts/diagrams.py: cannot find Material's Mermaid styles (themeCSS) in its bundle; "
                 "has mkdocs-material changed how it draws diagrams?")
    sheets = sorted((assets / "stylesheets").glob("main.*.min.css")) + sorted((assets / "stylesheets").glob("palette.*.min.css"))
    return json.loads(value.group(1)), sheets


def draw(sources: dict[str, str]) -> dict[str, str]:
    """key -> SVG for each source, drawn in Chromium as Material would draw it in the page."""
    from playwright.sync_api import sync_playwright

    from tests.site.conftest import CHROMIUM_ARGS, chromium_executable

    theme_css, sheets = material_assets()
    executable = chromium_executable()
    with sync_playwright() as p:
        browser = p.chromium.launch(args=CHROMIUM_ARGS, **({"executable_path": executable} if executable else {}))
        page = browser.new_page()
        page.set_content('<html><body data-md-color-scheme="default"><div class="md-typeset"></div></body></html>')
        for sheet in sheets:
            page.add_style_tag(path=str(sheet))
        page.add_script_tag(path=str(MERMAID_JS))
        drawn = page.evaluate("""async ([themeCSS, sources]) => {
          mermaid.initialize({startOnLoad: false, themeCSS,
                              sequence: {actorFontSize: '16px', messageFontSize: '16px', noteFontSize: '16px'}});
          const out = {};
          for (const [key, code] of Object.entries(sources)) {
            out[key] = (await mermaid.render('mermaid-' + key, code)).svg;
          }
          return out;
        }""", [theme_css, sources])
        browser.close()
    return drawn


def main() -> int:
    if "--check" in sys.argv:
        problems = cache_problems()
        print("\n".join(problems) or "every diagram has its drawn SVG")
        return 1 if problems else 0
    found = diagrams_in()
    hook.CACHE.mkdir(parents=True, exist_ok=True)
    missing = {key: places[0][1] for key, places in found.items() if not hook.cached_svg(key).is_file()}
    for key, svg in draw(missing).items() if missing else ():
        hook.cached_svg(key).write_text(svg + "\n", encoding="utf-8")
        print(f"drew {found[key][0][0]} -> {bookcheck.rel(hook.cached_svg(key), ROOT)}")
    unused = [svg for svg in hook.CACHE.glob("*.svg") if svg.stem not in found]
    for svg in unused:
        svg.unlink()
        print(f"removed {bookcheck.rel(svg, ROOT)} (no page has this diagram any more)")
    print(f"{len(found)} diagrams: {len(missing)} drawn, {len(found) - len(missing)} already drawn, "
          f"{len(unused)} unused SVGs removed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
