"""Mean squared error by hand vs F.mse_loss, and its gradient vs autograd."""
import torch
import torch.nn.functional as F


def mse(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """(1/n) * sum of (y_i - y_hat_i)^2 over all n elements."""
    if y_hat.shape != y.shape:  # broadcasting (n, 1) against (n,) silently gives an (n, n) loss
        raise ValueError(f"shapes differ: {tuple(y_hat.shape)} vs {tuple(y.shape)}")
    return ((y - y_hat) ** 2).mean()


y = torch.tensor([3.0, -0.5, 2.0, 7.0])
y_hat = torch.tensor([2.5, 0.0, 2.0, 8.0], requires_grad=True)
loss = mse(y_hat, y)
assert torch.allclose(loss, F.mse_loss(y_hat, y))
assert abs(loss.item() - 0.375) < 1e-7  # (0.25 + 0.25 + 0 + 1) / 4

loss.backward()
by_hand = -2 / y.numel() * (y - y_hat.detach())  # dMSE/dy_hat_i = -(2/n)(y_i - y_hat_i)
assert torch.allclose(y_hat.grad, by_hand)
print(f"MSE = {loss.item():.4f}, gradient = {[round(g, 4) + 0.0 for g in y_hat.grad.tolist()]}")
