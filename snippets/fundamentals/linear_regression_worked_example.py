"""Linear regression ŷ = θ0 + θ1·x by gradient descent: the gradient by hand, checked with autograd."""
import torch

x = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
y = torch.tensor([2.0, 4.0, 6.0], dtype=torch.float64)  # on the line y = 2x: the best fit is θ = (0, 2)


def mse(theta0, theta1):
    return ((y - (theta0 + theta1 * x)) ** 2).mean()


def gradient(theta0, theta1):
    """(∂J/∂θ0, ∂J/∂θ1) for J = mean((y - ŷ)²). Both carry a minus sign; only ∂J/∂θ1 has x_i."""
    residual = y - (theta0 + theta1 * x)
    return float(-2 * residual.mean()), float(-2 * (residual * x).mean())


def gradient_descent(lr, num_steps, theta0=0.0, theta1=0.0):
    """Returns [(θ0, θ1, J)] before the first step and after every step (simultaneous update)."""
    history = [(theta0, theta1, float(mse(theta0, theta1)))]
    for _ in range(num_steps):
        g0, g1 = gradient(theta0, theta1)
        theta0, theta1 = theta0 - lr * g0, theta1 - lr * g1
        history.append((theta0, theta1, float(mse(theta0, theta1))))
    return history


# The hand-derived gradient agrees with autograd at the start and after one step.
for t0, t1 in [(0.0, 0.0), (0.4, 14 / 15)]:
    theta = torch.tensor([t0, t1], dtype=torch.float64, requires_grad=True)
    mse(theta[0], theta[1]).backward()
    assert torch.allclose(theta.grad, torch.tensor(gradient(t0, t1), dtype=torch.float64))

assert gradient(0.0, 0.0) == (-8.0, -56 / 3)  # -(2/3)(2+4+6), -(2/3)(2+8+18)
history = gradient_descent(lr=0.05, num_steps=3)
print(" step   theta0   theta1        J   y_hat(x=4)")
for step, (t0, t1, loss) in enumerate(history):
    print(f"{step:5d} {t0:8.4f} {t1:8.4f} {loss:8.4f} {t0 + 4 * t1:12.4f}")
assert [round(t, 4) for t in history[1][:2]] == [0.4, 0.9333]
assert all(a[2] > b[2] for a, b in zip(history, history[1:]))  # the loss falls at every step

t0, t1, loss = gradient_descent(lr=0.05, num_steps=2000)[-1]
assert abs(t0) < 1e-6 and abs(t1 - 2) < 1e-6 and loss < 1e-12
print(f"after 2000 steps: theta = ({t0:.6f}, {t1:.6f}), y_hat(4) = {t0 + 4 * t1:.4f}")
