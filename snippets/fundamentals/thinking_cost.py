"""Test-time compute: what many tries buy (pass@k, from the evaluation chapter) and what thinking costs."""
import sys
from pathlib import Path

try:
    from fundamentals.pass_at_k import pass_at_k  # the unbiased estimator of Chen et al. (2021)
except ImportError:  # run directly: python snippets/fundamentals/thinking_cost.py
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
    from fundamentals.pass_at_k import pass_at_k


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
