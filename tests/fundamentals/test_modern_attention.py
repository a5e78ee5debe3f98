"""Checks for docs/fundamentals/modern-attention.*.md: GQA/MQA, the KV cache, MLA, windows, tiles, MoE."""
import pytest
import torch
import torch.nn.functional as F
from torch.utils.flop_counter import FlopCounterMode

from fundamentals.grouped_query_attention import MODELS, GroupedQueryAttention, kv_bytes_per_token
from fundamentals.kv_cache_memory import kv_cache_bytes
from fundamentals.latent_attention import LatentAttention
from fundamentals.moe_layer import MoE, moe_params
from fundamentals.sliding_window_and_tiles import sliding_window_mask, tiled_attention


def reference_heads(attn, x):
    """q, k, v split into heads straight from the module's weight matrices, without its forward()."""
    B, T, d = x.shape
    q = (x @ attn.q.weight.T).view(B, T, attn.h, attn.d_head).transpose(1, 2)
    kv = x @ attn.kv.weight.T
    k, v = (t.reshape(B, T, attn.h_kv, attn.d_head).transpose(1, 2) for t in kv.split(kv.shape[-1] // 2, -1))
    return q, k, v


@pytest.mark.parametrize("n_heads, n_kv", [(8, 8), (8, 2), (8, 1), (6, 3)])  # MHA, GQA, MQA, GQA
def test_gqa_matches_sdpa_with_repeated_heads_and_enable_gqa(n_heads, n_kv):
    torch.manual_seed(n_heads * 10 + n_kv)
    d_model = 48
    attn = GroupedQueryAttention(d_model, n_heads, n_kv).double()
    x = torch.randn(3, 9, d_model, dtype=torch.float64)
    q, k, v = reference_heads(attn, x)
    group = n_heads // n_kv
    repeated = F.scaled_dot_product_attention(q, k.repeat_interleave(group, 1), v.repeat_interleave(group, 1),
                                              is_causal=True)
    grouped = F.scaled_dot_product_attention(q, k, v, is_causal=True, enable_gqa=True)
    torch.testing.assert_close(repeated, grouped)
    expected = repeated.transpose(1, 2).reshape(3, 9, d_model) @ attn.out.weight.T
    torch.testing.assert_close(attn(x), expected)
    d_head = d_model // n_heads
    assert sum(p.numel() for p in attn.parameters()) == 2 * d_model**2 + 2 * n_kv * d_head * d_model
    with pytest.raises(ValueError, match="need n_kv_heads"):
        GroupedQueryAttention(48, 8, 3)


@pytest.mark.parametrize("n_kv, dtype", [(2, torch.float32), (1, torch.bfloat16), (4, torch.float64)])
def test_gqa_cache_bytes_match_the_kv_cache_formula(n_kv, dtype):
    torch.manual_seed(7)
    n_layers, B, T, d_model, n_heads = 3, 2, 5, 32, 4
    layers = [GroupedQueryAttention(d_model, n_heads, n_kv).to(dtype) for _ in range(n_layers)]
    caches = [{} for _ in layers]
    x = torch.randn(B, T, d_model, dtype=dtype)
    outs = []
    for t in range(T):
        h = x[:, t : t + 1]
        for layer, cache in zip(layers, caches):
            h = h + layer(h, cache)
        outs.append(h)
    h = x
    for layer in layers:
        h = h + layer(h)
    tol = dict(atol=2e-2, rtol=2e-2) if dtype == torch.bfloat16 else {}
    torch.testing.assert_close(torch.cat(outs, 1), h, **tol)
    real = sum(t.numel() * t.element_size() for c in caches for t in c.values())
    size = torch.finfo(dtype).bits // 8
    assert real == kv_cache_bytes(n_layers, n_kv, d_model // n_heads, T, B, bytes_per_element=size)
    assert real == T * B * kv_bytes_per_token(n_layers, 2 * n_kv * (d_model // n_heads), size)


def test_kv_bytes_per_token_of_real_models():
    # configs: layers, KV heads, head dim (Llama); layers, kv_lora_rank, qk_rope_head_dim (DeepSeek-V3)
    assert kv_cache_bytes(32, 32, 128, 1, 1, 2) == 524_288  # Llama 2 7B: 512 KiB
    assert kv_cache_bytes(32, 8, 128, 1, 1, 2) == 131_072  # Llama 3.1 8B: 128 KiB
    assert 61 * (512 + 64) * 2 == 70_272  # DeepSeek-V3 MLA: 68.6 KiB
    assert 61 * 128 * ((128 + 64) + 128) * 2 == 4_997_120  # its full per-head K (192) and V (128): 4.77 MiB
    got = [kv_bytes_per_token(layers, per_layer) for layers, per_layer in MODELS.values()]
    assert got == [524_288, 131_072, 70_272, 4_997_120]
    assert round(4_997_120 / 70_272) == 71 and 524_288 // 131_072 == 4


def test_latent_attention_decodes_from_its_latent_cache():
    torch.manual_seed(8)
    B, T, d_model, n_heads, d_latent = 2, 7, 48, 6, 12
    mla = LatentAttention(d_model, n_heads, d_latent).double()
    x = torch.randn(B, T, d_model, dtype=torch.float64)
    cache = {}
    steps = torch.cat([mla(x[:, t : t + 1], cache) for t in range(T)], dim=1)
    torch.testing.assert_close(steps, mla(x))
    assert cache.keys() == {"c"} and cache["c"].numel() * cache["c"].element_size() == B * T * d_latent * 8
    # keys are a rank-d_latent function of the latent: the whole (T, d_model) key matrix has rank <= d_latent
    keys = mla.up_k(cache["c"][0])
    assert torch.linalg.matrix_rank(keys) <= d_latent


def test_mla_absorbed_up_projections_attend_in_latent_space():
    """The page's identity q^T (W^UK c) = (W^UK^T q)^T c: fold W^UK into the query and W^UV into the output,
    attend over the cached latents only, and get the module's output without ever forming keys or values."""
    torch.manual_seed(12)
    B, T, d_model, n_heads, d_latent = 2, 6, 32, 4, 8
    mla = LatentAttention(d_model, n_heads, d_latent).double()
    x = torch.randn(B, T, d_model, dtype=torch.float64)
    d_head = d_model // n_heads
    c = x @ mla.down.weight.T  # (B, T, d_c): all that is cached
    q = (x @ mla.q.weight.T).view(B, T, n_heads, d_head)
    W_uk = mla.up_k.weight.view(n_heads, d_head, d_latent)  # rows of head h: its slice of W^UK
    W_uv = mla.up_v.weight.view(n_heads, d_head, d_latent)
    q_latent = torch.einsum("bthe,hec->bhtc", q, W_uk)  # W^UK_h^T q, one d_c-vector per head and token
    scores = q_latent @ c.unsqueeze(1).transpose(-2, -1) / d_head**0.5  # (B, h, T, T) against latents
    causal = torch.ones(T, T, dtype=torch.bool).tril()
    weights = torch.softmax(scores.masked_fill(~causal, float("-inf")), dim=-1)
    mixed = weights @ c.unsqueeze(1)  # (B, h, T, d_c): a weighted sum of latents
    heads = torch.einsum("bhtc,hec->bthe", mixed, W_uv).reshape(B, T, d_model)  # W^UV_h applied once
    torch.testing.assert_close(heads @ mla.out.weight.T, mla(x))


@pytest.mark.parametrize("T, window", [(12, 3), (9, 1), (16, 5)])
def test_sliding_window_mask_matches_a_loop(T, window):
    torch.manual_seed(T + window)
    q, k, v = (torch.randn(1, 2, T, 8, dtype=torch.float64) for _ in range(3))
    ours = F.scaled_dot_product_attention(q, k, v, attn_mask=sliding_window_mask(T, window))
    for i in range(T):
        lo = max(0, i - window + 1)
        w = torch.softmax(q[..., i : i + 1, :] @ k[..., lo : i + 1, :].transpose(-2, -1) / 8**0.5, dim=-1)
        torch.testing.assert_close(ours[..., i : i + 1, :], w @ v[..., lo : i + 1, :])
    assert sliding_window_mask(T, window).sum().item() == sum(min(i + 1, window) for i in range(T))


def test_rolling_buffer_cache_of_w_slots_reproduces_sliding_window_attention():
    """Mistral's rolling buffer: token t's key and value overwrite slot t mod W, so the cache never holds
    more than W positions (T / W times less than a full cache: 8x at T = 32k, W = 4k), yet decoding from it
    gives exactly the sliding-window mask's output."""
    torch.manual_seed(14)
    T, W, h, d = 20, 5, 2, 8
    q, k, v = (torch.randn(1, h, T, d, dtype=torch.float64) for _ in range(3))
    expected = F.scaled_dot_product_attention(q, k, v, attn_mask=sliding_window_mask(T, W))
    buf_k, buf_v = torch.zeros(1, h, W, d, dtype=torch.float64), torch.zeros(1, h, W, d, dtype=torch.float64)
    for t in range(T):
        buf_k[:, :, t % W], buf_v[:, :, t % W] = k[:, :, t], v[:, :, t]
        filled = min(t + 1, W)  # attention does not care in which order the slots hold the keys
        out = F.scaled_dot_product_attention(q[:, :, t : t + 1], buf_k[:, :, :filled], buf_v[:, :, :filled])
        torch.testing.assert_close(out, expected[:, :, t : t + 1])
    assert buf_k.shape[2] == W and 32_768 // 4096 == 8


@pytest.mark.parametrize("L, S, block", [(13, 13, 4), (5, 17, 3), (16, 16, 16)])
def test_tiled_attention_matches_sdpa_even_with_large_scores(L, S, block):
    torch.manual_seed(L * S)
    q, k, v = torch.randn(2, L, 16) * 30, torch.randn(2, S, 16), torch.randn(2, S, 16)  # scores in the hundreds
    torch.testing.assert_close(tiled_attention(q, k, v, block), F.scaled_dot_product_attention(q, k, v),
                               atol=1e-4, rtol=1e-4)


@pytest.mark.parametrize("d, h, E, k", [(16, 32, 4, 1), (32, 64, 8, 2), (24, 40, 6, 6)])
def test_moe_parameter_and_flop_counts(d, h, E, k):
    torch.manual_seed(d + E)
    moe = MoE(d, h, E, k)
    total, active = moe_params(d, h, E, k)
    assert total == sum(p.numel() for p in moe.parameters())
    assert active == sum(p.numel() for p in moe.router.parameters()) + k * sum(
        p.numel() for p in moe.experts[0].parameters())
    T = 64
    x = torch.randn(T, d, requires_grad=True)  # as inside a network: the input needs a gradient too
    with FlopCounterMode(display=False) as forward:
        y, aux = moe(x)
    assert forward.get_total_flops() == 2 * T * active  # each token: router + its k experts, 2 FLOPs per MAC
    with FlopCounterMode(display=False) as backward:
        (y.pow(2).sum() + aux).backward()
    assert forward.get_total_flops() + backward.get_total_flops() == 6 * T * active  # C = 6 N_active D


def test_moe_output_equals_dense_mixture_of_the_chosen_experts():
    torch.manual_seed(9)
    moe = MoE(16, 32, 5, 2).double()
    x = torch.randn(40, 16, dtype=torch.float64)
    y, _ = moe(x)
    probs = torch.softmax(x @ moe.router.weight.T, dim=-1)
    top = probs.topk(2, dim=-1)
    gate = torch.zeros_like(probs).scatter(1, top.indices, top.values / top.values.sum(-1, keepdim=True))
    every_expert = torch.stack([e(x) for e in moe.experts], dim=1)  # (tokens, experts, d): all, not routed
    torch.testing.assert_close(y, (gate.unsqueeze(-1) * every_expert).sum(1))


def test_load_balancing_loss_is_one_when_balanced_and_n_experts_when_collapsed():
    moe = MoE(8, 16, 4, 1)
    x = torch.randn(100, 8)
    with torch.no_grad():
        moe.router.weight.zero_()  # uniform probabilities: P_i = 1/E, and sum_i f_i = 1
    assert moe(x)[1].item() == pytest.approx(1.0)
    with torch.no_grad():
        moe.router.weight.zero_()
        moe.router.weight[0] = 1000 * x.mean(0).sign()  # every token prefers expert 0 with probability ~1
    xs = x.abs() * x.mean(0).sign()  # inputs aligned with that direction
    assert moe(xs)[1].item() == pytest.approx(4.0, rel=1e-3)
    with pytest.raises(ValueError, match="top_k must be in"):
        MoE(8, 16, 4, 5)


def test_deepseek_v3_worked_example_on_both_pages():
    """6 N D from the report's 671B / 37B / 14.8T, formatted as the pages print it, in both languages."""
    from pathlib import Path

    N_total, N_active, D = 671e9, 37e9, 14.8e12

    def latex(x):  # 3.29e+24 -> "3.29 \\times 10^{24}", as the pages write it
        mantissa, exponent = f"{x:.2e}".split("e")
        return f"{mantissa} \\times 10^{{{int(exponent)}}}"

    docs = Path(__file__).resolve().parents[2] / "docs" / "fundamentals"
    for lang in ("en", "zh"):
        page = (docs / f"modern-attention.{lang}.md").read_text(encoding="utf-8")
        assert f"\\approx {latex(6 * N_active * D)} \\ \\text{{FLOPs}}" in page
        assert f"${latex(6 * N_total * D)}$" in page
        assert (f"{N_total / N_active:.0f} times less" in page) or (f"是它的 {N_total / N_active:.0f} 倍" in page)
    # the FlopCounterMode test above is what ties 6 N_active per token to a real MoE layer
    assert (N_total / 1e9, 2 * N_total / 1e9) == (671, 1342)  # GB of weights in FP8 and BF16


def test_exercise_answers():
    per_token = kv_cache_bytes(80, 8, 128, 1, 1, 2)
    assert per_token == 327_680 == 320 * 2**10
    assert kv_cache_bytes(80, 64, 128, 1, 1, 2) == 8 * per_token == int(2.5 * 2**20)
    assert kv_cache_bytes(80, 8, 128, 32_768, 1, 2) == 10 * 2**30
    assert kv_cache_bytes(80, 64, 128, 32_768, 1, 2) == 80 * 2**30
    assert (61 * 576, 32 * 2048, round(32 * 2048 / (61 * 576), 2)) == (35_136, 65_536, 1.87)
    total, active = moe_params(4096, 1024, 64, 4)
    assert (total, active) == (537_133_056, 33_816_576) and round(100 * active / total, 1) == 6.3
    f, P = torch.tensor([1.0, 0, 0, 0]), torch.tensor([0.7, 0.1, 0.1, 0.1])
    assert (4 * (f * P).sum()).item() == pytest.approx(2.8)


def test_rope_scaling_angles_agree_with_the_transformer_chapters_rope():
    import math

    from fundamentals.positional_encoding import rope
    from fundamentals.rope_scaling import rope_angles

    torch.manual_seed(10)
    d, scale = 16, 0.25
    x = torch.randn(5, d, dtype=torch.float64)
    positions = torch.tensor([0, 3, 100, 8191, 32767])
    angles = rope_angles(positions, d, scale=scale)
    pairs = torch.complex(x[:, 0::2], x[:, 1::2]) * torch.polar(torch.ones_like(angles), angles)
    ours = torch.stack([pairs.real, pairs.imag], dim=-1).flatten(-2)
    torch.testing.assert_close(ours, rope(x, positions * scale))  # PI = RoPE at scaled positions
    # interpolated scores still depend only on the distance between positions
    q, k = torch.randn(1, d, dtype=torch.float64), torch.randn(1, d, dtype=torch.float64)
    score = lambda m, n: (rope(q, torch.tensor([m * scale])) * rope(k, torch.tensor([n * scale]))).sum()  # noqa: E731
    torch.testing.assert_close(score(20000, 19990), score(10, 0))
    # the slowest pair of a 128-dim head returns to its start after 2*pi / omega positions
    for base, period in [(10_000, 54_410), (500_000, 2_559_196)]:
        exact = 2 * math.pi * base ** ((128 - 2) / 128)
        assert round(exact) == period
        v = torch.zeros(1, 128, dtype=torch.float64)
        v[0, 126] = 1.0
        back = rope(v, torch.tensor([exact]), base=base)
        torch.testing.assert_close(back, v, atol=1e-6, rtol=0)
    assert 8192 / 54_410 < 1 / 6
