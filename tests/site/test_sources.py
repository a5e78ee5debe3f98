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


def unbalanced_braces(css: str, name: str) -> list[str]:
    """`name:line` of every `{` never closed and `}` never opened, comments and strings ignored.

    A rule missing its `}` swallows every rule after it (CSS nesting reads them as children), and
    the browser says nothing: the diagram and phone rules of extra.css were lost that way once."""
    problems, opened, line, i = [], [], 1, 0
    while i < len(css):
        if css.startswith("/*", i):
            end = css.find("*/", i + 2)
            end = len(css) if end == -1 else end + 2
            line += css.count("\n", i, end)
            i = end
            continue
        char = css[i]
        if char in "\"'":
            end = css.find(char, i + 1)
            end = len(css) if end == -1 else end + 1
            line += css.count("\n", i, end)
            i = end
            continue
        if char == "\n":
            line += 1
        elif char == "{":
            opened.append(line)
        elif char == "}":
            if opened:
                opened.pop()
            else:
                problems.append(f"{name}:{line}: '}}' closes nothing")
        i += 1
    return problems + [f"{name}:{at}: '{{' is never closed" for at in opened]


def test_every_stylesheet_closes_its_rules():
    sheets = sorted((ROOT / "docs" / "assets" / "stylesheets").glob("*.css"))
    assert sheets
    problems = [p for sheet in sheets for p in unbalanced_braces(sheet.read_text(encoding="utf-8"), sheet.relative_to(ROOT).as_posix())]
    assert not problems, "\n".join(problems)


def test_the_brace_check_finds_an_unclosed_rule_and_ignores_comments_and_strings():
    css = '.a {\n  color: red;\n\n/* } in a comment */\n.b { content: "}"; }\n.c { }\n}\n}\n'
    assert unbalanced_braces(css, "x.css") == ["x.css:8: '}' closes nothing"]
    assert unbalanced_braces(".a {\n  color: red;\n.b { }\n", "x.css") == ["x.css:1: '{' is never closed"]
    assert unbalanced_braces(".a { } /* { */ .b { content: '{'; }", "x.css") == []
