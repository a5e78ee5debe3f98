"""`make freshness`: how old is each dated fact in the book, and which time-sensitive sources carry no date?

Reads every footnote definition (`[^key]: ...`) in docs/**/*.md and prints one row per footnote that
either carries an as-of mark (`checked: YYYY-MM[-DD]`, CONTRIBUTING.md) or looks time-sensitive
without one. A row is flagged STALE when its mark is older than --max-age-months (default 6) and
UNMARKED when the footnote looks time-sensitive (see TIME_SENSITIVE) but has no mark.
Informational: it exits 0 whatever it finds, except for a malformed date (exit 2, file:line).

    python scripts/freshness.py [--max-age-months 6] [--today 2026-12-07] [--stale-only]
"""

from __future__ import annotations

import argparse
import calendar
import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from hooks.as_of import MARK, TRAILING, MalformedDate, parse_date  # noqa: E402
from hooks.references import FOOTNOTE  # noqa: E402  (a footnote definition and its indented continuation)
# The heuristics for "this source is about something that changes", documented in CONTRIBUTING.md:
# official texts (regulators, legislatures, courts, exchanges), prices, funding rounds and valuations,
# licences and terms, programmes, credits and market or survey figures.
TIME_SENSITIVE = re.compile("|".join([
    r"\.gov\b", r"gov\.cn", r"europa\.eu", r"federalregister", r"ecfr\.gov", r"govinfo", r"hkex", r"csrc",
    r"sse\.com\.cn", r"szse", r"courtlistener", r"supremecourt", r"legislation\.", r"chinacourt",
    r"\b(Act|Regulation|Directive|Rule|Measures|Provisions|Order|Proclamation|Circular)\b",
    r"《[^》]*(法|办法|规定|条例|通知|意见|纪要|公告|指引|标准)》",
    r"[Pp]ric(e|es|ing)\b", r"价格|定价|报价",
    r"\b(raises?|raised|funding|valuation|IPO|listing)\b", r"[Ss]eries [A-H] (round|funding|financing)", r"融资|估值|上市",
    r"[Ll]icen[cs]e|LICENSE|[Tt]erms of (use|service)|[Uu]sage [Pp]olicy|许可|协议|条款",
    r"\b(program(me)?s?|credits?|vouchers?|grants?)\b", r"算力券|补贴|额度|计划",
    r"AI Index|Carta|PitchBook|[Ss]urvey|[Mm]arket (size|share)|报告",
]))


# A paper (arXiv, DOI, proceedings) is not time-sensitive for its method or results, even when its
# title says "Rule" or "survey"; it still is when the footnote is about its licence or a price.
PAPER = re.compile(r"arxiv\.org|doi\.org|openreview\.net|proceedings|aclanthology|neurips\.cc|jmlr\.org")
STILL_SENSITIVE = re.compile(r"[Ll]icen[cs]e|LICENSE|[Pp]ric(e|es|ing)|许可|价格")


def looks_time_sensitive(text: str) -> bool:
    if PAPER.search(text) and not STILL_SENSITIVE.search(text):
        return False
    return bool(TIME_SENSITIVE.search(text))


@dataclass
class Footnote:
    path: str       # relative to the repository root
    line: int
    key: str
    text: str
    checked: dt.date | None

    def age_months(self, today: dt.date) -> int | None:
        if self.checked is None:
            return None
        months = (today.year - self.checked.year) * 12 + today.month - self.checked.month
        return months - (today.day < self.checked.day)

    def stale(self, today: dt.date, max_age_months: int) -> bool:
        """Checked more than `max_age_months` calendar months before `today`."""
        month = self.checked.month - 1 + max_age_months
        year, month = self.checked.year + month // 12, month % 12 + 1
        day = min(self.checked.day, calendar.monthrange(year, month)[1])
        return today > dt.date(year, month, day)


def footnotes(path: Path, root: Path = ROOT) -> list[Footnote]:
    """Every footnote definition of one page, with its as-of date. MalformedDate names file:line."""
    text = path.read_text(encoding="utf-8")
    rel = path.relative_to(root).as_posix() if path.is_relative_to(root) else str(path)
    found = []
    for match in FOOTNOTE.finditer(text):
        start_line = text.count("\n", 0, match.start()) + 1
        body = match[2]
        checked = None
        for mark in MARK.finditer(body):
            value = mark[1].rstrip(TRAILING)
            line = start_line + body.count("\n", 0, mark.start())
            try:
                date = parse_date(value)
            except MalformedDate as err:
                raise MalformedDate(f"{rel}:{line}: footnote [^{match[1]}]: {err}") from None
            checked = max(checked, date) if checked else date
        found.append(Footnote(rel, start_line, match[1], " ".join(body.split()), checked))
    return found


def report(docs: Path, today: dt.date, max_age: int, root: Path = ROOT) -> tuple[list[tuple[str, Footnote]], dict]:
    """Rows (status, footnote) for marked and time-sensitive footnotes, and the counts."""
    rows = []
    for path in sorted(docs.rglob("*.md")):
        for note in footnotes(path, root):
            if note.checked is not None:
                rows.append(("STALE" if note.stale(today, max_age) else "ok", note))
            elif looks_time_sensitive(note.text):
                rows.append(("UNMARKED", note))
    counts = {status: sum(1 for s, _ in rows if s == status) for status in ("ok", "STALE", "UNMARKED")}
    counts["marked"] = counts["ok"] + counts["STALE"]
    return rows, counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0],
                                     formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--docs", type=Path, default=ROOT / "docs", help="folder of pages")
    parser.add_argument("--max-age-months", type=int, default=6, help="older marks are flagged STALE")
    parser.add_argument("--today", type=parse_date, default=dt.date.today(), help="date to measure ages from")
    parser.add_argument("--stale-only", action="store_true", help="list only STALE and UNMARKED rows")
    args = parser.parse_args(argv)
    try:
        rows, counts = report(args.docs, args.today, args.max_age_months, args.docs.resolve().parent)
    except MalformedDate as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    order = {"STALE": 0, "UNMARKED": 1, "ok": 2}
    rows.sort(key=lambda r: (order[r[0]], -(r[1].age_months(args.today) or 0), r[1].path, r[1].line))
    print(f"{'status':<9} {'checked':<10} {'age':>4}  where / footnote")
    for status, note in rows:
        if args.stale_only and status == "ok":
            continue
        age = note.age_months(args.today)
        print(f"{status:<9} {note.checked.isoformat() if note.checked else '-':<10} "
              f"{'-' if age is None else f'{age}m':>4}  {note.path}:{note.line} [^{note.key}] {note.text[:70]}")
    print(f"\n{counts['marked']} marked claims ({counts['STALE']} older than {args.max_age_months} months), "
          f"{counts['UNMARKED']} time-sensitive footnotes without a mark; measured on {args.today.isoformat()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
