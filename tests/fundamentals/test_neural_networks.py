"""Checks for docs/fundamentals/neural-networks.*.md and its snippets."""
import pytest
import torch
from torch import nn

from fundamentals.mlp_param_count import build_mlp, linear_param_count


@pytest.mark.parametrize("sizes", [[784, 256, 128, 10], [3, 1], [10, 20, 30, 40, 5], [1, 1], [7, 1, 7]])
def test_param_formula_matches_pytorch(sizes):
    model = build_mlp(sizes)
    assert linear_param_count(sizes) == sum(p.numel() for p in model.parameters())


def test_worked_example_numbers_on_the_page():
    sizes = [784, 256, 128, 10]
    per_layer = [linear_param_count(sizes[i:i + 2]) for i in range(3)]
    assert per_layer == [200_960, 32_896, 1_290]
    total = linear_param_count(sizes)
    assert total == 235_146
    assert round(100 * per_layer[0] / total) == 85  # "the first layer holds 85%"
    assert round(175e9 / total, -3) == 744_000  # GPT-3 (175B) is about 744,000 times larger


def test_exercise_numbers():
    assert linear_param_count([100, 50, 3]) == 5_203
    assert linear_param_count([784, 256, 10]) == 203_530
    assert linear_param_count([784, 10]) == 7_850


def test_exercise_shapes():
    model = build_mlp([100, 50, 3])
    X = torch.randn(16, 100)
    H1 = torch.relu(model[0](X))
    assert model[0].weight.shape == (50, 100) and model[0].bias.shape == (50,)
    assert H1.shape == (16, 50) and model[2].weight.shape == (3, 50)
    assert model(X).shape == (16, 3)


def test_two_linear_layers_without_activation_are_one_affine_map():
    torch.manual_seed(0)
    first, second = nn.Linear(784, 256).double(), nn.Linear(256, 10).double()
    X = torch.randn(5, 784, dtype=torch.float64)
    W = second.weight @ first.weight  # W2 W1, shape (10, 784)
    b = second.weight @ first.bias + second.bias  # W2 b1 + b2
    assert W.shape == (10, 784)
    assert torch.allclose(second(first(X)), X @ W.T + b)


def test_batched_forward_formula_matches_nn_linear():
    torch.manual_seed(1)
    layer = nn.Linear(6, 4).double()
    H_prev = torch.randn(3, 6, dtype=torch.float64)
    ones_B = torch.ones(3, 1, dtype=torch.float64)
    by_formula = torch.sigmoid(H_prev @ layer.weight.T + ones_B @ layer.bias[None, :])  # 1_B b^T
    assert torch.allclose(by_formula, torch.sigmoid(layer(H_prev)))


def test_forward_shapes_snippet_runs():
    from fundamentals import mlp_forward_shapes as snippet  # module-level asserts run on import

    assert snippet.logits.shape == (32, 10)
    assert [m.weight.shape for m in snippet.linears] == [(256, 784), (128, 256), (10, 128)]


@pytest.mark.parametrize("sizes", [[784], [], [784, 0], [784, -3, 10], [784, 2.5], [True, 3]])
def test_bad_layer_sizes_raise(sizes):
    with pytest.raises(ValueError, match="layer"):
        linear_param_count(sizes)
