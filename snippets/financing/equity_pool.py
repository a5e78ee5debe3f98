"""Founder and employee equity: size the option pool from a hiring plan, see what the pool costs
the founders in a priced round, and find the latest date registered capital must be paid in
under the 2023 PRC Company Law.

Run: python equity_pool.py   (standard library plus cap_table.py from this folder)

Conventions: grants are fractions of the fully diluted company after the round (0.004 = 0.4%);
money is exact (fractions.Fraction); share counts are int, rounded down.
"""
# --8<-- [start:core]
from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime
from fractions import Fraction

try:                                   # run as `python equity_pool.py` next to cap_table.py
    from cap_table import POOL, as_fraction, as_share, close_round
except ImportError:                    # imported as part of the snippets package
    from financing.cap_table import POOL, as_fraction, as_share, close_round


@dataclass(frozen=True)
class Hire:
    """One line of the hiring plan: how many people, and each one's grant."""
    role: str
    count: int
    grant: Fraction          # fraction of fully diluted post-money shares per person

    def __post_init__(self) -> None:
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0:
            raise ValueError(f"{self.role}: count must be a non-negative int, got {self.count!r}")
        object.__setattr__(self, "grant", as_share(self.grant, f"{self.role}: grant"))


def pool_from_hiring_plan(plan: tuple[Hire, ...], buffer: Fraction | str = 0) -> Fraction:
    """Pool target as a fraction of post-money: sum of planned grants, plus `buffer` of that sum
    for refreshes and hires the plan did not foresee (0.25 = 25% more)."""
    if not plan or not all(isinstance(h, Hire) for h in plan):
        raise ValueError("the hiring plan must be a non-empty tuple of Hire rows")
    extra = as_fraction(buffer, "buffer")
    target = sum((h.count * h.grant for h in plan), Fraction(0)) * (1 + extra)
    return as_share(target, "pool target from the hiring plan")


@dataclass(frozen=True)
class PoolCost:
    target: Fraction
    top_up: int
    price: Fraction
    effective_pre_money: Fraction    # what the shares held before the round are worth at this price
    founders: Fraction               # founders' fully diluted share after the round


def pool_cost(table: dict[str, int], founders: tuple[str, ...], investment: int | Fraction,
              pre_money: int | Fraction, target: Fraction) -> PoolCost:
    """Close a round with the pool topped up to `target` of post-money (inside the pre-money)."""
    if not founders or any(name not in table for name in founders):
        raise ValueError(f"founders {founders!r} must be non-empty names of rows in the cap table")
    result = close_round(table, {"Investor": investment}, pre_money, target)
    held = sum(table.values())
    founder_shares = sum(result.table[name] for name in founders)
    return PoolCost(target, result.pool_top_up, result.price, result.price * held,
                    Fraction(founder_shares, sum(result.table.values())))


def income_at_vesting_without_83b(shares: int, fmv_at_vesting: Fraction | str, price_paid: Fraction | str) -> Fraction:
    """Ordinary income a holder of restricted stock recognises when `shares` vest, if no 83(b)
    election was filed: (fair market value at vesting - price paid) per share, never below zero."""
    if isinstance(shares, bool) or not isinstance(shares, int) or shares < 0:
        raise ValueError(f"shares must be a non-negative int, got {shares!r}")
    spread = as_fraction(fmv_at_vesting, "fair market value") - as_fraction(price_paid, "price paid")
    return shares * max(spread, Fraction(0))


def _add_years(day: date, years: int) -> date:
    year = day.year + years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


NEW_LAW = date(2024, 7, 1)             # 2023 Company Law in force
OLD_COMPANY_LAST_DAY = date(2032, 6, 30)  # State Council Order 784: remaining term from 2027-07-01 at most 5 years


def latest_paid_in_date(incorporated: date, articles_deadline: date) -> date:
    """Latest date an LLC's shareholders must have paid in their subscribed capital.

    From 2024-07-01 (Company Law 2023, art. 47): within five years of incorporation. An LLC
    registered by 2024-06-30 keeps its articles' deadline unless it runs past 2032-06-30, the end
    of five years counted from 2027-07-01 (State Council Order No. 784, art. 2)."""
    if any(not isinstance(d, date) or isinstance(d, datetime) for d in (incorporated, articles_deadline)):
        raise ValueError("incorporated and articles_deadline must be datetime.date objects (not datetime)")
    if articles_deadline < incorporated:
        raise ValueError(f"articles deadline {articles_deadline} is before incorporation {incorporated}")
    if incorporated >= NEW_LAW:
        return min(articles_deadline, _add_years(incorporated, 5))
    return min(articles_deadline, OLD_COMPANY_LAST_DAY)
# --8<-- [end:core]


# --8<-- [start:demo]
PLAN = (Hire("VP Engineering", 1, Fraction("0.010")),
        Hire("Senior ML engineer", 4, Fraction("0.004")),
        Hire("ML engineer", 6, Fraction("0.0015")),
        Hire("Go-to-market", 3, Fraction("0.001")))


def main() -> None:
    target = pool_from_hiring_plan(PLAN, buffer="0.25")
    print(f"planned grants {float(pool_from_hiring_plan(PLAN)):.2%}, with 25% buffer {float(target):.2%}")
    table = {"Founder A": 4_500_000, "Founder B": 4_500_000, POOL: 500_000}
    for label, pool in (("from hiring plan", target), ("investor asks 10%", Fraction(1, 10))):
        cost = pool_cost(table, ("Founder A", "Founder B"), 2_000_000, 8_000_000, pool)
        print(f"{label:<18} pool {float(pool):6.2%}  top-up {cost.top_up:>9,}  price ${float(cost.price):.4f}  "
              f"effective pre-money ${float(cost.effective_pre_money):,.0f}  founders {float(cost.founders):.2%}")
    income = income_at_vesting_without_83b(1_125_000, "0.50", "0.0001")
    print(f"no 83(b): 1,125,000 shares vest at $0.50 -> ordinary income ${float(income):,.2f}")
    for inc, deadline in ((date(2025, 3, 15), date(2045, 3, 15)), (date(2020, 5, 1), date(2050, 5, 1)),
                          (date(2020, 5, 1), date(2030, 12, 31))):
        print(f"LLC incorporated {inc}, articles say {deadline}: pay in by {latest_paid_in_date(inc, deadline)}")


if __name__ == "__main__":
    main()
# --8<-- [end:demo]
