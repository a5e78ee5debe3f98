"""Checks for the running-a-round chapter: round size from milestones, and its dilution (hand cases)."""
from fractions import Fraction
from pathlib import Path

import pytest

from financing.round_sizing import dilution, raise_amount

DOCS = Path(__file__).resolve().parents[2] / "docs" / "financing"


def test_hand_cases():
    assert raise_amount(150_000, 18, 6) == 3_600_000
    assert raise_amount(150_000, 0, 0) == 0
    assert raise_amount(100_000, 6, 6, cash_on_hand=2_000_000) == 0          # already funded: never negative
    assert dilution(4_000_000, 16_000_000) == Fraction(1, 5)                  # exercise 2 boundary
    assert dilution(0, 16_000_000) == 0


def test_exercise_with_cash_on_hand():
    amount = raise_amount(200_000, 24, 6, cash_on_hand=800_000)
    assert amount == 5_200_000
    assert round(float(dilution(amount, 20_000_000)) * 100, 1) == 20.6


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), "x", None, -1])
def test_bad_money_rejected(bad):
    with pytest.raises(ValueError):
        raise_amount(bad, 12)
    with pytest.raises(ValueError):
        dilution(bad, 1)
    with pytest.raises(ValueError):
        dilution(1, bad)


@pytest.mark.parametrize("bad", [True, 1.5, -1, "6", None])
def test_bad_months_rejected(bad):
    with pytest.raises(ValueError, match="non-negative int"):
        raise_amount(1, bad)


def test_zero_pre_money_rejected():
    with pytest.raises(ValueError, match="pre-money valuation must be positive"):
        dilution(1, 0)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_table_on_the_page_matches_the_calculator(lang):
    text = (DOCS / f"running-a-round.{lang}.md").read_text(encoding="utf-8")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    for months in (18, 25, 30):
        amount = raise_amount(150_000, months, 6)
        assert [str(months), f"{int(amount):,}", f"{float(dilution(amount, 16_000_000)):.1%}"] in rows
