"""The PDF editions (`make pdf`, scripts/build_pdf.py), read back with pypdf.

The whole book takes minutes to print, so the test prints a small edition from the session's
built site (the home page and one short page of each part, with formulas, diagrams, code, a notebook);
the pages workflow builds and publishes the full editions."""

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest
from pypdf import PdfReader

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ["index.md", "financing/index.md", "talent/team-design.md", "ecosystem/index.md",
          "fundamentals/optimization.md", "notebooks/attention.ipynb"]
MERMAID_SOURCE = re.compile(r"\b(flowchart|graph) (LR|TD|TB|RL|BT)\b|-->|```")


def load_script():
    spec = importlib.util.spec_from_file_location("build_pdf", ROOT / "scripts" / "build_pdf.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def editions(site, tmp_path_factory):
    # In its own process, as `make pdf` runs it: Playwright's sync API refuses to start inside the
    # event loop that pytest-playwright keeps running once a browser test has used it.
    out = tmp_path_factory.mktemp("pdf")
    subprocess.run([sys.executable, str(ROOT / "scripts" / "build_pdf.py"), str(site), str(out),
                    "--pages=" + ",".join(SAMPLE)], cwd=ROOT, check=True, capture_output=True, text=True)
    paths = sorted(out.glob("*.pdf"))
    assert len(paths) == 2, f"expected one PDF per language, got {[p.name for p in paths]}"
    return load_script(), {path.name.rsplit("-", 1)[1].removesuffix(".pdf"): PdfReader(path) for path in paths}


def outline_titles(outline) -> list[str]:
    out = []
    for item in outline:
        out += outline_titles(item) if isinstance(item, list) else [item.title]
    return out


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pdf_edition_has_every_part_and_chapter_as_text_with_nothing_left_raw(editions, site, lang):
    script, readers = editions
    reader = readers[lang]
    assert len(reader.pages) >= 20, f"{lang}: only {len(reader.pages)} pages"
    text = "\n".join(page.extract_text() for page in reader.pages)
    flat = re.sub(r"\s+", "", text)
    titles = outline_titles(reader.outline)
    config = script.bookcheck.load_mkdocs_yml(ROOT / "mkdocs.yml")
    for entry in SAMPLE:
        html = (site / script.page_url(entry, lang) / "index.html").read_text(encoding="utf-8")
        title = script.page_title(html)
        assert re.sub(r"\s+", "", title) in flat, f"{lang}: chapter heading {title!r} is not text in the PDF"
        assert title in titles, f"{lang}: chapter {title!r} has no bookmark"
    for part, _ in script.book_sections(config, lang, set(SAMPLE)):
        assert part in titles and re.sub(r"\s+", "", part) in flat, f"{lang}: part {part!r} missing or no bookmark"
    assert "$$" not in text and "\\(" not in text, f"{lang}: raw formula source left in the PDF"
    leftover = MERMAID_SOURCE.search(text)
    assert not leftover, f"{lang}: Mermaid source left in the PDF: {text[leftover.start() - 40:leftover.end() + 40]!r}"


@pytest.mark.browser
def test_pdf_links_jump_inside_the_book_and_fonts_are_embedded(editions):
    _, readers = editions
    for lang, reader in readers.items():
        internal = [a for page in reader.pages for a in (page.get("/Annots") or [])
                    if a.get_object().get("/Subtype") == "/Link" and "/Dest" in a.get_object()]
        assert len(internal) >= 10, f"{lang}: {len(internal)} internal links"
        fonts = {f.get_object().get("/BaseFont") for page in reader.pages[:5]
                 for f in (page["/Resources"].get("/Font") or {}).values()}
        assert all(f is None or "+" in f for f in fonts), f"{lang}: fonts not embedded as subsets: {fonts}"
        if lang == "zh":
            assert any(f and "WenQuanYi" in f or f and "CJK" in f or f and "Hei" in f for f in fonts), fonts
