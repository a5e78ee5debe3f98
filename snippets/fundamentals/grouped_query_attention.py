"""Grouped-query attention with a KV cache, and KV-cache bytes per token of real models (MHA, GQA, MLA)."""
import torch
import torch.nn.functional as F
from torch import nn


class GroupedQueryAttention(nn.Module):
    """n_heads query heads share n_kv_heads key/value heads: MHA if equal, MQA if n_kv_heads == 1."""

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int):
        super().__init__()
        if d_model % n_heads or n_heads % n_kv_heads:
            raise ValueError(f"need n_kv_heads | n_heads | d_model, got {n_kv_heads}, {n_heads}, {d_model}")
        self.h, self.h_kv, self.d_head = n_heads, n_kv_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.kv = nn.Linear(d_model, 2 * n_kv_heads * self.d_head, bias=False)  # smaller than MHA's 2d x d
        self.out = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, cache=None):
        """x: (B, T, d). cache: dict whose "k", "v" of shape (B, n_kv_heads, T_past, d_head) grow in place."""
        B, T, d = x.shape
        q = self.q(x).view(B, T, self.h, self.d_head).transpose(1, 2)
        k, v = (t.view(B, T, self.h_kv, self.d_head).transpose(1, 2) for t in self.kv(x).chunk(2, dim=-1))
        if cache is not None:  # only the n_kv_heads heads are stored, never the repeated copies
            cache["k"] = k if "k" not in cache else torch.cat([cache["k"], k], dim=2)
            cache["v"] = v if "v" not in cache else torch.cat([cache["v"], v], dim=2)
            k, v = cache["k"], cache["v"]
        group = self.h // self.h_kv  # query head i reads key/value head i // group
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        return self.out(y.transpose(1, 2).reshape(B, T, d))


def kv_bytes_per_token(n_layers: int, cached_per_layer: int, bytes_per_element: int = 2) -> int:
    """Everything a layer caches for one token: 2 * n_kv * d_head for MHA/GQA/MQA, d_c + d_rope for MLA."""
    return n_layers * cached_per_layer * bytes_per_element


MODELS = {  # layers, numbers cached per layer per token (see the page's footnotes for the configs)
    "Llama 2 7B (MHA, 32 KV heads)": (32, 2 * 32 * 128),
    "Llama 3.1 8B (GQA, 8 KV heads)": (32, 2 * 8 * 128),
    "DeepSeek-V3 (MLA, latent 512 + RoPE key 64)": (61, 512 + 64),
    "DeepSeek-V3 if it cached full K and V": (61, 128 * (128 + 64) + 128 * 128),
}
for name, (layers, per_layer) in MODELS.items():
    print(f"{name:45} {kv_bytes_per_token(layers, per_layer) / 2**10:8.1f} KiB per token in bf16")

torch.manual_seed(0)
B, T, d_model, n_heads, n_kv_heads = 2, 7, 64, 8, 2
attn = GroupedQueryAttention(d_model, n_heads, n_kv_heads)
x = torch.randn(B, T, d_model)
full = attn(x)
cache = {}
steps = torch.cat([attn(x[:, t : t + 1], cache) for t in range(T)], dim=1)  # decoding, one token a step
assert torch.allclose(steps, full, atol=1e-5)
cached = sum(t.numel() * t.element_size() for t in cache.values())
assert cached == kv_bytes_per_token(1, 2 * n_kv_heads * (d_model // n_heads), 4) * T * B
print(f"toy GQA ({n_heads} query heads, {n_kv_heads} KV heads): cache {cached} bytes, "
      f"{n_heads // n_kv_heads}x less than MHA")
