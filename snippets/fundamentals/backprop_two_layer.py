"""Backprop in matrix form for a two-layer tanh network, checked against torch.autograd."""
import torch


def two_layer_grads(X, Y, W1, b1, W2, b2):
    """Hand-written gradients of L = mean over the batch of ||y_hat - y||^2 / 2."""
    B = X.shape[0]
    Z1 = X @ W1.T + b1  # (B, n1) pre-activations
    H = torch.tanh(Z1)  # (B, n1)
    Y_hat = H @ W2.T + b2  # (B, n2), linear output layer
    D2 = (Y_hat - Y) / B  # delta2 = dL/dY_hat, (B, n2); 1/B from the batch mean
    dW2 = D2.T @ H  # (n2, n1) = sum over the batch of delta2 h^T
    db2 = D2.sum(dim=0)
    D1 = (D2 @ W2) * (1 - H**2)  # delta1 = (W2^T delta2) ⊙ tanh'(z1), (B, n1)
    dW1 = D1.T @ X  # (n1, n0)
    db1 = D1.sum(dim=0)
    return dW1, db1, dW2, db2


torch.manual_seed(0)
B, n0, n1, n2 = 8, 3, 4, 2  # batch size, input, hidden and output widths
X = torch.randn(B, n0, dtype=torch.float64)
Y = torch.randn(B, n2, dtype=torch.float64)
params = [torch.randn(n1, n0, dtype=torch.float64), torch.randn(n1, dtype=torch.float64),
          torch.randn(n2, n1, dtype=torch.float64), torch.randn(n2, dtype=torch.float64)]
for p in params:
    p.requires_grad_()
W1, b1, W2, b2 = params

loss = 0.5 * ((torch.tanh(X @ W1.T + b1) @ W2.T + b2 - Y) ** 2).sum(dim=1).mean()
loss.backward()
with torch.no_grad():
    by_hand = two_layer_grads(X, Y, W1, b1, W2, b2)
max_diff = max((g - p.grad).abs().max().item() for g, p in zip(by_hand, params))
assert all(g.shape == p.shape for g, p in zip(by_hand, params))
assert max_diff < 1e-12
print(f"loss {loss.item():.4f}; hand-written vs autograd, max abs diff {max_diff:.1e}")
