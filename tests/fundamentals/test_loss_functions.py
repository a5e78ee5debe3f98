"""Checks for docs/fundamentals/loss-functions.*.md and its snippets."""
import math

import pytest
import torch
import torch.nn.functional as F

from fundamentals.bce_with_logits_stability import bce_with_logits
from fundamentals.bce_worked_example import bce, bce_terms
from fundamentals.cross_entropy_by_hand import cross_entropy, log_softmax
from fundamentals.label_smoothing_check import label_smoothed_ce
from fundamentals.mse_by_hand import mse
from fundamentals.precision_recall_f1 import precision_recall_f1


def test_mse_worked_example_and_gradient():
    y = torch.tensor([3.0, -0.5, 2.0, 7.0], dtype=torch.float64)
    y_hat = torch.tensor([2.5, 0.0, 2.0, 8.0], dtype=torch.float64, requires_grad=True)
    loss = mse(y_hat, y)
    assert loss.item() == 0.375 and torch.allclose(loss, F.mse_loss(y_hat, y))
    assert ((y - y_hat.detach()) ** 2).tolist() == [0.25, 0.25, 0.0, 1.0]
    loss.backward()
    assert torch.allclose(y_hat.grad, -2 / 4 * (y - y_hat.detach()))


def test_mse_rejects_broadcasting_shapes():
    with pytest.raises(ValueError, match="shapes differ"):
        mse(torch.zeros(4, 1), torch.zeros(4))
    y_hat, y = torch.randn(4, 1), torch.randn(4)
    assert ((y - y_hat) ** 2).shape == (4, 4)  # the silent broadcast the page warns about
    with pytest.warns(UserWarning, match="broadcasting"):
        F.mse_loss(y_hat, y)  # PyTorch only warns


@pytest.mark.parametrize("seed,n,K,scale", [(0, 5, 4, 1.0), (1, 32, 10, 5.0), (2, 3, 2, 300.0)])
def test_cross_entropy_matches_torch_and_nll(seed, n, K, scale):
    torch.manual_seed(seed)
    z = (scale * torch.randn(n, K, dtype=torch.float64)).requires_grad_()
    y = torch.randint(0, K, (n,))
    loss = cross_entropy(z, y)
    assert torch.allclose(loss, F.cross_entropy(z, y))
    assert torch.allclose(loss, F.nll_loss(F.log_softmax(z, dim=1), y))
    assert torch.allclose(log_softmax(z), F.log_softmax(z, dim=1))
    loss.backward()
    p = torch.softmax(z.detach(), dim=1)
    assert torch.allclose(z.grad, (p - F.one_hot(y, K)) / n)  # dl/dz_k = p_k - 1[k = y], per example


def test_cross_entropy_sums_over_classes_for_soft_targets():
    torch.manual_seed(4)
    z = torch.randn(6, 5, dtype=torch.float64)
    q = torch.softmax(torch.randn(6, 5, dtype=torch.float64), dim=1)
    by_formula = -(q * torch.log_softmax(z, dim=1)).sum(dim=1).mean()  # H(q, p), then mean over samples
    assert torch.allclose(by_formula, F.cross_entropy(z, q))


def test_cross_entropy_extreme_logits_from_the_page():
    assert abs(cross_entropy(torch.tensor([[0.0, -120.0]]), torch.tensor([1])).item() - 120.0) < 1e-3
    assert torch.isinf(-torch.log(torch.softmax(torch.tensor([[0.0, -120.0]]), dim=1))[0, 1])
    assert abs(cross_entropy(torch.tensor([[1000.0, 0.0]]), torch.tensor([1])).item() - 1000.0) < 1e-3


def test_cross_entropy_bad_shapes():
    with pytest.raises(ValueError, match="logits"):
        cross_entropy(torch.zeros(3, 4), torch.zeros(2, dtype=torch.long))


def test_exercise_double_softmax_floor():
    K = 10
    one_hot_probs = F.one_hot(torch.tensor([3]), K).double()  # a perfect model's softmax output
    floor = F.cross_entropy(one_hot_probs, torch.tensor([3])).item()
    assert math.isclose(floor, math.log(1 + (K - 1) / math.e), rel_tol=1e-12)
    assert round(floor, 3) == 1.461


@pytest.mark.parametrize("eps", [0.0, 0.05, 0.1, 0.5, 1.0])
def test_label_smoothing_matches_torch(eps):
    torch.manual_seed(5)
    z, y = torch.randn(7, 6, dtype=torch.float64), torch.randint(0, 6, (7,))
    assert torch.allclose(label_smoothed_ce(z, y, eps), F.cross_entropy(z, y, label_smoothing=eps))


def test_label_smoothing_exercise_imagenet_targets():
    eps, K = 0.1, 1000
    torch.manual_seed(6)
    z, y = torch.randn(2, K, dtype=torch.float64), torch.tensor([7, 123])
    q = torch.full((2, K), 0.0001, dtype=torch.float64)
    q[torch.arange(2), y] = 0.9001  # the numbers given in the exercise answer
    assert torch.allclose(q.sum(dim=1), torch.ones(2, dtype=torch.float64))
    assert torch.allclose(F.cross_entropy(z, q), F.cross_entropy(z, y, label_smoothing=eps))


@pytest.mark.parametrize("eps", [-0.1, 1.5])
def test_label_smoothing_rejects_bad_eps(eps):
    with pytest.raises(ValueError, match="eps"):
        label_smoothed_ce(torch.zeros(2, 3), torch.tensor([0, 1]), eps)


def test_bce_worked_example_numbers():
    y = torch.tensor([1.0, 0.0, 1.0, 0.0], dtype=torch.float64)
    y_hat = torch.tensor([0.7, 0.3, 0.6, 0.4], dtype=torch.float64)
    terms = bce_terms(y_hat, y)
    assert [round(t, 4) for t in terms.tolist()] == [0.3567, 0.3567, 0.5108, 0.5108]
    assert round(terms.sum().item(), 4) == 1.7350
    assert round(F.binary_cross_entropy(y_hat, y).item(), 4) == 0.4338
    assert torch.allclose(bce(y_hat, y), F.binary_cross_entropy(y_hat, y))


def test_bce_formula_matches_torch_on_random_and_soft_labels():
    torch.manual_seed(7)
    y_hat = torch.rand(50, dtype=torch.float64).clamp(1e-6, 1 - 1e-6)
    y = torch.rand(50, dtype=torch.float64)  # soft labels in [0, 1] are allowed too
    assert torch.allclose(bce(y_hat, y), F.binary_cross_entropy(y_hat, y))


def test_bce_rejects_bad_input():
    with pytest.raises(ValueError, match="probabilities"):
        bce(torch.tensor([1.2, 0.5]), torch.tensor([1.0, 0.0]))
    with pytest.raises(ValueError, match="shapes differ"):
        bce(torch.tensor([0.2, 0.5]), torch.tensor([1.0]))


def test_bce_with_logits_matches_torch_including_extremes():
    torch.manual_seed(8)
    x = torch.cat([5 * torch.randn(20), torch.tensor([-100.0, -40.0, 40.0, 100.0])]).double()
    y = torch.randint(0, 2, (24,)).double()
    assert torch.allclose(bce_with_logits(x, y), F.binary_cross_entropy_with_logits(x, y))
    moderate = x[:20]  # where sigmoid is representable, the probability form agrees
    assert torch.allclose(bce_with_logits(moderate, y[:20]), F.binary_cross_entropy(torch.sigmoid(moderate), y[:20]))
    with pytest.raises(ValueError, match="shapes differ"):
        bce_with_logits(torch.zeros(2), torch.zeros(3))


def test_confident_mistake_numbers_from_the_page():
    logit, target = torch.tensor([40.0], requires_grad=True), torch.tensor([0.0])
    naive = F.binary_cross_entropy(torch.sigmoid(logit), target)
    naive.backward()
    assert naive.item() == 100.0 and logit.grad.item() == 0.0
    logit.grad = None
    stable = bce_with_logits(logit, target)
    stable.backward()
    assert abs(stable.item() - 40.0) < 1e-5
    assert abs(logit.grad.item() - (torch.sigmoid(logit).item() - 0.0)) < 1e-6  # σ(x) - y = 1


def test_precision_recall_f1_worked_example():
    y_true = torch.tensor([1] * 4 + [0] * 16)
    y_pred = torch.tensor([1, 1, 1, 0] + [1] * 3 + [0] * 13)
    p, r, f1 = precision_recall_f1(y_pred, y_true)
    accuracy = int((y_pred == y_true).sum()) / 20
    assert (p, r, accuracy) == (0.5, 0.75, 0.8)
    assert math.isclose(f1, 2 * p * r / (p + r)) and math.isclose(f1, 0.6)
    assert not math.isclose(f1, 2 * accuracy * r / (accuracy + r))  # F1 is not built from accuracy


def test_precision_undefined_without_predicted_positives():
    y_true = torch.tensor([1] + [0] * 99)  # 1% positives, a model that always says "negative"
    y_pred = torch.zeros(100, dtype=torch.long)
    assert int((y_pred == y_true).sum()) / 100 == 0.99
    with pytest.raises(ValueError, match="undefined"):
        precision_recall_f1(y_pred, y_true)
    with pytest.raises(ValueError, match="shapes differ"):
        precision_recall_f1(torch.zeros(3), torch.zeros(4))


@pytest.mark.parametrize("name", ["mse_by_hand", "cross_entropy_by_hand", "label_smoothing_check",
                                  "bce_worked_example", "bce_with_logits_stability", "precision_recall_f1"])
def test_snippet_module_asserts_hold(name):
    __import__(f"fundamentals.{name}")  # each snippet asserts its page's claims at import time
