"""Binary cross-entropy: the worked example y = [1, 0, 1, 0], y_hat = [0.7, 0.3, 0.6, 0.4]."""
import torch
import torch.nn.functional as F


def bce_terms(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Per-sample -[y log y_hat + (1 - y) log(1 - y_hat)] for probabilities y_hat."""
    if y_hat.shape != y.shape:
        raise ValueError(f"shapes differ: {tuple(y_hat.shape)} vs {tuple(y.shape)}")
    if ((y_hat < 0) | (y_hat > 1)).any():
        raise ValueError("y_hat must be probabilities in [0, 1]; pass logits to F.binary_cross_entropy_with_logits")
    return -(y * torch.log(y_hat) + (1 - y) * torch.log(1 - y_hat))


def bce(y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean binary cross-entropy, the default reduction of F.binary_cross_entropy."""
    return bce_terms(y_hat, y).mean()


y = torch.tensor([1.0, 0.0, 1.0, 0.0], dtype=torch.float64)
y_hat = torch.tensor([0.7, 0.3, 0.6, 0.4], dtype=torch.float64)
terms = bce_terms(y_hat, y)
assert [round(t, 4) for t in terms.tolist()] == [0.3567, 0.3567, 0.5108, 0.5108]
assert round(terms.sum().item(), 4) == 1.7350
assert round(bce(y_hat, y).item(), 4) == 0.4338
assert torch.allclose(bce(y_hat, y), F.binary_cross_entropy(y_hat, y))

# Without the (1 - y) term the negatives vanish: predicting 1 everywhere would cost nothing.
ones = torch.ones_like(y)
positives_only = -(y * torch.log(ones)).mean()
assert positives_only.item() == 0.0 and F.binary_cross_entropy(ones, y).item() == 50.0  # log clamped at -100
print(f"terms {[round(t, 4) for t in terms.tolist()]}, sum {terms.sum().item():.4f}, mean {bce(y_hat, y).item():.4f}")
