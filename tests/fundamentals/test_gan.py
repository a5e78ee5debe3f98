"""Checks for docs/fundamentals/gan.*.md: the optimal discriminator, the generator losses, DCGAN rules, one step."""
import itertools
import math

import pytest
import torch
import torch.nn as nn
import torch.nn.functional as F

from fundamentals.conv_transpose_output_size import conv_transpose_output_size
from fundamentals.gan_optimal_discriminator import js_divergence, optimal_discriminator, value
from fundamentals.gan_saturating_gradient import generator_grads
from fundamentals.gan_training_step import (
    Z_DIM, dcgan_init, discriminator_step, generator_step, make_discriminator, make_generator, snapshot, unchanged,
)

P_DATA = torch.tensor([0.50, 0.30, 0.15, 0.05], dtype=torch.float64)
P_G = torch.tensor([0.10, 0.20, 0.30, 0.40], dtype=torch.float64)


# --- minimax value and the optimal discriminator ---------------------------------------------------

def test_optimal_discriminator_values_in_text():
    assert [round(v, 3) for v in optimal_discriminator(P_DATA, P_G).tolist()] == [0.833, 0.6, 0.333, 0.111]
    assert round(value(optimal_discriminator(P_DATA, P_G), P_DATA, P_G).item(), 4) == -1.0502


def test_optimal_discriminator_is_the_maximiser_found_by_autograd():
    g = torch.Generator().manual_seed(0)
    for _ in range(5):
        p_data = torch.rand(6, generator=g, dtype=torch.float64) + 0.05
        p_g = torch.rand(6, generator=g, dtype=torch.float64) + 0.05
        p_data, p_g = p_data / p_data.sum(), p_g / p_g.sum()
        D_star = optimal_discriminator(p_data, p_g).requires_grad_()
        (grad,) = torch.autograd.grad(value(D_star, p_data, p_g), D_star)
        assert grad.abs().max() < 1e-12  # stationary point ...
        for _ in range(20):  # ... and every nearby discriminator is worse
            D = (D_star.detach() + 0.05 * torch.randn(6, generator=g, dtype=torch.float64)).clamp(1e-3, 1 - 1e-3)
            assert value(D, p_data, p_g) <= value(D_star.detach(), p_data, p_g)


def test_value_at_optimum_is_minus_log4_plus_two_jsd():
    V_star = value(optimal_discriminator(P_DATA, P_G), P_DATA, P_G).item()
    assert math.isclose(V_star, -math.log(4) + 2 * js_divergence(P_DATA, P_G).item(), rel_tol=1e-12)
    assert V_star > -math.log(4)
    # JSD against an independent computation with F.kl_div
    m = (P_DATA + P_G) / 2
    kl = lambda p, q: F.kl_div(q.log(), p, reduction="sum").item()  # noqa: E731  KL(p || q)
    assert math.isclose(js_divergence(P_DATA, P_G).item(), 0.5 * kl(P_DATA, m) + 0.5 * kl(P_G, m), rel_tol=1e-12)
    # at the global optimum p_g = p_data: D* = 1/2 everywhere and V = -log 4
    assert torch.allclose(optimal_discriminator(P_DATA, P_DATA), torch.full((4,), 0.5, dtype=torch.float64))


def test_optimal_discriminator_rejects_bad_distributions():
    with pytest.raises(ValueError, match="same shape"):
        optimal_discriminator(P_DATA, P_G[:3])
    with pytest.raises(ValueError, match="sum to 1"):
        optimal_discriminator(P_DATA * 2, P_G)
    with pytest.raises(ValueError, match="non-negative"):
        optimal_discriminator(torch.tensor([1.2, -0.2]), torch.tensor([0.5, 0.5]))
    with pytest.raises(ValueError, match="both 0"):
        optimal_discriminator(torch.tensor([1.0, 0.0]), torch.tensor([1.0, 0.0]))


# --- saturating vs non-saturating generator loss ---------------------------------------------------

@pytest.mark.parametrize("d_fake", [0.9, 0.5, 0.1, 0.01, 0.001])
def test_generator_gradients_match_closed_forms(d_fake):
    g_sat, g_ns = generator_grads(d_fake)
    assert g_sat == pytest.approx(-d_fake, abs=1e-12)
    assert g_ns == pytest.approx(-(1 - d_fake), abs=1e-12)


def test_non_saturating_loss_is_bce_with_target_one():
    a = torch.linspace(-8, 8, 17, dtype=torch.float64)
    assert torch.allclose(F.binary_cross_entropy_with_logits(a, torch.ones_like(a), reduction="none"),
                          -torch.log(torch.sigmoid(a)))
    assert torch.allclose(F.binary_cross_entropy_with_logits(a, torch.zeros_like(a), reduction="none"),
                          -torch.log1p(-torch.sigmoid(a)))


# --- DCGAN architecture and transposed convolutions -----------------------------------------------

def test_conv_transpose_output_size_against_pytorch():
    for n, k, s, p, d, op in itertools.product(range(1, 6), range(1, 5), range(1, 4), range(0, 3), (1, 2), (0, 1)):
        try:
            expected = conv_transpose_output_size(n, k, s, p, d, op)
        except ValueError:  # PyTorch either refuses too, or returns an empty (size 0) output
            try:
                layer = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=op, dilation=d)
                assert layer(torch.zeros(1, 1, n, n)).numel() == 0, (n, k, s, p, d, op)
            except RuntimeError:
                pass
            continue
        layer = nn.ConvTranspose2d(1, 1, k, s, p, output_padding=op, dilation=d)
        assert layer(torch.zeros(1, 1, n, n)).shape[-1] == expected
    assert [conv_transpose_output_size(1, 7), conv_transpose_output_size(7, 4, 2, 1),
            conv_transpose_output_size(14, 4, 2, 1)] == [7, 14, 28]
    assert conv_transpose_output_size(4, 4, 2, 1) == 8  # exercise 2
    with pytest.raises(ValueError, match="output_padding"):
        conv_transpose_output_size(4, 3, 1, 0, 1, output_padding=1)


def test_models_follow_the_dcgan_guidelines():
    G, D = make_generator(), make_discriminator()
    for net in (G, D):
        kinds = [type(m) for m in net]
        assert not any(issubclass(t, (nn.MaxPool2d, nn.AvgPool2d, nn.Linear)) for t in kinds)
    g_kinds = [type(m) for m in G]
    assert g_kinds[-2:] == [nn.ConvTranspose2d, nn.Tanh]  # no BatchNorm on the generator's output
    assert {t for t in g_kinds if t not in (nn.ConvTranspose2d, nn.BatchNorm2d)} == {nn.ReLU, nn.Tanh}
    d_kinds = [type(m) for m in D]
    assert d_kinds[:2] == [nn.Conv2d, nn.LeakyReLU]  # no BatchNorm on the discriminator's input
    assert nn.BatchNorm2d in d_kinds and nn.BatchNorm2d in g_kinds
    assert all(m.negative_slope == 0.2 for m in D if isinstance(m, nn.LeakyReLU))
    assert not any(isinstance(m, nn.Sigmoid) for m in D)  # the sigmoid lives in BCEWithLogits
    assert [m.stride for m in D if isinstance(m, nn.Conv2d)][:2] == [(2, 2), (2, 2)]  # strided, not pooled


def test_shapes_and_output_range():
    torch.manual_seed(1)
    G, D = make_generator(), make_discriminator()
    x = G(torch.randn(5, Z_DIM, 1, 1))
    assert x.shape == (5, 1, 28, 28) and x.min() >= -1 and x.max() <= 1
    assert D(x).shape == (5,)


# --- one training step ---------------------------------------------------------------------------

def _setup(seed=0):
    torch.manual_seed(seed)
    G, D = make_generator(), make_discriminator()
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    return G, D, opt_G, opt_D, torch.rand(16, 1, 28, 28) * 2 - 1


def test_discriminator_step_trains_only_d():
    G, D, opt_G, opt_D, x_real = _setup()
    G_before, D_before = snapshot(G), snapshot(D)
    loss_D = discriminator_step(G, D, opt_D, x_real)
    assert math.isfinite(loss_D)
    assert all(p.grad is None for p in G.parameters())
    assert all(p.grad is not None for p in D.parameters())
    assert unchanged(G, G_before) and not unchanged(D, D_before)


def test_generator_step_gradient_flows_through_frozen_d():
    G, D, opt_G, opt_D, x_real = _setup()
    discriminator_step(G, D, opt_D, x_real)
    D_grads = [p.grad.clone() for p in D.parameters()]
    D_before, G_before = snapshot(D), snapshot(G)
    bn_before = D[3].running_mean.clone()
    loss_G = generator_step(G, D, opt_G, 16)
    assert math.isfinite(loss_G)
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in G.parameters())
    assert unchanged(D, D_before) and not unchanged(G, G_before)
    assert all(torch.equal(p.grad, g) for p, g in zip(D.parameters(), D_grads))  # no new D gradients
    assert all(p.requires_grad for p in D.parameters())  # D is trainable again afterwards
    assert not torch.equal(D[3].running_mean, bn_before)  # BatchNorm *buffers* still move in train mode


def test_generator_gradient_equals_chain_rule_through_d():
    G, D, *_ = _setup(seed=3)
    z = torch.randn(8, Z_DIM, 1, 1)
    x_fake = G(z)
    loss = F.binary_cross_entropy_with_logits(D(x_fake), torch.ones(8))
    (dloss_dx,) = torch.autograd.grad(loss, x_fake, retain_graph=True)  # the signal D sends back
    assert dloss_dx.abs().sum() > 0
    grads_via_chain = torch.autograd.grad(x_fake, list(G.parameters()), grad_outputs=dloss_dx, retain_graph=True)
    grads_direct = torch.autograd.grad(loss, list(G.parameters()))
    assert all(torch.allclose(a, b, atol=1e-7) for a, b in zip(grads_via_chain, grads_direct))


def test_without_detach_d_loss_would_reach_g():
    # the bug detach prevents: D's loss on fakes produces gradients for G's weights
    G, D, *_ = _setup()
    loss = F.binary_cross_entropy_with_logits(D(G(torch.randn(4, Z_DIM, 1, 1))), torch.zeros(4))
    loss.backward()
    assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in G.parameters())


def test_initial_discriminator_loss_is_close_to_log4():
    for seed in range(5):
        G, D, opt_G, opt_D, x_real = _setup(seed)
        assert abs(discriminator_step(G, D, opt_D, x_real) - math.log(4)) < 0.3


def test_a_few_steps_stay_finite():
    G, D, opt_G, opt_D, x_real = _setup(seed=2)
    for _ in range(3):
        assert math.isfinite(discriminator_step(G, D, opt_D, x_real))
        assert math.isfinite(generator_step(G, D, opt_G, 16))
