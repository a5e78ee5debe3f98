"""L1 and L2 penalties, their (sub)gradients checked with autograd, and what each does to a weight."""
import torch


def l1_penalty(theta, lam):
    return lam * theta.abs().sum()  # λ‖θ‖₁


def l2_penalty(theta, lam):
    return lam / 2 * (theta**2).sum()  # (λ/2)‖θ‖₂²: squared norm, and the 1/2 makes the gradient λθ


def l1_subgradient(theta, lam):
    return lam * torch.sign(theta)  # at θ_j = 0 any value in [-λ, λ] is valid; sign(0) = 0 is PyTorch's pick


def l2_gradient(theta, lam):
    return lam * theta


def argmin_with_l1(a, lam):
    """argmin_w (w - a)²/2 + λ|w|: soft thresholding, small weights become exactly 0."""
    return torch.sign(a) * torch.clamp(a.abs() - lam, min=0.0)


def argmin_with_l2(a, lam):
    """argmin_w (w - a)²/2 + (λ/2)w²: every weight shrinks by the same factor, none becomes 0."""
    return a / (1 + lam)


def argmin_quadratic_with_l2(H, theta_star, lam):
    """Minimum of the quadratic model ½(θ-θ*)ᵀH(θ-θ*) plus (λ/2)‖θ‖²: (H + λI)⁻¹ H θ*."""
    return torch.linalg.solve(H + lam * torch.eye(len(H), dtype=H.dtype), H @ theta_star)


torch.manual_seed(0)
theta = torch.randn(6, dtype=torch.float64)
theta[2] = 0.0  # include the kink of |θ|
lam = 0.3
for penalty, by_hand in [(l1_penalty, l1_subgradient), (l2_penalty, l2_gradient)]:
    t = theta.clone().requires_grad_()
    (grad,) = torch.autograd.grad(penalty(t, lam), t)
    assert torch.allclose(grad, by_hand(theta, lam)), penalty.__name__

# The closed forms agree with a brute-force search over a fine grid of w.
a = torch.tensor([2.0, 0.4, -0.3, -1.2], dtype=torch.float64)
lam = 0.5
w = torch.linspace(-3, 3, 60001, dtype=torch.float64)[:, None]  # grid step 1e-4
for objective, closed_form in [
    ((w - a) ** 2 / 2 + lam * w.abs(), argmin_with_l1(a, lam)),
    ((w - a) ** 2 / 2 + lam / 2 * w**2, argmin_with_l2(a, lam)),
]:
    assert torch.allclose(w[objective.argmin(dim=0), 0], closed_form, atol=1e-4)

# Around a minimum θ* with Hessian H, the L2 minimum is where the total gradient vanishes.
A = torch.randn(3, 3, dtype=torch.float64)
H, theta_star = A @ A.T + 0.1 * torch.eye(3, dtype=torch.float64), torch.randn(3, dtype=torch.float64)
t = argmin_quadratic_with_l2(H, theta_star, lam).requires_grad_()
(grad,) = torch.autograd.grad(0.5 * (t - theta_star) @ H @ (t - theta_star) + l2_penalty(t, lam), t)
assert grad.abs().max() < 1e-12

print("a      :", a.tolist())
print("with L1:", [round(v, 4) + 0.0 for v in argmin_with_l1(a, lam).tolist()])  # + 0.0 turns -0.0 into 0.0
print("with L2:", [round(v, 4) for v in argmin_with_l2(a, lam).tolist()])
assert (argmin_with_l1(a, lam) == 0).sum() == 2 and (argmin_with_l2(a, lam) != 0).all()
