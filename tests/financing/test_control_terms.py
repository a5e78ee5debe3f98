"""Checks for the control-terms chapter: cumulative dividends, redemption schedule, drag-along split.

Hand cases: with one non-participating class of 20% as converted, the class takes the larger of its
preference and 20% of the price, and the founders the rest."""
from fractions import Fraction
from pathlib import Path

import pytest

from financing.control_terms import drag_along_split, preference_multiple, redemption_schedule
from financing.liquidation_waterfall import Preferred

DOCS = Path(__file__).resolve().parents[2] / "docs" / "financing"
COMMON = {"Founders": 8_000_000}


def by_hand(price, multiple):
    a = max(Fraction(10_000_000) * multiple, Fraction(price) / 5)
    return Fraction(price) - a


@pytest.mark.parametrize("price", [0, 5_000_000, 25_000_000, 50_000_000, 60_000_000, 70_000_000, 200_000_000])
@pytest.mark.parametrize("multiple", [Fraction(1), Fraction(14, 10)])
def test_drag_along_matches_hand_split(price, multiple):
    series_a = Preferred("Series A", 2_000_000, Fraction(10_000_000), multiple=multiple)
    paid = drag_along_split(price, series_a, COMMON)
    assert paid["Founders"] == by_hand(price, multiple) if price >= 10_000_000 * multiple else \
        paid["Founders"] == 0
    assert sum(paid.values()) == price


def test_preference_and_redemption_hand_cases():
    assert preference_multiple("0.08", 5) == Fraction(14, 10)
    assert preference_multiple(0, 10) == 1
    assert preference_multiple("0.08", 0, multiple=2) == 2
    assert redemption_schedule(10_000_000) == [(5, Fraction(10_000_000, 3))] * 1 + \
        [(6, Fraction(10_000_000, 3)), (7, Fraction(10_000_000, 3))]
    assert sum(amount for _, amount in redemption_schedule(9_000_001, portions=4)) == 9_000_001


def test_exercise_six_percent_four_years():
    multiple = preference_multiple("0.06", 4)
    assert multiple == Fraction(124, 100)
    paid = drag_along_split(25_000_000, Preferred("Series A", 2_000_000, Fraction(10_000_000), multiple=multiple),
                            COMMON)
    assert paid["Founders"] == 12_600_000


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "x", None, -0.1, 1])
def test_bad_rates_rejected(bad):
    with pytest.raises(ValueError):
        preference_multiple(bad, 5)


@pytest.mark.parametrize("kwargs", [dict(first_year=0), dict(portions=0), dict(portions=True), dict(first_year=1.5)])
def test_bad_schedules_rejected(kwargs):
    with pytest.raises(ValueError, match="positive int"):
        redemption_schedule(1_000, **kwargs)
    with pytest.raises(ValueError):
        redemption_schedule(-1)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_on_the_page_matches_the_calculator(lang):
    text = (DOCS / f"control-terms.{lang}.md").read_text(encoding="utf-8")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    for price in (25_000_000, 60_000_000):
        plain = drag_along_split(price, Preferred("Series A", 2_000_000, Fraction(10_000_000)), COMMON)
        cum = drag_along_split(price, Preferred("Series A", 2_000_000, Fraction(10_000_000),
                                                multiple=preference_multiple("0.08", 5)), COMMON)
        assert [f"{price:,}", f"{int(plain['Founders']):,}", f"{int(cum['Founders']):,}"] in rows
