"""Every Mermaid diagram has its SVG drawn by `make diagrams` (hooks/diagrams.py, scripts/diagrams.py).

Source-level and cheap: no browser, no build. A new or edited diagram without a drawn SVG would
still show (the browser draws it), but slowly on phones, so CI names it with file and line."""

import importlib.util
import re
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def load(path, name):
    spec = importlib.util.spec_from_file_location(name, ROOT / path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


script = load("scripts/diagrams.py", "diagrams_script")


def test_every_diagram_has_a_drawn_svg_and_every_svg_a_diagram():
    problems = script.cache_problems()
    assert not problems, "\n" + "\n".join(problems)


def test_an_edited_diagram_is_reported_with_file_and_line(tmp_path):
    docs = tmp_path / "docs" / "part"
    docs.mkdir(parents=True)
    page = docs / "x.en.md"
    page.write_text("# T\n\nText.\n\n```mermaid\nflowchart LR\n    A --> B\n```\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    key = script.hook.diagram_key("flowchart LR\n    A --> B")
    (cache / f"{key}.svg").write_text("<svg></svg>", encoding="utf-8")
    assert script.cache_problems(tmp_path / "docs", cache) == []

    page.write_text("# T\n\nText.\n\n```mermaid\nflowchart LR\n    A --> C\n```\n", encoding="utf-8")
    problems = script.cache_problems(tmp_path / "docs", cache)
    assert len(problems) == 2, problems
    assert problems[0].startswith("docs/part/x.en.md:5: Mermaid diagram has no drawn SVG"), problems
    assert problems[1].endswith("drawn SVG of a diagram no page has any more; run `make diagrams`"), problems


def test_the_page_gets_the_drawn_svg_labelled_in_its_language_or_keeps_the_block():
    hook = script.hook
    key, source = next(iter(script.diagrams_in(ROOT / "docs").items()))
    block = '<pre class="mermaid"><code>' + source[0][1].replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</code></pre>"
    for lang, prefix in (("zh", 'aria-label="图：'), ("en", 'aria-label="Diagram: ')):
        page = SimpleNamespace(file=SimpleNamespace(src_uri=f"part/x.{lang}.md"))
        html = hook.on_page_content(f"<p>a</p>{block}<p>b</p>", page, None, None)
        assert '<div class="mermaid-diagram"><svg role="img" ' + prefix in html, html[:300]
        assert 'class="mermaid"' not in html and html.count("<svg") == 1
        widest, smallest = map(float, re.search(r'max-width: ([0-9.]+)px; min-width: ([0-9.]+)px;', html).groups())
        assert abs(smallest - 0.75 * widest) <= 0.5  # labels stay at 12 px or more (16 px drawn)
    unknown = '<pre class="mermaid"><code>flowchart LR\n    Q --&gt; R</code></pre>'
    page = SimpleNamespace(file=SimpleNamespace(src_uri="part/x.en.md"))
    assert hook.on_page_content(unknown, page, None, None) == unknown  # the browser draws it
