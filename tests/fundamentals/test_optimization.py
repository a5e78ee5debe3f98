"""Checks for docs/fundamentals/optimization.*.md: every number and formula on the page, against PyTorch."""
import math

import pytest
import torch

from fundamentals.linear_regression_worked_example import gradient, gradient_descent, mse
from fundamentals.lr_schedule import torch_warmup_cosine, warmup_cosine_lr
from fundamentals.optimizers_by_hand import (
    adam_step,
    adamw_step,
    max_gap_to_torch,
    momentum_step,
    rmsprop_step,
)


# --- linear regression worked example -------------------------------------------------------------
def test_gradient_matches_autograd_on_a_grid():
    for t0 in (-1.0, 0.0, 0.4, 2.5):
        for t1 in (-0.5, 0.0, 14 / 15, 3.0):
            theta = torch.tensor([t0, t1], dtype=torch.float64, requires_grad=True)
            mse(theta[0], theta[1]).backward()
            assert torch.allclose(theta.grad, torch.tensor(gradient(t0, t1), dtype=torch.float64))


def test_worked_example_numbers_in_the_text():
    assert gradient(0.0, 0.0) == pytest.approx((-8.0, -18.6667), abs=1e-4)
    history = gradient_descent(lr=0.05, num_steps=3)
    thetas = [(round(t0, 4), round(t1, 4)) for t0, t1, _ in history]
    assert thetas == [(0.0, 0.0), (0.4, 0.9333), (0.5733, 1.3511), (0.6458, 1.5393)]
    assert [round(loss, 4) for _, _, loss in history] == [18.6667, 3.763, 0.8055, 0.2175]
    assert [round(t0 + 4 * t1, 4) for t0, t1, _ in history[1:]] == [4.1333, 5.9778, 6.8028]
    t0, t1, _ = gradient_descent(lr=0.05, num_steps=2000)[-1]
    assert round(t0 + 4 * t1, 4) == 8.0


def test_worked_example_equals_torch_sgd_on_nn_linear():
    model = torch.nn.Linear(1, 1).double()
    torch.nn.init.zeros_(model.weight)
    torch.nn.init.zeros_(model.bias)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
    x = torch.tensor([[1.0], [2.0], [3.0]], dtype=torch.float64)
    for t0, t1, _ in gradient_descent(lr=0.05, num_steps=3)[1:]:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), 2 * x).backward()
        optimizer.step()
        assert model.bias.item() == pytest.approx(t0, abs=1e-12)
        assert model.weight.item() == pytest.approx(t1, abs=1e-12)


def test_wrong_sign_is_gradient_ascent():
    g0, g1 = gradient(0.0, 0.0)
    assert mse(0.05 * g0, 0.05 * g1) > mse(0.0, 0.0) > mse(-0.05 * g0, -0.05 * g1)


# --- optimizers by hand vs torch.optim ------------------------------------------------------------
@pytest.mark.parametrize(
    "step_fn, optimizer, hyper",
    [
        (momentum_step, torch.optim.SGD, {"lr": 0.001, "momentum": 0.5}),
        (rmsprop_step, torch.optim.RMSprop, {"lr": 0.003, "alpha": 0.9, "eps": 1e-6}),
        (adam_step, torch.optim.Adam, {"lr": 0.02, "betas": (0.9, 0.95)}),
        (adam_step, torch.optim.Adam, {"lr": 0.02, "betas": (0.8, 0.99), "weight_decay": 0.5}),
        (adamw_step, torch.optim.AdamW, {"lr": 0.02, "betas": (0.9, 0.95), "weight_decay": 0.1}),
    ],
)
def test_by_hand_matches_torch(step_fn, optimizer, hyper):
    assert max_gap_to_torch(step_fn, optimizer, num_steps=30, **hyper) < 1e-12


def test_adam_bias_correction_first_step():
    for g in (1e-4, 0.5, -3.0):
        step = adam_step(torch.zeros(1, dtype=torch.float64), torch.tensor([g], dtype=torch.float64), {}, lr=1.0)
        assert step.item() == pytest.approx(-math.copysign(1.0, g), abs=1e-3)
    # without the 1/(1 - β^t) factors the first step would be (1 - β1)/sqrt(1 - β2) = sqrt(10) times larger
    assert (1 - 0.9) / math.sqrt(1 - 0.999) == pytest.approx(math.sqrt(10))


def test_adam_moments_state():
    """After three steps, the hand-written m and v are torch.optim.Adam's exp_avg and exp_avg_sq; after the first,
    m_1 = 0.1 g_1 and v_1 = 0.001 g_1^2 as the text says (torch's state, not our formula)."""
    p = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=0.1)
    state, theta = {}, torch.zeros(3, dtype=torch.float64)
    for step, g in enumerate(torch.tensor([[2.0, -1.0, 0.5], [1.0, 3.0, -2.0], [-0.5, 0.25, 4.0]], dtype=torch.float64)):
        p.grad = g.clone()
        opt.step()
        theta = adam_step(theta, g, state, lr=0.1)
        torch_state = opt.state[p]
        assert state["t"] == int(torch_state["step"]) == step + 1
        torch.testing.assert_close(state["m"], torch_state["exp_avg"], rtol=1e-12, atol=0)
        torch.testing.assert_close(state["v"], torch_state["exp_avg_sq"], rtol=1e-12, atol=0)
        if step == 0:
            torch.testing.assert_close(torch_state["exp_avg"], 0.1 * g)
            torch.testing.assert_close(torch_state["exp_avg_sq"], 0.001 * g**2)
    torch.testing.assert_close(theta, p.detach(), rtol=1e-12, atol=1e-15)


# --- learning-rate schedule -----------------------------------------------------------------------
@pytest.mark.parametrize("lr_max, warmup, total, lr_min", [(1e-3, 5, 30, 0.0), (3e-4, 10, 100, 3e-5), (1.0, 1, 7, 0.1)])
def test_schedule_matches_torch(lr_max, warmup, total, lr_min):
    ours = [warmup_cosine_lr(s, lr_max, warmup, total, lr_min) for s in range(total + 1)]
    theirs = torch_warmup_cosine(lr_max, warmup, total, lr_min)
    assert ours == pytest.approx(theirs, rel=1e-12, abs=1e-15)


def test_schedule_numbers_in_the_text():
    lr = [warmup_cosine_lr(s, 3e-4, 10, 100, 3e-5) for s in range(101)]
    assert lr[0] == pytest.approx(3e-5) and lr[9] == pytest.approx(3e-4) and lr[10] == pytest.approx(3e-4)
    assert lr[55] == pytest.approx(1.65e-4) and lr[100] == pytest.approx(3e-5)
    assert all(a <= b for a, b in zip(lr[:10], lr[1:10])) and all(a >= b for a, b in zip(lr[10:], lr[11:]))


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"warmup_steps": 0, "total_steps": 10}, "warmup_steps"),
        ({"warmup_steps": 10, "total_steps": 10}, "warmup_steps"),
        ({"warmup_steps": 2, "total_steps": 10, "lr_min": 1.0}, "lr_min"),
        ({"warmup_steps": 2, "total_steps": 10, "lr_min": -1e-5}, "lr_min"),
    ],
)
def test_schedule_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        warmup_cosine_lr(0, lr_max=0.1, **kwargs)


# --- mini-batches and the optimizer comparison ----------------------------------------------------
def test_minibatch_noise_shrinks_like_sqrt_batch():
    from fundamentals.minibatch_gradient_noise import noise

    for small, large in [(1, 4), (4, 16), (16, 64)]:
        assert noise[small] / noise[large] == pytest.approx(2.0, rel=0.15)


def test_optimizer_comparison_table_in_the_text():
    from fundamentals.optimizer_comparison import excess

    expected = {"SGD": 0.34, "Momentum": 4.8e-3, "RMSProp": 6.0e-3, "Adam": 2.5e-5}
    for name, value in expected.items():
        assert excess[name] == pytest.approx(value, rel=0.05), name


def test_standardized_features_rescue_sgd():
    from fundamentals.optimizer_comparison import X, excess, excess_loss, y

    standardized = excess_loss(lambda params: torch.optim.SGD(params, lr=0.05), X / X.std(dim=0), y)
    assert standardized == pytest.approx(2.7e-5, rel=0.05)
    assert standardized < excess["SGD"] / 1e4  # "four orders of magnitude below"


# --- further numbers quoted in the text and the exercises -----------------------------------------
def test_ill_conditioning_of_the_worked_example():
    X = torch.tensor([[1.0, 1.0], [1.0, 2.0], [1.0, 3.0]], dtype=torch.float64)
    eigenvalues = torch.linalg.eigvalsh(2 / 3 * X.T @ X)
    assert [round(e, 2) for e in eigenvalues.tolist()] == [0.24, 11.09]
    assert round(2 / eigenvalues[-1].item(), 2) == 0.18
    history = gradient_descent(lr=0.05, num_steps=3000)
    assert max(t0 for t0, _, _ in history) > 0.6
    first_close = next(step for step, (t0, _, _) in enumerate(history) if step > 10 and abs(t0) < 0.01)
    assert 200 < first_close < 1000  # "several hundred steps to drift back to 0"


@pytest.mark.parametrize("lr, diverges", [(0.17, False), (0.19, True)])
def test_exercise_learning_rate_limit(lr, diverges):
    *_, (t0, t1, loss) = gradient_descent(lr=lr, num_steps=3000)
    assert (loss > 1e6) if diverges else (loss < 1e-10)


def test_exercise_bias_without_correction():
    # 1 - 0.999^1000 = 0.63, measured: torch's Adam state after 1,000 steps of a constant gradient 1 is the
    # uncorrected second moment v_1000, which would be 1 if it had no bias
    p = torch.zeros(1, dtype=torch.float64, requires_grad=True)
    opt = torch.optim.Adam([p], lr=1e-6)
    for _ in range(1000):
        p.grad = torch.ones(1, dtype=torch.float64)
        opt.step()
    assert round(opt.state[p]["exp_avg_sq"].item(), 2) == 0.63
    # the same ratio, measured: the first Adam step without the 1/(1 - β^t) factors
    g, beta1, beta2 = torch.tensor([0.7], dtype=torch.float64), 0.9, 0.95
    uncorrected = (1 - beta1) * g / ((1 - beta2) * g**2).sqrt()
    corrected = -adam_step(torch.zeros(1, dtype=torch.float64), g, {}, lr=1.0, betas=(beta1, beta2))
    assert (uncorrected / corrected).item() == pytest.approx(0.447, abs=1e-3)


def test_exercise_warmup_2000_steps():
    assert warmup_cosine_lr(0, 3e-4, 2000, 100_000) == pytest.approx(1.5e-7)
    assert warmup_cosine_lr(999, 3e-4, 2000, 100_000) == pytest.approx(1.5e-4)


def test_comparison_problem_curvature():
    from fundamentals.optimizer_comparison import X

    hessian = 2 * X.T @ X / len(X)
    assert hessian[0, 0].item() == pytest.approx(200, rel=0.15)
    assert round(hessian[1, 1].item(), 1) == 0.2
    assert torch.linalg.cond(hessian).item() == pytest.approx(1000, rel=0.05)
    assert round((1 - 0.008 * 0.2) ** 300, 2) == 0.62


def test_adam_keeps_two_state_tensors_per_parameter():
    w = torch.zeros(3, 4, requires_grad=True)
    optimizer = torch.optim.Adam([w])
    w.sum().backward()
    optimizer.step()
    tensors = [v for v in optimizer.state[w].values() if torch.is_tensor(v) and v.shape == w.shape]
    assert len(tensors) == 2  # exp_avg (m) and exp_avg_sq (v)
