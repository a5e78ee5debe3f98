"""Layer 5 (built site): nothing loads from another host; notebooks are real pages in both languages;
dated facts, page dates and the what's-new feeds are on the pages."""

import re
from pathlib import Path
from xml.etree import ElementTree as ET

from pathlib import Path

from tests.site import bookcheck

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"


def test_no_external_assets_in_the_built_site(site):
    problems = bookcheck.check_external_assets(site)
    assert not problems, "\n" + "\n".join(problems)


def test_notebooks_render_as_pages_in_both_languages(site):
    # hooks/notebooks_i18n.py: without it mkdocs-static-i18n copies the raw .ipynb JSON to index.html
    for prefix, lang in (("", "zh"), ("en/", "en")):
        html = (site / f"{prefix}notebooks/gradient-descent/index.html").read_text(encoding="utf-8")
        assert html.lstrip().startswith("<!doctype html>"), f"{prefix}notebooks/gradient-descent/ is not a page"
        assert "jp-CodeCell" in html
        assert (site / f"{prefix}notebooks/gradient-descent/gradient-descent.{lang}.ipynb").is_file()


def test_notebook_pages_carry_no_cdn_mathjax(site):
    # hooks/notebooks_offline.py removes mkdocs-jupyter's MathJax block
    html = (site / "en/notebooks/gradient-descent/index.html").read_text(encoding="utf-8")
    assert "mathjax" not in html.lower()


def test_pages_with_code_carry_the_verified_with_stamp(site):
    zh = (site / "fundamentals/gradient-descent/index.html").read_text(encoding="utf-8")
    en = (site / "en/fundamentals/gradient-descent/index.html").read_text(encoding="utf-8")
    assert 'class="verified-with"' in zh and "PyTorch" in zh and "验证环境" in zh
    assert 'class="verified-with"' in en and "verified with Python" in en


def built_page(site, src: Path) -> Path:
    """docs/part/name.en.md -> site/en/part/name/index.html (zh at the root)."""
    rel = src.relative_to(DOCS).as_posix()
    lang = "en" if rel.endswith(".en.md") else "zh"
    stem = rel[: -len(".en.md")]
    path = stem[: -len("index")] if stem.endswith("index") else stem + "/"
    return site / ("en/" if lang == "en" else "") / path / "index.html"


def test_as_of_marks_are_shown_in_the_page_language(site):
    marked = [p for p in sorted(DOCS.rglob("*.md")) if "includes" not in p.parts
              and re.search(r"^\[\^[^\]]+\]:.*\bchecked: \d{4}-\d{2}", p.read_text(encoding="utf-8"), re.M)]
    assert len(marked) >= 10, f"only {len(marked)} pages carry an as-of mark (CONTRIBUTING.md: dated facts)"
    for src in marked:
        html = built_page(site, src).read_text(encoding="utf-8")
        label = "as of 20" if src.name.endswith(".en.md") else "截至 20"
        assert f'class="as-of" title=' in html and label in html, f"{src.relative_to(ROOT)}: as-of mark not rendered"
        prose = re.sub(r"<(pre|code)\b.*?</\1>", "", html, flags=re.S)
        assert not re.search(r"\bchecked: \d", prose), f"{src.relative_to(ROOT)}: a raw 'checked:' mark is left"


def test_every_page_shows_when_it_last_changed_in_its_language(site):
    zh = (site / "financing" / "cap-tables" / "index.html").read_text(encoding="utf-8")
    en = (site / "en" / "financing" / "cap-tables" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'title="最后更新">.*?</span>\s*\d{4}年\d{1,2}月\d{1,2}日', zh, re.S)
    assert re.search(r'title="Last update">.*?</span>\s*[A-Z][a-z]+ \d{1,2}, \d{4}', en, re.S)


def test_whats_new_page_and_feeds_are_built(site):
    for lang, prefix in (("zh", ""), ("en", "en/")):
        page = (site / prefix / "appendix" / "whats-new" / "index.html").read_text(encoding="utf-8")
        assert "<!-- whats-new -->" not in page and re.search(r'<h2 id="m\d{4}-\d{2}"', page)
        feed = ET.fromstring((site / prefix / "feed.xml").read_bytes())
        assert feed.tag == "{http://www.w3.org/2005/Atom}feed" and feed.findall("{http://www.w3.org/2005/Atom}entry")
def test_notebook_pages_link_download_and_colab_and_say_which_torch_ran_them(site):
    # hooks/verified_with.py; plain links, so nothing is requested from Colab when the page loads
    from importlib.metadata import version
    torch = version("torch").split("+")[0]
    for prefix, lang, words in (("", "zh", ("下载笔记本", "在 Colab 中打开")), ("en/", "en", ("Download", "Open in Colab"))):
        for notebook in sorted((Path(__file__).resolve().parents[2] / "docs/notebooks").glob(f"*.{lang}.ipynb")):
            name = notebook.name.removesuffix(f".{lang}.ipynb")
            html = (site / f"{prefix}notebooks/{name}/index.html").read_text(encoding="utf-8")
            assert f'<a href="{notebook.name}" download>{words[0]}' in html, f"{prefix}notebooks/{name}/"
            colab = ("https://colab.research.google.com/github/llm-founders-guide/book/blob/main/"
                     f"docs/notebooks/{notebook.name}")
            assert f'href="{colab}"' in html and words[1] in html, f"{prefix}notebooks/{name}/"
            assert f"PyTorch {torch}" in html, f"{prefix}notebooks/{name}/: no generated torch version"
