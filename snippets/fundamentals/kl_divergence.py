"""KL divergence KL(P || Q) = sum_x P(x) log(P(x) / Q(x)): never negative, zero only when P = Q, not symmetric."""
import torch


def kl_categorical(p: torch.Tensor, q: torch.Tensor) -> torch.Tensor:
    """KL(p || q) in nats for probability vectors over the last axis; terms with p = 0 contribute 0."""
    terms = torch.where(p > 0, p * (p.log() - q.log()), torch.zeros_like(p))
    return terms.sum(-1)


p = torch.tensor([0.70, 0.20, 0.05, 0.05])
q = torch.tensor([0.25, 0.25, 0.25, 0.25])
print(f"KL(p || q) = {kl_categorical(p, q):.4f} nats, KL(q || p) = {kl_categorical(q, p):.4f} nats")
assert kl_categorical(p, q) > 0 and kl_categorical(p, p) == 0
assert not torch.isclose(kl_categorical(p, q), kl_categorical(q, p))  # not a distance: order matters

# In RLHF the KL is estimated from samples y ~ p, one log-ratio at a time (Schulman 2020):
# k1 = log(p/q) is unbiased but can be negative; k3 = (q/p) - 1 - log(q/p) is unbiased and never negative.
torch.manual_seed(0)
y = torch.multinomial(p, 200_000, replacement=True)
log_ratio = p.log()[y] - q.log()[y]
k1, k3 = log_ratio, torch.exp(-log_ratio) - 1 + log_ratio
print(f"from 200,000 samples: k1 {k1.mean():.4f}, k3 {k3.mean():.4f}; k1 < 0 on {(k1 < 0).float().mean():.0%} of samples")
assert abs(k1.mean() - kl_categorical(p, q)) < 0.01 and abs(k3.mean() - kl_categorical(p, q)) < 0.01
assert (k3 >= 0).all() and (k1 < 0).any()
