"""Weight decay vs an L2 term in the loss: the same thing under SGD, not the same under Adam."""
import torch

torch.manual_seed(0)
X = torch.randn(32, 4, dtype=torch.float64) * torch.tensor([3.0, 1.0, 0.3, 0.1], dtype=torch.float64)
y = X @ torch.tensor([1.0, -2.0, 3.0, 0.5], dtype=torch.float64)
lam, lr = 0.1, 0.01


def data_loss(w):
    return ((X @ w - y) ** 2).mean()


def l2_loss(w):
    return data_loss(w) + lam / 2 * (w**2).sum()


def train(optimizer_cls, loss_fn, w0, num_steps=200, **hyper):
    w = w0.detach().clone().requires_grad_()
    optimizer = optimizer_cls([w], lr=lr, **hyper)
    for _ in range(num_steps):
        optimizer.zero_grad()
        loss_fn(w).backward()
        optimizer.step()
    return w.detach()


def max_gap(a, b):
    return (a - b).abs().max().item()


zeros = torch.zeros(4, dtype=torch.float64)
# SGD: w - lr(∇J + λw) = (1 - lr·λ)w - lr∇J, so all three forms give the same weights.
w_sgd_l2 = train(torch.optim.SGD, l2_loss, zeros)
w_sgd_wd = train(torch.optim.SGD, data_loss, zeros, weight_decay=lam)
w = zeros.clone()
for _ in range(200):
    (grad,) = torch.autograd.grad(data_loss(w.requires_grad_()), w)
    w = (1 - lr * lam) * w.detach() - lr * grad  # shrink the weights, then the plain gradient step
assert max_gap(w_sgd_l2, w_sgd_wd) < 1e-12 and max_gap(w_sgd_l2, w) < 1e-12

# Adam: weight_decay=λ in torch.optim.Adam *is* the L2 term; AdamW decays the weights directly.
w_adam_l2 = train(torch.optim.Adam, l2_loss, zeros)
w_adam_wd = train(torch.optim.Adam, data_loss, zeros, weight_decay=lam)
w_adamw = train(torch.optim.AdamW, data_loss, zeros, weight_decay=lam)
assert max_gap(w_adam_l2, w_adam_wd) < 1e-12 and max_gap(w_adam_l2, w_adamw) > 1e-2
print(f"SGD + L2 vs SGD + weight decay: max gap {max_gap(w_sgd_l2, w_sgd_wd):.1e}")
print(f"Adam + L2 vs AdamW:             max gap {max_gap(w_adam_l2, w_adamw):.1e}")


def unused_weight(optimizer_cls, strength, num_steps=50):
    """A weight w0 = 1 that the data never uses, after num_steps: only the regularizer moves it."""
    one = torch.ones(1, dtype=torch.float64)
    if optimizer_cls is torch.optim.AdamW:
        return train(optimizer_cls, lambda w: 0 * w.sum(), one, num_steps, weight_decay=strength).item()
    return train(optimizer_cls, lambda w: strength / 2 * (w**2).sum(), one, num_steps).item()


# Adam divides the L2 gradient λw by sqrt(v_hat), which is itself proportional to λ: λ cancels out.
# AdamW multiplies w by (1 - lr·λ) each step, so λ means the same thing as under SGD.
after_adam, after_adamw = {}, {}
for strength in (0.01, 0.1):
    after_adam[strength] = unused_weight(torch.optim.Adam, strength)
    after_adamw[strength] = unused_weight(torch.optim.AdamW, strength)
    print(f"lambda = {strength:4}: Adam + L2 -> {after_adam[strength]:.3f}, AdamW -> {after_adamw[strength]:.3f}")
    assert abs(after_adamw[strength] - (1 - lr * strength) ** 50) < 1e-12
assert abs(after_adam[0.01] - after_adam[0.1]) < 1e-5  # 10x the λ, (almost) no difference
