"""BCE from logits: max(x, 0) - x*y + log(1 + exp(-|x|)), and why sigmoid + BCELoss breaks."""
import torch
import torch.nn.functional as F


def bce_with_logits(x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
    """Mean of -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))], computed without sigmoid."""
    if x.shape != y.shape:
        raise ValueError(f"shapes differ: {tuple(x.shape)} vs {tuple(y.shape)}")
    return (x.clamp(min=0) - x * y + torch.log1p(torch.exp(-x.abs()))).mean()


torch.manual_seed(0)
x, y = 3 * torch.randn(8), torch.randint(0, 2, (8,)).float()
assert torch.allclose(bce_with_logits(x, y), F.binary_cross_entropy_with_logits(x, y))
assert torch.allclose(F.binary_cross_entropy(torch.sigmoid(x), y),  # moderate logits: same value
                      F.binary_cross_entropy_with_logits(x, y), atol=1e-6)

# A confident mistake: logit 40 for a negative example. In float32 sigmoid(40) rounds to 1.0.
logit = torch.tensor([40.0], requires_grad=True)
target = torch.tensor([0.0])
naive = F.binary_cross_entropy(torch.sigmoid(logit), target)
naive.backward()
naive_grad, logit.grad = logit.grad.item(), None
stable = F.binary_cross_entropy_with_logits(logit, target)
stable.backward()
assert naive.item() == 100.0 and naive_grad == 0.0  # log clamped at -100, and no gradient at all
assert abs(stable.item() - 40.0) < 1e-5 and abs(logit.grad.item() - 1.0) < 1e-6  # grad = sigmoid(x) - y
print(f"logit 40, label 0: sigmoid + BCELoss = {naive.item():.1f} (grad {naive_grad}), "
      f"BCEWithLogits = {stable.item():.1f} (grad {logit.grad.item():.1f})")
