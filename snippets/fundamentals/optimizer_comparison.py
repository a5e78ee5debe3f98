"""SGD, momentum, RMSProp and Adam on one badly scaled regression: same data, same mini-batches."""
import torch

torch.manual_seed(0)
n, batch_size, num_steps = 512, 32, 300
X = torch.randn(n, 2) * torch.tensor([10.0, 0.3])  # feature scales differ by a factor of ~33
y = X @ torch.tensor([0.5, -3.0]) + 0.1 * torch.randn(n)
batches = torch.randint(0, n, (num_steps, batch_size))  # every optimizer sees these batches in order


def mse(X, y, w):
    return ((X @ w - y) ** 2).mean()


def excess_loss(make_optimizer, X=X, y=y):
    """Mini-batch training from w = 0; returns L(w) - L(w_best) on all the data (0 is perfect)."""
    w = torch.zeros(2, requires_grad=True)
    optimizer = make_optimizer([w])
    for idx in batches:
        optimizer.zero_grad()
        mse(X[idx], y[idx], w).backward()
        optimizer.step()
    w_best = torch.linalg.lstsq(X, y[:, None]).solution[:, 0]  # the least-squares solution
    return (mse(X, y, w) - mse(X, y, w_best)).item()


# Learning rates picked by hand for this problem. The Hessian 2·XᵀX/n ≈ diag(200, 0.2),
# so plain SGD must keep lr < 2/200 = 0.01 and then crawls along the flat second direction.
optimizers = {
    "SGD": (0.008, lambda params: torch.optim.SGD(params, lr=0.008)),
    "Momentum": (0.004, lambda params: torch.optim.SGD(params, lr=0.004, momentum=0.9)),
    "RMSProp": (0.01, lambda params: torch.optim.RMSprop(params, lr=0.01)),
    "Adam": (0.03, lambda params: torch.optim.Adam(params, lr=0.03)),
}
excess = {name: excess_loss(make) for name, (_, make) in optimizers.items()}

print(f"| optimizer | lr     | excess loss after {num_steps} steps |")
print("|-----------|--------|-----------------------------|")
for name, (lr, _) in optimizers.items():
    print(f"| {name:9s} | {lr:<6g} | {excess[name]:27.2e} |")
assert all(excess[name] < excess["SGD"] / 10 for name in ("Momentum", "RMSProp", "Adam"))
assert excess["Adam"] == min(excess.values())
