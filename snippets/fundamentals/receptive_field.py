"""Receptive field of stacked layers: closed formula vs. the gradient footprint."""
import torch
import torch.nn as nn


def receptive_field(layers):
    """r = 1 + sum_l d_l (k_l - 1) * (strides of the layers before l multiplied).

    layers: [(k, s, d), ...] in order from the input.
    """
    r, jump = 1, 1  # jump: input pixels between neighbouring units of the current layer
    for k, s, d in layers:
        if min(k, s, d) < 1:
            raise ValueError(f"kernel, stride and dilation must be >= 1, got {(k, s, d)}")
        r += d * (k - 1) * jump
        jump *= s
    return r


def build(layers, pool_layers=()):
    """One-channel stack, all weights 1 so no two paths cancel; pooling = average."""
    modules = []
    for idx, (k, s, d) in enumerate(layers):
        if idx in pool_layers:
            # max pooling would send the gradient to one pixel per window
            modules.append(nn.AvgPool2d(k, stride=s))
        else:
            conv = nn.Conv2d(1, 1, k, stride=s, dilation=d, bias=False)
            nn.init.ones_(conv.weight)
            modules.append(conv)
    return nn.Sequential(*modules)


def gradient_footprint(model, size=64):
    """Height and width of the input region that gets gradient from one central output."""
    x = torch.ones(1, 1, size, size, requires_grad=True)
    y = model(x)
    y[0, 0, y.shape[2] // 2, y.shape[3] // 2].backward()
    rows = (x.grad[0, 0] != 0).any(dim=1).nonzero()
    cols = (x.grad[0, 0] != 0).any(dim=0).nonzero()
    return int(rows.max() - rows.min() + 1), int(cols.max() - cols.min() + 1)


EXAMPLES = {  # name: (layers as (k, s, d), indices of pooling layers)
    "three 3x3 convs": ([(3, 1, 1)] * 3, ()),
    "conv3-pool2-conv3-pool2 (MNIST CNN)": ([(3, 1, 1), (2, 2, 1)] * 2, (1, 3)),
    "3x3 convs, dilation 1-2-4": ([(3, 1, 1), (3, 1, 2), (3, 1, 4)], ()),
    "5x5 stride 2, then 3x3": ([(5, 2, 1), (3, 1, 1)], ()),
}
for name, (layers, pools) in EXAMPLES.items():
    r = receptive_field(layers)
    assert gradient_footprint(build(layers, pools)) == (r, r), name
    print(f"{name}: {r}x{r}")
