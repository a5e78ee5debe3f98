"""Reference solution of the take-home: masked (causal) multi-head self-attention, written by hand."""
import math

import torch


def causal_self_attention(x, w_qkv, w_out, num_heads):
    """Causal multi-head self-attention without biases.

    x: (batch, seq, d_model); w_qkv: (3 * d_model, d_model), the weight of a bias-free
    nn.Linear whose output is [q | k | v]; w_out: (d_model, d_model). Returns (batch, seq, d_model).
    """
    batch, seq, d_model = x.shape
    if d_model % num_heads != 0:
        raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
    d_head = d_model // num_heads
    q, k, v = (x @ w_qkv.T).split(d_model, dim=-1)
    # (batch, seq, d_model) -> (batch, heads, seq, d_head): each head attends on its own slice
    q, k, v = (t.view(batch, seq, num_heads, d_head).transpose(1, 2) for t in (q, k, v))
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)  # (batch, heads, seq, seq)
    future = torch.triu(torch.ones(seq, seq, dtype=torch.bool, device=x.device), diagonal=1)
    scores = scores.masked_fill(future, float("-inf"))  # mask BEFORE softmax: rows renormalise
    weights = torch.softmax(scores, dim=-1)  # torch subtracts the row max, so no overflow
    out = (weights @ v).transpose(1, 2).reshape(batch, seq, d_model)
    return out @ w_out.T


if __name__ == "__main__":
    import torch.nn.functional as F

    torch.manual_seed(0)
    d_model, num_heads = 8, 2
    x = torch.randn(2, 5, d_model)
    w_qkv, w_out = torch.randn(3 * d_model, d_model), torch.randn(d_model, d_model)
    y = causal_self_attention(x, w_qkv, w_out, num_heads)

    # the same computation with PyTorch's fused kernel
    q, k, v = (t.view(2, 5, num_heads, -1).transpose(1, 2) for t in (x @ w_qkv.T).split(d_model, -1))
    expected = F.scaled_dot_product_attention(q, k, v, is_causal=True)
    expected = expected.transpose(1, 2).reshape(2, 5, d_model) @ w_out.T
    err = (y - expected).abs().max().item()
    assert y.shape == x.shape and err < 1e-5
    print(f"output {tuple(y.shape)}, max |reference - SDPA| = {err:.2e}")
