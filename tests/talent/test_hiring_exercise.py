"""The candidate test-suite of the attention take-home, run against the reference solution and
the planted wrong one: every check passes for the reference, the listed checks fail for the bug."""
import importlib
import math

import pytest
import torch

from talent.hiring_exercise_checks import CHECKS, failures, sdpa_attention

# module -> the checks it must fail (the reference must fail none)
SOLUTIONS = {
    "talent.hiring_exercise_reference": set(),
    "talent.hiring_exercise_planted_bug": {
        "matches_sdpa", "matches_nn_multihead", "causal", "first_token", "prefix_mean", "gradients",
    },
}


def submission(module_name):
    return importlib.import_module(module_name).causal_self_attention


@pytest.mark.parametrize("check", CHECKS)
@pytest.mark.parametrize("module_name", SOLUTIONS)
def test_each_check(module_name, check):
    fn = submission(module_name)
    if check in SOLUTIONS[module_name]:
        with pytest.raises(AssertionError):
            CHECKS[check](fn)
    else:
        CHECKS[check](fn)


@pytest.mark.parametrize("module_name", SOLUTIONS)
def test_failures_are_exactly_the_expected_ones(module_name):
    assert set(failures(submission(module_name))) == SOLUTIONS[module_name]


def test_planted_bug_is_caught_by_the_causality_check():
    failed = failures(submission("talent.hiring_exercise_planted_bug"))
    assert failed, "the planted bug must not pass the suite"
    assert "causal" in failed  # the page names this check as the one that exposes the leak
    assert "shape" not in failed  # ...while the bug still looks plausible


def test_reference_rejects_heads_that_do_not_divide_d_model():
    x = torch.zeros(1, 3, 6)
    with pytest.raises(ValueError, match="not divisible by num_heads=4"):
        submission("talent.hiring_exercise_reference")(x, torch.zeros(18, 6), torch.zeros(6, 6), 4)


# Other classic mistakes, built from trusted pieces, and the checks the page says catch them.
def scaled_by_d_model(x, w_qkv, w_out, num_heads):
    d_model = x.shape[-1]
    w = w_qkv.clone()
    w[:d_model] *= math.sqrt(d_model // num_heads) / d_model  # scores / d_model instead of / sqrt(d_head)
    return sdpa_attention(x, w, w_out, num_heads)


def no_causal_mask(x, w_qkv, w_out, num_heads):
    batch, seq, d_model = x.shape
    q, k, v = (t.view(batch, seq, num_heads, -1).transpose(1, 2) for t in (x @ w_qkv.T).split(d_model, -1))
    out = torch.nn.functional.scaled_dot_product_attention(q, k, v)  # is_causal forgotten
    return out.transpose(1, 2).reshape(batch, seq, d_model) @ w_out.T


def naive_softmax(x, w_qkv, w_out, num_heads):
    batch, seq, d_model = x.shape
    q, k, v = (t.view(batch, seq, num_heads, -1).transpose(1, 2) for t in (x @ w_qkv.T).split(d_model, -1))
    scores = q @ k.transpose(-2, -1) / math.sqrt(d_model // num_heads)
    scores = scores.masked_fill(torch.ones(seq, seq, dtype=torch.bool).triu(1), float("-inf"))
    weights = scores.exp() / scores.exp().sum(-1, keepdim=True)  # no max subtraction
    return (weights @ v).transpose(1, 2).reshape(batch, seq, d_model) @ w_out.T


@pytest.mark.parametrize(
    "mutant, expected",
    [
        (scaled_by_d_model, {"matches_sdpa", "matches_nn_multihead", "gradients"}),
        (no_causal_mask, SOLUTIONS["talent.hiring_exercise_planted_bug"]),
        (naive_softmax, {"stable"}),
    ],
)
def test_suite_catches_other_classic_mistakes(mutant, expected):
    assert set(failures(mutant)) == expected
