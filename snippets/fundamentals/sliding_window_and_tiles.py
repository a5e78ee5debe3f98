"""Sliding-window attention as a mask, and attention in tiles with an online softmax (FlashAttention's idea)."""
# --8<-- [start:imports]
import torch
import torch.nn.functional as F
# --8<-- [end:imports]


# --8<-- [start:window]
def sliding_window_mask(T: int, window: int) -> torch.Tensor:
    """True where query i may attend key j: causal and at most window - 1 positions back."""
    i, j = torch.arange(T).unsqueeze(1), torch.arange(T).unsqueeze(0)
    return (j <= i) & (j > i - window)


torch.manual_seed(0)
q, k, v = (torch.randn(1, 2, 10, 8) for _ in range(3))
windowed = F.scaled_dot_product_attention(q, k, v, attn_mask=sliding_window_mask(10, 4))
# query 9 sees keys 6..9 only: the same as attending over those four keys alone
alone = F.scaled_dot_product_attention(q[:, :, 9:], k[:, :, 6:], v[:, :, 6:])
assert torch.allclose(windowed[:, :, 9:], alone, atol=1e-6)
assert torch.allclose(F.scaled_dot_product_attention(q, k, v, attn_mask=sliding_window_mask(10, 10)),
                      F.scaled_dot_product_attention(q, k, v, is_causal=True), atol=1e-6)  # window >= T: causal
# --8<-- [end:window]


# --8<-- [start:tiles]
def tiled_attention(q, k, v, block: int = 4):
    """softmax(q k^T / sqrt(d)) v without ever holding more than a (block x block) tile of scores."""
    scale = q.shape[-1] ** -0.5
    out = torch.empty_like(q)
    for i in range(0, q.shape[-2], block):
        qi = q[..., i : i + block, :]
        m = torch.full(qi.shape[:-1], float("-inf"))  # running max of each row's scores
        s = torch.zeros(qi.shape[:-1])  # running sum of exp(score - m)
        acc = torch.zeros_like(qi)  # running sum of exp(score - m) * v
        for j in range(0, k.shape[-2], block):
            scores = qi @ k[..., j : j + block, :].transpose(-2, -1) * scale
            m_new = torch.maximum(m, scores.amax(-1))
            p = torch.exp(scores - m_new.unsqueeze(-1))
            rescale = torch.exp(m - m_new)  # earlier tiles were summed against the old max
            s = s * rescale + p.sum(-1)
            acc = acc * rescale.unsqueeze(-1) + p @ v[..., j : j + block, :]
            m = m_new
        out[..., i : i + block, :] = acc / s.unsqueeze(-1)
    return out


q, k, v = (torch.randn(2, 3, 13, 16) for _ in range(3))
assert torch.allclose(tiled_attention(q, k, v), F.scaled_dot_product_attention(q, k, v), atol=1e-5)
print("sliding-window mask and tiled online-softmax attention both match SDPA")
# --8<-- [end:tiles]
