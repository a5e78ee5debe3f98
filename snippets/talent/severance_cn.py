"""Severance (经济补偿) under the PRC Labour Contract Law, articles 40, 46, 47 and 87.

Run: python severance_cn.py   (standard library only)

N months' wage: one month per full year of service, one month for a remaining six months or more,
half a month for less than six months (art. 47). If the monthly wage exceeds three times the local
average monthly wage, the wage used is capped at three times that average and N at 12 (art. 47).
"N+1": dismissal under art. 40 without 30 days' written notice adds one month's wage in lieu of
notice (art. 40). "2N": unlawful termination doubles the severance (arts. 48, 87).
Service before 2008 follows older rules and is not modelled. Money is exact (fractions.Fraction).
"""
from __future__ import annotations

import math
from datetime import date, datetime, timedelta
from decimal import Decimal
from fractions import Fraction

KINDS = ("mutual", "art40_with_notice", "art40_pay_in_lieu", "unlawful")


def _money(value: object, name: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise ValueError(f"{name} must be a number, got {type(value).__name__} {value!r}")
    if (isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, Decimal) and not value.is_finite()):
        raise ValueError(f"{name} must be finite, got {value}")
    if value <= 0:
        raise ValueError(f"{name} must be > 0, got {value}")
    return Fraction(str(value)) if isinstance(value, float) else Fraction(value)  # 0.1 means 1/10


def service_months(start: date, end: date) -> int:
    """Whole months of service from `start` through `end`, the last day of the contract, inclusive."""
    for value, name in ((start, "start"), (end, "end")):
        if isinstance(value, datetime) or not isinstance(value, date):
            raise ValueError(f"{name} must be a datetime.date, got {type(value).__name__} {value!r}")
    if end < start:
        raise ValueError(f"dates out of order: end {end} is before start {start}")
    stop = end + timedelta(days=1)  # the first day no longer employed
    months = (stop.year - start.year) * 12 + (stop.month - start.month)
    return months if stop.day >= start.day else months - 1


def severance_months(months_of_service: int) -> Fraction:
    """N in months of wage: 1 per full year, 1 for a remainder of 6 months or more, 1/2 below 6."""
    years, rest = divmod(months_of_service, 12)
    return years + (Fraction(1) if rest >= 6 else Fraction(1, 2) if rest > 0 else Fraction(0))


def severance(monthly_wage: float | Fraction, local_average_wage: float | Fraction, start: date, end: date,
              kind: str = "mutual") -> Fraction:
    """Severance owed when the contract ends on `end` for one of the reasons in KINDS."""
    wage, average = _money(monthly_wage, "monthly_wage"), _money(local_average_wage, "local_average_wage")
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}, got {kind!r}")
    n = severance_months(service_months(start, end))
    base = wage
    if wage > 3 * average:  # art. 47: high earners get at most 3x the average wage for at most 12 years
        base, n = 3 * average, min(n, Fraction(12))
    amount = n * base
    if kind == "art40_pay_in_lieu":
        amount += wage  # one month's own wage instead of 30 days' notice
    if kind == "unlawful":
        amount *= 2
    return amount


# Worked examples on the page: RMB 30,000 a month, local average RMB 12,000 (so not capped).
for kind in KINDS:
    print(f"{kind:<18} RMB {float(severance(30_000, 12_000, date(2022, 3, 1), date(2026, 11, 15), kind)):>9,.0f}")
assert severance(30_000, 12_000, date(2022, 3, 1), date(2026, 11, 15)) == 150_000  # 4 y 8 m -> N = 5
assert severance(30_000, 12_000, date(2026, 1, 1), date(2026, 3, 15)) == 15_000  # 2 months -> half a month
assert severance(60_000, 12_000, date(2010, 1, 1), date(2026, 1, 1)) == 12 * 36_000  # capped: 3x and 12 years
