"""The MkDocs hooks do their one job each (the built-site parts run on the strict build)."""

import importlib.util
import os
import subprocess
from pathlib import Path
from types import SimpleNamespace

ROOT = Path(__file__).resolve().parents[2]


def load_hook(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "hooks" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def git(repo, *args, date=None):
    env = {"GIT_AUTHOR_DATE": date, "GIT_COMMITTER_DATE": date} if date else {}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", *args], cwd=repo, check=True,
                   capture_output=True, env={**os.environ, **env})


def test_an_english_page_older_than_its_chinese_source_gets_a_banner(tmp_path):
    drift = load_hook("translation_drift")
    docs = tmp_path / "docs" / "part"
    docs.mkdir(parents=True)
    (docs / "x.zh.md").write_text("# 标题\n\n旧\n", encoding="utf-8")
    (docs / "x.en.md").write_text("# Title\n\nold\n", encoding="utf-8")
    git(tmp_path, "init", "-q")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "both", date="2026-01-01T00:00:00+00:00")
    page = SimpleNamespace(file=SimpleNamespace(src_uri="part/x.en.md", abs_src_path=str(docs / "x.en.md")),
                           url="en/part/x/")
    assert drift.on_page_markdown("# Title\n\nold\n", page, None, None) == "# Title\n\nold\n"

    (docs / "x.zh.md").write_text("# 标题\n\n改\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "zh only, same day", date="2026-01-01T23:00:00+00:00")
    assert drift.on_page_markdown("# Title\n\nold\n", page, None, None) == "# Title\n\nold\n"

    (docs / "x.zh.md").write_text("# 标题\n\n新\n", encoding="utf-8")
    git(tmp_path, "commit", "-qam", "zh only", date="2026-03-01T00:00:00+00:00")
    out = drift.on_page_markdown("# Title\n\nold\n", page, None, None)
    assert out.startswith("# Title\n\n!!! warning \"This translation may be outdated\"")
    assert "changed on 2026-03-01; this English page was last changed on 2026-01-01" in out
    assert 'href="../../../part/x/"' in out


def test_references_page_collects_every_footnote(site):
    refs = load_hook("references")
    for lang, prefix in (("zh", ""), ("en", "en/")):
        html = (site / f"{prefix}appendix/references/index.html").read_text(encoding="utf-8")
        groups = refs.collect(ROOT / "docs", lang, [])
        expected = sum(len(r) for pages in groups.values() for _, _, r in pages)
        assert expected > 100
        assert html.count("<li>") >= expected
        assert "arxiv.org/abs/1412.6980" in html  # Adam, cited in the optimization chapter


def test_notebook_styles_keep_only_rules_that_can_match():
    trim = load_hook("notebooks_css").trim_page
    page = ('<style>.w .used{a:1}.w .unused{b:2}.w .used:not(.unused){c:3}.w :root{d:4}:root{e:5}'
            '@media (max-width:5px){.unused{f:6}}@media print{.used,.unused{g:7}}@keyframes k{to{h:8}}'
            'pre{i:9}</style><style>.unused{j:10}</style>'
            '<div class="w"><p class="used">x</p></div>'
            "<style>\n['pre { line-height: 125%; }\\n']\n</style>")
    assert trim(page) == ('<style>.w .used{a:1}.w .used:not(.unused){c:3}:root{e:5}'
                          '@media print{.used,.unused{g:7}}@keyframes k{to{h:8}}pre{i:9}</style>'
                          '<div class="w"><p class="used">x</p></div>')
