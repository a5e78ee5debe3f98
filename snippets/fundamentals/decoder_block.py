"""A pre-LayerNorm decoder block: x + MHA(LN(x)), then x + MLP(LN(x)), with shapes asserted."""
import torch
from torch import nn


class DecoderBlock(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.ln1 = nn.LayerNorm(d_model)
        self.attn = nn.MultiheadAttention(d_model, n_heads, batch_first=True)  # 4d^2 + 4d
        self.ln2 = nn.LayerNorm(d_model)
        self.mlp = nn.Sequential(  # 8d^2 + 5d; the hidden width 4d follows Vaswani et al.
            nn.Linear(d_model, 4 * d_model), nn.GELU(), nn.Linear(4 * d_model, d_model)
        )

    def forward(self, x):
        B, T, d = x.shape
        future = torch.ones(T, T, dtype=torch.bool).triu(1)  # True = may NOT attend
        h = self.ln1(x)
        a, _ = self.attn(h, h, h, attn_mask=future, need_weights=False)
        assert a.shape == (B, T, d)
        x = x + a  # residual 1
        m = self.mlp[:2](self.ln2(x))  # Linear + GELU
        assert m.shape == (B, T, 4 * d)  # the MLP widens each token to 4d ...
        x = x + self.mlp[2](m)  # ... and projects back; residual 2
        return x


def block_param_count(d_model: int) -> int:
    """Attention 4d^2 + 4d, MLP 8d^2 + 5d, two LayerNorms 2 * 2d."""
    return 12 * d_model**2 + 13 * d_model


torch.manual_seed(0)
B, T, d_model, n_heads = 2, 7, 64, 4
block = DecoderBlock(d_model, n_heads).eval()
x = torch.randn(B, T, d_model)
y = block(x)
assert y.shape == x.shape == (B, T, d_model)  # blocks stack because shape is preserved
n_params = sum(p.numel() for p in block.parameters())
assert n_params == block_param_count(d_model) == 49_984

# Causality: changing token t leaves the outputs at positions < t untouched.
t = 4
x2 = x.clone()
x2[:, t] += 1.0
y2 = block(x2)
assert torch.allclose(y[:, :t], y2[:, :t], atol=1e-6)
assert not torch.allclose(y[:, t:], y2[:, t:])
print(f"block: {tuple(x.shape)} -> {tuple(y.shape)}, {n_params:,} parameters = 12d^2 + 13d")
