"""Translation drift report (`make i18n-status`): when each language of each page pair last changed,
and which English pages last changed on an earlier day than their Chinese source. Prints; never fails."""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "hooks"))
sys.path.insert(0, str(ROOT))

from tests.site.bookcheck import page_pairs  # noqa: E402
from translation_drift import drift  # noqa: E402


def main() -> None:
    rows, outdated = [], 0
    for key, langs in page_pairs(ROOT / "docs").items():
        if "zh" in langs and "en" in langs:
            zh_time, en_time, old = drift(langs["zh"], langs["en"])
            outdated += old
            rows.append((key, zh_time.strftime("%Y-%m-%d %H:%M"), en_time.strftime("%Y-%m-%d %H:%M"),
                         "EN MAY BE OUTDATED" if old else "ok"))
    width = max(len(r[0]) for r in rows)
    print(f"{'page':<{width}}  {'zh changed':<16}  {'en changed':<16}  status")
    for row in rows:
        print(f"{row[0]:<{width}}  {row[1]:<16}  {row[2]:<16}  {row[3]}")
    print(f"\n{len(rows)} page pairs, {outdated} English page(s) last changed on an earlier day than their Chinese source")


if __name__ == "__main__":
    main()
