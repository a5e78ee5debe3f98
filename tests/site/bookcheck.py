"""Checks of the book's sources and built site, shared by the tests and the planted-mistake tests.

Every check takes a directory and returns a list of problems, each a string that starts with
`path:line:` where there is a line, so a contributor sees where to look. An empty list means clean.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections import Counter
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import yaml

ROOT = Path(__file__).resolve().parents[2]
LANGS = ("zh", "en")
SNIPPET_LINE = re.compile(r'^\s*-{1,}8<-{1,}\s+"([^"]+)"\s*$')
FENCE = re.compile(r"^(\s*)(`{3,}|~{3,})\s*([^\s`]*)(.*)$")
HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*$")
HEADING_ID = re.compile(r"\{[^}]*#([A-Za-z0-9_-]+)[^}]*\}\s*$")
FOOTNOTE_DEF = re.compile(r"^\[\^([^\]]+)\]:")
# Like pymdownx.arithmatex's inline $...$ with smart_dollar: no space just inside the dollars.
INLINE_MATH = re.compile(r"(?<![\\$])\$(?!\s)((?:\\.|[^\\$\n])+?)(?<![\s\\])\$(?!\$)")
CODE_SPAN = re.compile(r"(`+)(.+?)\1")
SKIP_MARK = re.compile(r"^<!--\s*pytest\.mark\.(skip|skipif|xfail)\b(.*)-->$")
EXECUTED = {"python", "sh", "bash"}
PYTHONISH = {"py", "python3", "pycon", "ipython", "python"}


# ---------------------------------------------------------------- page structure

@dataclass
class Block:
    lang: str
    info: str  # text after the language on the fence line
    line: int  # 1-based line of the opening fence
    code: str
    mark: str | None = None  # a <!--pytest.mark...--> line right before the fence


@dataclass
class Page:
    path: Path
    headings: list[tuple[int, str | None, int]] = field(default_factory=list)  # level, id, line
    display_math: list[tuple[str, int]] = field(default_factory=list)
    inline_math: list[tuple[str, int]] = field(default_factory=list)
    includes: list[tuple[str, int]] = field(default_factory=list)
    footnotes: list[str] = field(default_factory=list)
    blocks: list[Block] = field(default_factory=list)

    @property
    def mermaid(self) -> list[Block]:
        return [b for b in self.blocks if b.lang == "mermaid"]


def parse_page(path: Path) -> Page:
    """Split a Markdown page into the parts the parity and content checks compare."""
    page = Page(path)
    lines = path.read_text(encoding="utf-8").splitlines()
    i, last_mark = 0, None
    while i < len(lines):
        line, lineno = lines[i], i + 1
        fence = FENCE.match(line)
        if fence:
            indent, ticks, lang, info = fence.groups()
            body, i = [], i + 1
            while i < len(lines) and not lines[i].strip().startswith(ticks):
                body.append(lines[i][len(indent):] if lines[i].startswith(indent) else lines[i].lstrip())
                i += 1
            code = "\n".join(body)
            page.blocks.append(Block(lang, info.strip(), lineno, code, last_mark))
            for j, text in enumerate(body):
                m = SNIPPET_LINE.match(text)
                if m:
                    page.includes.append((m.group(1), lineno + 1 + j))
            last_mark, i = None, i + 1
            continue
        stripped = line.strip()
        if SKIP_MARK.match(stripped) or stripped.startswith("<!--pytest"):
            last_mark = stripped
        elif stripped and not stripped.startswith("<!--"):
            last_mark = None
        heading = HEADING.match(line)
        if heading:
            hid = HEADING_ID.search(heading.group(2))
            page.headings.append((len(heading.group(1)), hid.group(1) if hid else None, lineno))
        elif stripped == "$$":
            body, i = [], i + 1
            while i < len(lines) and lines[i].strip() != "$$":
                body.append(lines[i].strip())
                i += 1
            page.display_math.append(("\n".join(body), lineno))
        else:
            if stripped.startswith("$$") and stripped.endswith("$$") and len(stripped) > 4:
                page.display_math.append((stripped[2:-2].strip(), lineno))
            else:
                for m in INLINE_MATH.finditer(CODE_SPAN.sub("", line)):
                    page.inline_math.append((m.group(1), lineno))
            fn = FOOTNOTE_DEF.match(line)
            if fn:
                page.footnotes.append(fn.group(1))
        i += 1
    return page


def page_pairs(docs: Path) -> dict[str, dict[str, Path]]:
    """Map 'part/page' -> {'zh': path, 'en': path} for every suffixed .md/.ipynb under docs/."""
    pairs: dict[str, dict[str, Path]] = {}
    for path in sorted(docs.rglob("*")):
        if path.suffix not in (".md", ".ipynb") or {"assets", "includes"} & set(path.relative_to(docs).parts):
            continue
        stem, _, lang = path.stem.rpartition(".")
        key = (path.parent.relative_to(docs) / f"{stem or lang}{path.suffix}").as_posix()
        pairs.setdefault(key, {})[lang if stem else "?"] = path
    return pairs


def rel(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return path.as_posix()


def check_pairs(docs: Path) -> list[str]:
    problems = []
    for key, langs in page_pairs(docs).items():
        for lang, path in langs.items():
            if lang not in LANGS:
                problems.append(f"{rel(path, docs.parent)}: page has no language suffix; name it x.zh.md and x.en.md")
        for lang in LANGS:
            if lang not in langs and set(langs) & set(LANGS):
                other = next(iter(langs.values()))
                twin = other.with_name(other.name.replace(f".{'en' if lang == 'zh' else 'zh'}.", f".{lang}."))
                problems.append(f"{rel(other, docs.parent)}: exists in one language only; add {rel(twin, docs.parent)}")
    return problems


def _first_difference(a: list, b: list) -> int:
    for k, (x, y) in enumerate(zip(a, b)):
        if x != y:
            return k
    return min(len(a), len(b))


def check_parity(docs: Path) -> list[str]:
    """zh and en twins must have the same headings, formulas, includes, diagrams and footnotes."""
    problems = []
    for key, langs in page_pairs(docs).items():
        if not key.endswith(".md") or not all(lang in langs for lang in LANGS):
            continue
        zh, en = parse_page(langs["zh"]), parse_page(langs["en"])
        zr, er = rel(zh.path, docs.parent), rel(en.path, docs.parent)
        for page, name in ((zh, zr), (en, er)):
            h1 = [h for h in page.headings if h[0] == 1]
            if len(h1) != 1:
                problems.append(f"{name}:1: needs exactly one '# Title' line (found {len(h1)})")
            for level, hid, line in page.headings:
                if level > 1 and hid is None:
                    problems.append(f"{name}:{line}: heading has no explicit id; add {{ #ascii-id }} (the same in zh and en)")
        zh_h = [(lv, hid) for lv, hid, _ in zh.headings]
        en_h = [(lv, hid) for lv, hid, _ in en.headings]
        if zh_h != en_h:
            k = _first_difference(zh_h, en_h)
            zl = zh.headings[k][2] if k < len(zh.headings) else "end"
            el = en.headings[k][2] if k < len(en.headings) else "end"
            problems.append(f"{zr}:{zl} and {er}:{el}: headings differ (levels/ids {zh_h[k:k+1]} vs {en_h[k:k+1]})")
        zd, ed = [m for m, _ in zh.display_math], [m for m, _ in en.display_math]
        if zd != ed:
            k = _first_difference(zd, ed)
            zl = zh.display_math[k][1] if k < len(zd) else "end"
            el = en.display_math[k][1] if k < len(ed) else "end"
            problems.append(f"{zr}:{zl} and {er}:{el}: display formulas differ")
        zi, ei = Counter(m for m, _ in zh.inline_math), Counter(m for m, _ in en.inline_math)
        if zi != ei:
            only_zh, only_en = list((zi - ei).elements()), list((ei - zi).elements())
            problems.append(f"{zr} vs {er}: inline formulas differ: only in zh {only_zh[:3]}, only in en {only_en[:3]}")
        if [s for s, _ in zh.includes] != [s for s, _ in en.includes]:
            problems.append(f"{zr} vs {er}: snippet includes differ: {[s for s, _ in zh.includes]} vs {[s for s, _ in en.includes]}")
        if len(zh.mermaid) != len(en.mermaid):
            problems.append(f"{zr} vs {er}: {len(zh.mermaid)} vs {len(en.mermaid)} Mermaid diagrams")
        if sorted(zh.footnotes) != sorted(en.footnotes):
            problems.append(f"{zr} vs {er}: footnotes differ: {sorted(set(zh.footnotes) ^ set(en.footnotes))}")
    return problems


def check_notebook_parity(docs: Path) -> list[str]:
    problems = []
    for key, langs in page_pairs(docs).items():
        if not key.endswith(".ipynb") or not all(lang in langs for lang in LANGS):
            continue
        cells = {lang: json.loads(langs[lang].read_text(encoding="utf-8"))["cells"] for lang in LANGS}
        kinds = {lang: [c["cell_type"] for c in cells[lang]] for lang in LANGS}
        if kinds["zh"] != kinds["en"]:
            problems.append(f"{rel(langs['zh'], docs.parent)} vs {rel(langs['en'], docs.parent)}: cell types differ")
        for lang in LANGS:
            for n, cell in enumerate(cells[lang]):
                if cell["cell_type"] == "code" and (cell.get("outputs") or cell.get("execution_count")):
                    problems.append(f"{rel(langs[lang], docs.parent)}: cell {n} has outputs; commit notebooks output-free")
    return problems


# ---------------------------------------------------------------- snippet includes

def read_include(spec: str, snippets: Path) -> str:
    """Return the text pymdownx.snippets inserts for `file.py` or `file.py:section`."""
    name, _, section = spec.partition(":")
    path = snippets / name
    if not path.is_file():
        raise LookupError(f'snippet file "{name}" not found under {snippets.name}/')
    text = path.read_text(encoding="utf-8")
    if not section:
        return text
    if section.isdigit() or re.fullmatch(r"\d*:\d*", section):
        raise LookupError(f'"{spec}": include by named section, not by line number')
    start = re.search(rf"^.*--8<-- \[start:{re.escape(section)}\].*$", text, re.M)
    end = re.search(rf"^.*--8<-- \[end:{re.escape(section)}\].*$", text, re.M)
    if not start or not end or end.start() < start.end():
        raise LookupError(f'section "{section}" not found in snippets/{name} (need # --8<-- [start:{section}] and [end:{section}])')
    body = text[start.end() + 1:end.start()]
    body = "\n".join(line for line in body.splitlines() if "--8<-- [" not in line)
    lines = body.splitlines()
    indent = min((len(x) - len(x.lstrip()) for x in lines if x.strip()), default=0)
    return "\n".join(x[indent:] for x in lines) + "\n"


def expand_includes(code: str, snippets: Path = ROOT / "snippets") -> str:
    out = []
    for line in code.splitlines(keepends=True):
        m = SNIPPET_LINE.match(line)
        out.append(read_include(m.group(1), snippets) if m else line)
    return "".join(out)


def check_includes(docs: Path, snippets: Path) -> list[str]:
    problems = []
    for path in sorted(docs.rglob("*.md")):
        for spec, line in parse_page(path).includes:
            try:
                read_include(spec, snippets)
            except LookupError as err:
                problems.append(f"{rel(path, docs.parent)}:{line}: {err}")
    return problems


# ---------------------------------------------------------------- code fences

def check_fences(docs: Path) -> list[str]:
    """Python-looking fences that pytest-codeblocks would silently skip, and skips without a reason."""
    problems = []
    for path in sorted(docs.rglob("*.md")):
        for block in parse_page(path).blocks:
            where = f"{rel(path, docs.parent)}:{block.line}"
            runs = block.lang in EXECUTED and not block.info
            if block.mark and "reason" not in block.mark and "skip" in block.mark:
                problems.append(f"{where}: {block.mark} needs a reason, e.g. <!--pytest.mark.skip(reason=\"starts a server\")-->")
            if block.lang in PYTHONISH and not runs and not block.mark:
                problems.append(
                    f"{where}: fence ```{block.lang}{(' ' + block.info) if block.info else ''} is not executed by the tests; "
                    "write exactly ```python, or mark it <!--pytest.mark.skip(reason=...)-->"
                )
    return problems


# ---------------------------------------------------------------- formulas (KaTeX in node)

KATEX_JS = ROOT / "docs" / "assets" / "vendor" / "katex" / "katex.min.js"
_KATEX_RUNNER = """
const katex = require(process.argv[1]);
const items = JSON.parse(require('fs').readFileSync(0, 'utf8'));
const bad = [];
for (const [where, tex, display] of items) {
  try { katex.renderToString(tex, {displayMode: display, throwOnError: true}); }
  catch (e) { bad.push(where + ': formula does not parse: ' + e.message.split('\\n')[0]); }
}
process.stdout.write(JSON.stringify(bad));
"""


def check_formulas(docs: Path) -> list[str]:
    """Every $...$ and $$...$$ in docs/ must parse with the vendored KaTeX (run in node)."""
    items = []
    for path in sorted(docs.rglob("*.md")):
        page = parse_page(path)
        items += [(f"{rel(path, docs.parent)}:{line}", tex, True) for tex, line in page.display_math]
        items += [(f"{rel(path, docs.parent)}:{line}", tex, False) for tex, line in page.inline_math]
    node = shutil.which("node")
    if node is None:
        return ["node is not installed: the formula check needs Node.js (apt-get install nodejs)"]
    result = subprocess.run([node, "-e", _KATEX_RUNNER, str(KATEX_JS)], input=json.dumps(items),
                            capture_output=True, text=True, check=False)
    if result.returncode != 0:
        return [f"KaTeX runner failed: {result.stderr.strip()[:500]}"]
    return json.loads(result.stdout)


# ---------------------------------------------------------------- nav

class _AnyTagLoader(yaml.SafeLoader):
    """Reads mkdocs.yml without importing the Python objects its !!python tags name."""


_AnyTagLoader.add_multi_constructor("tag:yaml.org,2002:python/", lambda loader, suffix, node: None)
_AnyTagLoader.add_constructor("!ENV", lambda loader, node: None)


def load_mkdocs_yml(path: Path) -> dict:
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_AnyTagLoader)


def nav_entries(nav) -> list[str]:
    out = []
    for item in nav or []:
        value = next(iter(item.values())) if isinstance(item, dict) else item
        if isinstance(value, list):
            out += nav_entries(value)
        elif isinstance(value, str) and not value.startswith(("http://", "https://")):
            out.append(value)
    return out


def check_nav(config_path: Path, docs: Path) -> list[str]:
    entries = nav_entries(load_mkdocs_yml(config_path).get("nav"))
    problems = []
    pairs = page_pairs(docs)
    for entry in entries:
        if entry not in pairs:
            problems.append(f"{config_path.name}: nav entry {entry} has no docs/{entry.rsplit('.', 1)[0]}.zh/.en file")
    for key, langs in pairs.items():
        if key not in entries:
            problems.append(f"{rel(next(iter(langs.values())), docs.parent)}: page is not in the mkdocs.yml nav")
    return problems


# ---------------------------------------------------------------- built HTML

class _AssetParser(HTMLParser):
    ATTRS = {"script": "src", "img": "src", "iframe": "src", "source": "src", "audio": "src",
             "video": "src", "embed": "src", "object": "data"}

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[tuple[str, str, int]] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and a.get("href") and set((a.get("rel") or "").split()) & {
                "stylesheet", "icon", "preload", "modulepreload", "prefetch", "preconnect", "dns-prefetch", "manifest"}:
            self.urls.append((tag, a["href"], self.getpos()[0]))
        elif tag in self.ATTRS and a.get(self.ATTRS[tag]):
            self.urls.append((tag, a[self.ATTRS[tag]], self.getpos()[0]))
        style = a.get("style") or ""
        for url in re.findall(r"url\(['\"]?([^'\")]+)", style):
            self.urls.append((tag, url, self.getpos()[0]))


INLINE_ASSET_URL = re.compile(r"""(?<!href=")(?<!src=")(?<!href=')(?<!src=')(?<![\w:/])((?:https?:)?//[\w.-]+/[^\s"'<>()]*\.(?:m?js|css|woff2?|ttf|otf))\b""")


def is_external(url: str) -> bool:
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme in ("http", "https")


MARKDOWN_IMAGE = re.compile(r"!\[[^\]]*\]\(\s*<?((?:https?:)?//[^)\s>]+)")


def _blank_fences(text: str) -> str:
    """The text with fenced code blocks blanked (line numbers kept): examples of HTML are not assets."""
    out, fence = [], None
    for line in text.splitlines():
        match = FENCE.match(line)
        if fence is None and match:
            fence = match.group(2)
            out.append("")
        elif fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            out.append("")
        else:
            out.append(CODE_SPAN.sub("", line))
    return "\n".join(out)


def _external_in_markup(text: str, where: str, code_label: str) -> list[str]:
    """Tags that load from another host, and code that imports or fetches from one at run time
    (e.g. `import("https://cdn.../x.mjs")`), as `where:line: ...` problems."""
    parser = _AssetParser()
    parser.feed(text)
    problems = [f"{where}:{line}: <{tag}> loads an external asset {url}" for tag, url, line in parser.urls
                if is_external(url)]
    for m in INLINE_ASSET_URL.finditer(text):
        line = text.count("\n", 0, m.start()) + 1
        problems.append(f"{where}:{line}: {code_label} refers to an external asset {m.group(1)}")
    return problems


def check_external_assets_in_sources(docs: Path, overrides: Path) -> list[str]:
    """The source-level twin of check_external_assets: a page or template that loads a script,
    stylesheet, image or font from another host, reported as file:line of the source."""
    problems = []
    sources = sorted(docs.rglob("*.md")) + sorted(overrides.rglob("*.html"))
    for path in sources:
        if "vendor" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        text = _blank_fences(text) if path.suffix == ".md" else text
        problems += _external_in_markup(text, rel(path, docs.parent), "code")
        for m in MARKDOWN_IMAGE.finditer(text):
            line = text.count("\n", 0, m.start()) + 1
            problems.append(f"{rel(path, docs.parent)}:{line}: image loads an external asset {m.group(1)}")
    return problems


def check_external_assets(site: Path) -> list[str]:
    """No page, stylesheet or script of the built site may load anything from another host."""
    problems = []
    for html in sorted(site.rglob("*.html")):
        problems += _external_in_markup(html.read_text(encoding="utf-8"), rel(html, site), "inline code")
    for css in sorted(site.rglob("*.css")):
        for url in re.findall(r"(?:url\(|@import\s+)['\"]?((?:https?:)?//[^'\")\s]+)", css.read_text(encoding="utf-8")):
            problems.append(f"{rel(css, site)}: stylesheet loads an external asset {url}")
    return problems
