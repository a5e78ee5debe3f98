"""Price-based anti-dilution: broad-based weighted average (NVCA model charter) vs full ratchet.

Run: python anti_dilution.py   (standard library only)

CP2 = CP1 * (A + B) / (A + C): A = shares deemed outstanding before the issue (broad based:
common, preferred as converted, outstanding options), B = new money / CP1, C = new shares.
Prices are rounded to the nearest hundredth of a cent, as the NVCA charter does.
"""
# --8<-- [start:core]
from __future__ import annotations

from fractions import Fraction
from math import floor

HUNDREDTH_CENT = Fraction(1, 10_000)


def _round_price(price: Fraction) -> Fraction:
    return floor(price / HUNDREDTH_CENT + Fraction(1, 2)) * HUNDREDTH_CENT


def _exact(value: int | str | Fraction, what: str) -> Fraction:
    """Exact value; ValueError for bool, non-numbers, NaN and infinity (floats go through str())."""
    if isinstance(value, bool) or not isinstance(value, (int, str, Fraction, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    try:
        return Fraction(str(value)) if isinstance(value, float) else Fraction(value)
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"{what} must be a finite number, got {value!r}") from None


def _positive(value: int | str | Fraction, what: str) -> Fraction:
    number = _exact(value, what)
    if number <= 0:
        raise ValueError(f"{what} must be positive, got {value}")
    return number


def weighted_average_price(cp1: str | Fraction, outstanding: int, new_money: int | Fraction,
                           new_shares: int) -> Fraction:
    """New conversion price after a dilutive issue; unchanged unless the issue price is below CP1."""
    cp1, a = _positive(cp1, "conversion price"), _positive(outstanding, "shares outstanding (A)")
    c = _positive(new_shares, "new shares (C)")
    money = _exact(new_money, "new money")
    if money < 0:
        raise ValueError(f"new money must be non-negative, got {new_money}")
    if money / c >= cp1:
        return cp1
    return _round_price(cp1 * (a + money / cp1) / (a + c))


def full_ratchet_price(cp1: str | Fraction, issue_price: str | Fraction) -> Fraction:
    """Full ratchet: the conversion price drops to the new issue price, whatever the issue size."""
    return min(_positive(cp1, "conversion price"), _positive(issue_price, "issue price"))


def conversion_shares(invested: int | Fraction, conversion_price: Fraction) -> int:
    """Common shares the preferred converts into: original investment / conversion price."""
    return floor(_positive(invested, "invested amount") / _positive(conversion_price, "conversion price"))
# --8<-- [end:core]


def main() -> None:
    # Series A bought 2,000,000 shares at $2.00; Series B sells 2,500,000 shares at $1.20.
    bbwa = weighted_average_price("2.00", outstanding=10_000_000, new_money=3_000_000,
                                  new_shares=2_500_000)
    ratchet = full_ratchet_price("2.00", "1.20")
    for name, price in (("no protection", Fraction(2)), ("broad-based WA", bbwa), ("full ratchet", ratchet)):
        print(f"{name:<15} CP2 ${float(price):.4f}  Series A converts into "
              f"{conversion_shares(4_000_000, price):,} common")
    assert bbwa == Fraction("1.84") and ratchet == Fraction("1.20")


if __name__ == "__main__":
    main()
