"""Checks for docs/fundamentals/backprop.*.md and its snippets."""
import math

import pytest
import torch

from fundamentals.backprop_by_hand import neuron_forward_backward
from fundamentals.backprop_two_layer import two_layer_grads
from fundamentals.grad_check import numerical_grad, relative_error


def test_worked_example_numbers_on_the_page():
    hand = neuron_forward_backward(x=1.5, y=1.0, w=0.8, b=-0.5)
    page = {"z": 0.7, "a": 0.6682, "loss": 0.0550, "dL_da": -0.3318, "da_dz": 0.2217,
            "dL_dz": -0.0736, "dL_dw": -0.1104, "dL_db": -0.0736}
    assert {k: round(hand[k], 4) for k in page} == page
    w_new, b_new = 0.8 - 1.0 * hand["dL_dw"], -0.5 - 1.0 * hand["dL_db"]
    assert (round(w_new, 4), round(b_new, 4)) == (0.9104, -0.4264)
    assert round(neuron_forward_backward(1.5, 1.0, w_new, b_new)["loss"], 4) == 0.0395


@pytest.mark.parametrize("x,y,w,b", [(1.5, 1.0, 0.8, -0.5), (-2.0, 0.0, 0.3, 0.1), (0.5, 0.2, -1.7, 2.0)])
def test_hand_gradients_match_autograd(x, y, w, b):
    hand = neuron_forward_backward(x, y, w, b)
    w_t = torch.tensor(w, dtype=torch.float64, requires_grad=True)
    b_t = torch.tensor(b, dtype=torch.float64, requires_grad=True)
    a = torch.sigmoid(w_t * x + b_t)
    (0.5 * (a - y) ** 2).backward()
    chain_rule = (a.item() - y) * a.item() * (1 - a.item()) * x  # (a - y) σ(z)(1 - σ(z)) x
    assert math.isclose(w_t.grad.item(), hand["dL_dw"], rel_tol=1e-12)
    assert math.isclose(w_t.grad.item(), chain_rule, rel_tol=1e-12)
    assert math.isclose(b_t.grad.item(), hand["dL_db"], rel_tol=1e-12)


@pytest.mark.parametrize("seed,B,n0,n1,n2", [(0, 8, 3, 4, 2), (1, 1, 5, 7, 3), (2, 16, 2, 2, 1)])
def test_two_layer_matrix_form_matches_autograd(seed, B, n0, n1, n2):
    torch.manual_seed(seed)
    X, Y = torch.randn(B, n0, dtype=torch.float64), torch.randn(B, n2, dtype=torch.float64)
    params = [torch.randn(*s, dtype=torch.float64, requires_grad=True) for s in [(n1, n0), (n1,), (n2, n1), (n2,)]]
    W1, b1, W2, b2 = params
    (0.5 * ((torch.tanh(X @ W1.T + b1) @ W2.T + b2 - Y) ** 2).sum(1).mean()).backward()
    with torch.no_grad():
        grads = two_layer_grads(X, Y, W1, b1, W2, b2)
    for g, p in zip(grads, params):
        assert g.shape == p.shape
        assert torch.allclose(g, p.grad, atol=1e-12)


def test_general_delta_rule_on_a_three_layer_sigmoid_network():
    """delta_l = (W_{l+1}^T delta_{l+1}) ⊙ σ'(z_l), dL/dW_l = delta_l h_{l-1}^T, for one example."""
    torch.manual_seed(3)
    sizes = [4, 6, 5, 3]
    Ws = [torch.randn(m, n, dtype=torch.float64, requires_grad=True) for n, m in zip(sizes, sizes[1:])]
    x, y = torch.randn(4, dtype=torch.float64), torch.randn(3, dtype=torch.float64)
    hs, zs = [x], []
    for W in Ws:
        zs.append(W @ hs[-1])
        hs.append(torch.sigmoid(zs[-1]))
    (0.5 * ((hs[-1] - y) ** 2).sum()).backward()
    with torch.no_grad():
        a = hs[-1]
        delta = (a - y) * a * (1 - a)  # output layer is sigmoid here
        for l in reversed(range(len(Ws))):
            assert torch.allclose(torch.outer(delta, hs[l]), Ws[l].grad, atol=1e-12)
            if l > 0:
                delta = (Ws[l].T @ delta) * hs[l] * (1 - hs[l])


def test_numerical_grad_and_relative_error():
    theta = torch.linspace(-2, 2, 7, dtype=torch.float64)
    numeric = numerical_grad(lambda t: torch.sin(t).sum(), theta)
    assert relative_error(numeric, torch.cos(theta)) < 1e-9
    assert relative_error(torch.zeros(3), torch.zeros(3)) == 0.0
    with pytest.raises(ValueError, match="shapes differ"):
        relative_error(torch.zeros(3), torch.zeros(4))


def test_grad_check_page_claims():
    from fundamentals import grad_check as snippet  # module-level asserts run on import

    assert snippet.err64 < 1e-9  # "around 1e-10"
    assert 1e-2 < snippet.err32 < 1.0  # "around 1e-1" although nothing is wrong
    assert 0.3 < snippet.err_bug < 0.7  # "off by about 0.5"
    assert torch.finfo(torch.float32).eps == 2**-23 and torch.finfo(torch.float64).eps == 2**-52
    assert f"{torch.finfo(torch.float32).eps:.1e}" == "1.2e-07" and f"{torch.finfo(torch.float64).eps:.1e}" == "2.2e-16"


def test_exercise_bce_gradient_is_a_minus_y():
    z = torch.tensor(0.7, dtype=torch.float64, requires_grad=True)
    a = torch.sigmoid(z)
    y = 1.0
    (-(y * torch.log(a) + (1 - y) * torch.log(1 - a))).backward()
    assert math.isclose(z.grad.item(), a.item() - y, rel_tol=1e-12)
    assert round(z.grad.item(), 4) == -0.3318


def test_exercise_step_size_numbers():
    """Measured, not derived: the relative error of the float64 central difference of exp at ten points, for
    steps h from 1e-1 to 1e-13. At h = 1e-12 rounding dominates, with an error of the order of
    eps/h = 2e-4; the best step lies near eps^(1/3) = 6e-6, where the error is some 1e-11."""
    xs = [0.3 + 0.1 * i for i in range(10)]

    def error(h: float) -> float:
        return sum(abs((math.exp(x + h) - math.exp(x - h)) / (2 * h) - math.exp(x)) / math.exp(x) for x in xs) / len(xs)

    eps = torch.finfo(torch.float64).eps
    assert 1e-6 < error(1e-12) < 1e-3 and f"{eps / 1e-12:.0e}" == "2e-04"
    steps = [10 ** (-k / 4) for k in range(4, 53)]
    best = min(steps, key=error)
    assert eps ** (1 / 3) / 3 < best < 3 * eps ** (1 / 3) and f"{eps ** (1 / 3):.0e}" == "6e-06"
    assert error(best) < 1e-9 < error(1e-12) and error(best) < 1e-9 < error(1e-2)  # both ends are worse


def test_autograd_graph_snippet_runs():
    from fundamentals import autograd_graph as snippet  # its asserts run on import

    assert snippet.nodes[3].name() == "SigmoidBackward0"
