"""Sinusoidal positional encodings (Vaswani et al. 2017) and rotary embeddings (Su et al. 2021)."""
import math

import torch


def sinusoidal_positional_encoding(seq_len: int, d_model: int, base: float = 10000.0):
    """PE[p, 2i] = sin(p / base^(2i/d)), PE[p, 2i+1] = cos(p / base^(2i/d)); shape (seq_len, d_model)."""
    if d_model % 2 != 0:
        raise ValueError(f"d_model must be even to pair sin and cos, got {d_model}")
    p = torch.arange(seq_len, dtype=torch.float64).unsqueeze(1)  # (T, 1)
    omega = base ** (-torch.arange(0, d_model, 2, dtype=torch.float64) / d_model)  # (d/2,)
    pe = torch.empty(seq_len, d_model, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(p * omega)
    pe[:, 1::2] = torch.cos(p * omega)
    return pe


def rope(x, positions, base: float = 10000.0):
    """Rotate each pair (x[2i], x[2i+1]) of x (..., T, d) by the angle position * base^(-2i/d)."""
    d = x.size(-1)
    omega = base ** (-torch.arange(0, d, 2, dtype=x.dtype) / d)
    angle = positions.to(x.dtype).unsqueeze(-1) * omega  # (T, d/2)
    cos, sin = torch.cos(angle), torch.sin(angle)
    x_even, x_odd = x[..., 0::2], x[..., 1::2]
    out = torch.empty_like(x)
    out[..., 0::2] = x_even * cos - x_odd * sin
    out[..., 1::2] = x_even * sin + x_odd * cos
    return out


T, d = 50, 16
pe = sinusoidal_positional_encoding(T, d)
assert pe.shape == (T, d) and pe.abs().max() <= 1
assert math.isclose(pe[7, 4].item(), math.sin(7 / 10000 ** (4 / d)))  # the formula, one entry
assert torch.allclose(pe.norm(dim=1) ** 2, torch.full((T,), d / 2, dtype=torch.float64))

# Shift by k = a fixed rotation of every (sin, cos) pair, the same matrix for every position p.
k = 3
omega = 10000 ** (-torch.arange(0, d, 2, dtype=torch.float64) / d)
c, s = torch.cos(k * omega), torch.sin(k * omega)
rotated = torch.empty_like(pe[:-k])
rotated[:, 0::2] = pe[:-k, 0::2] * c + pe[:-k, 1::2] * s  # sin(a + b) = sin a cos b + cos a sin b
rotated[:, 1::2] = pe[:-k, 1::2] * c - pe[:-k, 0::2] * s  # cos(a + b) = cos a cos b - sin a sin b
assert torch.allclose(rotated, pe[k:])

# So PE[p] . PE[p + k] depends only on the offset k, not on p.
dots = (pe[:-k] * pe[k:]).sum(dim=1)
assert torch.allclose(dots, torch.full_like(dots, torch.cos(k * omega).sum().item()))

# RoPE: the score between a query at m and a key at n depends only on m - n.
torch.manual_seed(0)
q, key = torch.randn(1, d, dtype=torch.float64), torch.randn(1, d, dtype=torch.float64)


def score(m: int, n: int) -> float:
    return (rope(q, torch.tensor([m])) * rope(key, torch.tensor([n]))).sum().item()


assert math.isclose(score(9, 4), score(25, 20)) and not math.isclose(score(9, 4), score(9, 5))
print(f"PE {tuple(pe.shape)}: |PE| <= 1, shift by {k} = rotation, PE[p].PE[p+{k}] = {dots[0]:.4f} for all p")
