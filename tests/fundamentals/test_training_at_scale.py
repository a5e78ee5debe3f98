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
    assert layer_activation_bytes(s, b, h, a) == measured - layernorm_mean_and_rstd  # the code, not only the formula


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
    # The same cases as literal byte counts worked out by hand (4096 * 4096 = 16,777,216):
    # 194 * 16,777,216 * 32 / 8 = 13,019,119,616 bytes of activations plus 14e9 of state.
    assert memory_per_gpu(m7, Layout(8, 1, 1, 0, "none"), 4096, 1) == pytest.approx(27_019_119_616)
    # pp = 4 splits the state by 4 but 1F1B still keeps all L layers' worth of activations on stage 1:
    # 16 * 7e9 / 4 = 28e9, plus 32 * 2 * 16,777,216 = 1,073,741,824 with full recomputation.
    assert memory_per_gpu(m7, Layout(1, 4, 2, 0, "full"), 4096, 1) == pytest.approx(29_073_741_824)
    # ZeRO-2 over 4: 2 + (2 + 12) / 4 = 5.5 bytes per parameter, micro-batch 2 doubles the activations.
    assert memory_per_gpu(m7, Layout(1, 1, 4, 2, "selective"), 4096, 2) == pytest.approx(
        38.5e9 + 2 * 18_253_611_008)


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
    # With the tenth of headroom the text recommends, 16 GPUs need tensor parallelism (exercise 3).
    assert find_layout(m70, 4096, 1, 16, 72 * GB) == Layout(4, 1, 4, 3, "full")
    assert round(memory_per_gpu(m70, Layout(4, 1, 4, 3, "full"), 4096, 1) / GB, 1) == 71.3


@pytest.mark.parametrize("model, s, b, n, cap", [
    (Model(7e9, 32, 4096, 32), 8192, 2, 16, 40 * GB), (Model(70e9, 80, 8192, 64), 4096, 1, 32, 60 * GB),
    (Model(1.3e9, 24, 2048, 16), 2048, 8, 4, 24 * GB), (Model(70e9, 80, 8192, 64), 4096, 1, 16, 72 * GB)])
def test_find_layout_returns_the_most_preferred_layout_that_fits(model, s, b, n, cap):
    """Brute force over every split of n GPUs, written independently of find_layout's loops."""
    order = ("none", "selective", "full")
    fitting = [Layout(t, p, n // (t * p), z, r)
               for t in range(1, 9) for p in range(1, model.n_layers + 1) for z in range(4) for r in order
               if t in (1, 2, 4, 8) and n % (t * p) == 0 and model.n_layers % p == 0 and model.n_heads % t == 0
               and memory_per_gpu(model, Layout(t, p, n // (t * p), z, r), s, b) <= cap]
    best = min(fitting, key=lambda l: (l.tp * l.pp, l.zero, order.index(l.recompute), l.pp), default=None)
    assert find_layout(model, s, b, n, cap) == best and best is not None


def pipeline_makespan(p: int, m: int, schedule: str, t_f: float = 1.0, t_b: float = 2.0) -> float:
    """Event simulation of a pipeline: each stage runs its operations in a fixed order, an operation starts
    when its stage is free and its inputs are ready (forward from the previous stage, backward from the next)."""
    orders = []
    for s in range(p):
        if schedule == "gpipe":  # all forwards, then all backwards
            orders.append([("F", i) for i in range(m)] + [("B", i) for i in range(m)])
        else:  # 1F1B: p - s - 1 warm-up forwards, then alternate one forward and one backward
            warm = min(p - s - 1, m)
            ops = [("F", i) for i in range(warm)]
            for i in range(m - warm):
                ops += [("F", warm + i), ("B", i)]
            orders.append(ops + [("B", i) for i in range(m - warm, m)])
    done, free, pos = {}, [0.0] * p, [0] * p
    while any(pos[s] < len(orders[s]) for s in range(p)):
        progressed = False
        for s in range(p):
            if pos[s] == len(orders[s]):
                continue
            kind, i = orders[s][pos[s]]
            need = [("F", s - 1, i)] if kind == "F" and s > 0 else []
            if kind == "B":
                need = [("F", s, i)] + ([("B", s + 1, i)] if s < p - 1 else [])
            if all(k in done for k in need):
                start = max([free[s]] + [done[k] for k in need])
                free[s] = done[(kind, s, i)] = start + (t_f if kind == "F" else t_b)
                pos[s] += 1
                progressed = True
        assert progressed, "deadlock"
    return max(free)


@pytest.mark.parametrize("p, m", [(2, 4), (4, 8), (8, 32), (4, 3)])
@pytest.mark.parametrize("schedule", ["gpipe", "1f1b"])
def test_pipeline_bubble_fraction_by_simulation(p, m, schedule):
    ideal = m * (1.0 + 2.0)
    assert (pipeline_makespan(p, m, schedule) - ideal) / ideal == pytest.approx((p - 1) / m)


def simulate_ring_all_reduce(chunks_per_worker: list[list[torch.Tensor]], phases: list | None = None
                             ) -> tuple[list[torch.Tensor], list[int]]:
    """Reduce-scatter then all-gather around a ring; returns each worker's result and elements it sent.
    If phases is a list, the elements sent in each of the two phases are appended to it."""
    n = len(chunks_per_worker)
    data = [[c.clone() for c in w] for w in chunks_per_worker]
    sent = [0] * n
    for step in range(n - 1):  # reduce-scatter: after n-1 steps worker i owns the full sum of chunk (i+1) % n
        msgs = [(i, (i - step) % n, data[i][(i - step) % n].clone()) for i in range(n)]
        for i, c, payload in msgs:
            data[(i + 1) % n][c] += payload
            sent[i] += payload.numel()
    if phases is not None:
        phases.append(list(sent))
    for step in range(n - 1):  # all-gather: pass the finished chunks around
        msgs = [(i, (i + 1 - step) % n, data[i][(i + 1 - step) % n].clone()) for i in range(n)]
        for i, c, payload in msgs:
            data[(i + 1) % n][c] = payload
            sent[i] += payload.numel()
    if phases is not None:
        phases.append([a - b for a, b in zip(sent, phases[0])])
    return [torch.cat(w) for w in data], sent


@pytest.mark.parametrize("n", [2, 3, 5])
def test_ring_all_reduce_volume_by_simulation(n):
    torch.manual_seed(n)
    grads = [torch.randn(n * 7) for _ in range(n)]
    results, sent = simulate_ring_all_reduce([list(g.chunk(n)) for g in grads])
    for r in results:
        torch.testing.assert_close(r, sum(grads))
    assert all(k == ring_all_reduce_bytes(n * 7, n) for k in sent)


@pytest.mark.parametrize("zero, passes_per_micro_batch, passes_per_step", [(0, 0, 2), (1, 0, 2), (2, 1, 1), (3, 3, 0)])
def test_data_parallel_traffic_counts_ring_passes(zero, passes_per_micro_batch, passes_per_step):
    """One reduce-scatter or all-gather of the local 16-bit weights (or gradients), counted by the simulated
    ring: ZeRO-0/1 one all-reduce per step, ZeRO-2 a reduce-scatter per micro-batch and one gather of the
    weights, ZeRO-3 two gathers and a reduce-scatter per micro-batch."""
    n, n_params, n_micro = 4, 28, 3
    phases = []
    simulate_ring_all_reduce([list(torch.ones(n_params).chunk(n)) for _ in range(n)], phases)
    reduce_scatter, all_gather = phases[0][0], phases[1][0]
    assert reduce_scatter == all_gather == (n - 1) * n_params // n
    one_pass_bytes = 2 * reduce_scatter
    expected = (passes_per_micro_batch * n_micro + passes_per_step) * one_pass_bytes
    traffic = comm_bytes_per_step(Model(n_params, 4, 8, 2), Layout(1, 1, n, zero, "none"), 16, 1, n_micro)
    assert traffic["data"] == pytest.approx(expected)


def test_communication_worked_examples():
    m70 = Model(70e9, 80, 8192, 64)
    fsdp = comm_bytes_per_step(m70, Layout(1, 1, 64, 3, "full"), 4096, 1, n_micro=1)
    assert round(fsdp["data"] / GB, 1) == 413.4  # 3 * 63/64 * 140 GB
    tp_pp = comm_bytes_per_step(m70, Layout(8, 8, 1, 0, "selective"), 4096, 1, n_micro=1)
    # by hand: 4 all-reduces * 2 * 7/8 * 67,108,864 bytes * 10 layers = 4,697,620,480; 4 * 33,554,432 / 8
    assert tp_pp["data"] == 0 and tp_pp["tensor"] == pytest.approx(4_697_620_480)
    assert tp_pp["pipeline"] == pytest.approx(16_777_216)
    assert ring_all_reduce_bytes(1.0, 1) == 0
    with pytest.raises(ValueError, match="ZeRO stage"):
        comm_bytes_per_step(m70, Layout(1, 1, 64, 5, "full"), 4096, 1, 1)


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
    total = layer_activation_bytes(4096, 1, 4096, 32)
    assert 0.8 < (total - 34 * sbh) / total < 0.85  # attention scores are "more than four fifths" at a = 32, s = h
    assert round(34 * sbh / GB, 2) == 0.57 and round(32 * 34 * sbh / GB, 1) == 18.3
    assert round(32 * 194 * sbh / GB) == 104 and 5.5 * 7e9 / GB == 38.5
    gpt3 = layer_activation_bytes(2048, 1, 12288, 96)  # Exercise 1, through the code
    assert (round(gpt3 / GB, 2), round(96 * gpt3 / GB)) == (2.87, 275)
    assert gpt3 == 2048 * 12288 * 114  # bracket 34 + 80
    gpt3_model = Model(175e9, 96, 12288, 96)
    selective = memory_per_gpu(gpt3_model, Layout(1, 1, 1, 0, "selective"), 2048, 1) - 16 * 175e9
    assert (round(selective / 96 / GB, 2), round(selective / GB)) == (0.86, 82)
    bubble = (pipeline_makespan(8, 32, "1f1b") - 96) / 96  # Exercise 2, by simulation
    assert round(bubble * 100, 1) == 21.9
    assert min(m for m in range(130, 150) if (pipeline_makespan(8, m, "1f1b") - 3 * m) / (3 * m) < 0.05) == 141
    assert f"{1e-8 * 2**16:.1e}" == "6.6e-04"  # Exercise 4
    assert round(2**-24, 8) == 6e-8


def test_snippet_measurement_quoted_in_the_text():
    from fundamentals import activation_memory as am
    assert round(am.plain / am.ckpt) == 27  # "27 times less"
    assert am.plain - am.layernorm_stats == 4 * (34 * 64 * 2 * 64 + 5 * 4 * 64 * 64 * 2)
