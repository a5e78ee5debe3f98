"""Why G minimises -log D(G(z)) rather than log(1 - D(G(z))): compare the gradients."""
import torch
import torch.nn.functional as F


def generator_grads(d_fake: float):
    """Gradients w.r.t. the discriminator's logit a, where D(G(z)) = sigmoid(a) = d_fake."""
    a = torch.logit(torch.tensor(d_fake, dtype=torch.float64)).requires_grad_()
    saturating = torch.log1p(-torch.sigmoid(a))  # log(1 - D(G(z))): the minimax loss of G
    non_saturating = F.binary_cross_entropy_with_logits(a, torch.ones_like(a))  # -log D
    (g_sat,) = torch.autograd.grad(saturating, a)
    (g_ns,) = torch.autograd.grad(non_saturating, a)
    return g_sat.item(), g_ns.item()


print("D(G(z))   d/da log(1-D)   d/da -log D")
for d_fake in (0.5, 0.1, 0.01, 0.001):
    g_sat, g_ns = generator_grads(d_fake)
    # closed forms: d/da log(1 - sigmoid(a)) = -sigmoid(a)
    #               d/da -log sigmoid(a)     = -(1 - sigmoid(a))
    assert abs(g_sat - (-d_fake)) < 1e-12 and abs(g_ns - (-(1 - d_fake))) < 1e-12
    print(f"{d_fake:<9} {g_sat:>14.3f} {g_ns:>13.3f}")

# When D confidently rejects the fakes, the minimax gradient is ~1000x weaker.
g_sat, g_ns = generator_grads(0.001)
assert abs(g_ns / g_sat) > 900
