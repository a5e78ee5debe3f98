"""Checks for docs/fundamentals/transformer.*.md: attention, heads, positions, the decoder block, the KV cache."""
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fundamentals.attention_by_hand import attention
from fundamentals.decoder_block import DecoderBlock, block_param_count
from fundamentals.kv_cache_memory import CachedSelfAttention, kv_cache_bytes
from fundamentals.multi_head_attention import MultiHeadAttention, mha_param_count
from fundamentals.positional_encoding import rope, sinusoidal_positional_encoding


def rand(*shape):
    return torch.randn(*shape, dtype=torch.float64)


@pytest.mark.parametrize("L, S", [(5, 5), (3, 7), (7, 3)])
@pytest.mark.parametrize("d_k, d_v", [(8, 8), (16, 4)])
def test_attention_matches_sdpa_plain_causal_and_masked(L, S, d_k, d_v):
    torch.manual_seed(L * 100 + S)
    q, k, v = rand(2, 3, L, d_k), rand(2, 3, S, d_k), rand(2, 3, S, d_v)
    out, w = attention(q, k, v)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v))
    torch.testing.assert_close(w.sum(-1), torch.ones(2, 3, L, dtype=torch.float64))

    out, w = attention(q, k, v, is_causal=True)  # for L != S both align the mask top-left
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, is_causal=True))
    assert (w.triu(diagonal=1) == 0).all()

    mask = torch.rand(2, 1, L, S) > 0.4
    mask[..., 0] = True  # no fully masked row
    out, w = attention(q, k, v, mask=mask)
    torch.testing.assert_close(out, F.scaled_dot_product_attention(q, k, v, attn_mask=mask))
    assert (w.masked_select(~mask.expand_as(w)) == 0).all()


def test_attention_gradients_match_sdpa():
    torch.manual_seed(1)
    q, k, v = (rand(1, 2, 6, 8).requires_grad_() for _ in range(3))
    attention(q, k, v, is_causal=True)[0].sum().backward()
    ours = [t.grad.clone() for t in (q, k, v)]
    for t in (q, k, v):
        t.grad = None
    F.scaled_dot_product_attention(q, k, v, is_causal=True).sum().backward()
    for g, t in zip(ours, (q, k, v)):
        torch.testing.assert_close(g, t.grad)


def test_score_variance_is_d_k():
    torch.manual_seed(2)
    for d in (16, 128):
        dots = (torch.randn(20_000, d) * torch.randn(20_000, d)).sum(-1)
        assert abs(dots.var().item() / d - 1) < 0.05
        assert abs((dots / math.sqrt(d)).var().item() - 1) < 0.05


@pytest.mark.parametrize("d_model, n_heads", [(32, 4), (48, 6), (64, 1)])
def test_multi_head_attention_matches_nn_multihead_attention(d_model, n_heads):
    torch.manual_seed(3)
    ours = MultiHeadAttention(d_model, n_heads).double()
    ref = nn.MultiheadAttention(d_model, n_heads, batch_first=True).double()
    with torch.no_grad():
        ours.qkv.weight.copy_(ref.in_proj_weight)
        ours.qkv.bias.copy_(ref.in_proj_bias)
        ours.out.weight.copy_(ref.out_proj.weight)
        ours.out.bias.copy_(ref.out_proj.bias)
    x = rand(3, 9, d_model)
    future = torch.ones(9, 9, dtype=torch.bool).triu(1)
    torch.testing.assert_close(ours(x), ref(x, x, x, need_weights=False)[0])
    torch.testing.assert_close(ours(x, is_causal=True), ref(x, x, x, attn_mask=future, need_weights=False)[0])
    n_ref = sum(p.numel() for p in ref.parameters())
    assert sum(p.numel() for p in ours.parameters()) == n_ref == mha_param_count(d_model)


def test_mha_param_count_exercise_and_bad_heads():
    assert mha_param_count(512) == 4 * 512**2 + 4 * 512 == 1_050_624
    assert sum(p.numel() for p in nn.MultiheadAttention(512, 8).parameters()) == 1_050_624
    with pytest.raises(ValueError, match="not divisible"):
        MultiHeadAttention(30, 4)


def test_sinusoidal_encoding_formula_and_properties():
    T, d = 64, 32
    pe = sinusoidal_positional_encoding(T, d)
    for p, i in [(0, 0), (5, 3), (63, 15)]:
        angle = p / 10000 ** (2 * i / d)
        assert math.isclose(pe[p, 2 * i].item(), math.sin(angle), abs_tol=1e-12)
        assert math.isclose(pe[p, 2 * i + 1].item(), math.cos(angle), abs_tol=1e-12)
    assert pe.abs().max() <= 1
    gram = pe @ pe.T  # PE[p] . PE[q] depends only on q - p
    for k in (1, 7, 20):
        diagonal = torch.diagonal(gram, offset=k)
        torch.testing.assert_close(diagonal, torch.full_like(diagonal, diagonal[0].item()))
    with pytest.raises(ValueError, match="even"):
        sinusoidal_positional_encoding(4, 7)


def test_rope_scores_depend_only_on_relative_position():
    torch.manual_seed(4)
    q, k = rand(1, 16), rand(1, 16)

    def score(m, n):
        return (rope(q, torch.tensor([m])) * rope(k, torch.tensor([n]))).sum().item()

    for shift in (1, 13, 500):
        assert math.isclose(score(3, 1), score(3 + shift, 1 + shift), rel_tol=1e-9)
    # rotations keep lengths
    torch.testing.assert_close(rope(q, torch.tensor([42])).norm(), q.norm())


def test_decoder_block_shapes_params_and_causality():
    torch.manual_seed(5)
    for d_model, n_heads in [(32, 2), (64, 4)]:
        block = DecoderBlock(d_model, n_heads).eval()
        assert sum(p.numel() for p in block.parameters()) == block_param_count(d_model)
        x = torch.randn(3, 10, d_model)
        y = block(x)
        assert y.shape == x.shape
        x2 = x.clone()
        x2[:, 6:] = torch.randn(3, 4, d_model)
        torch.testing.assert_close(block(x2)[:, :6], y[:, :6])


def test_decoder_block_is_pre_ln_residual():
    """With zero output projections, both residual branches add nothing: the block is the identity."""
    block = DecoderBlock(16, 2)
    with torch.no_grad():
        for layer in (block.attn.out_proj, block.mlp[2]):
            layer.weight.zero_()
            layer.bias.zero_()
    x = torch.randn(2, 5, 16)
    torch.testing.assert_close(block(x), x)


def cache_tensor_bytes(n_layers, n_kv_heads, d_head, seq_len, batch) -> int:
    """The bytes of a real fp16 cache layout: per layer a key and a value tensor (B, n_kv_heads, T, d_head), as
    PyTorch attention takes them; on the meta device, so nothing is allocated."""
    tensors = [torch.empty(batch, n_kv_heads, seq_len, d_head, dtype=torch.float16, device="meta") for _ in range(2 * n_layers)]
    return sum(t.numel() * t.element_size() for t in tensors)


def test_kv_cache_worked_examples():
    # Llama 2 7B: 32 layers, 32 KV heads, d_head 128, 4096 tokens, fp16 -> 2 GiB; 512 KiB per token.
    for args, page in [((32, 32, 128, 4096, 1), 2 * 2**30), ((32, 32, 128, 1, 1), 512 * 2**10), ((32, 32, 128, 4096, 8), 16 * 2**30),
                       ((32, 8, 128, 4096, 1), 512 * 2**20)]:  # the exercise: 8 KV heads (grouped-query attention)
        assert kv_cache_bytes(*args, 2) == cache_tensor_bytes(*args) == page
    for bad in [dict(n_layers=0), dict(seq_len=-1), dict(batch=1.5), dict(bytes_per_element=True)]:
        args = dict(n_layers=32, n_kv_heads=32, d_head=128, seq_len=4096, batch=1, bytes_per_element=2)
        args.update(bad)
        with pytest.raises(ValueError, match="must be a positive integer"):
            kv_cache_bytes(**args)


def decode_one_token_at_a_time_matches_full_pass(layers, x) -> int:
    """Decode x token by token through the layers with their caches; assert it equals one full pass.
    Returns the bytes the caches hold at the end."""
    full = x
    for layer in layers:
        full = layer(full)
    caches = [{} for _ in layers]
    outs = []
    for t in range(x.shape[1]):
        h = x[:, t : t + 1]
        for layer, cache in zip(layers, caches):
            h = layer(h, cache)
        outs.append(h)
    torch.testing.assert_close(torch.cat(outs, 1), full)
    return sum(t.numel() * t.element_size() for c in caches for t in c.values())


def test_cached_decoding_matches_full_pass_and_formula():
    torch.manual_seed(6)
    n_layers, d_model, n_heads, B, T = 2, 24, 3, 3, 9
    layers = [CachedSelfAttention(d_model, n_heads).double() for _ in range(n_layers)]
    x = rand(B, T, d_model)
    cached = decode_one_token_at_a_time_matches_full_pass(layers, x)
    assert cached == kv_cache_bytes(n_layers, n_heads, d_model // n_heads, T, B, bytes_per_element=8)


class GroupedQueryAttention(nn.Module):
    """Grouped-query attention written here for the test: n_heads query heads share n_kv_heads key/value heads,
    and the cache holds only the n_kv_heads."""

    def __init__(self, d_model: int, n_heads: int, n_kv_heads: int):
        super().__init__()
        self.h, self.h_kv, self.d_head = n_heads, n_kv_heads, d_model // n_heads
        self.q = nn.Linear(d_model, d_model, bias=False)
        self.kv = nn.Linear(d_model, 2 * n_kv_heads * self.d_head, bias=False)
        self.out = nn.Linear(d_model, d_model, bias=False)

    def forward(self, x, cache=None):
        B, T, _ = x.shape
        q = self.q(x).view(B, T, self.h, self.d_head).transpose(1, 2)
        k, v = self.kv(x).view(B, T, 2, self.h_kv, self.d_head).permute(2, 0, 3, 1, 4)
        if cache is not None:
            cache["k"] = k if "k" not in cache else torch.cat([cache["k"], k], dim=2)
            cache["v"] = v if "v" not in cache else torch.cat([cache["v"], v], dim=2)
            k, v = cache["k"], cache["v"]
        group = self.h // self.h_kv  # each key/value head serves `group` query heads
        k, v = k.repeat_interleave(group, dim=1), v.repeat_interleave(group, dim=1)
        y = attention_reference(q, k, v, causal=cache is None)
        return self.out(y.transpose(1, 2).reshape(B, T, -1))


def attention_reference(q, k, v, causal):
    scores = q @ k.transpose(-2, -1) / math.sqrt(q.shape[-1])
    if causal:
        T = q.shape[-2]
        scores = scores.masked_fill(torch.ones(T, T, dtype=torch.bool).triu(1), float("-inf"))
    return scores.softmax(-1) @ v


def test_gqa_cache_with_fewer_kv_heads_matches_full_pass_and_formula():
    """n_kv_heads = 2 < n_heads = 6: cached decoding equals the full causal pass, the full pass equals PyTorch's
    own grouped-query attention (scaled_dot_product_attention with enable_gqa), and the cache is n_heads/n_kv_heads
    = 3 times smaller than a multi-head cache, as kv_cache_bytes says."""
    torch.manual_seed(7)
    n_layers, d_model, n_heads, n_kv, B, T = 2, 24, 6, 2, 2, 7
    layers = [GroupedQueryAttention(d_model, n_heads, n_kv).double() for _ in range(n_layers)]
    x = rand(B, T, d_model)
    layer = layers[0]
    q = layer.q(x).view(B, T, n_heads, 4).transpose(1, 2)
    k, v = layer.kv(x).view(B, T, 2, n_kv, 4).permute(2, 0, 3, 1, 4)
    torch_gqa = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    torch.testing.assert_close(layer(x), layer.out(torch_gqa.transpose(1, 2).reshape(B, T, -1)))
    cached = decode_one_token_at_a_time_matches_full_pass(layers, x)
    assert cached == kv_cache_bytes(n_layers, n_kv, d_model // n_heads, T, B, bytes_per_element=8)
    assert kv_cache_bytes(n_layers, n_heads, d_model // n_heads, T, B, bytes_per_element=8) == 3 * cached


def test_softmax_saturation_exercise():
    for s, weight, slope in [(1.0, 0.731, 0.197), (8.0, 0.99966, 0.0003)]:
        p = torch.softmax(torch.tensor([s, 0.0], dtype=torch.float64), dim=0)[0]
        assert p.item() == pytest.approx(1 / (1 + math.exp(-s)))
        assert p.item() == pytest.approx(weight, abs=5e-4 if s == 1 else 5e-6)
        x = torch.tensor([s, 0.0], dtype=torch.float64, requires_grad=True)
        torch.softmax(x, dim=0)[0].backward()  # d p / d s = p (1 - p)
        assert x.grad[0].item() == pytest.approx((p * (1 - p)).item())
        assert x.grad[0].item() == pytest.approx(slope, abs=5e-4 if s == 1 else 5e-5)
