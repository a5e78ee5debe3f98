"""One correct GAN training step on a tiny DCGAN-style pair for 1x28x28 images."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

Z_DIM = 16


def make_generator():
    """z (N, 16, 1, 1) -> image (N, 1, 28, 28) in [-1, 1]."""
    return nn.Sequential(
        nn.ConvTranspose2d(Z_DIM, 32, 7, bias=False),  # 1 -> 7
        nn.BatchNorm2d(32), nn.ReLU(),
        nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1, bias=False),  # 7 -> 14
        nn.BatchNorm2d(16), nn.ReLU(),
        nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1),  # 14 -> 28, no BatchNorm
        nn.Tanh(),
    )


def make_discriminator():
    """image (N, 1, 28, 28) -> one logit per image; strided convs, no pooling."""
    return nn.Sequential(
        nn.Conv2d(1, 16, 4, stride=2, padding=1),  # 28 -> 14, no BatchNorm on the input
        nn.LeakyReLU(0.2),
        nn.Conv2d(16, 32, 4, stride=2, padding=1, bias=False),  # 14 -> 7
        nn.BatchNorm2d(32), nn.LeakyReLU(0.2),
        nn.Conv2d(32, 1, 7),  # 7 -> 1: a logit; the sigmoid lives inside the loss
        nn.Flatten(0),  # (N, 1, 1, 1) -> (N,)
    )


def dcgan_init(module):
    """Weights from N(0, 0.02) (Radford et al. 2016); BatchNorm scale from N(1, 0.02)
    and bias 0, as in the pytorch/examples DCGAN."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


def discriminator_step(G, D, opt_D, x_real):
    """Real -> 1, fake -> 0. Detached fakes: this loss cannot reach G."""
    n = x_real.shape[0]
    x_fake = G(torch.randn(n, Z_DIM, 1, 1)).detach()
    opt_D.zero_grad(set_to_none=True)
    loss_D = (F.binary_cross_entropy_with_logits(D(x_real), torch.ones(n))
              + F.binary_cross_entropy_with_logits(D(x_fake), torch.zeros(n)))
    loss_D.backward()
    opt_D.step()
    return loss_D.item()


def generator_step(G, D, opt_G, n):
    """Non-saturating loss -log D(G(z)); the gradient flows THROUGH the frozen D."""
    D.requires_grad_(False)  # D is a fixed function here: its weights get no gradient
    opt_G.zero_grad(set_to_none=True)
    logits = D(G(torch.randn(n, Z_DIM, 1, 1)))
    loss_G = F.binary_cross_entropy_with_logits(logits, torch.ones(n))
    loss_G.backward()
    opt_G.step()
    D.requires_grad_(True)
    return loss_G.item()


def snapshot(model):
    return [p.detach().clone() for p in model.parameters()]


def unchanged(model, before):
    return all(torch.equal(p, q) for p, q in zip(model.parameters(), before))


torch.manual_seed(0)
G, D = make_generator(), make_discriminator()
G.apply(dcgan_init)
D.apply(dcgan_init)
opt_G = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))  # DCGAN settings
opt_D = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
x_real = torch.rand(32, 1, 28, 28) * 2 - 1  # stand-in for MNIST scaled to [-1, 1]

x_fake = G(torch.randn(32, Z_DIM, 1, 1))
assert x_fake.shape == (32, 1, 28, 28) and x_fake.abs().max() <= 1
assert D(x_fake).shape == (32,)

G_before, D_before = snapshot(G), snapshot(D)
loss_D = discriminator_step(G, D, opt_D, x_real)
assert all(p.grad is None for p in G.parameters())  # detach kept D's loss away from G
assert unchanged(G, G_before) and not unchanged(D, D_before)
assert abs(loss_D - math.log(4)) < 0.3  # D starts near guessing: log 2 + log 2

D_before = snapshot(D)
loss_G = generator_step(G, D, opt_G, 32)
# every weight of G got a gradient, and it can only have come through D
assert all(p.grad is not None and p.grad.abs().sum() > 0 for p in G.parameters())
assert unchanged(D, D_before) and not unchanged(G, G_before)  # only G moved
print(f"loss_D = {loss_D:.3f} (log 4 = 1.386), loss_G = {loss_G:.3f}")
