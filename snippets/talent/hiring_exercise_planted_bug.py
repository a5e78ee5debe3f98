"""A plausible but wrong submission: the causal mask is applied AFTER the softmax.

It runs, returns the right shape and even zeroes the weights on future tokens, yet every row of
weights was normalised over the whole sequence, so future tokens still change the output.
"""
import math

import torch


def causal_self_attention(x, w_qkv, w_out, num_heads):
    """Same signature as the reference: x (batch, seq, d_model) -> (batch, seq, d_model)."""
    batch, seq, d_model = x.shape
    if d_model % num_heads != 0:
        raise ValueError(f"d_model={d_model} is not divisible by num_heads={num_heads}")
    d_head = d_model // num_heads
    q, k, v = (x @ w_qkv.T).split(d_model, dim=-1)
    q, k, v = (t.view(batch, seq, num_heads, d_head).transpose(1, 2) for t in (q, k, v))
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_head)
    weights = torch.softmax(scores, dim=-1)
    future = torch.triu(torch.ones(seq, seq, dtype=torch.bool, device=x.device), diagonal=1)
    weights = weights.masked_fill(future, 0.0)  # the bug: too late, rows no longer sum to 1
    out = (weights @ v).transpose(1, 2).reshape(batch, seq, d_model)
    return out @ w_out.T


if __name__ == "__main__":
    torch.manual_seed(0)
    d_model = 8
    x = torch.randn(1, 4, d_model)
    w_qkv, w_out = torch.randn(3 * d_model, d_model), torch.randn(d_model, d_model)
    y = causal_self_attention(x, w_qkv, w_out, num_heads=2)
    x_changed = x.clone()
    x_changed[:, -1] += 1.0  # change only the last token
    y_changed = causal_self_attention(x_changed, w_qkv, w_out, num_heads=2)
    leak = (y[:, 0] - y_changed[:, 0]).abs().max().item()
    print(f"output {tuple(y.shape)}; changing token 3 moved the output at token 0 by {leak:.3f}")
