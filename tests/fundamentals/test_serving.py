"""Checks for docs/fundamentals/serving.*.md: the roofline, the paged KV cache, decoding filters, speculative
decoding, weight-only quantization, and the serving cost calculators.

Independent references: PyTorch's FLOP counter and real tensor sizes for arithmetic intensity,
scaled_dot_product_attention for the paged cache, a Monte Carlo run of the accept/reject loop for the
speculative-decoding formula, torch.fake_quantize_per_channel_affine for quantization, and the financing
part's float calculator plus hand cases for the cost calculators."""
import math
import random
import re
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
import torch
import torch.nn.functional as F
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from financing.inference_unit_economics import self_hosted_cost_per_m_tokens
from financing.rent_vs_buy_gpu import HOURS_PER_MONTH
from fundamentals.paged_kv_cache import BLOCK, gather, reserved_slots_contiguous, reserved_slots_paged
from fundamentals.roofline import attainable_flops_per_s, decode_step_seconds, matmul_intensity
from fundamentals.sampling import next_token_probs
from fundamentals.serving_cost import (EXAMPLE, breakeven_tokens_per_month, comparison_rows,
                                       cost_per_million_tokens, gpus_needed, monthly_costs)
from fundamentals.speculative_decoding import (acceptance_rate, expected_tokens_per_step, verify,
                                               walltime_speedup)
from fundamentals.weight_quantization import dequantize, quantize, quantized_copy, relative_error

DOCS = Path(__file__).resolve().parents[2] / "docs" / "fundamentals"


# --- roofline -------------------------------------------------------------------------------

@pytest.mark.parametrize("batch, d_in, d_out", [(1, 256, 512), (16, 128, 128), (300, 64, 96)])
def test_intensity_matches_flop_counter_and_real_tensor_sizes(batch, d_in, d_out):
    layer = nn.Linear(d_in, d_out, bias=False)  # fp32 on CPU: 4 bytes per number
    x = torch.randn(batch, d_in)
    with FlopCounterMode(display=False) as counter, torch.no_grad():
        y = layer(x)
    moved = sum(t.numel() * t.element_size() for t in (layer.weight, x, y))
    assert matmul_intensity(batch, d_in, d_out, bytes_per_element=4) == pytest.approx(counter.get_total_flops() / moved)


def test_decode_step_hand_case_and_knee():
    # 7e9 params * 2 bytes / 3.35e12 B/s = 4.179 ms; compute catches up at 4.179e-3 * 989e12 / 1.4e10 = 295
    peak, bw = 989e12, 3.35e12
    assert decode_step_seconds(7e9, 1, peak, bw) == pytest.approx(14e9 / 3.35e12)
    assert decode_step_seconds(7e9, 295, peak, bw) == decode_step_seconds(7e9, 1, peak, bw)
    assert decode_step_seconds(7e9, 296, peak, bw) > decode_step_seconds(7e9, 1, peak, bw)
    assert attainable_flops_per_s(1.0, peak, bw) == bw and attainable_flops_per_s(1e4, peak, bw) == peak
    throughput = [b / decode_step_seconds(7e9, b, peak, bw) for b in (1, 2, 64, 295, 600, 5000)]
    assert throughput == sorted(throughput) and max(throughput) <= peak / 1.4e10 * (1 + 1e-12)


# --- paged KV cache ---------------------------------------------------------------------------

@pytest.mark.parametrize("seed", range(5))
def test_paged_cache_wastes_less_than_one_block_per_request(seed):
    rng = random.Random(seed)
    lengths = [rng.randint(1, 2048) for _ in range(rng.randint(1, 30))]
    paged = reserved_slots_paged(lengths)
    assert 0 <= paged - sum(lengths) <= len(lengths) * (BLOCK - 1) and paged % BLOCK == 0
    assert reserved_slots_contiguous(lengths, 2048) >= paged


def test_attention_over_scattered_blocks_equals_softmax_by_hand():
    torch.manual_seed(3)
    h, d, length = 2, 8, 41
    k, v = torch.randn(length, h, d, dtype=torch.float64), torch.randn(length, h, d, dtype=torch.float64)
    table = [7, 2, 11]
    pool_k, pool_v = (torch.full((12, BLOCK, h, d), float("nan"), dtype=torch.float64) for _ in range(2))
    for i, block in enumerate(table):
        n = min(BLOCK, length - i * BLOCK)
        pool_k[block, :n], pool_v[block, :n] = k[i * BLOCK:i * BLOCK + n], v[i * BLOCK:i * BLOCK + n]
    q = torch.randn(h, d, dtype=torch.float64)
    kk, vv = gather(pool_k, table, length), gather(pool_v, table, length)
    weights = torch.softmax(torch.einsum("hd,thd->ht", q, k) / math.sqrt(d), dim=-1)
    expected = torch.einsum("ht,thd->hd", weights, v)
    out = F.scaled_dot_product_attention(q[:, None], kk.transpose(0, 1), vv.transpose(0, 1))[:, 0]
    torch.testing.assert_close(out, expected)


# --- speculative decoding ----------------------------------------------------------------------

@pytest.mark.parametrize("gamma", [1, 3, 5])
def test_expected_tokens_formula_against_monte_carlo_of_the_real_check(gamma):
    """Run the accept/reject check on gamma drafted tokens per step, stop at the first rejection,
    add the target's own token; the mean count must match (1 - a^(g+1)) / (1 - a), a = sum min(p, q)."""
    g = torch.Generator().manual_seed(gamma)
    p = torch.tensor([0.45, 0.25, 0.2, 0.1])
    q = torch.tensor([0.25, 0.25, 0.25, 0.25])
    steps = 40_000
    draft = torch.multinomial(q, steps * gamma, replacement=True, generator=g)
    _, keep = verify(p, q, draft, g)
    keep = keep.view(steps, gamma)
    accepted = keep.int().cumprod(dim=1).sum(dim=1)  # accepted draft tokens before the first rejection
    tokens = accepted + 1  # the target pass always yields one more (the correction or a bonus token)
    alpha = acceptance_rate(p, q)
    assert alpha == pytest.approx(0.8)
    stderr = tokens.float().std().item() / math.sqrt(steps)
    assert abs(tokens.float().mean().item() - expected_tokens_per_step(alpha, gamma)) < 4 * stderr


def test_speculative_formula_hand_cases():
    assert expected_tokens_per_step(0.0, 4) == 1 and expected_tokens_per_step(1.0, 4) == 5
    assert expected_tokens_per_step(0.5, 2) == pytest.approx(1 + 0.5 + 0.25)
    assert walltime_speedup(0.0, 3, 0.1) < 1  # a useless draft only costs time
    with pytest.raises(ValueError, match="alpha"):
        expected_tokens_per_step(1.2, 3)


def test_verified_tokens_follow_the_target_distribution():
    g = torch.Generator().manual_seed(7)
    p = torch.tensor([0.05, 0.6, 0.05, 0.3])
    q = torch.tensor([0.4, 0.1, 0.4, 0.1])
    n = 100_000
    tokens, _ = verify(p, q, torch.multinomial(q, n, replacement=True, generator=g), g)
    freq = torch.bincount(tokens, minlength=4).double() / n
    chi2 = (n * (freq - p.double()) ** 2 / p.double()).sum().item()
    assert chi2 < 16.3  # 99.9% quantile of chi-square with 3 degrees of freedom
    assert (freq - q.double()).abs().max() > 0.2  # and clearly not the draft's distribution


# --- weight-only quantization --------------------------------------------------------------------

def fake_quant_reference(W, bits, group):
    """Dequantized weights from PyTorch's own per-channel fake quantization (round half to even, clamp)."""
    rows, cols = W.shape
    g = cols if group is None else group
    flat = W.reshape(-1, g)
    q_max = 2 ** (bits - 1) - 1
    scale = (flat.abs().amax(dim=1) / q_max).clamp(min=1e-12)
    out = torch.fake_quantize_per_channel_affine(flat, scale, torch.zeros(flat.shape[0], dtype=torch.int32),
                                                 0, -q_max, q_max)
    return out.reshape(rows, cols)


@pytest.mark.parametrize("bits, group", [(8, None), (4, None), (4, 32), (8, 16)])
def test_dequantized_weights_match_pytorch_fake_quantization(bits, group):
    torch.manual_seed(bits * 100 + (group or 0))
    W = torch.randn(48, 64) * torch.rand(48, 1) * 3
    q, scale = quantize(W, bits, group)
    assert q.abs().max() <= 2 ** (bits - 1) - 1
    torch.testing.assert_close(dequantize(q, scale), fake_quant_reference(W, bits, group), rtol=1e-6, atol=1e-6)


def test_int8_beats_int4_on_a_small_model_and_both_are_bounded():
    torch.manual_seed(11)
    model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 32))
    X = torch.randn(512, 64)
    original = [p.detach().clone() for p in model.parameters()]
    err8, err4 = (relative_error(model, quantized_copy(model, b), X) for b in (8, 4))
    assert 0 < err8 < 0.01 and err8 < err4 < 0.2
    # the quantized copy really is the model with reference-dequantized weights
    with torch.no_grad():
        h = F.relu(X @ fake_quant_reference(model[0].weight, 4, None).T + model[0].bias)
        y = h @ fake_quant_reference(model[2].weight, 4, None).T + model[2].bias
        torch.testing.assert_close(quantized_copy(model, 4)(X), y)
    assert all(torch.equal(p, q) for p, q in zip(model.parameters(), original))  # the original is untouched


def test_groups_help_when_a_row_has_outliers():
    """Per-row int4 with a few large weights in each row wastes its levels on them; groups of 64 keep
    a fine scale for the groups without outliers (the reason 4-bit methods use small groups)."""
    torch.manual_seed(13)
    W = torch.randn(64, 512)
    W[:, ::128] *= 25  # one outlier per 128 weights in every row
    err = {g: ((dequantize(*quantize(W, 4, g)) - W).norm() / W.norm()).item() for g in (None, 64)}
    plain = torch.randn(64, 512)
    err_plain = {g: ((dequantize(*quantize(plain, 4, g)) - plain).norm() / plain.norm()).item() for g in (None, 64)}
    assert err[64] < 0.6 * err[None]
    assert (round(err[None], 2), round(err[64], 2)) == (0.37, 0.20)  # the numbers on the page
    assert err_plain[64] < err_plain[None]  # on Gaussian weights groups still help a little


def test_quantize_rejects_bad_settings():
    with pytest.raises(ValueError, match="bits must be 4 or 8"):
        quantize(torch.ones(2, 4), 3)
    with pytest.raises(ValueError, match="does not divide"):
        quantize(torch.ones(2, 10), 4, group_size=4)


# --- cost calculators ----------------------------------------------------------------------------

def test_cost_per_million_matches_the_financing_calculator_and_a_hand_case():
    # $2.50 / (3600 s * 2000 tok/s * 0.5) * 1e6 = 2.5 / 3.6 = $0.6944 = 25/36 exactly
    assert cost_per_million_tokens(Fraction(5, 2), 2_000, Fraction(1, 2)) == Fraction(25, 36)
    assert cost_per_million_tokens(2.5, 2000, 0.5) == Fraction(25, 36)
    assert cost_per_million_tokens(Decimal("3.99"), 1_000, 1) == Fraction(399, 360)
    rng = random.Random(0)
    for _ in range(50):
        price, tps, u = rng.uniform(0.5, 10), rng.uniform(10, 5_000), rng.uniform(0.05, 1)
        assert float(cost_per_million_tokens(price, tps, u)) == pytest.approx(
            self_hosted_cost_per_m_tokens(price, tps, u), rel=1e-12)


def test_break_even_volume_equals_the_two_bills():
    volume = breakeven_tokens_per_month(**EXAMPLE)
    assert f"{float(volume) / 1e9:.1f}" == "32.7"
    assert volume == Fraction(10_000 * 10**6) / (1 - Fraction(25, 36))  # F / (p_api - c_self)
    # at that volume, fractional GPUs cost exactly the API bill minus nothing
    gpu_hours_needed = volume / (2_000 * 3600 * Fraction(1, 2))
    assert gpu_hours_needed * Fraction(5, 2) + 10_000 == volume / 10**6
    with pytest.raises(ValueError, match="never breaks even"):
        breakeven_tokens_per_month(0.5, 2.5, 2_000, 0.5, 10_000)


def test_worked_example_numbers_in_both_languages():
    en, zh = ((DOCS / f"serving.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "zh"))
    per_m = cost_per_million_tokens(EXAMPLE["gpu_price_per_hour"], EXAMPLE["tokens_per_second"], EXAMPLE["utilization"])
    volume = float(breakeven_tokens_per_month(**EXAMPLE))
    assert f"USD {float(per_m):.4f}" in en and f"{float(per_m):.4f} 美元" in zh
    assert f"{volume / 1e9:.1f} billion tokens a month" in en and f"{volume / 1e8:.0f} 亿词元" in zh


def test_monthly_costs_hand_cases():
    # 10B tokens; one GPU serves 2000 * 3600 * 730 * 0.5 = 2.628B a month, so 4 GPUs
    api, gpus, own = monthly_costs(10**10, **EXAMPLE)
    assert (api, gpus, own) == (10_000, 4, 4 * Fraction(5, 2) * 730 + 10_000)
    assert HOURS_PER_MONTH == 730
    assert gpus_needed(0, 2_000, 0.5) == 1 and gpus_needed(2_628_000_000, 2_000, 0.5) == 1
    assert gpus_needed(2_628_000_001, 2_000, 0.5) == 2


def page_table(lang):
    text = (DOCS / f"serving.{lang}.md").read_text(encoding="utf-8")
    rows = [[c.strip() for c in line.strip().strip("|").split("|")] for line in text.splitlines()
            if line.startswith("|") and not line.startswith("|---")]
    return [r for r in rows if len(r) == 5 and re.fullmatch(r"[\d.]+", r[0])]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_break_even_table_on_the_page_is_what_the_calculator_prints(lang):
    expected = [[*row[:4], {"zh": {"API": "API", "self-host": "自建"}, "en": {}}[lang].get(row[4], row[4])]
                for row in comparison_rows()]
    assert page_table(lang) == expected


BAD = [(-1, "must be non-negative"), (float("nan"), "must be a finite number"), (float("inf"), "must be a finite"),
       (Decimal("NaN"), "must be a finite"), (Decimal("sNaN"), "must be a finite"), (Decimal("-Infinity"), "must be a finite"),
       (True, "must be a number"), ("2.5", "must be a number"),
       (None, "must be a number")]


@pytest.mark.parametrize("value, message", BAD)
def test_bad_money_is_refused_with_a_clear_message(value, message):
    with pytest.raises(ValueError, match=f"GPU price per hour {message}"):
        cost_per_million_tokens(value, 1_000, 0.5)
    with pytest.raises(ValueError, match=f"API price per million tokens {message}"):
        monthly_costs(10**9, value, 2.5, 2_000, 0.5)


@pytest.mark.parametrize("value, message", [(0, "positive"), (-5, "positive"), (float("-inf"), "a finite number"),
                                            (False, "a number")])
def test_bad_throughput_is_refused(value, message):
    with pytest.raises(ValueError, match=f"tokens per second must be {message}"):
        cost_per_million_tokens(2.5, value, 0.5)


@pytest.mark.parametrize("value", [0, 50, 1.01, -0.2])
def test_utilization_must_be_a_share(value):
    with pytest.raises(ValueError, match="utilization must be"):
        gpus_needed(10**9, 2_000, value)


# --- the chapter's text and exercises ------------------------------------------------------------

def test_numbers_quoted_in_the_text():
    assert f"{989e12 / 3.35e12:.0f}" == "295"
    assert (round(expected_tokens_per_step(0.8, 5), 2), round(walltime_speedup(0.8, 5, 0.05), 2)) == (3.69, 2.95)
    torch.manual_seed(0)  # the snippet's model and inputs: int8 well under 1%, int4 about 11%
    model = nn.Sequential(nn.Linear(256, 512), nn.GELU(), nn.Linear(512, 512), nn.GELU(), nn.Linear(512, 64))
    X = torch.randn(1_024, 256)
    assert relative_error(model, quantized_copy(model, 8), X) < 0.01
    assert round(relative_error(model, quantized_copy(model, 4), X), 2) == 0.11
    kv = 1_000 * 512 * 2**10
    one = decode_step_seconds(7e9, 64, 989e12, 3.35e12)
    assert decode_step_seconds(7e9, 64, 989e12, 3.35e12, kv_bytes_per_sequence=kv) > 3 * one


def test_exercises():
    a100 = 312e12, 2.039e12
    assert round(a100[0] / a100[1]) == 153
    step = decode_step_seconds(7e9, 1, *a100)
    assert f"{step * 1e3:.2f}" == "6.87" and round(1 / step) == 146
    assert decode_step_seconds(7e9, 152, *a100) == step < decode_step_seconds(7e9, 154, *a100)
    assert f"{expected_tokens_per_step(0.7, 4):.2f}" == "2.77" and f"{walltime_speedup(0.7, 4, 0.1):.2f}" == "1.98"
    assert f"{float(cost_per_million_tokens(2, 1_500, 0.3)):.2f}" == "1.23"
    threshold = 2e6 / (3600 * 1500 * 0.4)
    assert f"{threshold:.2f}" == "0.93" and cost_per_million_tokens(2, 1_500, 0.92) > Fraction(2, 5) > \
        cost_per_million_tokens(2, 1_500, 0.93)
    lengths = [100, 700, 1_500]
    assert (reserved_slots_contiguous(lengths, 2048), reserved_slots_paged(lengths)) == (6_144, 2_320)


# --- decoding --------------------------------------------------------------------------------------


def test_temperature_is_softmax_of_scaled_logits_and_tends_to_argmax():
    torch.manual_seed(0)
    logits = torch.randn(50, dtype=torch.float64)
    for t in (0.3, 1.0, 2.5):
        torch.testing.assert_close(next_token_probs(logits, temperature=t), F.softmax(logits / t, dim=-1))
    assert next_token_probs(logits, temperature=1e-3)[logits.argmax()] > 0.999
    with pytest.raises(ValueError, match="temperature must be positive"):
        next_token_probs(logits, temperature=0)


@pytest.mark.parametrize("seed", range(5))
def test_top_k_and_top_p_keep_the_sets_found_by_hand(seed):
    torch.manual_seed(seed)
    logits = torch.randn(30, dtype=torch.float64) * 2
    p = F.softmax(logits, dim=-1).tolist()
    kept = set(torch.nonzero(next_token_probs(logits, top_k=7)).flatten().tolist())
    assert kept == set(sorted(range(30), key=lambda i: -p[i])[:7])
    for top_p in (0.5, 0.9, 0.99):
        nucleus, mass = set(), 0.0  # add tokens from the most likely until their mass reaches top_p
        for i in sorted(range(30), key=lambda i: -p[i]):
            nucleus.add(i)
            mass += p[i]
            if mass >= top_p:
                break
        probs = next_token_probs(logits, top_p=top_p)
        assert set(torch.nonzero(probs).flatten().tolist()) == nucleus
        assert probs.sum().item() == pytest.approx(1)


def test_constrained_sampling_never_leaves_the_grammar_and_is_the_conditional_distribution():
    g = torch.Generator().manual_seed(3)
    logits = torch.randn(12, generator=g)
    allowed = torch.zeros(12, dtype=torch.bool)
    allowed[[2, 5, 9]] = True
    probs = next_token_probs(logits, allowed=allowed)
    draws = torch.multinomial(probs, 20_000, replacement=True, generator=g)
    assert allowed[draws].all()
    p = F.softmax(logits, dim=-1)
    freq = torch.bincount(draws, minlength=12).float() / 20_000
    assert (freq[allowed] - p[allowed] / p[allowed].sum()).abs().max() < 0.01
