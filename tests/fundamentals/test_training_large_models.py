"""Checks for docs/fundamentals/training-large-models.*.md: parameters, FLOPs, memory, scaling, LoRA, inference."""
import math

import pytest
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode

from fundamentals.compute_optimal import A100_BF16, compute_optimal, gpu_hours, model_flops_utilization
from fundamentals.inference_cost import inference_flops_per_token, max_decode_tokens_per_s, weight_bytes
from fundamentals.lora_linear import LoRALinear, lora_param_count
from fundamentals.training_flops import matmul_params, training_flops
from fundamentals.training_memory import BYTES_PER_PARAM, training_state_bytes
from fundamentals.transformer_param_count import TinyGPT, approx_param_count, decoder_param_count


@pytest.mark.parametrize("n_layers, d_model, n_heads, vocab, ctx", [(1, 32, 2, 10, 8), (3, 96, 6, 300, 64)])
def test_param_formula_matches_real_module(n_layers, d_model, n_heads, vocab, ctx):
    model = TinyGPT(n_layers, d_model, n_heads, vocab, ctx)
    assert sum(p.numel() for p in model.parameters()) == decoder_param_count(n_layers, d_model, vocab, ctx)
    blocks = sum(p.numel() for p in model.blocks.parameters())
    assert blocks == n_layers * (12 * d_model**2 + 13 * d_model)
    assert blocks / approx_param_count(n_layers, d_model) == pytest.approx(1 + 13 / (12 * d_model))


def test_gpt3_parameter_count_worked_example():
    assert approx_param_count(96, 12288) == 173_946_175_488
    total = decoder_param_count(96, 12288, 50257, 2048)
    assert round(total / 1e9, 1) == 174.6
    assert abs(total - 175e9) / 175e9 < 0.01  # within 1% of the published 175B


def test_forward_is_2n_and_training_is_6n_per_token():
    torch.manual_seed(0)
    d, vocab, B, T = 48, 70, 3, 20
    block = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
    model = nn.Sequential(nn.Embedding(vocab, d), nn.TransformerEncoder(block, 3, enable_nested_tensor=False),
                          nn.Linear(d, vocab))
    idx = torch.randint(vocab, (B, T))
    N = matmul_params(model)
    with FlopCounterMode(display=False) as fwd:
        model(idx)
    with FlopCounterMode(display=False) as both:
        model(idx).sum().backward()
    assert fwd.get_total_flops() == 2 * N * B * T
    assert both.get_total_flops() == training_flops(N, B * T)


def test_gpt3_training_compute():
    c = training_flops(175e9, 300e9)
    assert c == pytest.approx(3.15e23, rel=1e-12)
    assert c / 3.14e23 == pytest.approx(1, abs=0.005)  # the paper's Table D.1 reports 3.14e23
    with pytest.raises(ValueError, match="must be positive"):
        training_flops(0, 300e9)


def test_compute_optimal_worked_examples():
    n, d = compute_optimal(1e22)
    assert 6 * n * d == pytest.approx(1e22) and d == pytest.approx(20 * n)
    assert (round(n / 1e9, 1), round(d / 1e9)) == (9.1, 183)
    n, d = compute_optimal(6 * 70e9 * 1.4e12)  # Chinchilla
    assert (n, d) == (pytest.approx(70e9), pytest.approx(1.4e12))
    assert round(gpu_hours(1e22, A100_BF16, 0.40)) == 22_258
    # Exercise: 1,000 A100s for 30 days at 40% MFU.
    budget = 1000 * 30 * 24 * 3600 * A100_BF16 * 0.40
    assert f"{budget:.2e}" == "3.23e+23"
    n, d = compute_optimal(budget)
    assert (round(n / 1e9), round(d / 1e12, 2)) == (52, 1.04)
    # GPT-3 trained on 300B / 175B = 1.7 tokens per parameter; the 20:1 rule would ask for 3.5T.
    assert round(300 / 175, 1) == 1.7 and 20 * 175e9 == 3.5e12


def test_mfu_worked_examples():
    assert round(model_flops_utilization(3000, 7e9, A100_BF16), 3) == 0.404
    # Exercise: Llama 2 7B, 2T tokens in 184,320 A100-hours.
    tokens_per_s = 2e12 / (184_320 * 3600)
    assert round(model_flops_utilization(tokens_per_s, 7e9, A100_BF16), 2) == 0.41


@pytest.mark.parametrize("call", [
    lambda: compute_optimal(-1),
    lambda: compute_optimal(1e22, tokens_per_param=0),
    lambda: gpu_hours(0, A100_BF16, 0.4),
    lambda: model_flops_utilization(0, 7e9, A100_BF16),
])
def test_calculators_reject_non_positive_inputs(call):
    with pytest.raises(ValueError, match="must be positive"):
        call()


def test_gpu_hours_rejects_mfu_outside_unit_interval():
    for mfu in (0, 1.5):
        with pytest.raises(ValueError, match="fraction"):
            gpu_hours(1e22, A100_BF16, mfu)


def test_sixteen_bytes_per_parameter_measured_on_adam():
    torch.manual_seed(1)
    model = nn.Linear(40, 30)
    opt = torch.optim.Adam(model.parameters())
    model(torch.randn(8, 40)).sum().backward()
    opt.step()
    n = sum(p.numel() for p in model.parameters())
    adam = sum(t.numel() * t.element_size() for s in opt.state.values() for t in (s["exp_avg"], s["exp_avg_sq"]))
    fp32_master = sum(p.numel() * p.element_size() for p in model.parameters())
    half = model.to(torch.bfloat16)
    weights16 = sum(p.numel() * p.element_size() for p in half.parameters())
    assert (weights16, fp32_master, adam) == (2 * n, 4 * n, 8 * n)
    assert sum(BYTES_PER_PARAM.values()) == 16  # + 2 bytes of 16-bit gradients


def test_training_memory_worked_examples():
    assert training_state_bytes(1.5e9) == pytest.approx(24e9)  # ZeRO paper's GPT-2 example
    assert training_state_bytes(7.5e9) == pytest.approx(120e9)  # ZeRO paper's Figure 1
    assert training_state_bytes(7e9) == pytest.approx(112e9)
    assert training_state_bytes(175e9) == pytest.approx(2.8e12)
    with pytest.raises(ValueError, match="must be positive"):
        training_state_bytes(0)


def test_lora_starts_at_base_counts_and_merges():
    torch.manual_seed(2)
    base = nn.Linear(20, 12)
    lora = LoRALinear(base, r=3, alpha=6)
    x = torch.randn(5, 20)
    assert torch.equal(lora(x), base(x))
    trainable = [p for p in lora.parameters() if p.requires_grad]
    assert sum(p.numel() for p in trainable) == lora_param_count(20, 12, 3) == 96
    assert not any(p.requires_grad for p in base.parameters())
    with torch.no_grad():
        lora.B.normal_()
    expected = x @ (base.weight + 2.0 * lora.B @ lora.A).T + base.bias  # alpha / r = 2
    torch.testing.assert_close(lora(x), expected)
    torch.testing.assert_close(lora.merged()(x), expected)
    with pytest.raises(ValueError, match="rank r must be positive"):
        LoRALinear(nn.Linear(4, 4), r=0)
    with pytest.raises(ValueError, match="must be positive"):
        lora_param_count(4096, 4096, 0)


def test_lora_worked_examples():
    assert lora_param_count(4096, 4096, 8) == 65_536
    assert round(65_536 / 4096**2 * 100, 2) == 0.39
    q_and_v = 2 * 32 * lora_param_count(4096, 4096, 8)
    assert q_and_v == 4_194_304 and round(q_and_v / 7e9 * 100, 2) == 0.06
    # Exercise: r = 16 on all four attention projections of 32 layers.
    assert 4 * 32 * lora_param_count(4096, 4096, 16) == 16_777_216
    assert round(training_state_bytes(16_777_216) / 1e9, 2) == 0.27


def test_inference_worked_examples():
    assert [weight_bytes(7e9, b) for b in (16, 8, 4)] == pytest.approx([14e9, 7e9, 3.5e9])
    assert inference_flops_per_token(175e9) == 3.5e11
    assert round(max_decode_tokens_per_s(7e9, 16, 2039e9)) == 146
    assert round(max_decode_tokens_per_s(7e9, 4, 2039e9)) == 583
    for call in (lambda: weight_bytes(7e9, 0), lambda: inference_flops_per_token(-1),
                 lambda: max_decode_tokens_per_s(7e9, 16, 0)):
        with pytest.raises(ValueError, match="must be positive"):
            call()


def test_int8_quantization_keeps_parameter_count():
    torch.manual_seed(3)
    layer = nn.Linear(64, 32)
    scale = layer.weight.abs().amax(dim=1, keepdim=True) / 127
    w8 = torch.round(layer.weight / scale).to(torch.int8)
    assert w8.numel() == layer.weight.numel()
    assert w8.numel() * w8.element_size() == layer.weight.numel() * layer.weight.element_size() // 4
    assert math.isclose(weight_bytes(w8.numel(), 8), w8.numel() * w8.element_size())


def test_other_numbers_quoted_in_the_text():
    total = decoder_param_count(96, 12288, 50257, 2048)
    assert abs(total - 175e9) / 175e9 < 0.003  # "within 0.3%"
    assert round((50257 + 2048) * 12288 / total * 100, 1) == 0.4  # embedding tables
    years = training_flops(175e9, 300e9) / A100_BF16 / (365 * 24 * 3600)
    assert round(years) == 32  # one A100 at peak
    assert round(2**-0.076, 2) == 0.95  # doubling N with alpha_N = 0.076
    assert training_state_bytes(175e9) / 80e9 == pytest.approx(35)  # 80 GB GPUs for GPT-3's states
    assert round(1e12 / 7e9, -1) == 140  # LLaMA 7B: tokens per parameter
    assert lora_param_count(4096, 4096, 8) * 2 * 32 * 16 < 0.1e9  # adapters' training state


def test_next_token_loss_is_mean_negative_log_likelihood():
    torch.manual_seed(4)
    model = TinyGPT(2, 32, 4, vocab_size=20, context_len=16)
    idx = torch.randint(20, (3, 12))
    logits = model(idx[:, :-1])  # predict token t from tokens < t
    targets = idx[:, 1:]
    by_hand = -torch.log_softmax(logits, dim=-1).gather(-1, targets.unsqueeze(-1)).mean()
    torch.testing.assert_close(by_hand, nn.functional.cross_entropy(logits.transpose(1, 2), targets))
    # causal: logits at position t do not depend on later tokens
    changed = idx.clone()
    changed[:, 8:] = (changed[:, 8:] + 1) % 20
    torch.testing.assert_close(model(changed[:, :-1])[:, :8], logits[:, :8])


def test_intro_claim_gpt3_estimates_within_half_a_percent():
    assert abs(decoder_param_count(96, 12288, 50257, 2048) / 175e9 - 1) < 0.005
    assert abs(training_flops(175e9, 300e9) / 3.14e23 - 1) < 0.005
