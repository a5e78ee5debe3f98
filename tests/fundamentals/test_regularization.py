"""Checks for docs/fundamentals/regularization.*.md: penalties, weight decay, dropout, early stopping, augmentation."""
import pytest
import torch

from fundamentals.augmentation_flip_shift import horizontal_flip, shift_right
from fundamentals.dropout_train_eval import inverted_dropout
from fundamentals.early_stopping import EarlyStopping, run, val_losses
from fundamentals.l1_l2_penalties import (
    argmin_quadratic_with_l2,
    argmin_with_l1,
    argmin_with_l2,
    l1_penalty,
    l1_subgradient,
    l2_gradient,
    l2_penalty,
)


# --- L1 / L2 --------------------------------------------------------------------------------------
@pytest.mark.parametrize("seed", [0, 1, 2])
@pytest.mark.parametrize("lam", [0.01, 0.5, 3.0])
def test_penalty_gradients_match_autograd(seed, lam):
    torch.manual_seed(seed)
    theta = torch.randn(3, 5, dtype=torch.float64)
    theta[0, 0] = 0.0
    for penalty, by_hand in [(l1_penalty, l1_subgradient), (l2_penalty, l2_gradient)]:
        t = theta.clone().requires_grad_()
        (grad,) = torch.autograd.grad(penalty(t, lam), t)
        assert torch.allclose(grad, by_hand(theta, lam))


def test_penalty_values():
    theta = torch.tensor([3.0, -4.0])
    assert l1_penalty(theta, 0.1).item() == pytest.approx(0.7)  # 0.1 · (3 + 4)
    assert l2_penalty(theta, 0.1).item() == pytest.approx(1.25)  # 0.1/2 · (9 + 16): squared norm


def test_shrinkage_numbers_in_the_text():
    """The text's minimizers found by brute force: 1/2 (theta - a)^2 + penalty, evaluated on a grid of step 1e-4
    for each coordinate, against the closed forms and the rounded numbers printed on the page."""
    a = torch.tensor([2.0, 0.4, -0.3, -1.2], dtype=torch.float64)
    grid = torch.arange(-30_000, 30_001, dtype=torch.float64) / 10_000  # -3 ... 3
    for penalty, closed_form, printed in [
        (lambda t: 0.5 * t.abs(), argmin_with_l1, [1.5, 0.0, 0.0, -0.7]),
        (lambda t: 0.5 / 2 * t**2, argmin_with_l2, [1.333, 0.267, -0.2, -0.8]),
    ]:
        brute = grid[(0.5 * (grid[:, None] - a) ** 2 + penalty(grid[:, None])).argmin(0)]
        assert torch.allclose(closed_form(a, 0.5), brute, atol=1e-4)
        assert brute.tolist() == pytest.approx(printed, abs=1e-3)


def test_l2_quadratic_solution_shrinks_along_eigenvectors():
    torch.manual_seed(3)
    A = torch.randn(4, 4, dtype=torch.float64)
    H = A @ A.T + 0.05 * torch.eye(4, dtype=torch.float64)
    theta_star, lam = torch.randn(4, dtype=torch.float64), 0.7
    eigenvalues, Q = torch.linalg.eigh(H)
    # Goodfellow et al. §7.1.1: the component along eigenvector i is scaled by λ_i / (λ_i + λ).
    expected = Q @ (eigenvalues / (eigenvalues + lam) * (Q.T @ theta_star))
    assert torch.allclose(argmin_quadratic_with_l2(H, theta_star, lam), expected, atol=1e-12)


# --- weight decay vs L2 ---------------------------------------------------------------------------
def test_weight_decay_equals_l2_under_sgd_but_not_under_adam():
    from fundamentals import weight_decay_vs_l2 as wd

    assert wd.max_gap(wd.w_sgd_l2, wd.w_sgd_wd) < 1e-12
    assert wd.max_gap(wd.w_adam_l2, wd.w_adam_wd) < 1e-12
    assert wd.max_gap(wd.w_adam_l2, wd.w_adamw) > 0.5


def test_weight_decay_equals_l2_under_sgd_with_momentum():
    from fundamentals import weight_decay_vs_l2 as wd

    zeros = torch.zeros(4, dtype=torch.float64)
    a = wd.train(torch.optim.SGD, wd.l2_loss, zeros, momentum=0.9)
    b = wd.train(torch.optim.SGD, wd.data_loss, zeros, momentum=0.9, weight_decay=wd.lam)
    assert wd.max_gap(a, b) < 1e-12


def test_unused_weight_numbers_in_the_text():
    from fundamentals import weight_decay_vs_l2 as wd

    assert round(wd.after_adam[0.01], 3) == round(wd.after_adam[0.1], 3) == 0.537
    assert round(wd.after_adamw[0.01], 3) == 0.995 and round(wd.after_adamw[0.1], 3) == 0.951


# --- dropout --------------------------------------------------------------------------------------
@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_inverted_dropout_scaling_matches_nn_dropout(p):
    torch.manual_seed(0)
    x = torch.rand(200_000) + 0.5
    ours = inverted_dropout(x, p)
    theirs = torch.nn.Dropout(p).train()(x)
    for y in (ours, theirs):
        kept = y != 0
        assert torch.allclose(y[kept], x[kept] / (1 - p))
        assert (~kept).float().mean().item() == pytest.approx(p, abs=0.01)
        assert y.mean().item() == pytest.approx(x.mean().item(), rel=0.02)


def test_dropout_eval_is_identity():
    x = torch.randn(1000)
    assert torch.equal(torch.nn.Dropout(0.5).eval()(x), x)
    assert torch.equal(inverted_dropout(x, 0.5, training=False), x)


@pytest.mark.parametrize("p", [1.0, -0.1, 1.5])
def test_dropout_rejects_bad_probability(p):
    with pytest.raises(ValueError, match="dropout probability"):
        inverted_dropout(torch.ones(3), p)


# --- early stopping -------------------------------------------------------------------------------
def test_early_stopping_numbers_in_the_text():
    assert run(val_losses, patience=3) == (6, 9)
    assert run(val_losses, patience=1) == (4, 5)
    assert run(val_losses, patience=100) == (6, len(val_losses) - 1)  # never triggers


def test_min_delta_ignores_tiny_improvements():
    stopper = EarlyStopping(patience=3, min_delta=0.015)
    stops = [stopper.should_stop(epoch, loss) for epoch, loss in enumerate(val_losses)]
    assert stops.index(True) == 7 and stopper.best_epoch == 4  # 0.53 → 0.52 is not enough


@pytest.mark.parametrize("kwargs, message", [({"patience": 0}, "patience"), ({"patience": 2, "min_delta": -0.1}, "min_delta")])
def test_early_stopping_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        EarlyStopping(**kwargs)


# --- data augmentation ----------------------------------------------------------------------------
def test_flip_and_shift():
    torch.manual_seed(0)
    image = torch.randn(3, 5, 7)
    assert torch.equal(horizontal_flip(horizontal_flip(image)), image)
    assert torch.equal(horizontal_flip(image), image[..., torch.arange(6, -1, -1)])
    for k in range(7):
        expected = torch.roll(image, shifts=k, dims=-1)
        expected[..., :k] = 0
        assert torch.equal(shift_right(image, k), expected)


@pytest.mark.parametrize("pixels", [-1, 7, 10])
def test_shift_rejects_bad_input(pixels):
    with pytest.raises(ValueError, match="pixels"):
        shift_right(torch.zeros(1, 2, 7), pixels)


# --- exercises ------------------------------------------------------------------------------------
def test_exercise_soft_thresholding():
    a = torch.tensor([2.0, 0.4, -0.3, -1.2], dtype=torch.float64)
    assert argmin_with_l1(a, 0.3).tolist() == pytest.approx([1.7, 0.1, 0.0, -0.9])
    assert (argmin_with_l1(a, 2.0) == 0).all() and (argmin_with_l1(a, 1.99) != 0).any()


def test_exercise_dropout_left_in_train_mode_is_random():
    torch.manual_seed(0)
    dropout, x = torch.nn.Dropout(0.5).train(), torch.ones(1000)
    assert not torch.equal(dropout(x), dropout(x))
