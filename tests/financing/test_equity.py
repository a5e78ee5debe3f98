"""Checks for the founder-and-employee-equity chapter: pool sizing from a hiring plan, the pool's
cost in a priced round, income without an 83(b) election, and the Company Law paid-in deadline.

Hand cases come from the closed form x = (k S0 - U) / (1 - k) with k = f V_post / V_pre (the
option pool shuffle), and from the statutory dates, not from the calculator's code."""
from datetime import date
from fractions import Fraction
from math import floor
from pathlib import Path

import pytest

from financing.cap_table import POOL
from financing.equity_pool import (PLAN, Hire, income_at_vesting_without_83b, latest_paid_in_date, pool_cost,
                                   pool_from_hiring_plan)

DOCS = Path(__file__).resolve().parents[2] / "docs" / "financing"
TABLE = {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 500_000}
FOUNDERS = ("Founder A", "Founder B")


def shuffle_top_up(target, pre, money, held, pool):
    k = Fraction(target) * (pre + money) / pre
    return max(0, floor((k * held - pool) / (1 - k)))


def test_pool_from_the_chapters_hiring_plan():
    # 1 x 1.0% + 4 x 0.4% + 6 x 0.15% + 3 x 0.1% = 3.8%; with 25% buffer 4.75%
    assert pool_from_hiring_plan(PLAN) == Fraction(38, 1000)
    assert pool_from_hiring_plan(PLAN, buffer="0.25") == Fraction(475, 10_000)


@pytest.mark.parametrize("target", [Fraction(475, 10_000), Fraction(1, 10), Fraction(3, 10)])
def test_pool_cost_matches_the_shuffle_formula(target):
    cost = pool_cost(TABLE, FOUNDERS, 2_000_000, 8_000_000, target)
    top_up = shuffle_top_up(target, 8_000_000, 2_000_000, 9_500_000, 500_000)
    assert cost.top_up == top_up
    exact = Fraction(8_000_000) / (9_500_000 + max(0, (target * Fraction(10, 8) * 9_500_000 - 500_000)
                                                   / (1 - target * Fraction(10, 8))))
    assert cost.price == exact
    assert cost.effective_pre_money == exact * 9_500_000


def test_pool_without_buffer_needs_no_top_up():
    # exercise 2: k = 0.0475, k x 9.5M = 451,250 < 500,000 unallocated options already there
    cost = pool_cost(TABLE, FOUNDERS, 2_000_000, 8_000_000, pool_from_hiring_plan(PLAN))
    assert cost.top_up == 0 and cost.price == Fraction(8_000_000, 9_500_000)


def test_income_without_83b_hand_cases():
    assert income_at_vesting_without_83b(1_125_000, "0.50", "0.0001") == Fraction("562387.5")
    assert income_at_vesting_without_83b(1_125_000, "1.20", "0.0001") == Fraction("1349887.5")   # exercise 3
    assert income_at_vesting_without_83b(1_000, "0.0001", "0.0001") == 0                           # with 83(b)
    assert income_at_vesting_without_83b(1_000, "0.00005", "0.0001") == 0                          # below price
    assert income_at_vesting_without_83b(0, "5", "1") == 0


def test_paid_in_deadline_hand_cases():
    # exercise 1: one day apart, two regimes
    assert latest_paid_in_date(date(2024, 6, 30), date(2040, 1, 1)) == date(2032, 6, 30)
    assert latest_paid_in_date(date(2024, 7, 1), date(2040, 1, 1)) == date(2029, 7, 1)
    assert latest_paid_in_date(date(2028, 2, 29), date(2060, 1, 1)) == date(2033, 2, 28)    # leap day
    assert latest_paid_in_date(date(2025, 1, 1), date(2026, 1, 1)) == date(2026, 1, 1)      # articles earlier
    assert latest_paid_in_date(date(2010, 1, 1), date(2032, 6, 30)) == date(2032, 6, 30)    # exactly at the line
    assert latest_paid_in_date(date(2010, 1, 1), date(2032, 7, 1)) == date(2032, 6, 30)     # one day past


@pytest.mark.parametrize("bad", [True, -1, 1.5, "3", None])
def test_hire_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="count must be a non-negative int"):
        Hire("ML engineer", bad, Fraction("0.001"))


@pytest.mark.parametrize("bad", [True, float("nan"), float("inf"), -0.1, 1, "x"])
def test_hire_rejects_bad_grants(bad):
    with pytest.raises(ValueError):
        Hire("ML engineer", 1, bad)


def test_bad_plans_and_dates_are_rejected():
    with pytest.raises(ValueError, match="non-empty tuple"):
        pool_from_hiring_plan(())
    with pytest.raises(ValueError, match="below 1"):
        pool_from_hiring_plan((Hire("Everyone", 200, Fraction("0.01")),))
    with pytest.raises(ValueError, match="buffer must be non-negative"):
        pool_from_hiring_plan(PLAN, buffer="-0.1")
    with pytest.raises(ValueError, match="datetime.date"):
        latest_paid_in_date("2024-07-01", date(2030, 1, 1))
    with pytest.raises(ValueError, match="before incorporation"):
        latest_paid_in_date(date(2025, 1, 1), date(2024, 1, 1))
    with pytest.raises(ValueError, match="shares must be a non-negative int"):
        income_at_vesting_without_83b(True, "1", "0")


def table_rows(text):
    return [[c.strip() for c in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("|") and not line.startswith("|---")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tables_on_the_page_match_the_calculator(lang):
    text = (DOCS / f"equity.{lang}.md").read_text(encoding="utf-8")
    rows = table_rows(text)
    pool_rows = []
    for target in (pool_from_hiring_plan(PLAN, buffer="0.25"), Fraction(1, 10)):
        cost = pool_cost(TABLE, FOUNDERS, 2_000_000, 8_000_000, target)
        pool_rows.append([f"{float(target):.2%}", f"{cost.top_up:,}", f"{float(cost.price):.4f}",
                          f"{float(cost.effective_pre_money):,.0f}", f"{float(cost.founders):.2%}"])
    for row in pool_rows:
        assert row in rows, (lang, row)
    for inc, deadline in ((date(2025, 3, 15), date(2045, 3, 15)), (date(2020, 5, 1), date(2050, 5, 1)),
                          (date(2020, 5, 1), date(2030, 12, 31))):
        assert [str(inc), str(deadline), str(latest_paid_in_date(inc, deadline))] in rows
