"""Checks for docs/fundamentals/normalization.*.md: the three norms against torch.nn, init variances, depth."""
import math

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from fundamentals.depth_and_init import relu_stack_norms, residual_stream, stream_mean_square
from fundamentals.norms_by_hand import batch_norm_eval, batch_norm_train, layer_norm, rms_norm


@pytest.mark.parametrize("momentum, eps, batch", [(0.1, 1e-5, 16), (0.3, 1e-3, 2), (0.05, 1e-5, 64)])
def test_batch_norm_train_and_eval_match_nn_batchnorm1d(momentum, eps, batch):
    torch.manual_seed(batch)
    C = 6
    bn = nn.BatchNorm1d(C, eps=eps, momentum=momentum).double()
    with torch.no_grad():
        bn.weight.normal_()
        bn.bias.normal_()
    gamma, beta = bn.weight.detach(), bn.bias.detach()
    running_mean, running_var = torch.zeros(C, dtype=torch.float64), torch.ones(C, dtype=torch.float64)
    for _ in range(4):
        x = (5 * torch.randn(batch, C, dtype=torch.float64) - 3).requires_grad_()
        ours = batch_norm_train(x, gamma, beta, running_mean, running_var, momentum, eps)
        (g_ours,) = torch.autograd.grad(ours.sin().sum(), x)
        ref = bn(x)
        (g_ref,) = torch.autograd.grad(ref.sin().sum(), x)
        torch.testing.assert_close(ours, ref)
        torch.testing.assert_close(g_ours, g_ref)  # gradients flow through the batch statistics too
    torch.testing.assert_close(running_mean, bn.running_mean)
    torch.testing.assert_close(running_var, bn.running_var)
    bn.eval()
    x = torch.randn(3, C, dtype=torch.float64)
    torch.testing.assert_close(batch_norm_eval(x, gamma, beta, running_mean, running_var, eps), bn(x))


def test_running_variance_is_unbiased_and_batch_variance_biased():
    x = torch.tensor([[0.0], [2.0]])  # mean 1, biased variance 1, unbiased variance 2
    bn = nn.BatchNorm1d(1, momentum=1.0, affine=False)  # momentum 1: running stats = this batch's
    y = bn(x)
    assert bn.running_mean.item() == 1.0 and bn.running_var.item() == 2.0
    torch.testing.assert_close(y, torch.tensor([[-1.0], [1.0]]) / math.sqrt(1 + 1e-5))


@pytest.mark.parametrize("shape", [(4, 10), (2, 3, 7, 32)])
def test_layer_norm_matches_nn_layernorm_and_functional(shape):
    torch.manual_seed(1)
    d = shape[-1]
    ln = nn.LayerNorm(d).double()
    with torch.no_grad():
        ln.weight.normal_()
        ln.bias.normal_()
    x = (3 * torch.randn(*shape, dtype=torch.float64) + 2).requires_grad_()
    ours = layer_norm(x, ln.weight, ln.bias)
    torch.testing.assert_close(ours, ln(x))
    torch.testing.assert_close(ours, F.layer_norm(x, (d,), ln.weight, ln.bias))
    g_ours = torch.autograd.grad(ours.pow(3).sum(), x)[0]
    torch.testing.assert_close(g_ours, torch.autograd.grad(ln(x).pow(3).sum(), x)[0])


@pytest.mark.parametrize("dtype", [torch.float32, torch.float64])
def test_rms_norm_matches_nn_rmsnorm(dtype):
    torch.manual_seed(2)
    rms = nn.RMSNorm(24, dtype=dtype)  # eps=None means torch.finfo(dtype).eps
    with torch.no_grad():
        rms.weight.normal_()
    x = torch.randn(5, 9, 24, dtype=dtype) * 7
    torch.testing.assert_close(rms_norm(x, rms.weight, eps=torch.finfo(dtype).eps), rms(x))
    torch.testing.assert_close(rms_norm(x, rms.weight, eps=1e-6), F.rms_norm(x, (24,), rms.weight, eps=1e-6))
    # RMSNorm equals LayerNorm (without bias) exactly when each token already has mean zero
    centred = x - x.mean(-1, keepdim=True)
    torch.testing.assert_close(rms_norm(centred, rms.weight, eps=1e-5),
                               F.layer_norm(centred, (24,), rms.weight, None, eps=1e-5))


def test_xavier_and_kaiming_variances_follow_their_formulas():
    torch.manual_seed(3)
    w = torch.empty(800, 1200)  # nn.Linear layout (fan_out, fan_in)
    nn.init.xavier_normal_(w)
    assert w.var().item() == pytest.approx(2 / (1200 + 800), rel=0.02)
    nn.init.kaiming_normal_(w, nonlinearity="relu")
    assert w.var().item() == pytest.approx(2 / 1200, rel=0.02)


@pytest.mark.parametrize("name, init, factor", [
    ("normal 0.1", lambda w: nn.init.normal_(w, std=0.1), 256 * 0.01 / 2),  # n Var(W) / 2 per layer
    ("xavier", nn.init.xavier_normal_, 0.5),
    ("kaiming", lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"), 1.0),
])
def test_activation_mean_square_changes_by_n_var_w_over_2_per_relu_layer(name, init, factor):
    acts, grads = relu_stack_norms(init, n_layers=20, width=256, batch=512, seed=4)
    per_layer = (acts[-1] / acts[0]) ** (1 / 19)
    assert per_layer == pytest.approx(factor, rel=0.05)
    if name == "kaiming":  # He et al.: the same variance also keeps gradients from vanishing or exploding
        assert 0.2 < grads[0] / grads[-1] < 5  # "within a factor of 5" on the page


def test_residual_variances_add_and_scaling_removes_the_depth_dependence():
    var_0 = 0.02**2
    grown = {}
    for n_layers in (4, 16):
        var, branches, _, _ = residual_stream(n_layers, scaled=False, seed=5)
        assert var == pytest.approx(var_0 + sum(branches), rel=0.1)
        grown[n_layers] = var - var_0
        var_s, branches_s, _, _ = residual_stream(n_layers, scaled=True, seed=5)
        # each scaled branch carries 1/(2L) of the variance, so the total no longer depends on L
        assert sum(branches_s) == pytest.approx(sum(branches) / (2 * n_layers), rel=0.15)
        assert var_s == pytest.approx(var_0 + sum(branches) / (2 * n_layers), rel=0.15)
    assert grown[16] / grown[4] == pytest.approx(4, rel=0.15)  # unscaled: linear in the number of branches


def test_unscaled_stream_shrinks_the_gradients_of_late_layers():
    _, _, _, last_unscaled = residual_stream(16, scaled=False, seed=6)
    _, _, _, last_scaled = residual_stream(16, scaled=True, seed=6)
    assert last_unscaled < 0.3 * last_scaled  # the final LayerNorm divides by the grown std


def test_post_ln_output_is_normalized_and_pre_ln_is_not():
    post = stream_mean_square(6, norm_first=False)
    pre = stream_mean_square(6, norm_first=True)
    torch.testing.assert_close(post, torch.ones_like(post), atol=1e-4, rtol=0)  # LayerNorm is the last op
    assert pre.mean() > 1.2 * post.mean()  # the stream keeps what every block added


def test_exercise_answers():
    with pytest.raises(ValueError, match="Expected more than 1 value per channel"):
        nn.BatchNorm1d(3)(torch.randn(1, 3))
    assert 0.02 / math.sqrt(2 * 12) == pytest.approx(0.00408, abs=5e-6)
    x = torch.tensor([1.0, 2.0, 3.0, 6.0], dtype=torch.float64)
    torch.testing.assert_close(F.layer_norm(x, (4,), eps=0.0),
                               torch.tensor([-1.069, -0.535, 0.0, 1.604], dtype=torch.float64), atol=5e-4, rtol=0)
    torch.testing.assert_close(F.rms_norm(x, (4,), eps=0.0),
                               torch.tensor([0.283, 0.566, 0.849, 1.697], dtype=torch.float64), atol=5e-4, rtol=0)
    assert F.rms_norm(x, (4,), eps=0.0).mean().item() == pytest.approx(3 / math.sqrt(12.5))  # mean kept, scaled
    assert F.layer_norm(x, (4,), eps=0.0).mean().item() == pytest.approx(0, abs=1e-12)


def test_measured_numbers_quoted_on_both_pages():
    """The values the snippet prints (computed once at import) are the ones both pages quote."""
    from pathlib import Path

    import fundamentals.depth_and_init as run

    docs = Path(__file__).resolve().parents[2] / "docs" / "fundamentals"
    pages = [(docs / f"normalization.{lang}.md").read_text(encoding="utf-8") for lang in ("en", "zh")]
    quoted = [f"{x:.2f}" for x in run.pre_by_depth]  # pre-LN mean square after 1, 6, 24 blocks
    quoted += [f"{var:.4f}" for _, var, _, _, _ in run.rows]  # unscaled Var(h) after 2, 8, 32 blocks
    quoted += [f"{g:.3f}" for _, _, _, g, _ in run.rows]  # unscaled last-layer gradient norms
    quoted += [f"{run.rows[-1][2]:.4f}"]  # scaled Var(h) at 32 blocks
    for page in pages:
        for value in quoted:
            assert value in page, value
    assert 140 < run.results["N(0, 0.1^2)"][0][-1] < 160  # "grows to about 150"
    assert 0.5e-6 < run.results["Xavier"][0][-1] < 2e-6  # "falls to about 10^-6"
    ratio = round(run.rows[-1][1] / run.rows[-1][2])  # unscaled over scaled Var(h) at 32 blocks
    assert f"about {ratio} times" in pages[0] and f"的 {ratio} 倍" in pages[1]

