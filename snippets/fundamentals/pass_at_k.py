"""pass@k for code benchmarks: the unbiased estimator of Chen et al. (2021) from n samples, c of them correct."""
from math import comb


def pass_at_k(n: int, c: int, k: int) -> float:
    """Probability that at least one of k samples, drawn without replacement from the n generated,
    passes the unit tests: 1 - C(n - c, k) / C(n, k)."""
    if not 0 <= c <= n or not 1 <= k <= n:
        raise ValueError(f"need 0 <= c <= n and 1 <= k <= n, got n={n}, c={c}, k={k}")
    return 1.0 - comb(n - c, k) / comb(n, k)


# 200 samples per problem, 10 of them pass: pass@1 is 5%, but pass@10 is 41%.
print({k: round(pass_at_k(200, 10, k), 3) for k in (1, 10, 100)})
assert round(pass_at_k(200, 10, 1), 12) == 0.05 and round(pass_at_k(200, 10, 10), 2) == 0.41
# The naive 1 - (1 - c/n)^k (sampling with replacement) is a different, biased number.
assert abs((1 - (1 - 10 / 200) ** 10) - pass_at_k(200, 10, 10)) > 0.005
