"""Transposed-conv output size (n - 1)s - 2p + d(k - 1) + p_out + 1, checked in PyTorch."""
import torch
import torch.nn as nn


def conv_transpose_output_size(n: int, k: int, s: int = 1, p: int = 0, d: int = 1,
                               output_padding: int = 0) -> int:
    """Side of the output of nn.ConvTranspose2d on an input of side n."""
    if min(n, k, s, d) < 1 or min(p, output_padding) < 0:
        raise ValueError("need n, k, s, d >= 1 and p, output_padding >= 0")
    if output_padding >= max(s, d):
        raise ValueError("output_padding must be smaller than the stride or the dilation")
    out = (n - 1) * s - 2 * p + d * (k - 1) + output_padding + 1
    if out < 1:
        raise ValueError(f"padding {p} removes the whole output")
    return out


# The generator of the GAN chapter: 1 -> 7 -> 14 -> 28.
torch.manual_seed(0)
z = torch.randn(2, 16, 1, 1)
layers = [
    nn.ConvTranspose2d(16, 32, 7),
    nn.ConvTranspose2d(32, 16, 4, stride=2, padding=1),
    nn.ConvTranspose2d(16, 1, 4, stride=2, padding=1),
]
sizes, x = [1], z
for layer in layers:
    x = layer(x)
    k, s, p = layer.kernel_size[0], layer.stride[0], layer.padding[0]
    sizes.append(conv_transpose_output_size(sizes[-1], k, s, p))
    assert x.shape[-1] == sizes[-1]
assert sizes == [1, 7, 14, 28]

# On a 1x1 input the first layer is one matrix product, reshaped to 32x7x7:
# the "project and reshape" step DCGAN starts from.
first = layers[0]
as_matrix = z.flatten(1) @ first.weight.flatten(1) + first.bias.repeat_interleave(49)
assert torch.allclose(first(z).flatten(1), as_matrix, atol=1e-6)
print("generator sizes:", " -> ".join(map(str, sizes)))
