"""Label smoothing by hand: (1 - eps) * NLL + eps * mean_k(-log p_k), vs torch's label_smoothing."""
import torch
import torch.nn.functional as F


def label_smoothed_ce(z: torch.Tensor, y: torch.Tensor, eps: float) -> torch.Tensor:
    """Cross-entropy against q_k = (1 - eps) * [k == y] + eps / K, averaged over the batch."""
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"eps must be in [0, 1], got {eps}")
    log_p = F.log_softmax(z, dim=1)
    nll = -log_p[torch.arange(len(y)), y]
    uniform = -log_p.mean(dim=1)  # (1/K) * sum_k -log p_k: the true class is included
    return ((1 - eps) * nll + eps * uniform).mean()


torch.manual_seed(0)
n, K = 6, 5
z, y = torch.randn(n, K, dtype=torch.float64), torch.randint(0, K, (n,))
for eps in (0.0, 0.1, 0.3):
    torch_loss = F.cross_entropy(z, y, label_smoothing=eps)
    assert torch.allclose(label_smoothed_ce(z, y, eps), torch_loss)
    q = (1 - eps) * F.one_hot(y, K) + eps / K  # the smoothed target distribution
    assert torch.allclose(F.cross_entropy(z, q), torch_loss)  # same thing with soft targets

# The best prediction is p = q itself, which has finite logits; the loss there is H(q), not 0.
eps = 0.1
q = (1 - eps) * F.one_hot(y, K).double() + eps / K
at_q = label_smoothed_ce(q.log(), y, eps)
entropy_q = -(q * q.log()).sum(dim=1).mean()
overconfident = label_smoothed_ce(20 * F.one_hot(y, K).double(), y, eps)
assert torch.allclose(at_q, entropy_q) and overconfident > at_q
print(f"eps={eps}: loss at p=q is H(q) = {at_q.item():.4f}; logit 20 on the label costs {overconfident.item():.4f}")
