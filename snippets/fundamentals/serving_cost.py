"""Serving economics: cost per million tokens on your own GPUs, and when self-hosting beats an API.

Run: python serving_cost.py   (standard library only; the prices below are hypothetical examples)

Money is exact (fractions.Fraction). Hours per month come from the financing part's rent-or-buy
calculator, so both parts count a month the same way.
"""
# --8<-- [start:core]
from __future__ import annotations

import math
import sys
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

try:
    from financing.rent_vs_buy_gpu import HOURS_PER_MONTH
except ModuleNotFoundError:  # run as `python snippets/fundamentals/serving_cost.py`: put snippets/ on the path
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from financing.rent_vs_buy_gpu import HOURS_PER_MONTH

Number = int | float | Fraction | Decimal


def _amount(name: str, value: Number, *, zero_ok: bool = True) -> Fraction:
    """A finite, non-negative number as an exact Fraction (floats read as the decimal they print as)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, Fraction, Decimal)):
        raise ValueError(f"{name} must be a number, got {value!r} ({type(value).__name__})")
    if (isinstance(value, float) and not math.isfinite(value)) or (isinstance(value, Decimal) and not value.is_finite()):
        raise ValueError(f"{name} must be a finite number, got {value}")
    exact = Fraction(repr(value)) if isinstance(value, float) else Fraction(value)
    if exact < 0 or (exact == 0 and not zero_ok):
        raise ValueError(f"{name} must be {'non-negative' if zero_ok else 'positive'}, got {value}")
    return exact


def _utilization(value: Number) -> Fraction:
    u = _amount("utilization", value, zero_ok=False)
    if u > 1:
        raise ValueError(f"utilization must be in (0, 1] (0.5 for 50%), got {value}")
    return u


def cost_per_million_tokens(gpu_price_per_hour: Number, tokens_per_second: Number,
                            utilization: Number) -> Fraction:
    """Dollars per million tokens from one GPU paid by the hour, busy a fraction `utilization` of the
    time at the measured throughput `tokens_per_second` (idle hours are paid too)."""
    price = _amount("GPU price per hour", gpu_price_per_hour)
    tps = _amount("tokens per second", tokens_per_second, zero_ok=False)
    return price * 1_000_000 / (3600 * tps * _utilization(utilization))


def gpus_needed(tokens_per_month: Number, tokens_per_second: Number, utilization: Number) -> int:
    """Whole GPUs, running all month, that serve the volume at the planned average utilization
    (at least one: a self-hosted service keeps a GPU up even when traffic is low)."""
    volume = _amount("tokens per month", tokens_per_month)
    per_gpu = (_amount("tokens per second", tokens_per_second, zero_ok=False) * 3600 * HOURS_PER_MONTH
               * _utilization(utilization))
    return max(1, math.ceil(volume / per_gpu))


def monthly_costs(tokens_per_month: Number, api_price_per_million: Number, gpu_price_per_hour: Number,
                  tokens_per_second: Number, utilization: Number,
                  fixed_monthly: Number = 0) -> tuple[Fraction, int, Fraction]:
    """(API bill, GPUs needed, self-hosting bill) for one month; self-hosting pays whole GPUs
    around the clock plus fixed costs such as the engineers who run them."""
    api = _amount("tokens per month", tokens_per_month) * _amount("API price per million tokens",
                                                                  api_price_per_million) / 1_000_000
    gpus = gpus_needed(tokens_per_month, tokens_per_second, utilization)
    self_hosted = (gpus * _amount("GPU price per hour", gpu_price_per_hour) * HOURS_PER_MONTH
                   + _amount("fixed monthly cost", fixed_monthly))
    return api, gpus, self_hosted


def breakeven_tokens_per_month(api_price_per_million: Number, gpu_price_per_hour: Number,
                               tokens_per_second: Number, utilization: Number,
                               fixed_monthly: Number) -> Fraction:
    """Volume where the API bill equals self-hosting, GPUs counted fractionally: F / (p_api - c_self)."""
    margin = (_amount("API price per million tokens", api_price_per_million)
              - cost_per_million_tokens(gpu_price_per_hour, tokens_per_second, utilization))
    if margin <= 0:
        raise ValueError("self-hosting never breaks even: its cost per million tokens is not below the API price")
    return _amount("fixed monthly cost", fixed_monthly) * 1_000_000 / margin
# --8<-- [end:core]


# Hypothetical inputs: an API at $1.00 per million tokens (your traffic's mix of input and output),
# a GPU at $2.50 an hour that you measured at 2,000 tokens/s, 50% average utilization, and
# $10,000 a month of engineering time to run it.
EXAMPLE = {"api_price_per_million": 1, "gpu_price_per_hour": Fraction(5, 2), "tokens_per_second": 2_000,
           "utilization": Fraction(1, 2), "fixed_monthly": 10_000}
VOLUMES = (10**8, 10**9, 10**10, 3 * 10**10, 10**11)


def comparison_rows() -> list[list[str]]:
    rows = []
    for volume in VOLUMES:
        api, gpus, own = monthly_costs(volume, **EXAMPLE)
        rows.append([f"{volume / 1e9:g}", f"{float(api):,.0f}", str(gpus), f"{float(own):,.0f}",
                     "API" if api <= own else "self-host"])
    return rows


def main() -> None:
    per_m = cost_per_million_tokens(EXAMPLE["gpu_price_per_hour"], EXAMPLE["tokens_per_second"],
                                    EXAMPLE["utilization"])
    print(f"self-hosted cost: ${float(per_m):.4f} per million tokens")
    volume = breakeven_tokens_per_month(**EXAMPLE)
    print(f"break-even: {float(volume) / 1e9:.1f} billion tokens a month")
    print("| billion tokens/month | API $ | GPUs | self-host $ | cheaper |")
    print("|---|---|---|---|---|")
    for row in comparison_rows():
        print("| " + " | ".join(row) + " |")


if __name__ == "__main__":
    main()
