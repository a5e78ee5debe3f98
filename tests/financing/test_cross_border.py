"""Checks for the cross-border chapter's compute-financing arithmetic, by hand:
dilution X/(V+X); the credits' cash value X(1-d) buys the same dilution at pre-money V(1-d);
take-or-pay cost per used hour = rate / utilization; breakeven utilization = reserved / on-demand."""
from fractions import Fraction
from pathlib import Path

import pytest

from financing.compute_financing import breakeven_utilization, cost_per_used_hour, credits_for_equity

DOCS = Path(__file__).resolve().parents[2] / "docs" / "financing"


def test_credits_hand_case_and_identity():
    dilution, effective = credits_for_equity(10_000_000, 40_000_000, "0.4")
    assert dilution == Fraction(1, 5) and effective == 24_000_000
    cash = Fraction(10_000_000) * Fraction(6, 10)
    assert cash / (effective + cash) == dilution           # same dilution at the effective pre-money
    assert credits_for_equity(5, 10, 0) == (Fraction(1, 3), 10)


def test_exercise_credits():
    assert credits_for_equity(15_000_000, 60_000_000, "0.3") == (Fraction(1, 5), 42_000_000)


def test_reserved_capacity_hand_cases():
    assert cost_per_used_hour("2.00", 1) == 2
    assert cost_per_used_hour("2.00", "0.4") == 5
    assert breakeven_utilization("2.00", "3.99") == Fraction(200, 399)
    assert breakeven_utilization("2.50", "3.99") > Fraction(55, 100)          # exercise 2: do not reserve
    assert round(float(cost_per_used_hour("2.50", "0.55")), 2) == 4.55


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "x", None, -1])
def test_bad_inputs_rejected(bad):
    for call in (lambda: credits_for_equity(bad, 1, 0), lambda: credits_for_equity(1, bad, 0),
                 lambda: credits_for_equity(1, 1, bad), lambda: cost_per_used_hour(bad, "0.5"),
                 lambda: cost_per_used_hour(1, bad), lambda: breakeven_utilization(bad, 1)):
        with pytest.raises(ValueError):
            call()


@pytest.mark.parametrize("call, message", [
    (lambda: cost_per_used_hour(1, 0), "utilization must be in"),
    (lambda: cost_per_used_hour(1, "1.01"), "utilization must be in"),
    (lambda: credits_for_equity(1, 0, 0), "pre-money valuation must be positive"),
    (lambda: credits_for_equity(1, 1, 1), "below 1"),
    (lambda: breakeven_utilization(1, 0), "on-demand rate must be positive"),
])
def test_boundaries_rejected(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_on_the_page_matches_the_calculator(lang):
    text = (DOCS / f"cross-border.{lang}.md").read_text(encoding="utf-8")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    for u in ("1", "0.7", "0.4"):
        assert [f"{float(Fraction(u)):.0%}", f"{float(cost_per_used_hour('2.00', u)):.2f}"] in rows
