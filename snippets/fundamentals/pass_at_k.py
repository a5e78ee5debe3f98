"""Test-time compute: pass@k from n samples (unbiased estimator of Chen et al. 2021) and what thinking costs."""
from math import comb


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k answers drawn from n samples (c of them correct) is correct."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    return 1.0 - comb(n - c, k) / comb(n, k)


def answer_flops(n_params: float, tokens: float) -> float:
    """About 2N FLOPs per generated token (see the inference-cost section), times the tokens generated."""
    if n_params <= 0 or tokens <= 0:
        raise ValueError(f"parameters and tokens must be positive, got {n_params}, {tokens}")
    return 2 * n_params * tokens


# 200 samples of one problem, 30 correct: a single try succeeds 15% of the time, 16 tries 93% of the time,
# provided something (a verifier, unit tests, a majority vote) can pick the right one out.
for k in (1, 4, 16, 64):
    print(f"pass@{k:<2} = {pass_at_k(200, 30, k):.3f}")
assert round(pass_at_k(200, 30, 1), 2) == 0.15 and round(pass_at_k(200, 30, 16), 2) == 0.93

# Thinking costs tokens: a 70B model writing a 10,000-token reasoning trace instead of a 500-token answer.
short, long = answer_flops(70e9, 500), answer_flops(70e9, 10_000)
print(f"500 tokens: {short:.1e} FLOPs; 10,000 tokens: {long:.1e} FLOPs ({long / short:.0f}x)")
assert long / short == 20
