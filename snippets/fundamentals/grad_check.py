"""Gradient checking: central finite differences against autograd, and why float64."""
import torch


def numerical_grad(f, theta: torch.Tensor, h: float = 1e-6) -> torch.Tensor:
    """(f(theta + h e_i) - f(theta - h e_i)) / 2h for every entry i of theta."""
    theta = theta.detach().clone()
    grad = torch.zeros_like(theta)
    flat, g = theta.view(-1), grad.view(-1)  # views: writing flat[i] changes theta
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + h
        f_plus = f(theta).item()
        flat[i] = old - h
        f_minus = f(theta).item()
        flat[i] = old
        g[i] = (f_plus - f_minus) / (2 * h)
    return grad


def relative_error(a: torch.Tensor, b: torch.Tensor) -> float:
    """||a - b|| / max(||a||, ||b||): scale-free, 0 when both are zero."""
    if a.shape != b.shape:
        raise ValueError(f"shapes differ: {tuple(a.shape)} vs {tuple(b.shape)}")
    scale = max(a.norm().item(), b.norm().item())
    return 0.0 if scale == 0 else (a - b).norm().item() / scale


torch.manual_seed(0)
X, Y = torch.randn(16, 3, dtype=torch.float64), torch.randn(16, 1, dtype=torch.float64)
W2 = torch.randn(1, 5, dtype=torch.float64)


def loss_fn(W1):  # a two-layer tanh network, loss as a function of W1 only
    X_, Y_, W2_ = X.to(W1.dtype), Y.to(W1.dtype), W2.to(W1.dtype)
    return 0.5 * ((torch.tanh(X_ @ W1.T) @ W2_.T - Y_) ** 2).mean()


W1 = torch.randn(5, 3, dtype=torch.float64, requires_grad=True)
loss_fn(W1).backward()
numeric = numerical_grad(loss_fn, W1)
err64 = relative_error(W1.grad, numeric)
assert err64 < 1e-8

# A typical bug: the hand-written backward pass forgets the tanh' factor.
with torch.no_grad():
    D = (torch.tanh(X @ W1.T) @ W2.T - Y) / len(X)
    buggy = (D @ W2).T @ X  # should be ((D @ W2) * (1 - tanh(z)**2)).T @ X
err_bug = relative_error(buggy, numeric)
assert err_bug > 1e-2

# Same check in float32: rounding error of order eps/h swamps the difference quotient.
err32 = relative_error(W1.grad.float(), numerical_grad(loss_fn, W1.float()))
assert torch.finfo(torch.float32).eps == 2**-23 and err32 > 1000 * err64
assert torch.autograd.gradcheck(loss_fn, (W1,))  # PyTorch's built-in version of this check
print(f"relative error: float64 {err64:.1e}, float32 {err32:.1e}, buggy backward {err_bug:.1e}")
