"""The as-of mark at the end of a footnote: Python-Markdown puts `&#160;` and the back-link right
after the last word, so the date must stop at the `&` (found when the Financing part's strict build
refused every footnote's date as '2026-12-07&#160')."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import markdown

ROOT = Path(__file__).resolve().parents[2]
spec = importlib.util.spec_from_file_location("as_of", ROOT / "hooks" / "as_of.py")
as_of = importlib.util.module_from_spec(spec)
spec.loader.exec_module(as_of)


def test_a_mark_at_the_end_of_a_rendered_footnote_becomes_a_badge():
    html = markdown.markdown("Fact.[^a]\n\n[^a]: Source. <https://example.org> checked: 2026-12-07",
                             extensions=["footnotes"])
    assert "2026-12-07&#160;" in html                # the shape that used to be refused
    errors = []
    out = as_of.render(html, "en", lambda value, err: errors.append(value))
    assert not errors
    assert '<span class="as-of" title="the date this source was last checked">as of 2026-12-07</span>&#160;' in out
