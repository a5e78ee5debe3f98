"""Multi-head self-attention by hand vs nn.MultiheadAttention: same outputs, 4d^2 + 4d parameters."""
import math

import torch
from torch import nn


class MultiHeadAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        if d_model % n_heads != 0:
            raise ValueError(f"d_model={d_model} is not divisible by n_heads={n_heads}")
        self.n_heads, self.d_head = n_heads, d_model // n_heads
        self.qkv = nn.Linear(d_model, 3 * d_model)  # W^Q, W^K, W^V stacked: 3d^2 + 3d
        self.out = nn.Linear(d_model, d_model)  # W^O: d^2 + d

    def forward(self, x, is_causal=False):
        B, T, d = x.shape
        q, k, v = self.qkv(x).split(d, dim=-1)
        # (B, T, d) -> (B, h, T, d_head): every head attends in its own d_head-dim subspace
        q, k, v = (t.view(B, T, self.n_heads, self.d_head).transpose(1, 2) for t in (q, k, v))
        scores = q @ k.transpose(-2, -1) / math.sqrt(self.d_head)  # (B, h, T, T)
        if is_causal:
            scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
        y = torch.softmax(scores, dim=-1) @ v  # (B, h, T, d_head)
        return self.out(y.transpose(1, 2).reshape(B, T, d))  # concatenate heads, project


def mha_param_count(d_model: int) -> int:
    return 4 * d_model**2 + 4 * d_model


torch.manual_seed(0)
d_model, n_heads, B, T = 32, 4, 2, 5
ours = MultiHeadAttention(d_model, n_heads).double()
ref = nn.MultiheadAttention(d_model, n_heads, batch_first=True).double()
with torch.no_grad():  # give both modules the same weights
    ours.qkv.weight.copy_(ref.in_proj_weight)
    ours.qkv.bias.copy_(ref.in_proj_bias)
    ours.out.weight.copy_(ref.out_proj.weight)
    ours.out.bias.copy_(ref.out_proj.bias)

x = torch.randn(B, T, d_model, dtype=torch.float64)
# nn.MultiheadAttention's boolean mask is the opposite of SDPA's: True = NOT allowed.
future = torch.ones(T, T, dtype=torch.bool).triu(1)
for is_causal in (False, True):
    expected, _ = ref(x, x, x, attn_mask=future if is_causal else None, need_weights=False)
    assert torch.allclose(ours(x, is_causal), expected, atol=1e-12)

n_ours = sum(p.numel() for p in ours.parameters())
n_ref = sum(p.numel() for p in ref.parameters())
assert n_ours == n_ref == mha_param_count(d_model) == 4_224

# Without a causal mask or positions, attention is blind to order: permuting tokens permutes outputs.
perm = torch.randperm(T)
assert torch.allclose(ours(x[:, perm]), ours(x)[:, perm], atol=1e-12)
print(f"d_model={d_model}, heads={n_heads}: outputs match nn.MultiheadAttention, {n_ours:,} parameters")
