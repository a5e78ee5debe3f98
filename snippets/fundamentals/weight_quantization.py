"""Weight-only quantization: int8 and int4, per output row or per group of weights, measured on a small model."""
import copy

import torch
from torch import nn


def quantize(W: torch.Tensor, bits: int, group_size: int | None = None):
    """Symmetric absmax quantization: each row (or each group of group_size weights in a row) gets one
    scale, and its largest |w| maps to the largest integer 2^(bits-1) - 1 (127 for int8, 7 for int4)."""
    if bits not in (4, 8):
        raise ValueError(f"bits must be 4 or 8, got {bits}")
    rows, cols = W.shape
    group = cols if group_size is None else group_size
    if cols % group:
        raise ValueError(f"group size {group} does not divide the row length {cols}")
    q_max = 2 ** (bits - 1) - 1
    Wg = W.reshape(rows, cols // group, group)
    scale = (Wg.abs().amax(dim=-1, keepdim=True) / q_max).clamp(min=1e-12)
    q = torch.round(Wg / scale).clamp(-q_max, q_max).to(torch.int8)  # int4 values stored in int8 here
    return q, scale


def dequantize(q: torch.Tensor, scale: torch.Tensor) -> torch.Tensor:
    return (q.float() * scale).flatten(1)


def quantized_copy(model: nn.Module, bits: int, group_size: int | None = None) -> nn.Module:
    """The model a weight-only kernel computes: every Linear weight replaced by its dequantized value."""
    model = copy.deepcopy(model)
    for module in model.modules():
        if isinstance(module, nn.Linear):
            module.weight.data = dequantize(*quantize(module.weight.data, bits, group_size))
    return model


def relative_error(model: nn.Module, other: nn.Module, X: torch.Tensor) -> float:
    with torch.no_grad():
        y, y_hat = model(X), other(X)
    return ((y_hat - y).norm() / y.norm()).item()


torch.manual_seed(0)
model = nn.Sequential(nn.Linear(256, 512), nn.GELU(), nn.Linear(512, 512), nn.GELU(), nn.Linear(512, 64))
X = torch.randn(1_024, 256)
errors = {}
for bits, group in ((8, None), (4, None), (4, 64)):
    errors[bits, group] = relative_error(model, quantized_copy(model, bits, group), X)
    scales = 1 if group is None else 512 // group  # per row of the 512-wide layer: 16-bit scales
    print(f"int{bits}, {'per row' if group is None else f'groups of {group}'}: "
          f"{bits + 16 * scales / 512:.2f} bits per weight, relative output error {errors[bits, group]:.2%}")
assert errors[8, None] < 0.01 < errors[4, 64] < errors[4, None] < 0.2
