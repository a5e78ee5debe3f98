"""fp16 vs bf16: small gradients underflow in fp16 unless the loss is scaled; GradScaler does it and skips bad steps."""
import torch
from torch import nn

# Same 16 bits, different split: fp16 has 5 exponent bits (tiny range, finer steps), bf16 has fp32's 8.
fp16, bf16 = torch.finfo(torch.float16), torch.finfo(torch.bfloat16)
print(f"fp16: max {fp16.max:.0f}, smallest normal {fp16.tiny:.1e}, eps {fp16.eps:.1e}")
print(f"bf16: max {bf16.max:.1e}, smallest normal {bf16.tiny:.1e}, eps {bf16.eps:.1e}")
assert fp16.max == 65504 and bf16.max > 3e38 and bf16.eps > fp16.eps

grad = torch.tensor(1e-8)  # a gradient value typical of late layers (Micikevicius et al. 2018, fig. 3)
assert grad.to(torch.float16) == 0  # below fp16's smallest subnormal, 6e-8: lost
assert grad.to(torch.bfloat16) != 0  # bf16 keeps fp32's exponent range
scale = 2.0**16
recovered = (grad * scale).to(torch.float16).float() / scale  # scale, cast, unscale in fp32
assert abs(recovered - grad) / grad < 1e-3  # survives, to within 0.1%

# GradScaler multiplies the loss by S, unscales the gradients before the step, and if any gradient is
# inf or NaN it skips the step and halves S (Micikevicius et al. 2018; torch.amp.GradScaler).
torch.manual_seed(0)
model = nn.Linear(4, 1)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
scaler = torch.amp.GradScaler("cpu", init_scale=2.0**16)
X = torch.randn(8, 4)
steps = []
for x_batch, label in [(X, "ordinary"), (X * 1e36, "overflowing")]:
    before = model.weight.detach().clone()
    scaler.scale(model(x_batch).pow(2).mean()).backward()
    scaler.step(opt)  # unscales; skipped if a gradient is not finite
    scaler.update()
    opt.zero_grad()
    moved = not torch.equal(before, model.weight)
    steps.append(moved)
    print(f"{label} batch: step {'taken' if moved else 'skipped'}, scale now {scaler.get_scale():.0f}")
assert steps == [True, False] and scaler.get_scale() == 2.0**15  # halved once, after the overflowing batch
