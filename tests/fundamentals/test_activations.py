"""Checks for docs/fundamentals/activations.*.md: derivative formulas, the table, vanishing gradients."""
import math

import pytest
import torch
import torch.nn.functional as F

from fundamentals.activation_derivatives import (
    ACTIVATIONS,
    autograd_derivative,
    gelu,
    gelu_grad,
    gelu_tanh,
    leaky_relu_grad,
    sigmoid_grad,
    silu_grad,
    tanh_grad,
)
from fundamentals.vanishing_gradients import layer_grad_norms, sigmoid_chain_grad

GRID = torch.linspace(-8, 8, 3201, dtype=torch.float64)  # step 0.005, includes 0


@pytest.mark.parametrize("name", sorted(ACTIVATIONS))
def test_derivative_formula_matches_autograd(name):
    fn, grad_fn = ACTIVATIONS[name]
    assert torch.allclose(grad_fn(GRID), autograd_derivative(fn, GRID), atol=1e-12)
    x32 = GRID.float()
    assert torch.allclose(grad_fn(x32), autograd_derivative(fn, x32), atol=1e-5)


@pytest.mark.parametrize("slope", [0.01, 0.1, 0.3])
def test_leaky_relu_slope(slope):
    fn = lambda x: F.leaky_relu(x, negative_slope=slope)  # noqa: E731
    assert torch.allclose(leaky_relu_grad(GRID, slope), autograd_derivative(fn, GRID))


def test_tanh_derivative_has_no_factor_one_half():
    assert tanh_grad(torch.tensor(0.0)).item() == 1.0
    wrong = (1 - torch.tanh(GRID) ** 2) / 2
    assert not torch.allclose(wrong, autograd_derivative(torch.tanh, GRID))


def test_identities_in_the_text():
    s = torch.sigmoid(GRID)
    assert torch.allclose(torch.tanh(GRID), 2 * torch.sigmoid(2 * GRID) - 1, atol=1e-12)
    assert torch.allclose(sigmoid_grad(GRID), torch.exp(-GRID) / (1 + torch.exp(-GRID)) ** 2, atol=1e-12)
    assert torch.allclose(F.silu(GRID), GRID * s, atol=1e-12)
    assert torch.allclose(gelu(GRID), F.gelu(GRID), atol=1e-12)
    assert torch.allclose(gelu_tanh(GRID), F.gelu(GRID, approximate="tanh"), atol=1e-12)


def _argmax(fn, lo, hi):
    x = torch.linspace(lo, hi, 200001, dtype=torch.float64)
    y = fn(x)
    i = y.argmax()
    return x[i].item(), y[i].item()


def test_table_of_ranges_and_derivative_maxima():
    assert _argmax(sigmoid_grad, -5, 5) == pytest.approx((0.0, 0.25), abs=1e-6)
    assert _argmax(tanh_grad, -5, 5) == pytest.approx((0.0, 1.0), abs=1e-6)
    # GELU: f' is maximal at x = sqrt(2), where f'' = φ(x)(2 - x²) = 0
    x, d = _argmax(gelu_grad, 0, 4)
    assert x == pytest.approx(math.sqrt(2), abs=1e-4) and round(d, 3) == 1.129
    x, m = _argmax(lambda t: -gelu(t), -3, 0)
    assert round(x, 2) == -0.75 and round(-m, 3) == -0.170
    x, d = _argmax(silu_grad, 0, 5)
    assert round(x, 2) == 2.40 and round(d, 3) == 1.100
    x, m = _argmax(lambda t: -F.silu(t), -4, 0)
    assert round(x, 2) == -1.28 and round(-m, 3) == -0.278


def test_gelu_tanh_approximation_error():
    x = torch.linspace(-10, 10, 200001, dtype=torch.float64)
    gap = (gelu_tanh(x) - gelu(x)).abs().max().item()
    assert 1e-4 < gap < 5e-4


def test_sigmoid_chain_gradient():
    for depth in (1, 5, 10, 20):
        grad, product = sigmoid_chain_grad(depth)
        assert grad == pytest.approx(product, rel=1e-12)
        assert product <= 0.25**depth
    assert sigmoid_chain_grad(1)[0] == pytest.approx(0.25)


def test_vanishing_gradient_claims_hold_for_other_seeds():
    relu_he = lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu")  # noqa: E731
    for seed in (1, 2):
        sig = layer_grad_norms(torch.nn.Sigmoid, torch.nn.init.xavier_normal_, seed=seed)
        relu = layer_grad_norms(torch.nn.ReLU, relu_he, seed=seed)
        assert sig[0] / sig[-1] < 1e-10 and relu[0] / relu[-1] > 1e-2


# --- numbers in the vanishing-gradient section and the exercises ----------------------------------
def test_sigmoid_chain_numbers_in_the_text():
    grad, _ = sigmoid_chain_grad(10)
    assert f"{grad:.1e}" == "3.9e-07" and f"{0.25**10:.1e}" == "9.5e-07"


def relu_signals(zero_bias: bool, seed: int, depth: int = 20, width: int = 64):
    """20 ReLU layers with nn.Linear's default init, built here: per layer the weight-gradient norm, the norm of
    the backward signal dL/dz, and the RMS of the layer's input (the forward signal)."""
    torch.manual_seed(seed)
    linears = [torch.nn.Linear(width, width) for _ in range(depth)]
    if zero_bias:
        for layer in linears:
            torch.nn.init.zeros_(layer.bias)
    h, pre, inputs = torch.randn(128, width), [], []
    for layer in linears:
        inputs.append(h)
        z = layer(h)
        z.retain_grad()
        pre.append(z)
        h = torch.relu(z)
    torch.nn.Linear(width, 1)(h).pow(2).mean().backward()
    return ([layer.weight.grad.norm().item() for layer in linears], [z.grad.norm().item() for z in pre],
            [x.pow(2).mean().sqrt().item() for x in inputs], linears)


def test_relu_default_init_shrinks_gradient_by_about_041_per_layer():
    """The page's account, measured piece by piece. The backward signal shrinks per layer by
    sqrt(n_in Var(W) / 2), with Var(W) measured on the layers: about 0.41. Without biases the forward signal
    shrinks by the same factor and the two cancel in the layer-1 / layer-20 weight-gradient ratio (every gradient
    is tiny, the ratio is not); with the default biases the forward signal stops at the floor the biases set, and
    the ratio shows the backward shrinking alone."""
    for seed in (0, 1):
        with_bias, zero_bias = relu_signals(False, seed), relu_signals(True, seed)
        var_w = torch.cat([layer.weight.flatten() for layer in with_bias[3]]).var().item()
        factor = math.sqrt(64 * var_w / 2)
        assert factor == pytest.approx(math.sqrt(1 / 6), rel=0.05)
        for weights, backward, forward, _ in (with_bias, zero_bias):
            assert (backward[-1] / backward[0]) ** (-1 / 19) == pytest.approx(factor, abs=0.06)
        weights, _, forward, _ = zero_bias
        assert (forward[-1] / forward[0]) ** (1 / 19) == pytest.approx(factor, abs=0.06)
        assert 1e-2 < weights[0] / weights[-1] < 1 and max(weights) < 1e-8  # the page's bounds
        weights, _, forward, _ = with_bias
        assert forward[-1] > 0.01  # the bias floor: 0.41^19 would be 5e-8
        assert (weights[0] / weights[-1]) ** (1 / 19) == pytest.approx(factor, abs=0.06)
    norms = layer_grad_norms(torch.nn.ReLU, seed=0)  # the page's program agrees
    assert (norms[0] / norms[-1]) ** (1 / 19) == pytest.approx(0.41, abs=0.06)


def test_exercise_sigmoid_output_gradient_is_y_hat_minus_y():
    z = torch.linspace(-5, 5, 11, dtype=torch.float64, requires_grad=True)
    y = (torch.arange(11) % 2).double()
    loss = F.binary_cross_entropy(torch.sigmoid(z), y, reduction="sum")
    (grad,) = torch.autograd.grad(loss, z)
    assert torch.allclose(grad, torch.sigmoid(z) - y, atol=1e-12)


def test_exercise_gelu_derivative_at_minus_two():
    assert round(gelu_grad(torch.tensor(-2.0, dtype=torch.float64)).item(), 3) == -0.085
    tanh_via_sigmoid_grad = 4 * sigmoid_grad(torch.tensor(0.0))
    assert tanh_via_sigmoid_grad.item() == 1.0
