"""Multi-head latent attention, simplified (no decoupled RoPE key): cache one small latent per token."""
import torch
import torch.nn.functional as F
from torch import nn


class LatentAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int, d_latent: int):
        super().__init__()
        self.h, self.d_head = n_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.down = nn.Linear(d_model, d_latent, bias=False)  # W^DKV: h_t -> c_t, the only thing cached
        self.up_k = nn.Linear(d_latent, d_model, bias=False)  # W^UK: c_t -> keys of all heads
        self.up_v = nn.Linear(d_latent, d_model, bias=False)  # W^UV: c_t -> values of all heads
        self.out = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, cache=None):
        """x: (B, T, d). cache: dict whose "c" of shape (B, T_past, d_latent) grows in place."""
        B, T, d = x.shape
        c = self.down(x)
        if cache is not None:
            cache["c"] = c if "c" not in cache else torch.cat([cache["c"], c], dim=1)
            c = cache["c"]
        heads = lambda t: t.view(B, t.shape[1], self.h, self.d_head).transpose(1, 2)  # noqa: E731
        q, k, v = heads(self.q(x)), heads(self.up_k(c)), heads(self.up_v(c))
        y = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        return self.out(y.transpose(1, 2).reshape(B, T, d))


torch.manual_seed(0)
B, T, d_model, n_heads, d_latent = 2, 6, 64, 8, 16
mla = LatentAttention(d_model, n_heads, d_latent)
x = torch.randn(B, T, d_model)
cache = {}
steps = torch.cat([mla(x[:, t : t + 1], cache) for t in range(T)], dim=1)
assert torch.allclose(steps, mla(x), atol=1e-5)  # decoding from the latent cache = full causal pass
cached = cache["c"].numel() * cache["c"].element_size()
mha_equivalent = 2 * d_model * T * B * 4  # full keys and values of all heads, fp32
assert cached == d_latent * T * B * 4
print(f"latent cache {cached} bytes, {mha_equivalent // cached}x less than caching K and V of {n_heads} heads")
