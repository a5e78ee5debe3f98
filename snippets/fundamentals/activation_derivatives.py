"""Six activation functions and their derivatives, written from the formulas and checked with autograd."""
import math

import torch
import torch.nn.functional as F

SQRT_2PI = math.sqrt(2 * math.pi)


def sigmoid_grad(x):
    s = torch.sigmoid(x)
    return s * (1 - s)  # σ' = σ(1 - σ), at most 1/4


def tanh_grad(x):
    return 1 - torch.tanh(x) ** 2  # tanh' = 1 - tanh², equal to 1 at x = 0 (no factor 1/2)


def relu_grad(x):
    return (x > 0).to(x.dtype)  # at x = 0 PyTorch uses 0


def leaky_relu_grad(x, negative_slope=0.01):
    return torch.where(x > 0, torch.ones_like(x), torch.full_like(x, negative_slope))


def gelu(x):
    return 0.5 * x * (1 + torch.erf(x / math.sqrt(2)))  # x·Φ(x), Φ the standard normal CDF


def gelu_grad(x):
    cdf = 0.5 * (1 + torch.erf(x / math.sqrt(2)))
    pdf = torch.exp(-0.5 * x**2) / SQRT_2PI
    return cdf + x * pdf  # Φ(x) + x·φ(x)


def gelu_tanh(x):
    return 0.5 * x * (1 + torch.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x**3)))


def silu_grad(x):
    s = torch.sigmoid(x)
    return s * (1 + x * (1 - s))  # d/dx [x·σ(x)] = σ + xσ(1 - σ)


# name: (function as PyTorch computes it, our derivative formula)
ACTIVATIONS = {
    "sigmoid": (torch.sigmoid, sigmoid_grad),
    "tanh": (torch.tanh, tanh_grad),
    "relu": (F.relu, relu_grad),
    "leaky_relu": (F.leaky_relu, leaky_relu_grad),
    "gelu": (F.gelu, gelu_grad),
    "silu": (F.silu, silu_grad),
}


def autograd_derivative(fn, x):
    x = x.clone().requires_grad_()
    (grad,) = torch.autograd.grad(fn(x).sum(), x)  # elementwise fn: the gradient of the sum is fn'(x)
    return grad


x = torch.linspace(-6, 6, 1201, dtype=torch.float64)  # step 0.01, includes x = 0
for name, (fn, grad_fn) in ACTIVATIONS.items():
    assert torch.allclose(grad_fn(x), autograd_derivative(fn, x), atol=1e-12), name
assert torch.allclose(gelu(x), F.gelu(x), atol=1e-12)
assert torch.allclose(gelu_tanh(x), F.gelu(x, approximate="tanh"), atol=1e-12)
gap = (gelu_tanh(x) - gelu(x)).abs().max().item()
print(f"all 6 derivative formulas match autograd on {len(x)} points; |GELU_tanh - GELU| <= {gap:.1e}")
assert gap < 5e-4

fine = torch.linspace(-6, 6, 12001, dtype=torch.float64)  # step 0.001
for name, (fn, grad_fn) in ACTIVATIONS.items():
    d, lowest = grad_fn(fine), fn(fine).min().item()
    at = round(fine[d.argmax()].item(), 3) + 0.0  # + 0.0 prints -0.0 as 0.0
    print(f"{name:10s}  max f' = {d.max().item():.4f} at x = {at:+.3f}   min f on [-6, 6] = {lowest:+.4f}")
assert sigmoid_grad(fine).max() == 0.25 and tanh_grad(fine).max() == 1.0  # both at x = 0
