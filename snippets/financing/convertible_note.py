"""Convertible note: simple interest accrues until the priced round, then principal plus
interest converts at the lower of the discounted round price and the cap price.

Run: python convertible_note.py   (standard library only)

Rounding: shares are rounded down; money stays exact (fractions.Fraction).
"""
# --8<-- [start:core]
from __future__ import annotations

from datetime import date
from fractions import Fraction
from math import floor


def _exact(value: int | str | Fraction, what: str) -> Fraction:
    """Exact value; ValueError for bool, non-numbers, NaN and infinity (floats go through str())."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Fraction, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        return Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} must be a finite number, got {value!r}") from None


def _money(value: int | str | Fraction, what: str) -> Fraction:
    number = _exact(value, what)
    if number <= 0:
        raise ValueError(f"{what} must be positive, got {value}")
    return number


def accrued_amount(principal: int | Fraction, annual_rate: str | Fraction, issued: date, converts: date,
                   days_per_year: int = 365) -> Fraction:
    """Principal plus simple (non-compounding) interest, actual days over a 365-day year."""
    rate = _exact(annual_rate, "annual rate")
    if not 0 <= rate < 1:
        raise ValueError(f"annual rate must be between 0 and 1 (0.06 for 6%), got {annual_rate}")
    if not isinstance(issued, date) or not isinstance(converts, date):
        raise ValueError("issue and conversion dates must be datetime.date objects")
    if converts < issued:
        raise ValueError(f"conversion date {converts} is before the issue date {issued}")
    return _money(principal, "principal") * (1 + rate * Fraction((converts - issued).days, days_per_year))


def note_conversion_price(round_price: int | Fraction, discount: str | Fraction,
                          pre_money_cap: int | Fraction, pre_money_shares: int) -> Fraction:
    """Lower of round price x (1 - discount) and pre-money cap / fully diluted pre-money shares."""
    d = _exact(discount, "discount")
    if not 0 <= d < 1:
        raise ValueError(f"discount must be between 0 and 1 (0.2 for 20%), got {discount}")
    if isinstance(pre_money_shares, bool) or not isinstance(pre_money_shares, int) or pre_money_shares <= 0:
        raise ValueError(f"pre-money share count must be a positive int, got {pre_money_shares!r}")
    cap_price = _money(pre_money_cap, "valuation cap") / pre_money_shares
    return min(_money(round_price, "round price") * (1 - d), cap_price)
# --8<-- [end:core]


def main() -> None:
    owed = accrued_amount(1_000_000, "0.06", date(2025, 1, 15), date(2026, 7, 15))
    price = note_conversion_price(Fraction("1.50"), "0.20", 10_000_000, 10_000_000)
    shares = floor(owed / price)
    print(f"owed at conversion: ${float(owed):,.2f}")
    print(f"conversion price:   ${float(price):.4f} per share")
    print(f"shares issued:      {shares:,}")
    assert owed == 1_000_000 + 1_000_000 * Fraction(6, 100) * Fraction(546, 365)


if __name__ == "__main__":
    main()
