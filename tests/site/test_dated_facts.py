"""Dated facts (issue: as-of marks, freshness report, page dates, what's new): the parsers on planted
examples, each able to fail if the code were wrong. The built site is checked in test_site_html.py."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import freshness  # noqa: E402
from tests.site.test_hooks import git, load_hook  # noqa: E402


as_of = load_hook("as_of")
whats_new = load_hook("whats_new")
page_dates = load_hook("page_dates")


@pytest.mark.parametrize(("value", "expected"), [
    ("2026-12-07", dt.date(2026, 12, 7)), ("2026-12", dt.date(2026, 12, 1)), ("2024-02-29", dt.date(2024, 2, 29))])
def test_checked_dates_parse(value, expected):
    assert as_of.parse_date(value) == expected


@pytest.mark.parametrize(("value", "why"), [
    ("2026-13", "not a real date"), ("2025-02-29", "not a real date"), ("2026-00-10", "not a real date"),
    ("Dec 2026", "not YYYY-MM"), ("2026/12/07", "not YYYY-MM"), ("26-12-07", "not YYYY-MM"), ("", "not YYYY-MM")])
def test_malformed_checked_dates_are_refused_with_the_reason(value, why):
    with pytest.raises(ValueError, match=why):
        as_of.parse_date(value)


def test_the_mark_renders_in_the_page_language_and_leaves_code_alone():
    html = ('<li id="fn:x"><p>CAC. Notice. <a href="https://x.cn">x</a> checked: 2026-12-07</p></li>'
            '<li><p>Price page, checked: 2026-11. More</p></li><pre><code>checked: 2026-12-07</code></pre>'
            '<p><code>checked: 2026-12</code> is the syntax; input:checked:disabled is CSS</p>')
    errors = []
    en = as_of.render(html, "en", lambda value, err: errors.append(value))
    assert en.count('<span class="as-of"') == 2 and "as of 2026-12-07</span>" in en and "as of 2026-11</span>. More" in en
    assert "<pre><code>checked: 2026-12-07</code></pre>" in en and "<code>checked: 2026-12</code>" in en
    zh = as_of.render(html, "zh", lambda value, err: errors.append(value))
    assert "截至 2026-12-07</span>" in zh and "as of" not in zh
    assert errors == []


def test_a_malformed_mark_is_reported_not_rendered():
    errors = []
    html = as_of.render("<p>Source. checked: 2026-13-01</p>", "en", lambda value, err: errors.append((value, str(err))))
    assert "as-of" not in html and errors == [("2026-13-01", "checked date '2026-13-01' is not a real date (month must be in 1..12)")]


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_freshness_reads_marks_ages_and_unmarked_time_sensitive_sources(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "part" / "rules.en.md", "# Rules\n\nA law.[^law] A paper.[^paper] A price.[^price]\n\n"
          "[^law]: State Council. *Interim Measures*. 2023. <https://www.gov.cn/x> checked: 2026-05-06\n"
          "[^paper]: Vaswani et al. *Attention Is All You Need*. 2017. <https://arxiv.org/abs/1706.03762>\n"
          "[^price]: Provider. *Pricing*. <https://example.com/pricing>\n"
          "    continued on a second line, checked: 2026-12\n")
    write(docs / "part" / "old.zh.md", "# 旧\n\n[^fund]: 某公司.《融资公告》. 2025. <https://example.cn> checked: 2025-12-31。\n")
    rows, counts = freshness.report(docs, dt.date(2026, 12, 7), 6, tmp_path)
    found = {(r[1].path, r[1].line, r[1].key): (r[0], r[1].age_months(dt.date(2026, 12, 7))) for r in rows}
    assert found == {
        ("docs/part/rules.en.md", 5, "law"): ("STALE", 7),
        ("docs/part/rules.en.md", 7, "price"): ("ok", 0),
        ("docs/part/old.zh.md", 3, "fund"): ("STALE", 11),
    }
    assert counts == {"ok": 1, "STALE": 2, "UNMARKED": 0, "marked": 3}
    write(docs / "part" / "new.en.md", "# New\n\n[^round]: Lab. *Lab raises $2B Series C*. 2026. <https://lab.ai/news>\n"
          "[^tib]: R. Tibshirani. *Regression Shrinkage*. Journal of the RSS: Series B. 1996. <https://doi.org/10.1111/j.2517-6161.1996.tb02080.x>\n"
          "[^rule]: M. Heusel et al. *GANs Trained by a Two Time-Scale Update Rule*. 2017. <https://arxiv.org/abs/1706.08500>\n"
          "[^lic]: Meta. *Llama 3 paper*, licence section. 2024. <https://arxiv.org/abs/2407.21783>\n")
    rows, counts = freshness.report(docs, dt.date(2026, 12, 7), 6, tmp_path)
    assert [r[1].key for r in rows if r[0] == "UNMARKED"] == ["round", "lic"]  # papers are not, unless about a licence


def test_a_mark_exactly_six_months_old_is_not_yet_stale(tmp_path):
    write(tmp_path / "docs" / "a.en.md", "[^x]: Regulator. *Rule*. checked: 2026-06-07\n")
    rows, _ = freshness.report(tmp_path / "docs", dt.date(2026, 12, 7), 6, tmp_path)
    assert [(status, note.age_months(dt.date(2026, 12, 7))) for status, note in rows] == [("ok", 6)]
    rows, _ = freshness.report(tmp_path / "docs", dt.date(2026, 12, 8), 6, tmp_path)
    assert rows[0][0] == "STALE"


def test_freshness_names_file_and_line_of_a_malformed_date(tmp_path):
    write(tmp_path / "docs" / "p.en.md", "# P\n\ntext\n\n[^a]: Fine. checked: 2026-12\n[^b]: Regulator.\n    Notice. checked: 2026-14\n")
    with pytest.raises(ValueError, match=r"^docs/p\.en\.md:7: footnote \[\^b\]: checked date '2026-14' is not a real date"):
        freshness.report(tmp_path / "docs", dt.date(2026, 12, 7), 6, tmp_path)
    assert freshness.main(["--docs", str(tmp_path / "docs")]) == 2


def test_whats_new_entries_render_by_month_and_feed_is_valid_atom(tmp_path):
    docs = tmp_path / "docs"
    write(docs / "part" / "page.zh.md", "# 页面\n")
    source = write(docs / "includes" / "whats-new.yml",
                   "- date: 2026-11-25\n  zh: >-\n    第一版。\n  en: >-\n    First edition: everything.\n"
                   "- date: 2026-12-07\n  zh: >-\n    新增一章。\n  en: >-\n    A new chapter.\n  pages: [part/page.md]\n")
    entries, problems = whats_new.load(source, docs)
    assert problems == []
    assert [e["date"] for e in entries] == [dt.date(2026, 12, 7), dt.date(2026, 11, 25)]
    text = whats_new.render(entries, "en", {"part/page.md": "Page"})
    assert text.index("## 2026-12 { #m2026-12 }") < text.index("A new chapter. [Page](../part/page.md)") < text.index("## 2026-11")
    feed = ET.fromstring(whats_new.feed(entries, "zh", "https://example.org/"))
    ns = {"a": "http://www.w3.org/2005/Atom"}
    assert [e.find("a:summary", ns).text for e in feed.findall("a:entry", ns)] == ["新增一章。", "第一版。"]
    assert feed.find("a:entry/a:link", ns).get("href") == "https://example.org/part/page/"


@pytest.mark.parametrize(("yaml_text", "message"), [
    ("- date: 2026-12-07\n  zh: x\n", "entry 1: needs date, zh and en"),
    ("- date: December\n  zh: x\n  en: y\n", "entry 1: date 'December' is not YYYY-MM-DD"),
    ("- date: 2026-12-07\n  zh: x\n  en: New: a colon\n", "not valid YAML"),
])
def test_whats_new_refuses_bad_entries_with_the_reason(tmp_path, yaml_text, message):
    source = write(tmp_path / "docs" / "includes" / "whats-new.yml", yaml_text)
    with pytest.raises(ValueError, match=message):
        whats_new.load(source, tmp_path / "docs")


def test_whats_new_reports_a_page_that_does_not_exist_and_drops_its_link(tmp_path):
    write(tmp_path / "docs" / "part" / "page.zh.md", "# 页面\n")
    source = write(tmp_path / "docs" / "includes" / "whats-new.yml",
                   "- date: 2026-12-07\n  zh: x\n  en: y\n  pages: [part/page.md, part/missing.md]\n")
    entries, problems = whats_new.load(source, tmp_path / "docs")
    assert entries[0]["pages"] == ["part/page.md"]
    assert problems == ["docs/includes/whats-new.yml: entry 1: page part/missing.md does not exist (give it as part/name.md)"]


def test_page_dates_come_from_the_last_commit_and_uncommitted_pages_are_today(tmp_path):
    git(tmp_path, "init", "-q")
    write(tmp_path / "docs" / "a.en.md", "# A\n")
    write(tmp_path / "docs" / "b.en.md", "# B\n")
    git(tmp_path, "add", ".")
    git(tmp_path, "commit", "-qm", "one", date="2026-01-02T10:00:00+00:00")
    write(tmp_path / "docs" / "b.en.md", "# B changed\n")
    git(tmp_path, "commit", "-qam", "two", date="2026-03-04T10:00:00+00:00")
    write(tmp_path / "docs" / "c.en.md", "# C, not committed\n")
    dates = page_dates.last_changed(tmp_path / "docs")
    assert dates == {"a.en.md": dt.date(2026, 1, 2), "b.en.md": dt.date(2026, 3, 4), "c.en.md": dt.date.today()}
