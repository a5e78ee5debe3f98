"""The worked-example tables on the financing pages show what the calculators compute.

The printed output blocks are already checked by pytest-codeblocks (expected-output); these tests
check the Markdown tables that restate those numbers, in both languages."""
from fractions import Fraction
from pathlib import Path

import pytest

from financing.cap_table import POOL, Safe, close_round, ownership, pro_rata_amount
from financing.liquidation_waterfall import Preferred, waterfall
from financing.rent_vs_buy_gpu import breakeven_months

DOCS = Path(__file__).resolve().parents[2] / "docs" / "financing"
LANGS = ("zh", "en")


def page(name: str, lang: str) -> str:
    return (DOCS / f"{name}.{lang}.md").read_text(encoding="utf-8")


def table_rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]


@pytest.mark.parametrize("lang", LANGS)
def test_cap_table_on_the_page_matches_the_calculator(lang):
    founders = {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 1_000_000}
    safes = (Safe("Angel SAFE", 500_000, cap=5_000_000),
             Safe("Seed SAFE", 1_000_000, cap=10_000_000, discount=Fraction(1, 5)))
    seed = close_round(founders, {"Seed fund": 3_000_000}, 12_000_000, Fraction(1, 10), safes)
    pro_rata = pro_rata_amount(ownership(seed.table)["Seed fund"], 10_000_000)
    a = close_round(seed.table, {"Series A fund": 10_000_000 - pro_rata, "Seed fund": pro_rata},
                    40_000_000, Fraction(12, 100))
    expected = []
    for holder in a.table:
        before = (f"{seed.table[holder]:,}", f"{float(ownership(seed.table)[holder]):.2%}") \
            if holder in seed.table else ("—", "—")
        expected.append([*before, f"{a.table[holder]:,}", f"{float(ownership(a.table)[holder]):.2%}"])
    rows = [r[1:] for r in table_rows(page("cap-tables", lang)) if len(r) == 5][1:len(expected) + 1]
    assert rows == expected


@pytest.mark.parametrize("lang", LANGS)
def test_waterfall_table_on_the_page_matches_the_calculator(lang):
    seed = Preferred("Seed", 1_000_000, Fraction(2_000_000))
    terms = ({}, {"participating": True}, {"participating": True, "cap": Fraction(3)})
    expected = []
    for exit_m in (10, 25, 60, 120, 200):
        row = [str(exit_m)]
        for extra in terms:
            a = Preferred("Series A", 3_000_000, Fraction(15_000_000), **extra)
            paid, _ = waterfall(exit_m * 1_000_000, [seed, a], {"Common": 6_000_000})
            row.append(f"{float(paid['Common']) / 1e6:.2f}")
        expected.append(row)
    rows = [r for r in table_rows(page("cap-tables", lang)) if len(r) == 4 and r[0].isdigit()]
    assert rows == expected


@pytest.mark.parametrize("lang", LANGS)
def test_gpu_prices_on_the_page_are_the_ones_the_calculators_use(lang):
    prices = [r[2] for r in table_rows(page("runway-compute", lang)) if len(r) == 4 and r[2][:1].isdigit()]
    assert prices == ["6.88", "3.99", "2.69", "2.00"]
    assert 55.04 / 8 == pytest.approx(6.88)      # AWS lists the 8-GPU instance per hour


@pytest.mark.parametrize("lang", LANGS)
def test_rent_vs_buy_text_matches_the_calculator(lang):
    text = page("runway-compute", lang)
    low, high = breakeven_months(25_000, 3.99, 1.0), breakeven_months(25_000, 2.69, 1.0)
    slow_low, slow_high = breakeven_months(25_000, 3.99, 0.2) / 12, breakeven_months(25_000, 2.69, 0.2) / 12
    assert (round(low), round(high)) == (9, 13)
    assert (f"{slow_low:.1f}", f"{slow_high:.1f}") == ("3.6", "5.4")
    assert "3.6" in text and "5.4" in text
