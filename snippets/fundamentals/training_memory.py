"""Memory of mixed-precision Adam training: 2 + 2 + 12 = 16 bytes per parameter, measured on real tensors."""
import copy

import torch
from torch import nn

# Rajbhandari et al. 2020 (ZeRO), section 3.1: what each parameter costs before activations.
BYTES_PER_PARAM = {
    "16-bit weights": 2,
    "16-bit gradients": 2,
    "fp32 master weights": 4,
    "fp32 Adam first moment m": 4,
    "fp32 Adam second moment v": 4,
}


def training_state_bytes(n_params: float) -> float:
    """Weights + gradients + optimizer states of mixed-precision Adam (activations not included)."""
    if n_params <= 0:
        raise ValueError(f"number of parameters must be positive, got {n_params}")
    return n_params * sum(BYTES_PER_PARAM.values())


def nbytes(tensors) -> int:
    return sum(t.numel() * t.element_size() for t in tensors)


torch.manual_seed(0)
master = nn.Sequential(nn.Linear(256, 1024), nn.GELU(), nn.Linear(1024, 256))  # fp32 copy
work = copy.deepcopy(master).to(torch.bfloat16)  # 16-bit copy used for forward and backward
opt = torch.optim.Adam(master.parameters(), lr=1e-3)
n_params = sum(p.numel() for p in master.parameters())

# One mixed-precision step: 16-bit forward/backward, fp32 update, copy back to 16 bits.
X = torch.randn(32, 256, dtype=torch.bfloat16)
loss = work(X).float().pow(2).mean()
loss.backward()
for p32, p16 in zip(master.parameters(), work.parameters()):
    p32.grad = p16.grad.float()
opt.step()
with torch.no_grad():
    for p32, p16 in zip(master.parameters(), work.parameters()):
        p32.grad = None  # the fp32 gradient is transient; only the 16-bit one is kept between steps
        p16.copy_(p32)

adam_states = [t for s in opt.state.values() for t in (s["exp_avg"], s["exp_avg_sq"])]
measured = {
    "16-bit weights": nbytes(work.parameters()),
    "16-bit gradients": nbytes(p.grad for p in work.parameters()),
    "fp32 master weights": nbytes(master.parameters()),
    "fp32 Adam m and v": nbytes(adam_states),
}
assert sum(measured.values()) == training_state_bytes(n_params) == 16 * n_params
print(f"{n_params:,} parameters: " + ", ".join(f"{k} {v // n_params} B" for k, v in measured.items()))

# Worked examples: GPT-2 1.5B -> 24 GB (the ZeRO paper's example), 7B -> 112 GB, GPT-3 175B -> 2.8 TB.
for name, n in [("1.5B", 1.5e9), ("7B", 7e9), ("175B", 175e9)]:
    print(f"{name:>5s}: {training_state_bytes(n) / 1e9:,.0f} GB of weights, gradients and Adam states")
assert [round(training_state_bytes(n) / 1e9) for n in (1.5e9, 7e9, 175e9)] == [24, 112, 2800]
