"""Speculative decoding: a small draft model proposes gamma tokens, the target model checks them in one pass."""
import torch


def expected_tokens_per_step(alpha: float, gamma: int) -> float:
    """Leviathan et al. 2023, eq. 1: tokens per target pass when each draft token is accepted with
    probability alpha, independently: 1 + alpha + ... + alpha^gamma."""
    if not 0 <= alpha <= 1 or gamma < 0:
        raise ValueError(f"need 0 <= alpha <= 1 and gamma >= 0, got alpha={alpha}, gamma={gamma}")
    return gamma + 1.0 if alpha == 1 else (1 - alpha ** (gamma + 1)) / (1 - alpha)


def walltime_speedup(alpha: float, gamma: int, c: float) -> float:
    """Their Theorem 3.8: one step costs gamma draft passes (c each, relative to the target) plus one target pass."""
    return expected_tokens_per_step(alpha, gamma) / (gamma * c + 1)


def acceptance_rate(p: torch.Tensor, q: torch.Tensor) -> float:
    """alpha = sum_x min(p(x), q(x)): the chance that the draft's sample survives the check."""
    return torch.minimum(p, q).sum().item()


def verify(p: torch.Tensor, q: torch.Tensor, draft: torch.Tensor, generator: torch.Generator) -> tuple:
    """For draft tokens x ~ q: keep x with probability min(1, p(x)/q(x)); otherwise sample a
    replacement from norm(max(0, p - q)). The tokens that come out are distributed exactly as p."""
    keep = torch.rand(draft.shape, generator=generator) < (p[draft] / q[draft]).clamp(max=1)
    residual = (p - q).clamp(min=0)
    replacement = torch.multinomial(residual / residual.sum(), draft.numel(), replacement=True,
                                    generator=generator)
    return torch.where(keep, draft, replacement), keep


for alpha in (0.6, 0.8, 0.9):
    print(f"alpha {alpha}: " + ", ".join(f"gamma {g}: {expected_tokens_per_step(alpha, g):.2f} tokens"
                                         for g in (1, 3, 5)))
assert round(expected_tokens_per_step(0.8, 5), 2) == 3.69
assert round(walltime_speedup(0.8, 5, 0.05), 2) == 2.95

g = torch.Generator().manual_seed(0)
p = torch.tensor([0.5, 0.3, 0.15, 0.05])  # target model's next-token distribution
q = torch.tensor([0.4, 0.2, 0.2, 0.2])  # draft model's
draft = torch.multinomial(q, 200_000, replacement=True, generator=g)
tokens, keep = verify(p, q, draft, g)
freq = torch.bincount(tokens, minlength=4).float() / tokens.numel()
print(f"alpha = {acceptance_rate(p, q):.2f}, measured {keep.float().mean():.3f}; output frequencies "
      f"{[round(f, 3) for f in freq.tolist()]} vs target {[round(x, 3) for x in p.tolist()]}")
assert abs(keep.float().mean().item() - acceptance_rate(p, q)) < 0.005
assert (freq - p).abs().max() < 0.005
