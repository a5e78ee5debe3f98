"""Gradient descent on J(θ) = mean((y - θx)²): by hand, then by autograd, with the same numbers."""
import torch

x = torch.tensor([1.0, 2.0, 3.0, 4.0, 5.0], dtype=torch.float64)
y = 2 * x  # the points lie on y = 2x, so the best θ is 2


def loss(theta):
    return ((y - theta * x) ** 2).mean()


def grad_by_hand(theta):
    # dJ/dθ = -(2/n) Σ (y_i - θ x_i) x_i
    return float(-2 * ((y - theta * x) * x).mean())


def descend_by_hand(lr, steps, theta=0.0):
    thetas = [theta]
    for _ in range(steps):
        theta = theta - lr * grad_by_hand(theta)
        thetas.append(theta)
    return thetas


def descend_by_autograd(lr, steps, theta=0.0):
    theta = torch.tensor(theta, dtype=torch.float64, requires_grad=True)
    optimizer = torch.optim.SGD([theta], lr=lr)
    thetas = [theta.item()]
    for _ in range(steps):
        optimizer.zero_grad()
        loss(theta).backward()  # autograd writes dJ/dθ into theta.grad
        optimizer.step()  # θ ← θ - lr · theta.grad
        thetas.append(theta.item())
    return thetas


curvature = 2 * (x**2).mean().item()  # L = J''(θ) = (2/n) Σ x_i² = 22
by_hand = descend_by_hand(lr=0.01, steps=50)
by_autograd = descend_by_autograd(lr=0.01, steps=50)
assert max(abs(a - b) for a, b in zip(by_hand, by_autograd)) < 1e-12
assert [round(t, 4) for t in by_hand[:3]] == [0.0, 0.44, 0.7832]
assert abs(by_hand[-1] - 2.0) < 1e-4  # converges to θ* = 2

too_large = descend_by_hand(lr=0.1, steps=4)  # 0.1 > 2/L ≈ 0.0909: each step overshoots more
assert [round(t, 3) for t in too_large] == [0.0, 4.4, -0.88, 5.456, -2.147]

print(f"L = {curvature:g}, stable step sizes: 0 < lr < {2 / curvature:.4f}")
print("lr=0.01:", [round(t, 4) for t in by_hand[:4]], "...", round(by_hand[-1], 6))
print("lr=0.1: ", [round(t, 3) for t in too_large])
