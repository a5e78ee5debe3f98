"""Error bars on an eval score: the bootstrap, paired comparisons, and how many questions a 2-point gain needs."""
import math
from statistics import NormalDist

import torch


def normal_ci(scores: torch.Tensor, level: float = 0.95) -> tuple[float, float]:
    """Mean +- z * standard error, with standard error sd / sqrt(n) (sqrt(p(1-p)/n) for 0/1 scores)."""
    z = NormalDist().inv_cdf(0.5 + level / 2)
    mean, se = scores.mean().item(), scores.std(correction=0).item() / math.sqrt(len(scores))
    return mean - z * se, mean + z * se


def bootstrap_means(scores: torch.Tensor, n_boot: int = 4_000, seed: int = 0) -> torch.Tensor:
    """Means of n_boot resamples of the questions, drawn with replacement."""
    g = torch.Generator().manual_seed(seed)
    idx = torch.randint(len(scores), (n_boot, len(scores)), generator=g)
    return scores[idx].mean(dim=1)


def bootstrap_ci(scores: torch.Tensor, level: float = 0.95, n_boot: int = 4_000, seed: int = 0) -> tuple[float, float]:
    """Percentile bootstrap: the middle `level` of the resampled means."""
    means = bootstrap_means(scores, n_boot, seed)
    tail = (1 - level) / 2
    return torch.quantile(means, tail).item(), torch.quantile(means, 1 - tail).item()


def paired_ci(a: torch.Tensor, b: torch.Tensor, level: float = 0.95, seed: int = 0) -> tuple[float, float]:
    """Two models on the same questions: resample questions, keep each question's pair together."""
    return bootstrap_ci(b - a, level, seed=seed)


def examples_needed(delta: float, variance: float, alpha: float = 0.05, power: float = 0.8) -> int:
    """Questions needed to detect a true gain `delta` with a two-sided test at level alpha and the
    given power; `variance` is that of one question's score difference."""
    z = NormalDist().inv_cdf(1 - alpha / 2) + NormalDist().inv_cdf(power)
    return math.ceil(z**2 * variance / delta**2)


# A claimed gain from 70% to 72%. Two independent question sets: variance p(1-p) + p'(1-p').
unpaired = examples_needed(0.02, 0.70 * 0.30 + 0.72 * 0.28)
# The same questions for both, which disagree on 10% of them: variance 0.10 - 0.02^2.
paired = examples_needed(0.02, 0.10 - 0.02**2)
print(f"a 2-point gain needs {unpaired:,} questions per model (unpaired) or {paired:,} (paired)")
assert (unpaired, paired) == (8_077, 1_955)

torch.manual_seed(0)
u = torch.rand(1_000)  # 1,000 questions; B is truly 2 points better than A
same = (torch.rand(1_000) < 0.66 / 0.90).float()  # on 90% they agree, right 66 / 90 of the time
a = torch.where(u < 0.06, 0.0, torch.where(u < 0.10, 1.0, same))  # 4%: only A right
b = torch.where(u < 0.06, 1.0, torch.where(u < 0.10, 0.0, same))  # 6%: only B right
low, high = bootstrap_ci(a)
print(f"A: {a.mean():.1%}, 95% bootstrap CI [{low:.1%}, {high:.1%}], "
      f"normal [{normal_ci(a)[0]:.1%}, {normal_ci(a)[1]:.1%}]")
assert high - low > 0.05  # about +-2.8 points: wider than the gain we want to see
d_low, d_high = paired_ci(a, b)
print(f"B - A = {(b - a).mean():+.1%}, paired 95% CI [{d_low:+.1%}, {d_high:+.1%}]")
assert d_high - d_low < high - low  # pairing narrows the interval on the difference
