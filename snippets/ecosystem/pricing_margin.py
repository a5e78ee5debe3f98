"""Gross margin of one customer-month under per-seat, per-usage and per-outcome pricing."""
import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Month:
    tasks: int               # AI conversations handled this month
    resolved_share: float    # share the AI resolves without a human, 0-1
    cost_per_task: float     # inference + retrieval cost per conversation
    fixed_cost: float        # hosting, monitoring, support attributable to the customer


@dataclass(frozen=True)
class Prices:
    seats: int
    per_seat: float
    per_task: float
    per_outcome: float


def _check(month: Month, prices: Prices) -> None:
    for name, n in (("tasks", month.tasks), ("seats", prices.seats)):
        if isinstance(n, bool) or not isinstance(n, int):
            raise ValueError(f"{name} must be a whole number, got {n!r}")
    for owner in (month, prices):
        for name in ("resolved_share", "cost_per_task", "fixed_cost", "per_seat", "per_task", "per_outcome"):
            if hasattr(owner, name):
                x = getattr(owner, name)
                if isinstance(x, bool) or not isinstance(x, (int, float)) or not math.isfinite(x):
                    raise ValueError(f"{name} must be a finite number, got {x!r}")
    if month.tasks < 0 or prices.seats < 0:
        raise ValueError("tasks and seats must be >= 0")
    if not 0.0 <= month.resolved_share <= 1.0:
        raise ValueError(f"resolved_share must be between 0 and 1, got {month.resolved_share}")
    for name in ("cost_per_task", "fixed_cost"):
        if getattr(month, name) < 0:
            raise ValueError(f"{name} must not be negative")
    for name in ("per_seat", "per_task", "per_outcome"):
        if getattr(prices, name) < 0:
            raise ValueError(f"price {name} must not be negative")


def revenues(month: Month, prices: Prices) -> dict[str, float]:
    """Monthly revenue under each pricing model."""
    _check(month, prices)
    return {"seat": prices.seats * prices.per_seat,
            "usage": month.tasks * prices.per_task,
            "outcome": month.tasks * month.resolved_share * prices.per_outcome}


def gross_margin(revenue: float, cost: float) -> float:
    """GM = (R - C) / R; undefined (ValueError) when there is no revenue."""
    if revenue <= 0:
        raise ValueError("gross margin needs positive revenue")
    return (revenue - cost) / revenue


def margins(month: Month, prices: Prices) -> dict[str, float]:
    _check(month, prices)
    cost = month.tasks * month.cost_per_task + month.fixed_cost  # same cost whatever the price model
    return {model: gross_margin(r, cost) for model, r in revenues(month, prices).items()}


# Worked example with assumed prices (RMB): the three models earn the same 30,000 in month 1.
prices = Prices(seats=20, per_seat=1_500, per_task=3.0, per_outcome=5.0)
scenarios = {"base": Month(10_000, 0.60, 0.40, 2_000),
             "usage x2": Month(20_000, 0.60, 0.40, 2_000),
             "resolution 40%": Month(10_000, 0.40, 0.40, 2_000)}
for name, month in scenarios.items():
    gm = margins(month, prices)
    print(f"{name:15s} " + "  ".join(f"{k} {v:6.1%}" for k, v in gm.items()))
base, double, weak = (margins(m, prices) for m in scenarios.values())
assert all(math.isclose(v, 0.8) for v in base.values())
assert math.isclose(double["seat"], 2 / 3) and math.isclose(double["usage"], 5 / 6)
assert math.isclose(weak["outcome"], 0.7) and math.isclose(weak["seat"], 0.8)
