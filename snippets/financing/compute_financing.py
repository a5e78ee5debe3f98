"""Three kinds of compute financing in numbers: compute credits paid for with equity, reserved
(take-or-pay) capacity against on-demand rental, and what a used GPU-hour really costs.

Run: python compute_financing.py   (standard library only)
"""
# --8<-- [start:core]
from __future__ import annotations

from fractions import Fraction
from math import isfinite


def _number(value: int | str | Fraction, what: str) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, (int, str, Fraction, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if isinstance(value, float) and not isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    try:
        number = Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} must be a finite number, got {value!r}") from None
    if number < 0:
        raise ValueError(f"{what} must be non-negative, got {value}")
    return number


def _share(value: int | str | Fraction, what: str, *, allow_zero: bool = True) -> Fraction:
    number = _number(value, what)
    if number > 1 or (number == 0 and not allow_zero):
        raise ValueError(f"{what} must be in {'[0' if allow_zero else '(0'}, 1] (0.4 for 40%), got {value}")
    return number


def credits_for_equity(credits: int | Fraction, pre_money: int | Fraction,
                       discount_elsewhere: int | str | Fraction) -> tuple[Fraction, Fraction]:
    """Compute credits (at list price) bought with equity at `pre_money`. Returns (dilution,
    effective pre-money): if the same compute costs `discount_elsewhere` less than list elsewhere,
    the credits are worth credits x (1 - d) in cash, which prices the company at pre_money x (1 - d)."""
    credits, pre = _number(credits, "credits"), _number(pre_money, "pre-money valuation")
    if pre == 0:
        raise ValueError("pre-money valuation must be positive")
    d = _share(discount_elsewhere, "discount elsewhere")
    if d == 1:
        raise ValueError("discount elsewhere must be below 1: free compute elsewhere makes credits worthless")
    return credits / (pre + credits), pre * (1 - d)


def cost_per_used_hour(rate: int | str | Fraction, utilization: int | str | Fraction) -> Fraction:
    """Reserved (take-or-pay) capacity is paid whether used or not: price per hour actually used."""
    return _number(rate, "rate") / _share(utilization, "utilization", allow_zero=False)


def breakeven_utilization(reserved_rate: int | str | Fraction, on_demand_rate: int | str | Fraction) -> Fraction:
    """Utilization above which reserved capacity beats renting the same hours on demand."""
    reserved, on_demand = _number(reserved_rate, "reserved rate"), _number(on_demand_rate, "on-demand rate")
    if on_demand == 0:
        raise ValueError("on-demand rate must be positive")
    return reserved / on_demand
# --8<-- [end:core]


# --8<-- [start:demo]
def main() -> None:
    dilution, effective = credits_for_equity(10_000_000, 40_000_000, "0.4")
    print(f"$10M credits for equity at $40M pre: dilution {float(dilution):.1%}, "
          f"effective pre-money ${float(effective) / 1e6:.0f}M")
    print(f"reserved $2.00/h vs on-demand $3.99/h: breakeven utilization {float(breakeven_utilization('2.00', '3.99')):.1%}")
    for u in ("1", "0.7", "0.4"):
        print(f"reserved $2.00/h at {float(Fraction(u)):.0%} utilization: ${float(cost_per_used_hour('2.00', u)):.2f} per used hour")


if __name__ == "__main__":
    main()
# --8<-- [end:demo]
