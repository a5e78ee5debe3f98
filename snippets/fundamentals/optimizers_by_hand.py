"""Momentum, RMSProp, Adam and AdamW written out by hand, checked step by step against torch.optim."""
import torch


def momentum_step(theta, grad, state, lr, momentum=0.9):
    v = state["v"] = momentum * state.get("v", 0.0) + grad  # torch.optim.SGD convention
    return theta - lr * v


def rmsprop_step(theta, grad, state, lr, alpha=0.99, eps=1e-8):
    s = state["s"] = alpha * state.get("s", 0.0) + (1 - alpha) * grad**2
    return theta - lr * grad / (s.sqrt() + eps)


def adam_step(theta, grad, state, lr=1e-3, betas=(0.9, 0.999), eps=1e-8,
              weight_decay=0.0, decoupled=False):
    """One step of Adam (Kingma & Ba 2015, Algorithm 1); decoupled=True makes it AdamW."""
    beta1, beta2 = betas
    t = state["t"] = state.get("t", 0) + 1
    if decoupled:
        theta = theta * (1 - lr * weight_decay)  # AdamW: shrink the weights, leave the gradient alone
    else:
        grad = grad + weight_decay * theta  # Adam(weight_decay=λ) adds λθ to the gradient: an L2 term
    m = state["m"] = beta1 * state.get("m", 0.0) + (1 - beta1) * grad
    v = state["v"] = beta2 * state.get("v", 0.0) + (1 - beta2) * grad**2
    m_hat = m / (1 - beta1**t)  # bias correction: m and v start at 0
    v_hat = v / (1 - beta2**t)
    return theta - lr * m_hat / (v_hat.sqrt() + eps)


def loss_fn(theta):
    return (1 - theta[0]) ** 2 + 10 * (theta[1] - theta[0] ** 2) ** 2  # a curved valley


def max_gap_to_torch(step_fn, torch_optimizer, num_steps=50, **hyper):
    """Runs our step_fn and torch_optimizer side by side; returns the largest parameter gap seen."""
    start = torch.tensor([-1.0, 2.0], dtype=torch.float64)
    p = start.clone().requires_grad_()
    opt = torch_optimizer([p], **hyper)
    theta, state, gap = start, {}, 0.0
    for _ in range(num_steps):
        opt.zero_grad()
        loss_fn(p).backward()
        opt.step()
        (grad,) = torch.autograd.grad(loss_fn(theta.requires_grad_()), theta)
        theta = step_fn(theta.detach(), grad, state, **hyper)
        gap = max(gap, (theta - p.detach()).abs().max().item())
    return gap


def adamw_step(theta, grad, state, **hyper):
    return adam_step(theta, grad, state, decoupled=True, **hyper)


checks = {
    "momentum": max_gap_to_torch(momentum_step, torch.optim.SGD, lr=0.002, momentum=0.9),
    "rmsprop": max_gap_to_torch(rmsprop_step, torch.optim.RMSprop, lr=0.01, alpha=0.99),
    "adam": max_gap_to_torch(adam_step, torch.optim.Adam, lr=0.05, weight_decay=0.1),
    "adamw": max_gap_to_torch(adamw_step, torch.optim.AdamW, lr=0.05, weight_decay=0.1),
}
for name, gap in checks.items():
    print(f"{name:8s} max |ours - torch| over 50 steps: {gap:.1e}")
    assert gap < 1e-12

# Bias correction matters most at t = 1: m_hat = g and v_hat = g², so the first step is lr·g/|g|.
g = torch.tensor([0.5], dtype=torch.float64)
first_step = adam_step(torch.zeros(1, dtype=torch.float64), g, {}, lr=1.0)
uncorrected = 0.1 * g / (0.001 * g**2).sqrt()  # m_1/sqrt(v_1) without the 1/(1 - β^t) factors
assert abs(first_step.item() + 1.0) < 1e-7 and abs(uncorrected.item() - 10**0.5) < 1e-12
