"""A small CNN for MNIST (1x28x28 grayscale): every shape and parameter count asserted."""
import torch
import torch.nn as nn


def conv_param_count(c_in: int, c_out: int, k_h: int, k_w: int, bias: bool = True) -> int:
    """C_in * C_out * k_h * k_w weights, plus one bias per output channel."""
    if min(c_in, c_out, k_h, k_w) < 1:
        raise ValueError("channels and kernel sizes must be >= 1")
    return c_in * c_out * k_h * k_w + (c_out if bias else 0)


def linear_param_count(n_in: int, n_out: int) -> int:
    return n_in * n_out + n_out


model = nn.Sequential(
    nn.Conv2d(1, 16, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(16, 32, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Flatten(),
    nn.Linear(32 * 7 * 7, 10),
)
EXPECTED = [  # (shape of one example after the layer, parameters of the layer)
    ((16, 28, 28), conv_param_count(1, 16, 3, 3)),  # padding 1 keeps 28x28
    ((16, 28, 28), 0),
    ((16, 14, 14), 0),  # 2x2 max pooling halves
    ((32, 14, 14), conv_param_count(16, 32, 3, 3)),
    ((32, 14, 14), 0),
    ((32, 7, 7), 0),
    ((32 * 7 * 7,), 0),  # 1568 features
    ((10,), linear_param_count(32 * 7 * 7, 10)),  # one logit per digit
]

torch.manual_seed(0)
x = torch.randn(8, 1, 28, 28)  # a batch of 8 MNIST-sized images (N, C, H, W)
for layer, (shape, n_params) in zip(model, EXPECTED):
    x = layer(x)
    assert x.shape == (8, *shape), (layer, x.shape)
    assert sum(p.numel() for p in layer.parameters()) == n_params, layer
    print(f"{type(layer).__name__:9s} -> {tuple(x.shape[1:])!s:14s} params {n_params:,}")

total = sum(p.numel() for p in model.parameters())
assert total == 160 + 4_640 + 15_690 == 20_490
# Weight sharing: a dense layer from 1x28x28 to the same 16x28x28 output needs ~9.8 M.
dense = nn.Linear(28 * 28, 16 * 28 * 28, device="meta")  # meta: no memory allocated
n_dense = sum(p.numel() for p in dense.parameters())
assert n_dense == linear_param_count(784, 12_544) == 9_847_040
print(f"total parameters: {total:,}")
