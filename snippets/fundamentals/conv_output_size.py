"""Conv output size floor((n + 2p - d(k-1) - 1) / s) + 1, checked against F.conv2d."""
import torch
import torch.nn.functional as F


def conv_output_size(n: int, k: int, s: int = 1, p: int = 0, d: int = 1) -> int:
    """Side of the output of a conv (or pooling) window: size k, stride s, padding p,
    dilation d, on an input of side n."""
    for name, value, low in (("n", n, 1), ("k", k, 1), ("s", s, 1), ("p", p, 0), ("d", d, 1)):
        if isinstance(value, bool) or not isinstance(value, int) or value < low:
            raise ValueError(f"{name} must be an integer >= {low}, got {value!r}")
    span = d * (k - 1) + 1  # how many input pixels one dilated window covers
    if span > n + 2 * p:
        raise ValueError(f"window spans {span} pixels but the padded input has {n + 2 * p}")
    return (n + 2 * p - d * (k - 1) - 1) // s + 1


# (n, k, s, p, d): what the text discusses
SETTINGS = [
    (3, 3, 1, 0, 1),  # 3x3 input, 3x3 kernel: one window, 1x1 output
    (4, 3, 1, 0, 1),  # the worked example: 2x2
    (28, 3, 1, 1, 1),  # "same" padding p = (k-1)/2 keeps 28
    (28, 5, 1, 0, 1),  # no padding: loses k-1 = 4 pixels
    (28, 3, 2, 1, 1),  # stride 2 halves: 14
    (28, 3, 1, 2, 2),  # dilation 2 spans 5 pixels; p = 2 keeps 28
    (8, 3, 2, 0, 1),  # floor: the last column is never visited
]

print(" n  k  s  p  d -> out")
for n, k, s, p, d in SETTINGS:
    out = conv_output_size(n, k, s, p, d)
    x, w = torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k)
    y = F.conv2d(x, w, stride=s, padding=p, dilation=d)
    assert y.shape[-2:] == (out, out), (n, k, s, p, d)
    print(f"{n:2d} {k:2d} {s:2d} {p:2d} {d:2d} -> {out}")
