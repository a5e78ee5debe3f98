"""Scaled dot-product attention by hand, checked against F.scaled_dot_product_attention."""
import math

import torch
import torch.nn.functional as F


def attention(q, k, v, mask=None, is_causal=False):
    """softmax(q k^T / sqrt(d_k) + M) v, returning (output, weights).

    q: (..., L, d_k), k: (..., S, d_k), v: (..., S, d_v).
    mask: bool, broadcastable to (..., L, S); True = may attend (SDPA's convention).
    """
    d_k = q.size(-1)
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_k)  # (..., L, S)
    L, S = scores.shape[-2:]
    if is_causal:  # query i sees keys 0..i only
        future = torch.ones(L, S, dtype=torch.bool).triu(diagonal=1)
        scores = scores.masked_fill(future, float("-inf"))
    if mask is not None:
        scores = scores.masked_fill(~mask, float("-inf"))
    weights = torch.softmax(scores, dim=-1)  # exp(-inf) = 0: masked keys get weight 0
    return weights @ v, weights


torch.manual_seed(0)
B, H, T, d_k = 2, 4, 6, 8  # batch, heads, tokens, head dimension
q, k, v = (torch.randn(B, H, T, d_k, dtype=torch.float64) for _ in range(3))

# Padding mask: the last two tokens of sequence 1 are padding, nobody attends to them.
keep = torch.ones(B, 1, 1, T, dtype=torch.bool)
keep[1, ..., -2:] = False

for name, kwargs in [("plain", {}), ("causal", {"is_causal": True}), ("padding mask", {"mask": keep})]:
    out, w = attention(q, k, v, **kwargs)
    ref = F.scaled_dot_product_attention(
        q, k, v, attn_mask=kwargs.get("mask"), is_causal=kwargs.get("is_causal", False)
    )
    assert out.shape == (B, H, T, d_k)
    assert torch.allclose(out, ref, atol=1e-12), name
    assert torch.allclose(w.sum(-1), torch.ones(B, H, T, dtype=torch.float64))
    print(f"{name:12s} max |by hand - SDPA| = {(out - ref).abs().max():.1e}")

_, w_causal = attention(q, k, v, is_causal=True)
assert (w_causal.triu(diagonal=1) == 0).all()  # no weight on future tokens
_, w_pad = attention(q, k, v, mask=keep)
assert (w_pad[1, ..., -2:] == 0).all()  # no weight on padding

# Why divide by sqrt(d_k): with unit-variance entries, q . k has variance d_k.
d = 64
qs, ks = torch.randn(20_000, d), torch.randn(20_000, d)
dots = (qs * ks).sum(-1)
assert abs(dots.var().item() / d - 1) < 0.05
assert abs((dots / math.sqrt(d)).var().item() - 1) < 0.05
print(f"Var(q.k) = {dots.var():.1f} (d_k = {d}); after scaling: {(dots / math.sqrt(d)).var():.2f}")
