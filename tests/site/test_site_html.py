"""Layer 5 (built site): nothing loads from another host; notebooks are real pages in both languages."""

from pathlib import Path

from tests.site import bookcheck


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
