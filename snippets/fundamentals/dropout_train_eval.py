"""Inverted dropout by hand and nn.Dropout: zero a fraction p in training, scale the rest by 1/(1-p)."""
import torch
import torch.nn as nn


def inverted_dropout(x, p, training=True):
    """Keeps each entry with probability 1 - p and divides it by 1 - p, so E[output] = x."""
    if not 0 <= p < 1:
        raise ValueError(f"dropout probability p must be in [0, 1), got {p}")
    if not training or p == 0:
        return x  # evaluation: the full network, nothing to rescale
    keep = (torch.rand_like(x) >= p).to(x.dtype)
    return x * keep / (1 - p)


torch.manual_seed(0)
p = 0.25
x = torch.randn(100_000)
dropout = nn.Dropout(p)

dropout.train()
y = dropout(x)
kept = y != 0
assert torch.allclose(y[kept], x[kept] / (1 - p))  # survivors are scaled by 1/(1-p) = 4/3
dropped = 1 - kept.float().mean().item()
assert abs(dropped - p) < 0.01

ours = inverted_dropout(x, p)
assert abs((ours == 0).float().mean().item() - p) < 0.01
ones = torch.ones(100_000)
assert abs(inverted_dropout(ones, p).mean().item() - 1) < 0.01  # the expected activation is unchanged
assert abs(dropout(ones).mean().item() - 1) < 0.01

dropout.eval()
assert torch.equal(dropout(x), x) and torch.equal(inverted_dropout(x, p, training=False), x)
print(f"train mode: dropped {dropped:.3f} of the entries, survivors x {1 / (1 - p):.4f}")
print("eval mode : output == input")
