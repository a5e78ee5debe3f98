"""Cross-entropy from logits with log-sum-exp, checked against F.cross_entropy and F.nll_loss."""
import torch
import torch.nn.functional as F


def log_softmax(z: torch.Tensor) -> torch.Tensor:
    """log p_k = z_k - m - log sum_j exp(z_j - m), with m the row maximum (no overflow)."""
    m = z.max(dim=1, keepdim=True).values
    return z - m - torch.log(torch.exp(z - m).sum(dim=1, keepdim=True))


def cross_entropy(z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean of -log p_{i, y_i} for logits z of shape (n, K) and class indices y of shape (n,)."""
    if z.ndim != 2 or y.shape != (z.shape[0],):
        raise ValueError(f"need logits (n, K) and labels (n,), got {tuple(z.shape)}, {tuple(y.shape)}")
    return -log_softmax(z)[torch.arange(len(y)), y].mean()


torch.manual_seed(0)
z = torch.randn(5, 4, requires_grad=True)  # 5 samples, 4 classes
y = torch.tensor([0, 3, 1, 1, 2])
loss = cross_entropy(z, y)
assert torch.allclose(loss, F.cross_entropy(z, y))
assert torch.allclose(loss, F.nll_loss(F.log_softmax(z, dim=1), y))  # CE = log_softmax + NLL
loss.backward()
p = torch.softmax(z.detach(), dim=1)
assert torch.allclose(z.grad, (p - F.one_hot(y, 4)) / len(y))  # dL/dz = (p - onehot(y)) / n

# Softmax first, log afterwards fails in float32: exp(1000) overflows, e^-120 underflows to 0.
huge = torch.tensor([[1000.0, 0.0]])
assert torch.isnan(torch.exp(huge) / torch.exp(huge).sum()).any()
wrong = torch.tensor([[0.0, -120.0]])
assert torch.isinf(-torch.log(torch.softmax(wrong, dim=1))[0, 1])
assert abs(cross_entropy(wrong, torch.tensor([1])).item() - 120.0) < 1e-3
assert abs(F.cross_entropy(huge, torch.tensor([1])).item() - 1000.0) < 1e-3

# Feeding probabilities instead of logits runs without error but computes another loss.
assert not torch.allclose(F.cross_entropy(p, y), F.cross_entropy(z.detach(), y))
print(f"CE = {loss.item():.4f}; logits [0, -120] -> loss {cross_entropy(wrong, torch.tensor([1])).item():.1f}")
