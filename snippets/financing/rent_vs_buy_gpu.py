"""Rent or buy a GPU: months until an owned GPU has paid for itself versus renting the same hours.

Run: python rent_vs_buy_gpu.py   (standard library only)

Renting bills only the hours you use; owning costs the purchase up front plus power for the
hours you use plus any fixed monthly cost (hosting, network, staff) you choose to include.
"""
# --8<-- [start:core]
from __future__ import annotations

import math

HOURS_PER_MONTH = 730  # 8,760 hours a year / 12


def _real(value: float, what: str) -> float:
    """`value` as a finite float; ValueError for bool, non-numbers, NaN and infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return float(value)


def breakeven_months(capex: float, rent_per_gpu_hour: float, utilization: float,
                     power_kw: float = 0.7, price_per_kwh: float = 0.0895,
                     fixed_monthly: float = 0.0) -> float:
    """Months of use after which buying beats renting; infinite if it never does."""
    for name, value in (("capex", capex), ("rent", rent_per_gpu_hour), ("power", power_kw),
                        ("electricity price", price_per_kwh), ("fixed monthly cost", fixed_monthly)):
        if _real(value, name) < 0:
            raise ValueError(f"{name} must be non-negative, got {value}")
    if not 0 < _real(utilization, "utilization") <= 1:
        raise ValueError(f"utilization must be in (0, 1] (0.5 for 50%), got {utilization}")
    hours = HOURS_PER_MONTH * utilization
    saving = hours * (rent_per_gpu_hour - power_kw * price_per_kwh) - fixed_monthly
    return math.inf if saving <= 0 else capex / saving
# --8<-- [end:core]


def main() -> None:
    for rent in (2.69, 3.99):
        months = [breakeven_months(25_000, rent, u) for u in (1.0, 0.5, 0.2)]
        print(f"rent ${rent}/h, GPU bought at $25,000: break-even after "
              + ", ".join(f"{m:.1f} months at {u:.0%}" for m, u in zip(months, (1.0, 0.5, 0.2))))


if __name__ == "__main__":
    main()
