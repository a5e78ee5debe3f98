"""D*(x) = p_data / (p_data + p_g), found again by gradient ascent on V(D, G)."""
import math

import torch


def _check(p_data, p_g):
    if p_data.shape != p_g.shape:
        raise ValueError("p_data and p_g must have the same shape")
    for name, p in (("p_data", p_data), ("p_g", p_g)):
        if (p < 0).any() or abs(p.sum().item() - 1) > 1e-6:
            raise ValueError(f"{name} must be non-negative and sum to 1")
    if ((p_data + p_g) == 0).any():
        raise ValueError("D* is undefined where p_data and p_g are both 0")


def optimal_discriminator(p_data, p_g):
    _check(p_data, p_g)
    return p_data / (p_data + p_g)


def value(D, p_data, p_g):
    """V(D, G) = E_{p_data}[log D(x)] + E_{p_g}[log(1 - D(x))] over finitely many x."""
    return (torch.xlogy(p_data, D) + torch.xlogy(p_g, 1 - D)).sum()  # 0 * log 0 = 0


def js_divergence(p, q):
    m = (p + q) / 2
    return 0.5 * (torch.xlogy(p, p / m).nansum() + torch.xlogy(q, q / m).nansum())


p_data = torch.tensor([0.50, 0.30, 0.15, 0.05], dtype=torch.float64)
p_g = torch.tensor([0.10, 0.20, 0.30, 0.40], dtype=torch.float64)
D_star = optimal_discriminator(p_data, p_g)

# A discriminator with one logit per point maximises V by gradient ascent: it finds D*.
logits = torch.zeros(4, dtype=torch.float64, requires_grad=True)
optimizer = torch.optim.SGD([logits], lr=5.0)
for _ in range(200):
    optimizer.zero_grad()
    (-value(torch.sigmoid(logits), p_data, p_g)).backward()  # ascent on V = descent on -V
    optimizer.step()
assert torch.allclose(torch.sigmoid(logits), D_star, atol=1e-6)

# V(D*, G) = -log 4 + 2 JSD(p_data || p_g) >= -log 4, with equality iff p_g = p_data.
V_star = value(D_star, p_data, p_g).item()
jsd = js_divergence(p_data, p_g).item()
assert math.isclose(V_star, -math.log(4) + 2 * jsd, rel_tol=1e-12) and V_star > -math.log(4)
half = torch.full((4,), 0.5, dtype=torch.float64)
assert torch.equal(optimal_discriminator(p_data, p_data), half)
assert math.isclose(value(half, p_data, p_data).item(), -math.log(4))
print("D* =", [round(v, 3) for v in D_star.tolist()],
      f"V(D*, G) = {V_star:.4f}, -log 4 = {-math.log(4):.4f}")
