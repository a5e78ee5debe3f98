"""Layer 0 (sources): what the built-site checks find, reported earlier with the source's file and line."""

from pathlib import Path

from tests.site import bookcheck

ROOT = Path(__file__).resolve().parents[2]


def test_no_page_or_template_loads_an_external_asset():
    problems = bookcheck.check_external_assets_in_sources(ROOT / "docs", ROOT / "overrides")
    assert not problems, "\n".join(problems)


def test_the_source_asset_check_sees_tags_images_and_skips_code(tmp_path):
    docs, overrides = tmp_path / "docs", tmp_path / "overrides"
    docs.mkdir(), overrides.mkdir()
    (docs / "page.en.md").write_text(
        "# Page\n\n"
        '<script src="https://cdn.example.com/lib.js"></script>\n\n'
        "![chart](https://img.example.com/chart.png)\n\n"
        "```html\n<script src=\"https://cdn.example.com/shown-as-an-example.js\"></script>\n```\n\n"
        "`<script src=\"https://cdn.example.com/inline-example.js\">` in a code span is an example too.\n\n"
        '<img src="../assets/images/local.png" alt="local">\n', encoding="utf-8")
    (overrides / "main.html").write_text('{% block x %}\n<link rel="stylesheet" href="//fonts.example.com/a.css">\n{% endblock %}\n')
    assert bookcheck.check_external_assets_in_sources(docs, overrides) == [
        "docs/page.en.md:3: <script> loads an external asset https://cdn.example.com/lib.js",
        "docs/page.en.md:5: image loads an external asset https://img.example.com/chart.png",
        "overrides/main.html:2: <link> loads an external asset //fonts.example.com/a.css",
    ]
