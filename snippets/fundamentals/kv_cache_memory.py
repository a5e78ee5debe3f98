"""KV cache: its size formula, and a real cache that reproduces full causal attention token by token."""
import torch
import torch.nn.functional as F
from torch import nn


def kv_cache_bytes(n_layers: int, n_kv_heads: int, d_head: int, seq_len: int, batch: int,
                   bytes_per_element: int = 2) -> int:
    """2 (keys and values) * layers * KV heads * head dim * tokens * sequences * bytes per number."""
    sizes = {"n_layers": n_layers, "n_kv_heads": n_kv_heads, "d_head": d_head, "seq_len": seq_len,
             "batch": batch, "bytes_per_element": bytes_per_element}
    for name, value in sizes.items():
        if isinstance(value, bool) or not isinstance(value, int) or value <= 0:
            raise ValueError(f"{name} must be a positive integer, got {value!r}")
    return 2 * n_layers * n_kv_heads * d_head * seq_len * batch * bytes_per_element


# Llama 2 7B (32 layers, 32 heads of 128 dims, no grouped-query attention), 4096 tokens, fp16.
llama2_7b = kv_cache_bytes(n_layers=32, n_kv_heads=32, d_head=128, seq_len=4096, batch=1)
assert llama2_7b == 2 * 2**30  # 2 GiB per sequence
print(f"Llama 2 7B, 4096 tokens, fp16: {llama2_7b / 2**30:.0f} GiB per sequence, "
      f"{llama2_7b // 4096 // 2**10} KiB per token")


class CachedSelfAttention(nn.Module):
    def __init__(self, d_model: int, n_heads: int):
        super().__init__()
        self.h, self.d_head = n_heads, d_model // n_heads
        self.qkv, self.out = nn.Linear(d_model, 3 * d_model), nn.Linear(d_model, d_model)

    def forward(self, x, cache=None):
        """x: (B, T_new, d). cache: dict with "k", "v" of shape (B, h, T_past, d_head), grown in place."""
        B, T, d = x.shape
        q, k, v = (t.view(B, T, self.h, self.d_head).transpose(1, 2) for t in self.qkv(x).split(d, -1))
        if cache is not None:  # one new token: keep its k, v and attend over everything so far
            cache["k"] = k if "k" not in cache else torch.cat([cache["k"], k], dim=2)
            cache["v"] = v if "v" not in cache else torch.cat([cache["v"], v], dim=2)
            k, v = cache["k"], cache["v"]
        y = F.scaled_dot_product_attention(q, k, v, is_causal=cache is None)
        return x + self.out(y.transpose(1, 2).reshape(B, T, d))


torch.manual_seed(0)
n_layers, d_model, n_heads, B, T = 3, 32, 4, 2, 6
layers = nn.ModuleList(CachedSelfAttention(d_model, n_heads) for _ in range(n_layers))
x = torch.randn(B, T, d_model)

full = x
for layer in layers:  # the whole sequence at once, with a causal mask
    full = layer(full)

caches = [{} for _ in layers]
steps = []
for t in range(T):  # generation: one token per step, past keys and values come from the cache
    h = x[:, t : t + 1]
    for layer, cache in zip(layers, caches):
        h = layer(h, cache)
    steps.append(h)
assert torch.allclose(torch.cat(steps, dim=1), full, atol=1e-5)

cached = sum(t.numel() * t.element_size() for c in caches for t in c.values())
assert cached == kv_cache_bytes(n_layers, n_heads, d_model // n_heads, T, B, bytes_per_element=4)
print(f"toy model: cached decoding == full causal pass; cache holds {cached:,} bytes as predicted")
