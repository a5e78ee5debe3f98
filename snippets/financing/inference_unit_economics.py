"""Inference unit economics: API cost per request, self-hosted cost per million tokens, margin.

Run: python inference_unit_economics.py   (standard library only)
"""
# --8<-- [start:core]
from __future__ import annotations

import math


def _real(value: float, what: str) -> float:
    """`value` as a finite float; ValueError for bool, non-numbers, NaN and infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return float(value)


def _non_negative(**values: float) -> None:
    for name, value in values.items():
        if _real(value, name) < 0:
            raise ValueError(f"{name} must be non-negative, got {value}")


def api_cost_per_request(input_tokens: int, output_tokens: int, price_in_per_m: float,
                         price_out_per_m: float) -> float:
    """Dollars per request when an API bills per million input and output tokens."""
    _non_negative(input_tokens=input_tokens, output_tokens=output_tokens,
                  price_in_per_m=price_in_per_m, price_out_per_m=price_out_per_m)
    return (input_tokens * price_in_per_m + output_tokens * price_out_per_m) / 1e6


def self_hosted_cost_per_m_tokens(price_per_gpu_hour: float, tokens_per_second: float,
                                  utilization: float) -> float:
    """Dollars per million generated tokens on a rented GPU you pay for whether busy or idle."""
    _non_negative(price_per_gpu_hour=price_per_gpu_hour)
    tokens_per_second, utilization = _real(tokens_per_second, "throughput"), _real(utilization, "utilization")
    if tokens_per_second <= 0:
        raise ValueError(f"throughput must be positive, got {tokens_per_second}")
    if not 0 < utilization <= 1:
        raise ValueError(f"utilization must be in (0, 1] (0.4 for 40%), got {utilization}")
    return price_per_gpu_hour / (3600 * tokens_per_second * utilization) * 1e6


def gross_margin(revenue: float, cost_of_revenue: float) -> float:
    """(revenue - cost of revenue) / revenue."""
    _non_negative(cost_of_revenue=cost_of_revenue)
    revenue = _real(revenue, "revenue")
    if revenue <= 0:
        raise ValueError(f"revenue must be positive, got {revenue}")
    return (revenue - cost_of_revenue) / revenue
# --8<-- [end:core]


def main() -> None:
    price_in, price_out = 0.15, 0.60  # GPT-4o mini list price per 1M tokens at launch (July 2024)
    users = {"typical user": (300, 2_000, 500), "heavy agent user": (3_000, 20_000, 1_000)}
    for label, (requests, tokens_in, tokens_out) in users.items():
        cost = requests * api_cost_per_request(tokens_in, tokens_out, price_in, price_out)
        print(f"{label:<17} inference ${cost:6.2f}/month, gross margin on $20: {gross_margin(20, cost):.1%}")
    for utilization in (1.0, 0.4, 0.1):
        per_m = self_hosted_cost_per_m_tokens(3.99, 1_000, utilization)
        print(f"self-hosted at {utilization:.0%} utilization: ${per_m:.2f} per 1M output tokens")


if __name__ == "__main__":
    main()
