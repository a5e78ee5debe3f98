"""Linear warm-up then cosine decay: one formula, checked against torch.optim.lr_scheduler."""
import math

import torch


def warmup_cosine_lr(step, lr_max, warmup_steps, total_steps, lr_min=0.0):
    """Learning rate for step = 0, 1, ..., total_steps (warm-up: steps 0 .. warmup_steps - 1)."""
    if not 0 < warmup_steps < total_steps:
        raise ValueError(f"need 0 < warmup_steps < total_steps, got {warmup_steps} and {total_steps}")
    if not 0 <= lr_min <= lr_max:
        raise ValueError(f"need 0 <= lr_min <= lr_max, got lr_min={lr_min}, lr_max={lr_max}")
    if step < warmup_steps:
        return lr_max * (step + 1) / warmup_steps  # never exactly 0: a zero-lr step is wasted
    progress = (step - warmup_steps) / (total_steps - warmup_steps)  # 0 → 1
    return lr_min + 0.5 * (lr_max - lr_min) * (1 + math.cos(math.pi * progress))


def torch_warmup_cosine(lr_max, warmup_steps, total_steps, lr_min=0.0):
    """The same schedule built from PyTorch's LinearLR and CosineAnnealingLR."""
    param = torch.zeros(1, requires_grad=True)
    optimizer = torch.optim.SGD([param], lr=lr_max)
    warmup = torch.optim.lr_scheduler.LinearLR(
        optimizer, start_factor=1 / warmup_steps, end_factor=1.0, total_iters=warmup_steps - 1)
    cosine = torch.optim.lr_scheduler.CosineAnnealingLR(
        optimizer, T_max=total_steps - warmup_steps, eta_min=lr_min)
    schedule = torch.optim.lr_scheduler.SequentialLR(
        optimizer, [warmup, cosine], milestones=[warmup_steps])
    lrs = []
    for _ in range(total_steps + 1):
        lrs.append(optimizer.param_groups[0]["lr"])
        optimizer.step()  # a real loop would compute a loss and call backward() first
        schedule.step()
    return lrs


lr_max, lr_min, warmup_steps, total_steps = 3e-4, 3e-5, 10, 100
ours = [warmup_cosine_lr(s, lr_max, warmup_steps, total_steps, lr_min) for s in range(total_steps + 1)]
theirs = torch_warmup_cosine(lr_max, warmup_steps, total_steps, lr_min)
assert max(abs(a - b) for a, b in zip(ours, theirs)) < 1e-15
assert ours[warmup_steps - 1] == lr_max and abs(ours[-1] - lr_min) < 1e-18
assert abs(ours[warmup_steps + (total_steps - warmup_steps) // 2] - (lr_max + lr_min) / 2) < 1e-18
for s in (0, 4, 9, 10, 55, 100):
    print(f"step {s:3d}: lr = {ours[s]:.3e}")
