"""Checks for docs/fundamentals/training-at-scale.*.md: activation memory, checkpointing, layouts, communication, fp16."""
import math

import pytest
import torch
from torch import nn
from torch.utils.checkpoint import checkpoint
from torch.utils.flop_counter import FlopCounterMode

from fundamentals.activation_memory import GPTLayer, layer_activation_bytes, saved_activation_bytes
from fundamentals.parallel_layout import (Layout, Model, comm_bytes_per_step, find_layout, memory_per_gpu,
                                          ring_all_reduce_bytes)

GB = 1e9


@pytest.mark.parametrize("s, b, h, a", [(16, 1, 32, 2), (24, 3, 48, 6)])
def test_korthikanti_formula_matches_bytes_autograd_keeps(s, b, h, a):
    torch.manual_seed(0)
    layer = GPTLayer(h, a).to(torch.bfloat16)
    x = torch.randn(b, s, h, dtype=torch.bfloat16, requires_grad=True)
    measured = saved_activation_bytes(lambda: layer(x), layer.parameters())
    layernorm_mean_and_rstd = 2 * 2 * s * b * 2
    assert measured - layernorm_mean_and_rstd == s * b * h * (34 + 5 * a * s / h)
    assert layer_activation_bytes(s, b, h, a) == s * b * h * (34 + 5 * a * s / h)


def test_checkpointing_keeps_only_layer_inputs_and_gives_the_same_gradients():
    torch.manual_seed(1)
    s, b, h, a = 32, 2, 32, 4
    layer = GPTLayer(h, a)  # fp32 here: 4 bytes per value
    x = torch.randn(b, s, h, requires_grad=True)
    ckpt = saved_activation_bytes(lambda: checkpoint(layer, x, use_reentrant=False), layer.parameters())
    assert ckpt == 4 * s * b * h
    torch.manual_seed(2)
    layer(x).sum().backward()
    plain_grads = [x.grad.clone()] + [p.grad.clone() for p in layer.parameters()]
    x.grad = None
    layer.zero_grad()
    torch.manual_seed(2)  # checkpoint restores the RNG state, so dropout draws the same masks again
    checkpoint(layer, x, use_reentrant=False).sum().backward()
    for g, g_ckpt in zip(plain_grads, [x.grad] + [p.grad for p in layer.parameters()]):
        torch.testing.assert_close(g, g_ckpt)


def test_checkpointing_costs_one_extra_forward_pass():
    torch.manual_seed(3)
    model = nn.Sequential(nn.Linear(64, 256), nn.GELU(), nn.Linear(256, 64))
    X = torch.randn(16, 64, requires_grad=True)  # so both passes also compute the input gradient
    with FlopCounterMode(display=False) as fwd:
        model(X)
    with FlopCounterMode(display=False) as plain:
        model(X).sum().backward()
    with FlopCounterMode(display=False) as ckpt:
        checkpoint(model, X, use_reentrant=False).sum().backward()
    assert plain.get_total_flops() == 3 * fwd.get_total_flops()
    # The forward pass runs again in backward, except the last matmul: PyTorch's non-reentrant checkpoint
    # stops recomputing once it has every tensor backward needs, and the output itself is not one of them.
    assert ckpt.get_total_flops() == 4 * fwd.get_total_flops() - 2 * 16 * 256 * 64


def test_memory_per_gpu_hand_cases():
    m7 = Model(7e9, 32, 4096, 32)
    sbh = 4096 * 1 * 4096
    # ZeRO-1 over 8: 2 + 2 + 12/8 = 5.5 bytes per parameter; selective recompute keeps 34 sbh per layer
    assert memory_per_gpu(m7, Layout(1, 1, 8, 1, "selective"), 4096, 1) == pytest.approx(5.5 * 7e9 + 32 * 34 * sbh)
    # no recompute adds the 5 a s^2 b attention bytes: 160 sbh per layer at a = 32, s = h
    assert memory_per_gpu(m7, Layout(1, 1, 8, 1, "none"), 4096, 1) == pytest.approx(5.5 * 7e9 + 32 * 194 * sbh)
    # tensor parallelism of 8 splits states and (with sequence parallelism) activations by 8
    assert memory_per_gpu(m7, Layout(8, 1, 1, 0, "none"), 4096, 1) == pytest.approx(16 * 7e9 / 8 + 32 * 194 * sbh / 8)
    m70 = Model(70e9, 80, 8192, 64)
    assert memory_per_gpu(m70, Layout(1, 1, 64, 3, "full"), 4096, 1) == pytest.approx(
        16 * 70e9 / 64 + 80 * 2 * 4096 * 8192)


def test_find_layout_worked_examples():
    m7, m70 = Model(7e9, 32, 4096, 32), Model(70e9, 80, 8192, 64)
    assert find_layout(m7, 4096, 1, 8, 80 * GB) == Layout(1, 1, 8, 1, "selective")
    assert round(memory_per_gpu(m7, Layout(1, 1, 8, 1, "selective"), 4096, 1) / GB, 1) == 56.8
    assert find_layout(m7, 4096, 1, 1, 80 * GB) is None  # 112 GB of states on one GPU
    assert find_layout(m70, 4096, 1, 8, 80 * GB) is None
    assert find_layout(m70, 4096, 1, 64, 80 * GB) == Layout(1, 1, 64, 3, "full")
    assert round(memory_per_gpu(m70, Layout(1, 1, 64, 3, "full"), 4096, 1) / GB, 1) == 22.9
    # Exercise: 70B on 16 GPUs: ZeRO-3 over all 16 with full recomputation, 70 + 5.4 GB.
    assert find_layout(m70, 4096, 1, 16, 80 * GB) == Layout(1, 1, 16, 3, "full")
    assert round(memory_per_gpu(m70, Layout(1, 1, 16, 3, "full"), 4096, 1) / GB, 1) == 75.4
    # every layout found really fits, and none preferred to it does
    layout = find_layout(m7, 8192, 2, 16, 40 * GB)
    assert memory_per_gpu(m7, layout, 8192, 2) <= 40 * GB


def simulate_ring_all_reduce(chunks_per_worker: list[list[torch.Tensor]]) -> tuple[list[torch.Tensor], list[int]]:
    """Reduce-scatter then all-gather around a ring; returns each worker's result and elements it sent."""
    n = len(chunks_per_worker)
    data = [[c.clone() for c in w] for w in chunks_per_worker]
    sent = [0] * n
    for step in range(n - 1):  # reduce-scatter: after n-1 steps worker i owns the full sum of chunk (i+1) % n
        msgs = [(i, (i - step) % n, data[i][(i - step) % n].clone()) for i in range(n)]
        for i, c, payload in msgs:
            data[(i + 1) % n][c] += payload
            sent[i] += payload.numel()
    for step in range(n - 1):  # all-gather: pass the finished chunks around
        msgs = [(i, (i + 1 - step) % n, data[i][(i + 1 - step) % n].clone()) for i in range(n)]
        for i, c, payload in msgs:
            data[(i + 1) % n][c] = payload
            sent[i] += payload.numel()
    return [torch.cat(w) for w in data], sent


@pytest.mark.parametrize("n", [2, 3, 5])
def test_ring_all_reduce_volume_by_simulation(n):
    torch.manual_seed(n)
    grads = [torch.randn(n * 7) for _ in range(n)]
    results, sent = simulate_ring_all_reduce([list(g.chunk(n)) for g in grads])
    for r in results:
        torch.testing.assert_close(r, sum(grads))
    assert all(k == ring_all_reduce_bytes(n * 7, n) for k in sent)


def test_communication_worked_examples():
    m70 = Model(70e9, 80, 8192, 64)
    fsdp = comm_bytes_per_step(m70, Layout(1, 1, 64, 3, "full"), 4096, 1, n_micro=16)
    assert fsdp["data"] == pytest.approx(1.5 * 2 * 63 / 64 * 2 * 70e9) and round(fsdp["data"] / GB, 1) == 413.4
    tp_pp = comm_bytes_per_step(m70, Layout(8, 8, 1, 0, "selective"), 4096, 1, n_micro=16)
    assert tp_pp["data"] == 0 and round(tp_pp["tensor"] / GB, 1) == 75.2 and round(tp_pp["pipeline"] / GB, 1) == 0.3
    assert ring_all_reduce_bytes(1.0, 1) == 0


@pytest.mark.parametrize("bad", [-1, 0, float("nan"), float("inf"), "80e9", True, None])
def test_calculator_rejects_bad_gpu_memory(bad):
    with pytest.raises(ValueError, match="gpu_bytes"):
        find_layout(Model(7e9, 32, 4096, 32), 4096, 1, 8, bad)


@pytest.mark.parametrize("bad", [-8, 0, 2.5, float("nan"), "8", True])
def test_calculator_rejects_bad_counts(bad):
    with pytest.raises(ValueError, match="n_gpus"):
        find_layout(Model(7e9, 32, 4096, 32), 4096, 1, bad, 80 * GB)
    with pytest.raises(ValueError, match="seq_len"):
        memory_per_gpu(Model(7e9, 32, 4096, 32), Layout(1, 1, 8, 1, "none"), bad, 1)


def test_model_and_layout_validation():
    for bad in (-7e9, math.nan, math.inf, False):
        with pytest.raises(ValueError, match="n_params"):
            Model(bad, 32, 4096, 32)
    with pytest.raises(ValueError, match="divisible"):
        Model(7e9, 32, 4096, 30)
    for bad in (0, -2, 1.5, True):
        with pytest.raises(ValueError, match="tp"):
            Layout(bad, 1, 8, 1, "none")
    with pytest.raises(ValueError, match="ZeRO stage"):
        memory_per_gpu(Model(7e9, 32, 4096, 32), Layout(1, 1, 8, 4, "none"), 4096, 1)


def test_fp16_underflow_and_loss_scaling():
    assert torch.finfo(torch.float16).max == 65504
    smallest_subnormal = 2.0**-24
    assert torch.tensor(smallest_subnormal).half() != 0 and torch.tensor(smallest_subnormal / 4).half() == 0
    g = torch.tensor(1e-8)
    assert g.half() == 0 and g.bfloat16() != 0
    assert (g * 2**16).half() != 0
    scaler = torch.amp.GradScaler("cpu", init_scale=1024.0)
    w = nn.Parameter(torch.ones(2))
    opt = torch.optim.SGD([w], lr=1.0)
    scaler.scale((w * torch.tensor([1.0, math.inf])).sum()).backward()
    scaler.step(opt)
    scaler.update()
    assert torch.equal(w.detach(), torch.ones(2)) and scaler.get_scale() == 512.0


def test_numbers_quoted_in_the_text_and_exercises():
    sbh = 4096 * 4096
    assert round(160 / 194, 2) == 0.82  # attention scores are "more than four fifths" at a = 32, s = h = 4096
    assert round(34 * sbh / GB, 2) == 0.57 and round(32 * 34 * sbh / GB, 1) == 18.3
    assert round(32 * 194 * sbh / GB) == 104 and 5.5 * 7e9 / GB == 38.5
    gpt3 = 2048 * 12288  # Exercise 1
    assert 34 + 5 * 96 * 2048 / 12288 == 114
    assert (round(gpt3 * 114 / GB, 2), round(96 * gpt3 * 114 / GB)) == (2.87, 275)
    assert (round(gpt3 * 34 / GB, 2), round(96 * gpt3 * 34 / GB)) == (0.86, 82)
    assert round(7 / 32 * 100, 1) == 21.9 and min(m for m in range(1, 1000) if 7 / m < 0.05) == 141  # Exercise 2
    assert f"{1e-8 * 2**16:.1e}" == "6.6e-04"  # Exercise 4
    assert round(2**-24, 8) == 6e-8


def test_snippet_measurement_quoted_in_the_text():
    from fundamentals import activation_memory as am
    assert round(am.plain / am.ckpt) == 27  # "27 times less"
    assert am.plain - am.layernorm_stats == 4 * (34 * 64 * 2 * 64 + 5 * 4 * 64 * 64 * 2)
