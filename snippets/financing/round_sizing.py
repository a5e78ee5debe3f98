"""How much to raise: months of runway to the next milestone plus the time the next raise takes,
times net burn; and the dilution that amount costs at a given pre-money valuation.

Run: python round_sizing.py   (standard library only)
"""
# --8<-- [start:core]
from __future__ import annotations

from fractions import Fraction
from math import isfinite


def _money(value: int | str | Fraction, what: str, *, positive: bool = False) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, str, Fraction, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, float) and not isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    try:
        number = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} must be a finite number, got {value!r}") from None
    if number < 0 or (positive and number == 0):
        raise ValueError(f"{what} must be {'positive' if positive else 'non-negative'}, got {value}")
    return number


def raise_amount(monthly_net_burn: int | Fraction, months_to_milestone: int, months_to_raise_next: int = 6,
                 cash_on_hand: int | Fraction = 0) -> Fraction:
    """Money to raise now: net burn x (months to the next milestone + months the next raise takes),
    less the cash already in the bank (never below zero)."""
    burn = _money(monthly_net_burn, "monthly net burn")
    for name, months in (("months to milestone", months_to_milestone), ("months to raise next", months_to_raise_next)):
        if isinstance(months, bool) or not isinstance(months, int) or months < 0:
            raise ValueError(f"{name} must be a non-negative int, got {months!r}")
    return max(burn * (months_to_milestone + months_to_raise_next) - _money(cash_on_hand, "cash on hand"),
               Fraction(0))


def dilution(amount: int | Fraction, pre_money: int | Fraction) -> Fraction:
    """Share of the company the new money buys: amount / (pre-money + amount)."""
    amount, pre = _money(amount, "amount raised"), _money(pre_money, "pre-money valuation", positive=True)
    return amount / (pre + amount)
# --8<-- [end:core]


# --8<-- [start:demo]
def main() -> None:
    for months in (18, 25, 30):
        amount = raise_amount(150_000, months, 6)
        print(f"{months} months to Series A milestones + 6 to raise: ${float(amount) / 1e6:.2f}M, "
              f"dilution at $16M pre {float(dilution(amount, 16_000_000)):.1%}")


if __name__ == "__main__":
    main()
# --8<-- [end:demo]
