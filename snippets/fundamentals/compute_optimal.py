"""Compute-optimal model size (C = 6ND, D = 20N), GPU-hours for a budget, and model FLOPs utilization."""
import math


def compute_optimal(flops: float, tokens_per_param: float = 20.0) -> tuple[float, float]:
    """Return (N, D) with 6 N D = flops and D = tokens_per_param * N (Hoffmann et al. 2022: ~20)."""
    if flops <= 0 or tokens_per_param <= 0:
        raise ValueError(f"compute and tokens per parameter must be positive, got {flops}, "
                         f"{tokens_per_param}")
    n_params = math.sqrt(flops / (6 * tokens_per_param))
    return n_params, tokens_per_param * n_params


def gpu_hours(flops: float, peak_flops_per_s: float, mfu: float) -> float:
    """Hours of one accelerator running at mfu x its peak: C / (3600 * peak * MFU)."""
    if flops <= 0 or peak_flops_per_s <= 0:
        raise ValueError("compute and peak FLOP/s must be positive")
    if not 0 < mfu <= 1:
        raise ValueError(f"MFU is a fraction in (0, 1], got {mfu}")
    return flops / (3600 * peak_flops_per_s * mfu)


def model_flops_utilization(tokens_per_s: float, n_params: float, peak_flops_per_s: float) -> float:
    """MFU = achieved model FLOP/s (6N per trained token) / peak FLOP/s."""
    if tokens_per_s <= 0 or n_params <= 0 or peak_flops_per_s <= 0:
        raise ValueError("throughput, parameters and peak FLOP/s must be positive")
    return 6 * n_params * tokens_per_s / peak_flops_per_s


A100_BF16 = 312e12  # dense BF16 peak FLOP/s from NVIDIA's A100 datasheet

# Chinchilla itself: 70B parameters on 1.4T tokens is the 20:1 optimum for its own budget.
n, d = compute_optimal(6 * 70e9 * 1.4e12)
assert math.isclose(n, 70e9) and math.isclose(d, 1.4e12)

# A 1e22-FLOP budget: about a 9.1B-parameter model on 183B tokens ...
n, d = compute_optimal(1e22)
assert (round(n / 1e9, 1), round(d / 1e9)) == (9.1, 183)
# ... which takes about 22,000 A100-hours at an assumed 40% MFU.
hours = gpu_hours(1e22, A100_BF16, mfu=0.40)
assert round(hours) == 22_258
print(f"C = 1e22 FLOPs -> N = {n / 1e9:.1f}B, D = {d / 1e9:.0f}B tokens, {hours:,.0f} A100-hours at 40% MFU")

# MFU from a measured throughput: a 7B model trained at 3,000 tokens/s on one A100.
mfu = model_flops_utilization(3000, 7e9, A100_BF16)
assert round(mfu, 3) == 0.404
print(f"7B model at 3,000 tokens/s on an A100: MFU = {mfu:.1%}")
