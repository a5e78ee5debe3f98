"""Checks for docs/fundamentals/cnn.*.md: every formula against PyTorch, every worked example recomputed."""
import itertools

import numpy as np
import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from fundamentals.conv2d_by_hand import conv2d_by_hand
from fundamentals.conv_output_size import conv_output_size
from fundamentals.pooling_by_hand import pool2d_by_hand
from fundamentals.receptive_field import build, gradient_footprint, receptive_field
from fundamentals.small_cnn_shapes import EXPECTED, conv_param_count, linear_param_count, model


# --- convolution = cross-correlation --------------------------------------------------------------

@pytest.mark.parametrize("stride,padding,dilation", [(1, 0, 1), (2, 1, 1), (1, 2, 2), (3, 1, 2)])
def test_conv2d_by_hand_matches_f_conv2d(stride, padding, dilation):
    g = torch.Generator().manual_seed(stride * 100 + padding * 10 + dilation)
    X = torch.randn(3, 10, 9, generator=g, dtype=torch.float64)
    W = torch.randn(5, 3, 3, 2, generator=g, dtype=torch.float64)
    b = torch.randn(5, generator=g, dtype=torch.float64)
    expected = F.conv2d(X[None], W, b, stride=stride, padding=padding, dilation=dilation)[0]
    assert torch.allclose(conv2d_by_hand(X, W, b, stride, padding, dilation), expected)
    assert torch.allclose(conv2d_by_hand(X, W, None, stride, padding, dilation), expected - b[:, None, None])


def test_worked_example_edge_map():
    X = torch.tensor([[1.0, 1.0, 1.0, 0.0]] * 4)[None]
    K = torch.tensor([[1.0, 0.0, -1.0]] * 3).view(1, 1, 3, 3)
    assert conv2d_by_hand(X, K).tolist() == [[[0.0, 3.0], [0.0, 3.0]]]
    # 3x3 input with a 3x3 kernel: exactly one window, a 1x1 output (not 2x2)
    assert F.conv2d(torch.ones(1, 1, 3, 3), torch.ones(1, 1, 3, 3)).shape == (1, 1, 1, 1)
    assert conv2d_by_hand(X[:, :3, 1:], K).tolist() == [[[3.0]]]


def test_true_convolution_is_cross_correlation_with_flipped_kernel():
    # 1-D: numpy.convolve flips the kernel; F.conv1d does not.
    x = np.array([1.0, 2.0, -1.0, 3.0, 0.5, 4.0])
    k = np.array([2.0, -1.0, 0.5])
    flipped = torch.tensor(k[::-1].copy()).view(1, 1, 3)
    assert np.allclose(np.convolve(x, k, mode="valid"), F.conv1d(torch.tensor(x).view(1, 1, -1), flipped).flatten())
    # exercise 1: flipping the edge kernel left-right negates the edge map
    X = torch.tensor([[1.0, 1.0, 1.0, 0.0]] * 4)[None]
    K = torch.tensor([[1.0, 0.0, -1.0]] * 3).view(1, 1, 3, 3)
    assert conv2d_by_hand(X, torch.flip(K, dims=(-2, -1))).tolist() == [[[0.0, -3.0], [0.0, -3.0]]]


def test_conv2d_by_hand_rejects_channel_mismatch():
    with pytest.raises(ValueError, match="channels"):
        conv2d_by_hand(torch.zeros(2, 5, 5), torch.zeros(1, 3, 3, 3))
    with pytest.raises(ValueError, match="does not fit"):
        conv2d_by_hand(torch.zeros(1, 2, 2), torch.zeros(1, 1, 3, 3))


# --- output size -------------------------------------------------------------------------------------

def test_output_size_formula_over_a_grid():
    checked = 0
    for n, k, s, p, d in itertools.product(range(1, 10), range(1, 5), range(1, 4), range(0, 3), range(1, 4)):
        if d * (k - 1) + 1 > n + 2 * p:
            with pytest.raises(ValueError, match="window spans"):
                conv_output_size(n, k, s, p, d)
            with pytest.raises(RuntimeError):  # PyTorch refuses too
                F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
            continue
        y = F.conv2d(torch.zeros(1, 1, n, n + 1), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
        assert y.shape[-2:] == (conv_output_size(n, k, s, p, d), conv_output_size(n + 1, k, s, p, d))
        checked += 1
    assert checked > 700  # 780 settings where the window fits


def test_output_size_examples_from_the_text():
    assert conv_output_size(3, 3) == 1
    assert conv_output_size(4, 3) == 2
    assert conv_output_size(28, 3, p=1) == 28
    assert conv_output_size(28, 5) == 24
    assert conv_output_size(28, 3, s=2, p=1) == 14
    assert conv_output_size(28, 3, p=2, d=2) == 28
    assert conv_output_size(8, 3, s=2) == 3
    assert conv_output_size(224, 7, s=2, p=3) == 112  # exercise 2


@pytest.mark.parametrize("bad", [dict(n=0, k=1), dict(n=5, k=0), dict(n=5, k=3, s=0), dict(n=5, k=3, p=-1),
                                 dict(n=5, k=3, d=0), dict(n=5.0, k=3), dict(n=5, k=True)])
def test_output_size_rejects_bad_arguments(bad):
    with pytest.raises(ValueError, match="must be an integer"):
        conv_output_size(**bad)


# --- pooling -------------------------------------------------------------------------------------------

def test_pooling_worked_example_and_sizes():
    X = torch.tensor([[1.0, 3, 2, 1], [4, 2, 0, 1], [5, 1, 3, 3], [0, 2, 4, 8]])
    assert pool2d_by_hand(X, 2).tolist() == [[4.0, 2.0], [5.0, 8.0]]
    assert pool2d_by_hand(X, 2, reduce="avg").tolist() == [[2.5, 1.0], [2.0, 4.5]]
    g = torch.Generator().manual_seed(1)
    for n, k, s in itertools.product(range(2, 9), range(1, 4), range(1, 4)):
        if k > n:
            continue
        x = torch.randn(1, 1, n, n, generator=g)
        for reduce, torch_pool in (("max", F.max_pool2d), ("avg", F.avg_pool2d)):
            expected = torch_pool(x, k, stride=s)
            assert expected.shape[-1] == conv_output_size(n, k, s)  # the same formula with p = 0, d = 1
            assert torch.allclose(pool2d_by_hand(x[0, 0], k, s, reduce), expected[0, 0])
    with pytest.raises(ValueError, match="reduce"):
        pool2d_by_hand(X, 2, reduce="median")


# --- receptive field --------------------------------------------------------------------------------

@pytest.mark.parametrize("layers,pools", [
    ([(3, 1, 1)], ()),
    ([(3, 1, 1)] * 3, ()),
    ([(3, 1, 1), (2, 2, 1), (3, 1, 1), (2, 2, 1)], (1, 3)),
    ([(3, 1, 1), (3, 1, 2), (3, 1, 4)], ()),
    ([(5, 2, 1), (3, 1, 1)], ()),
    ([(3, 2, 1), (3, 2, 1), (3, 2, 1)], ()),
    ([(7, 2, 1), (3, 2, 1), (3, 1, 1)], (1,)),
])
def test_receptive_field_formula_matches_gradient_footprint(layers, pools):
    assert gradient_footprint(build(layers, pools), size=96) == (receptive_field(layers),) * 2


def test_receptive_field_values_in_text():
    assert receptive_field([(3, 1, 1)] * 3) == 7
    assert receptive_field([(3, 1, 1), (2, 2, 1), (3, 1, 1), (2, 2, 1)]) == 10
    assert receptive_field([(3, 1, 1), (3, 1, 2), (3, 1, 4)]) == 15
    assert receptive_field([(3, 1, 1)] * 13) == 27 < 28 <= receptive_field([(3, 1, 1)] * 14) == 29  # exercise 3
    with pytest.raises(ValueError, match=">= 1"):
        receptive_field([(3, 0, 1)])


def test_max_pooling_gradient_reaches_one_pixel_per_window():
    x = torch.randn(1, 1, 4, 4, requires_grad=True)
    F.max_pool2d(x, 2)[0, 0, 0, 0].backward()
    assert int((x.grad != 0).sum()) == 1


# --- parameter counts and the small MNIST CNN ----------------------------------------------------

def test_conv_param_count_matches_nn_conv2d():
    for c_in, c_out, k_h, k_w, bias in itertools.product((1, 3), (1, 8), (1, 3, 5), (1, 2), (True, False)):
        layer = nn.Conv2d(c_in, c_out, (k_h, k_w), bias=bias)
        assert sum(p.numel() for p in layer.parameters()) == conv_param_count(c_in, c_out, k_h, k_w, bias)
    with pytest.raises(ValueError, match=">= 1"):
        conv_param_count(0, 8, 3, 3)


def test_small_cnn_shapes_and_parameters():
    x = torch.zeros(2, 1, 28, 28)
    for layer, (shape, n_params) in zip(model, EXPECTED):
        x = layer(x)
        assert x.shape[1:] == shape
        assert sum(p.numel() for p in layer.parameters()) == n_params
    assert x.shape == (2, 10)
    assert sum(p.numel() for p in model.parameters()) == 20_490
    # the numbers quoted in the text
    assert conv_param_count(1, 16, 3, 3) == 160
    assert conv_param_count(16, 32, 3, 3) == 4_640
    assert linear_param_count(32 * 7 * 7, 10) == 15_690 > 0.75 * 20_490  # "more than three quarters"
    dense = nn.Linear(784, 16 * 28 * 28, device="meta")  # the dense layer weight sharing avoids
    assert sum(p.numel() for p in dense.parameters()) == linear_param_count(784, 12_544) == 9_847_040
    assert conv_param_count(3, 64, 7, 7) == 9_472  # exercise 2
