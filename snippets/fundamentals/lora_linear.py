"""LoRA (Hu et al. 2021): a frozen nn.Linear plus a trainable low-rank update (alpha / r) * B A."""
import torch
from torch import nn


def lora_param_count(d_in: int, d_out: int, r: int) -> int:
    """Trainable parameters of one adapted matrix: A is (r, d_in), B is (d_out, r)."""
    if min(d_in, d_out, r) <= 0:
        raise ValueError(f"dimensions and rank must be positive, got d_in={d_in}, d_out={d_out}, r={r}")
    return r * (d_in + d_out)


class LoRALinear(nn.Module):
    def __init__(self, base: nn.Linear, r: int, alpha: float = 1.0):
        super().__init__()
        if r <= 0:
            raise ValueError(f"rank r must be positive, got {r}")
        self.base = base.requires_grad_(False)  # the pretrained weight W stays frozen
        self.A = nn.Parameter(torch.randn(r, base.in_features) * 0.01)  # Gaussian, as in the paper
        self.B = nn.Parameter(torch.zeros(base.out_features, r))  # zero: B A = 0 at the start
        self.scale = alpha / r

    def forward(self, x):
        return self.base(x) + (x @ self.A.T @ self.B.T) * self.scale  # never forms the d_out x d_in BA

    def merged(self) -> nn.Linear:
        """W + (alpha / r) B A as one plain layer: no extra inference cost after fine-tuning."""
        layer = nn.Linear(self.base.in_features, self.base.out_features)
        with torch.no_grad():
            layer.weight.copy_(self.base.weight + self.scale * self.B @ self.A)
            layer.bias.copy_(self.base.bias)
        return layer


torch.manual_seed(0)
d_in, d_out, r = 64, 32, 4
base = nn.Linear(d_in, d_out)
W0 = base.weight.detach().clone()
lora = LoRALinear(base, r=r, alpha=8)
X, y = torch.randn(128, d_in), torch.randn(128, d_out)
assert torch.equal(lora(X), base(X))  # starts exactly at the pretrained model

trainable = sum(p.numel() for p in lora.parameters() if p.requires_grad)
assert trainable == lora_param_count(d_in, d_out, r) == 384  # vs 64 * 32 + 32 = 2,080 in the layer

losses = []
for step in range(50):  # plain gradient descent on the adapter only
    loss = nn.functional.mse_loss(lora(X), y)
    loss.backward()
    with torch.no_grad():
        for p in (lora.A, lora.B):
            p -= 0.5 * p.grad
            p.grad = None
    losses.append(loss.item())
assert losses[-1] < losses[0]  # the adapter learns ...
assert torch.equal(base.weight, W0) and base.weight.grad is None  # ... while W gets no gradient
assert torch.allclose(lora.merged()(X), lora(X), atol=1e-5)
print(f"LoRA r={r}: {trainable} trainable of {trainable + base.weight.numel() + d_out:,}; "
      f"loss {losses[0]:.3f} -> {losses[-1]:.3f}; merged layer gives the same output")
