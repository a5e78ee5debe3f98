"""Control terms with arithmetic: cumulative dividends that grow the preference, a redemption
schedule, and what a drag-along sale pays each holder when it is split like a liquidation.

Run: python control_terms.py   (standard library plus liquidation_waterfall.py from this folder)

Money is exact (fractions.Fraction). Dividends accrue simply (no compounding), as the NVCA
term sheet's "annual [x]% cumulative dividend" reads.
"""
# --8<-- [start:core]
from __future__ import annotations

from fractions import Fraction

try:                                   # run as `python control_terms.py` next to liquidation_waterfall.py
    from liquidation_waterfall import Preferred, _exact, waterfall
except ImportError:                    # imported as part of the snippets package
    from financing.liquidation_waterfall import Preferred, _exact, waterfall


def preference_multiple(rate: Fraction | str, years: Fraction | int | str, multiple: Fraction | int = 1) -> Fraction:
    """Preference as a multiple of the investment after `years` of a simple cumulative dividend."""
    rate, years, multiple = _exact(rate, "dividend rate"), _exact(years, "years"), _exact(multiple, "multiple")
    if not 0 <= rate < 1:
        raise ValueError(f"dividend rate must be between 0 and 1 (0.08 for 8%), got {rate}")
    if years < 0:
        raise ValueError(f"years must be non-negative, got {years}")
    if multiple <= 0:
        raise ValueError(f"multiple must be positive, got {multiple}")
    return multiple + rate * years


def redemption_schedule(amount: Fraction | int | str, first_year: int = 5, portions: int = 3) -> list[tuple[int, Fraction]]:
    """Redemption at the holders' option from `first_year` after closing, in equal annual portions."""
    amount = _exact(amount, "redemption amount")
    for name, value in (("first year", first_year), ("portions", portions)):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"{name} must be a positive int, got {value!r}")
    if amount < 0:
        raise ValueError(f"redemption amount must be non-negative, got {amount}")
    return [(first_year + i, amount / portions) for i in range(portions)]


def drag_along_split(sale_price: Fraction | int, series_a: Preferred, common: dict[str, int]) -> dict[str, Fraction]:
    """A drag-along sale whose price is allocated as if it were a liquidation (NVCA drag-along)."""
    if not isinstance(series_a, Preferred):
        raise ValueError(f"series_a must be a Preferred class, got {series_a!r}")
    paid, _ = waterfall(sale_price, [series_a], common)
    return paid
# --8<-- [end:core]


# --8<-- [start:demo]
def main() -> None:
    common = {"Founders": 8_000_000}
    plain = Preferred("Series A", 2_000_000, Fraction(10_000_000))
    accrued = preference_multiple("0.08", 5)
    print(f"8% cumulative dividend for 5 years: preference {float(accrued):.2f}x")
    cumulative = Preferred("Series A", 2_000_000, Fraction(10_000_000), multiple=accrued)
    for price in (25_000_000, 60_000_000):
        a, b = drag_along_split(price, plain, common), drag_along_split(price, cumulative, common)
        print(f"drag-along sale ${price / 1e6:.0f}M: founders ${float(a['Founders']) / 1e6:.1f}M "
              f"(non-cumulative) vs ${float(b['Founders']) / 1e6:.1f}M (cumulative)")
    for year, due in redemption_schedule(10_000_000):
        print(f"redemption year {year}: ${float(due):,.2f}")


if __name__ == "__main__":
    main()
# --8<-- [end:demo]
