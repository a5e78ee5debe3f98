"""Runway, burn multiple and "default alive": three numbers a board asks for every month.

Run: python runway_burn.py   (standard library only)
"""
# --8<-- [start:core]
from __future__ import annotations

import math


def _real(value: float, what: str) -> float:
    """`value` as a finite float; ValueError for bool, non-numbers, NaN and infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return float(value)


def runway_months(cash: float, monthly_net_burn: float) -> float:
    """Months until cash runs out at today's net burn; infinite if the company is not burning."""
    cash, monthly_net_burn = _real(cash, "cash"), _real(monthly_net_burn, "monthly net burn")
    if cash < 0:
        raise ValueError(f"cash must be non-negative, got {cash}")
    return math.inf if monthly_net_burn <= 0 else cash / monthly_net_burn


def burn_multiple(net_burn: float, net_new_arr: float) -> float:
    """Net burn / net new ARR over the same period (Sacks): dollars burned per dollar of new ARR."""
    net_burn, net_new_arr = _real(net_burn, "net burn"), _real(net_new_arr, "net new ARR")
    if net_burn < 0:
        raise ValueError(f"net burn must be non-negative (a profitable period has none), got {net_burn}")
    if net_new_arr <= 0:
        raise ValueError(f"net new ARR must be positive for a burn multiple, got {net_new_arr}")
    return net_burn / net_new_arr


def burn_multiple_grade(multiple: float) -> str:
    """Sacks's 2020 scale: <1 amazing, 1-1.5 great, 1.5-2 good, 2-3 suspect, >3 bad."""
    if _real(multiple, "burn multiple") < 0:
        raise ValueError(f"burn multiple must be non-negative, got {multiple}")
    for bound, grade in ((1, "amazing"), (1.5, "great"), (2, "good"), (3, "suspect")):
        if multiple < bound:
            return grade
    return "bad"


def default_alive(cash: float, revenue: float, expenses: float, monthly_growth: float,
                  horizon: int = 120) -> tuple[bool, int]:
    """Graham's test: with expenses flat and revenue growing as recently, do we reach profit
    before the cash is gone? Returns (alive, month of profitability or of running out)."""
    cash, revenue, expenses = _real(cash, "cash"), _real(revenue, "revenue"), _real(expenses, "expenses")
    monthly_growth = _real(monthly_growth, "monthly growth")
    if isinstance(horizon, bool) or not isinstance(horizon, int) or horizon < 1:
        raise ValueError(f"horizon must be a positive int of months, got {horizon!r}")
    if min(cash, revenue, expenses) < 0:
        raise ValueError("cash, revenue and expenses must be non-negative")
    if not -1 < monthly_growth < 1:
        raise ValueError(f"monthly growth must be between -1 and 1 (0.08 for 8%), got {monthly_growth}")
    for month in range(1, horizon + 1):
        if revenue >= expenses:
            return True, month - 1
        cash -= expenses - revenue
        if cash < 0:
            return False, month
        revenue *= 1 + monthly_growth
    return False, horizon
# --8<-- [end:core]


def main() -> None:
    print(f"runway: {runway_months(3_000_000, 190_000):.1f} months")
    multiple = burn_multiple(net_burn=2_400_000, net_new_arr=2_000_000)
    print(f"burn multiple: {multiple:.2f}x ({burn_multiple_grade(multiple)})")
    for growth in (0.05, 0.08):
        alive, month = default_alive(3_000_000, 60_000, 250_000, growth)
        print(f"revenue growth {growth:.0%}/month: "
              + (f"default alive, profitable in month {month}" if alive else f"default dead, cash out in month {month}"))


if __name__ == "__main__":
    main()
