"""Checks for the exits chapter: payouts by route, worked out by hand (equal-rank 1x
non-participating classes: below the total preference the classes split pro rata to their
claims; above it each class takes the larger of its preference and its as-converted share)."""
from fractions import Fraction
from pathlib import Path

import pytest

from financing.exit_routes import COMMON, PREFS, exit_payouts

DOCS = Path(__file__).resolve().parents[2] / "docs" / "financing"


@pytest.mark.parametrize("fee", [0, 6_000_000, 8_000_000, 12_000_000])
def test_licence_fee_below_the_preference_goes_to_preferred_pro_rata(fee):
    paid = exit_payouts("licence-and-hire", fee, PREFS, COMMON)
    assert paid["Founders"] == paid["Employees"] == 0
    assert paid["Series A"] == Fraction(fee) * 10 / 12 and paid["Seed"] == Fraction(fee) * 2 / 12


def test_licence_fee_threshold():
    assert exit_payouts("licence-and-hire", 12_000_000, PREFS, COMMON)["Founders"] == 0
    above = exit_payouts("licence-and-hire", 12_700_000, PREFS, COMMON)
    assert above["Founders"] == Fraction(700_000) * 6 / 7 and above["Series A"] == 10_000_000


@pytest.mark.parametrize("price, founders", [(30_000_000, 15_000_000), (60_000_000, 36_000_000),
                                             (100_000_000, 60_000_000)])
def test_sale_hand_cases(price, founders):
    paid = exit_payouts("sale", price, PREFS, COMMON)
    assert paid["Founders"] == founders
    assert sum(paid.values()) == price


def test_ipo_converts_everyone_pro_rata():
    paid = exit_payouts("ipo", 300_000_000, PREFS, COMMON)
    assert paid == {"Founders": 180_000_000, "Employees": 30_000_000, "Seed": 30_000_000, "Series A": 60_000_000}
    assert exit_payouts("ipo", 0, PREFS, COMMON)["Founders"] == 0


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "x", None, -1])
def test_bad_values_rejected(bad):
    for route in ("sale", "ipo"):
        with pytest.raises(ValueError):
            exit_payouts(route, bad, PREFS, COMMON)


def test_unknown_route_rejected():
    with pytest.raises(ValueError, match="route must be one of"):
        exit_payouts("spac", 1, PREFS, COMMON)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_on_the_page_matches_the_calculator(lang):
    text = (DOCS / f"exits.{lang}.md").read_text(encoding="utf-8")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")][1:] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    for route, value in (("licence-and-hire", 8_000_000), ("sale", 30_000_000), ("sale", 100_000_000),
                         ("ipo", 300_000_000)):
        paid = exit_payouts(route, value, PREFS, COMMON)
        expected = [f"{value // 1_000_000}"] + [f"{float(paid[n]) / 1e6:.2f}"
                                                 for n in ("Founders", "Employees", "Seed", "Series A")]
        assert expected in rows, (lang, expected)
