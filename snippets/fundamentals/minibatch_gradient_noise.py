"""Mini-batch gradients are unbiased estimates of the full gradient; their noise shrinks like 1/sqrt(B)."""
import torch

torch.manual_seed(0)
n = 1024
X = torch.randn(n, 3)
y = X @ torch.tensor([1.0, -2.0, 0.5]) + 0.3 * torch.randn(n)
w = torch.zeros(3, requires_grad=True)  # every gradient below is taken at this one point

# Batch gradient descent uses the gradient of the loss over all n examples (autograd computes it).
loss = ((X @ w - y) ** 2).mean()
(full,) = torch.autograd.grad(loss, w)
# The gradient of one example's loss (x·w - y)² is 2(x·w - y)x; a mini-batch gradient is their mean.
per_example = 2 * (X @ w - y).detach()[:, None] * X
assert torch.allclose(per_example.mean(dim=0), full, atol=1e-5)


def batch_gradient(idx):
    return per_example[idx].mean(dim=0)


def gradient_noise(batch_size, draws=2000):
    """Root-mean-square distance between a random mini-batch gradient and the full gradient."""
    grads = torch.stack([batch_gradient(torch.randint(0, n, (batch_size,))) for _ in range(draws)])
    return (grads - full).norm(dim=1).pow(2).mean().sqrt().item()


# One epoch of equal-size, disjoint batches: the batch gradients average to the full gradient.
epoch = torch.stack([batch_gradient(idx) for idx in torch.randperm(n).split(32)])
assert torch.allclose(epoch.mean(dim=0), full, atol=1e-5)

noise = {b: gradient_noise(b) for b in (1, 4, 16, 64)}
for b, rms in noise.items():
    print(f"batch size {b:3d}: gradient noise {rms:.3f}")
assert noise[1] > noise[4] > noise[16] > noise[64]
assert 3.5 < noise[1] / noise[16] < 4.5  # 16x the batch, about sqrt(16) = 4x less noise
