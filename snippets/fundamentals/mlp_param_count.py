"""Parameters of a stack of nn.Linear layers: sum over l of (n_{l-1} + 1) * n_l."""
from collections.abc import Sequence

from torch import nn


def linear_param_count(layer_sizes: Sequence[int]) -> int:
    """Weights plus biases of an MLP with widths layer_sizes = [n_0, n_1, ..., n_L]."""
    if len(layer_sizes) < 2:
        raise ValueError("layer_sizes needs at least an input width and an output width")
    if any(isinstance(n, bool) or not isinstance(n, int) or n <= 0 for n in layer_sizes):
        raise ValueError(f"layer widths must be positive integers, got {list(layer_sizes)}")
    # Layer l has an (n_l x n_{l-1}) weight matrix and n_l biases.
    return sum((n_in + 1) * n_out for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]))


def build_mlp(layer_sizes: Sequence[int]) -> nn.Sequential:
    """Linear layers with ReLU in between (none after the output layer)."""
    layers: list[nn.Module] = []
    for n_in, n_out in zip(layer_sizes[:-1], layer_sizes[1:]):
        layers += [nn.Linear(n_in, n_out), nn.ReLU()]
    return nn.Sequential(*layers[:-1])


sizes = [784, 256, 128, 10]
model = build_mlp(sizes)
counted = sum(p.numel() for p in model.parameters())  # what PyTorch actually allocated
assert counted == linear_param_count(sizes) == 235_146
per_layer = [(n_in + 1) * n_out for n_in, n_out in zip(sizes[:-1], sizes[1:])]
assert per_layer == [200_960, 32_896, 1_290]
print(f"{sizes}: per layer {per_layer}, total {counted:,} parameters")
