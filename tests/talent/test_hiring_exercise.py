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
        (scaled_by_d_model, {"matches_sdpa", "matches_nn_multihead", "gradients", "no_forbidden_api"}),
        (no_causal_mask, SOLUTIONS["talent.hiring_exercise_planted_bug"] | {"no_forbidden_api"}),
        (naive_softmax, {"stable"}),
    ],
)
def test_suite_catches_other_classic_mistakes(mutant, expected):
    assert set(failures(mutant)) == expected


# Rule 1 of the task (no fused attention) is enforced by the `no_forbidden_api` check. A submission
# that reaches a fused kernel by any route fails it, even when its numbers are perfect.
def _heads(x, w_qkv, num_heads):
    batch, seq, d_model = x.shape
    return [t.view(batch, seq, num_heads, -1).transpose(1, 2) for t in (x @ w_qkv.T).split(d_model, -1)]


def _merge(out, x, w_out):
    batch, seq, d_model = x.shape
    return out.transpose(1, 2).reshape(batch, seq, d_model) @ w_out.T


def via_aten(x, w_qkv, w_out, num_heads):
    return _merge(torch.ops.aten.scaled_dot_product_attention(*_heads(x, w_qkv, num_heads), is_causal=True), x, w_out)


def via_torch_c(x, w_qkv, w_out, num_heads):
    return _merge(torch._C._nn.scaled_dot_product_attention(*_heads(x, w_qkv, num_heads), is_causal=True), x, w_out)


def via_nn_module(x, w_qkv, w_out, num_heads):
    seq, d_model = x.shape[1], x.shape[2]
    mha = torch.nn.MultiheadAttention(d_model, num_heads, bias=False, batch_first=True).to(x.dtype)
    with torch.no_grad():  # copying the weights in cuts the autograd path to w_qkv and w_out
        mha.in_proj_weight.copy_(w_qkv)
        mha.out_proj.weight.copy_(w_out)
    future = torch.ones(seq, seq, dtype=torch.bool).triu(1)
    return mha(x, x, x, attn_mask=future, need_weights=False)[0]


@pytest.mark.parametrize("cheat", [sdpa_attention, via_aten, via_torch_c, via_nn_module])
def test_forbidden_api_is_caught_by_any_route(cheat):
    # right numbers (matches_sdpa passes), wrong rule (no_forbidden_api fails)
    CHECKS["matches_sdpa"](cheat)
    with pytest.raises(AssertionError):
        CHECKS["no_forbidden_api"](cheat)


def test_the_trusted_answer_fails_only_the_rule():
    assert failures(sdpa_attention) == ["no_forbidden_api"]


def test_forbidden_api_check_restores_torch():
    sdpa, mha_forward = torch.nn.functional.scaled_dot_product_attention, torch.nn.MultiheadAttention.forward
    with pytest.raises(AssertionError):
        CHECKS["no_forbidden_api"](sdpa_attention)
    assert torch.nn.functional.scaled_dot_product_attention is sdpa
    assert torch.nn.MultiheadAttention.forward is mha_forward


# More hand-written wrong solutions, beyond the page's list: each differs from the reference in one
# line, and the expected failures follow from what each check can see.
def _hand(x, w_qkv, w_out, num_heads, diagonal=1, scale=None, dim=-1, project=True, split_heads=True):
    batch, seq, d_model = x.shape
    if split_heads:
        q, k, v = _heads(x, w_qkv, num_heads)
    else:  # reshapes (B, T, D) straight to (B, H, T, D/H): mixes positions across heads
        q, k, v = (t.reshape(batch, num_heads, seq, -1) for t in (x @ w_qkv.T).split(d_model, -1))
    scores = q @ k.transpose(-2, -1) / (scale or math.sqrt(d_model // num_heads))
    scores = scores.masked_fill(torch.ones(seq, seq, dtype=torch.bool).triu(diagonal), float("-inf"))
    out = (torch.softmax(scores, dim=dim) @ v).transpose(1, 2).reshape(batch, seq, d_model)
    return out @ w_out.T if project else out


CAUSAL_FAMILY = {"matches_sdpa", "matches_nn_multihead", "causal", "first_token", "prefix_mean", "gradients"}


@pytest.mark.parametrize(
    "kwargs, expected",
    [
        (dict(diagonal=0), CAUSAL_FAMILY | {"stable"}),  # masks the diagonal too: row 0 is all -inf, NaN
        (dict(diagonal=2), CAUSAL_FAMILY),  # lets one future token through
        (dict(dim=-2), CAUSAL_FAMILY),  # softmax over queries instead of keys
        (dict(split_heads=False), CAUSAL_FAMILY),  # heads split without the transpose
        (dict(project=False), CAUSAL_FAMILY - {"causal"}),  # no output projection: still causal
        (dict(scale=math.sqrt(8)), {"matches_sdpa", "matches_nn_multihead", "gradients"}),  # sqrt(d_model)
        (dict(scale=8), {"matches_sdpa", "matches_nn_multihead", "gradients"}),  # the page's d_model row, by hand
    ],
)
def test_suite_catches_more_wrong_solutions(kwargs, expected):
    assert set(failures(lambda x, w, o, h: _hand(x, w, o, h, **kwargs))) == expected


def test_the_hand_written_variant_without_a_mistake_passes():
    assert failures(_hand) == []
