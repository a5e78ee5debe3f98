"""Inference arithmetic: 2N FLOPs per token, weights N * bits / 8 bytes, the bandwidth bound on decoding."""
import torch


def inference_flops_per_token(n_params: float) -> float:
    """One multiply and one add per weight: ~2N FLOPs per generated token (attention term aside)."""
    if n_params <= 0:
        raise ValueError(f"number of parameters must be positive, got {n_params}")
    return 2 * n_params


def weight_bytes(n_params: float, bits: int) -> float:
    """Memory for the weights alone. Quantization lowers the bits, not the number of parameters."""
    if n_params <= 0 or bits <= 0:
        raise ValueError(f"parameters and bits must be positive, got N={n_params}, bits={bits}")
    return n_params * bits / 8


def max_decode_tokens_per_s(n_params: float, bits: int, bandwidth_bytes_per_s: float) -> float:
    """Batch-1 decoding reads every weight once per token, so tokens/s <= bandwidth / weight bytes."""
    if bandwidth_bytes_per_s <= 0:
        raise ValueError(f"memory bandwidth must be positive, got {bandwidth_bytes_per_s}")
    return bandwidth_bytes_per_s / weight_bytes(n_params, bits)


# A 7B model: 14 / 7 / 3.5 GB of weights at 16 / 8 / 4 bits.
assert [weight_bytes(7e9, b) / 1e9 for b in (16, 8, 4)] == [14.0, 7.0, 3.5]
assert inference_flops_per_token(7e9) == 1.4e10
# On an A100 80GB (2,039 GB/s), 16-bit weights cap one sequence at about 146 tokens/s.
bound = max_decode_tokens_per_s(7e9, 16, 2039e9)
assert round(bound) == 146
print(f"7B: {inference_flops_per_token(7e9):.1e} FLOPs/token, fp16 decode bound {bound:.0f} tokens/s")

# Int8 absmax quantization of a weight matrix, one scale per output row.
torch.manual_seed(0)
W = torch.randn(256, 512)
scale = W.abs().amax(dim=1, keepdim=True) / 127  # the largest |w| in each row maps to 127
W_int8 = torch.round(W / scale).to(torch.int8)
W_back = W_int8.float() * scale
assert W_int8.numel() == W.numel()  # same number of parameters ...
assert W_int8.element_size() == 1 and W.element_size() == 4  # ... a quarter of the fp32 bytes
assert ((W - W_back).abs() <= scale / 2 + 1e-6).all()  # rounding error at most half a step
x = torch.randn(512)
rel_err = ((W_back @ x - W @ x).norm() / (W @ x).norm()).item()
assert rel_err < 0.01
print(f"int8 weights: {W_int8.numel():,} parameters, {W_int8.numel() * W_int8.element_size():,} bytes "
      f"(fp32: {W.numel() * W.element_size():,}); relative output error {rel_err:.2%}")
