"""Vanishing gradients: the weight-gradient norm per layer of a 20-layer MLP, sigmoid vs ReLU."""
import torch
import torch.nn as nn

DEPTH, WIDTH = 20, 64


def layer_grad_norms(activation, init=None, seed=0):
    """Builds DEPTH x (Linear + activation) + Linear head, backprops one loss, returns ‖∂L/∂W‖ per layer."""
    torch.manual_seed(seed)
    layers = []
    for _ in range(DEPTH):
        linear = nn.Linear(WIDTH, WIDTH)
        if init is not None:
            init(linear.weight)
            nn.init.zeros_(linear.bias)
        layers += [linear, activation()]
    model = nn.Sequential(*layers, nn.Linear(WIDTH, 1))
    X = torch.randn(128, WIDTH)
    model(X).pow(2).mean().backward()
    return [model[2 * i].weight.grad.norm().item() for i in range(DEPTH)]


def sigmoid_chain_grad(depth, x0=0.0):
    """d h_depth / d x for h_k = σ(h_(k-1)), h_0 = x: autograd, and the product of local σ' by hand."""
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    h, product = x, 1.0
    for _ in range(depth):
        product *= (torch.sigmoid(h) * (1 - torch.sigmoid(h))).item()  # σ'(h_(k-1)) <= 1/4
        h = torch.sigmoid(h)
    (grad,) = torch.autograd.grad(h, x)
    return grad.item(), product


chain_grad, product = sigmoid_chain_grad(10)
assert abs(chain_grad - product) < 1e-18 and product <= 0.25**10
print(f"10 chained sigmoids: dh/dx = {chain_grad:.2e} (bound 0.25^10 = {0.25**10:.2e})")

runs = {
    "sigmoid + Xavier": layer_grad_norms(nn.Sigmoid, nn.init.xavier_normal_),
    "ReLU + PyTorch default": layer_grad_norms(nn.ReLU),
    "ReLU + He": layer_grad_norms(nn.ReLU, lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu")),
}
print(f"{'layer':>24s}" + "".join(f"{i:>10d}" for i in (1, 5, 10, 15, 20)))
for name, norms in runs.items():
    print(f"{name:>24s}" + "".join(f"{norms[i - 1]:10.1e}" for i in (1, 5, 10, 15, 20)))

ratio = {name: norms[0] / norms[-1] for name, norms in runs.items()}  # first layer vs last layer
assert ratio["sigmoid + Xavier"] < 1e-10  # the first layers barely learn
assert ratio["ReLU + PyTorch default"] < 1e-5  # ReLU alone is not enough: the init scale matters too
assert ratio["ReLU + He"] > 1e-2  # He init keeps the gradient scale through all 20 layers
