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
    # GPT-3 trained on 300B tokens over its parameters counted from the architecture: 1.7 per parameter;
    # the 20:1 rule would ask for 3.5T.
    gpt3 = decoder_param_count(96, 12288, 50257, 2048)
    assert round(300e9 / gpt3, 1) == 1.7 and round(20 * gpt3 / 1e12, 1) == 3.5


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


def mixed_precision_state_bytes_per_param() -> dict:
    """One mixed-precision Adam step done here (bf16 weights and gradients, fp32 master weights and Adam state),
    and the bytes every kind of tensor then holds, per parameter, measured on the tensors."""
    torch.manual_seed(1)
    master = nn.Linear(40, 30)
    work = nn.Linear(40, 30).to(torch.bfloat16)
    with torch.no_grad():
        for p16, p32 in zip(work.parameters(), master.parameters()):
            p16.copy_(p32)
    opt = torch.optim.Adam(master.parameters())
    work(torch.randn(8, 40, dtype=torch.bfloat16)).float().sum().backward()
    for p32, p16 in zip(master.parameters(), work.parameters()):
        p32.grad = p16.grad.float()
    opt.step()
    n = sum(p.numel() for p in master.parameters())

    def per_param(tensors):
        return sum(t.numel() * t.element_size() for t in tensors) / n

    return {"16-bit weights": per_param(work.parameters()), "16-bit gradients": per_param(p.grad for p in work.parameters()),
            "fp32 master weights": per_param(master.parameters()),
            "fp32 Adam first moment m": per_param(s["exp_avg"] for s in opt.state.values()),
            "fp32 Adam second moment v": per_param(s["exp_avg_sq"] for s in opt.state.values())}


def test_sixteen_bytes_per_parameter_measured_on_adam():
    """Each entry of the snippet's table is what the measured tensors hold, the 16-bit gradients included."""
    assert mixed_precision_state_bytes_per_param() == BYTES_PER_PARAM
    assert training_state_bytes(1000) == 1000 * sum(mixed_precision_state_bytes_per_param().values())


def test_training_memory_worked_examples():
    measured = sum(mixed_precision_state_bytes_per_param().values())
    assert training_state_bytes(1.5e9) == pytest.approx(24e9)  # ZeRO paper's GPT-2 example (a published number)
    assert training_state_bytes(7.5e9) == pytest.approx(120e9)  # ZeRO paper's Figure 1 (a published number)
    assert training_state_bytes(7e9) == pytest.approx(7e9 * measured) == pytest.approx(112e9)
    assert training_state_bytes(175e9) == pytest.approx(175e9 * measured) == pytest.approx(2.8e12)
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
    lora = LoRALinear(nn.Linear(4096, 4096, device="meta"), r=8)  # counted by torch, not by the formula
    trainable, frozen = (sum(p.numel() for p in lora.parameters() if p.requires_grad is grad) for grad in (True, False))
    assert lora_param_count(4096, 4096, 8) == trainable == 65_536
    assert round(trainable / lora.base.weight.numel() * 100, 2) == 0.39 and frozen == 4096**2 + 4096
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
    """Quantizing to int8 keeps every weight (the dequantized layer computes nearly the same outputs from the same
    number of weights) and shrinks the bytes on disk, measured by serializing, to about weight_bytes(N, 8): a
    quarter of fp32, half of bf16."""
    import io

    torch.manual_seed(3)
    layer = nn.Linear(512, 256, bias=False)
    scale = layer.weight.abs().amax(dim=1, keepdim=True) / 127
    w8 = torch.round(layer.weight / scale).to(torch.int8)
    x = torch.randn(16, 512)
    error = (x @ (w8.float() * scale).T - layer(x)).norm() / layer(x).norm()
    assert error < 0.01  # the same function from the int8 weights and one scale per row

    def saved_bytes(tensor) -> int:
        buffer = io.BytesIO()
        torch.save(tensor.detach().clone(), buffer)
        return buffer.getbuffer().nbytes

    n = layer.weight.numel()
    on_disk = {bits: saved_bytes(t) for bits, t in ((32, layer.weight), (16, layer.weight.to(torch.bfloat16)), (8, w8))}
    for bits, size in on_disk.items():
        assert weight_bytes(n, bits) <= size < weight_bytes(n, bits) * 1.01 + 2048  # a small header
    assert on_disk[32] / on_disk[8] == pytest.approx(4, rel=0.02) and on_disk[16] / on_disk[8] == pytest.approx(2, rel=0.02)


def test_other_numbers_quoted_in_the_text():
    total = decoder_param_count(96, 12288, 50257, 2048)
    assert abs(total - 175e9) / 175e9 < 0.003  # "within 0.3%"
    assert round((50257 + 2048) * 12288 / total * 100, 1) == 0.4  # embedding tables
    years = training_flops(175e9, 300e9) / A100_BF16 / (365 * 24 * 3600)
    assert round(years) == 32  # one A100 at peak
    # doubling N with alpha_N = 0.076: Kaplan's L(N) = (N_c / N)^alpha_N at two sizes (N_c = 8.8e13), ratio ~0.95
    kaplan = lambda n: (8.8e13 / n) ** 0.076  # noqa: E731
    assert all(round(kaplan(2 * n) / kaplan(n), 2) == 0.95 for n in (1e8, 7e9, 1e11))
    measured = sum(mixed_precision_state_bytes_per_param().values())  # bytes per parameter, measured
    assert math.ceil(175e9 * measured / 80e9) == 35  # 80 GB GPUs for GPT-3's states
    # LLaMA 7B: 1T tokens over its parameters counted from the architecture (32 layers, d 4096, SwiGLU 11008,
    # 32,000-token vocabulary, untied head): 6.74B, so 148 tokens per parameter, 143 with the rounded 7B
    d, f, vocab = 4096, 11008, 32_000
    llama7b = 32 * (4 * d * d + 3 * d * f + 2 * d) + 2 * vocab * d + d
    assert round(llama7b / 1e9, 2) == 6.74 and 140 <= 1e12 / 7e9 < 1e12 / llama7b < 150
    lora = LoRALinear(nn.Linear(4096, 4096, device="meta"), r=8)  # the adapters of one projection, counted by torch
    adapters = 2 * 32 * sum(p.numel() for p in lora.parameters() if p.requires_grad)
    assert adapters * measured < 0.1e9  # adapters' training state


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
