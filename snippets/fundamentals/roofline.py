"""Roofline for decoding: arithmetic intensity, and the batch size where a decode step turns compute-bound."""


def matmul_intensity(batch: int, d_in: int, d_out: int, bytes_per_element: int = 2) -> float:
    """FLOPs per byte moved for y = x W^T with x: (batch, d_in), W: (d_out, d_in), all in one precision."""
    flops = 2 * batch * d_in * d_out
    bytes_moved = bytes_per_element * (d_in * d_out + batch * d_in + batch * d_out)  # W, x, y
    return flops / bytes_moved


def attainable_flops_per_s(intensity: float, peak_flops_per_s: float, bandwidth_bytes_per_s: float) -> float:
    """The roofline: below the knee memory bandwidth limits, above it the compute peak does."""
    return min(peak_flops_per_s, intensity * bandwidth_bytes_per_s)


def decode_step_seconds(n_params: float, batch: int, peak_flops_per_s: float, bandwidth_bytes_per_s: float,
                        bytes_per_param: float = 2, kv_bytes_per_sequence: float = 0) -> float:
    """One decode step reads the weights once for the whole batch (plus each sequence's KV cache)
    and does 2N FLOPs per sequence; it takes as long as the slower of the two."""
    if n_params <= 0 or batch < 1 or peak_flops_per_s <= 0 or bandwidth_bytes_per_s <= 0:
        raise ValueError("parameters, batch, peak and bandwidth must be positive")
    memory = (n_params * bytes_per_param + batch * kv_bytes_per_sequence) / bandwidth_bytes_per_s
    compute = 2 * n_params * batch / peak_flops_per_s
    return max(memory, compute)


# For batch << d the intensity of a 16-bit matmul is about the batch size: 1 FLOP per byte at batch 1.
assert round(matmul_intensity(1, 4096, 4096), 3) == 1.0
assert round(matmul_intensity(64, 4096, 4096), 1) == 62.1

# H100 SXM: 989 TFLOP/s dense BF16, 3.35 TB/s. The knee sits at peak / bandwidth = 295 FLOP per byte.
PEAK, BANDWIDTH = 989e12, 3.35e12
print(f"knee: {PEAK / BANDWIDTH:.0f} FLOP/byte")
print("batch  step (ms)  tokens/s")
for batch in (1, 8, 64, 256, 1024):  # a 7B model in 16-bit, KV cache left out
    step = decode_step_seconds(7e9, batch, PEAK, BANDWIDTH)
    print(f"{batch:5d}  {step * 1e3:9.2f}  {batch / step:8,.0f}")
one, big = decode_step_seconds(7e9, 1, PEAK, BANDWIDTH), decode_step_seconds(7e9, 256, PEAK, BANDWIDTH)
assert one == big  # up to the knee a bigger batch costs no extra time per step ...
assert 1024 / decode_step_seconds(7e9, 1024, PEAK, BANDWIDTH) <= PEAK / (2 * 7e9)  # ... past it, 2N caps tokens/s

# The KV cache is read once per sequence, so it does not amortize: Llama 2 7B keeps 512 KiB per token,
# and 64 sequences of 1,000 tokens add 33.6 GB of reads to the 14 GB of weights.
kv = 1_000 * 512 * 2**10
with_kv = decode_step_seconds(7e9, 64, PEAK, BANDWIDTH, kv_bytes_per_sequence=kv)
print(f"batch 64 with 1,000-token KV caches: {with_kv * 1e3:.2f} ms per step, {64 / with_kv:,.0f} tokens/s")
assert with_kv > 3 * one
