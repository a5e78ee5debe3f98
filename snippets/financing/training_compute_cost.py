"""Training budget from first principles: FLOPs = 6 N D -> GPU-hours -> dollars.

Run: python training_compute_cost.py   (standard library only)

6 N D counts a forward pass (2 FLOPs per parameter per token) and a backward pass (4);
it ignores attention's extra FLOPs, restarts, evaluation and failed experiments.
"""
# --8<-- [start:core]
from __future__ import annotations

import math

H100_BF16_DENSE = 989.4e12  # peak dense BF16 FLOP/s of one H100 SXM (NVIDIA; 1,979 with sparsity)


def _real(value: float, what: str) -> float:
    """`value` as a finite float; ValueError for bool, non-numbers, NaN and infinity."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{what} must be a number, got {value!r}")
    if not math.isfinite(value):
        raise ValueError(f"{what} must be finite, got {value}")
    return float(value)


def training_flops(n_params: float, n_tokens: float) -> float:
    """Approximate training compute C = 6 N D."""
    n_params, n_tokens = _real(n_params, "parameter count"), _real(n_tokens, "token count")
    if n_params <= 0 or n_tokens <= 0:
        raise ValueError("parameter and token counts must be positive")
    return 6 * n_params * n_tokens


def gpu_hours(flops: float, peak_flops_per_gpu: float = H100_BF16_DENSE, mfu: float = 0.4) -> float:
    """GPU-hours at a model FLOPs utilization `mfu` (share of peak actually used, 0 < mfu <= 1)."""
    flops, mfu = _real(flops, "FLOPs"), _real(mfu, "MFU")
    peak_flops_per_gpu = _real(peak_flops_per_gpu, "peak FLOP/s")
    if not 0 < mfu <= 1:
        raise ValueError(f"MFU must be in (0, 1] (0.4 for 40%), got {mfu}")
    if flops <= 0 or peak_flops_per_gpu <= 0:
        raise ValueError("FLOPs and peak FLOP/s must be positive")
    return flops / (peak_flops_per_gpu * mfu * 3600)


def training_cost(hours: float, price_per_gpu_hour: float) -> float:
    """Rental cost of the GPU-hours at a given price per GPU-hour."""
    hours, price_per_gpu_hour = _real(hours, "GPU-hours"), _real(price_per_gpu_hour, "price per GPU-hour")
    if hours < 0 or price_per_gpu_hour < 0:
        raise ValueError("GPU-hours and price must be non-negative")
    return hours * price_per_gpu_hour
# --8<-- [end:core]


def main() -> None:
    llama = training_flops(405e9, 15.6e12)
    print(f"Llama 3.1 405B: {llama:.2e} FLOPs, {gpu_hours(llama, mfu=0.40) / 1e6:.1f}M GPU-hours at 40% MFU"
          " (reported: 30.84M)")
    for n, d in ((1e9, 20e9), (7e9, 2e12)):
        hours = gpu_hours(training_flops(n, d), mfu=0.4)
        costs = ", ".join(f"${training_cost(hours, p):,.0f} at ${p}/h" for p in (2.69, 3.99, 6.88))
        print(f"{n / 1e9:.0f}B params x {d / 1e9:,.0f}B tokens: {hours:,.0f} GPU-hours; {costs}")


if __name__ == "__main__":
    main()
