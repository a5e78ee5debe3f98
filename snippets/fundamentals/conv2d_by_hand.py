"""A conv layer written out by hand (it is a cross-correlation), checked against F.conv2d."""
import torch
import torch.nn.functional as F


def conv2d_by_hand(X, W, b=None, stride=1, padding=0, dilation=1):
    """Y[o,i,j] = b[o] + sum_{c,m,n} W[o,c,m,n] * Xpad[c, s*i + d*m, s*j + d*n].

    X: (C_in, H, W) one image; W: (C_out, C_in, k_h, k_w); b: (C_out,) or None.
    """
    c_in, height, width = X.shape
    c_out, c_in_w, k_h, k_w = W.shape
    if c_in != c_in_w:
        raise ValueError(f"input has {c_in} channels but the kernel expects {c_in_w}")
    X_pad = F.pad(X, (padding, padding, padding, padding))  # zeros on all four sides
    h_out = (height + 2 * padding - dilation * (k_h - 1) - 1) // stride + 1
    w_out = (width + 2 * padding - dilation * (k_w - 1) - 1) // stride + 1
    if h_out < 1 or w_out < 1:
        raise ValueError("the (dilated) kernel does not fit into the padded input")
    Y = torch.zeros(c_out, h_out, w_out, dtype=X.dtype)
    for o in range(c_out):
        for i in range(h_out):
            for j in range(w_out):
                # the window starts at (s*i, s*j) and takes every d-th pixel
                rows = slice(stride * i, stride * i + dilation * (k_h - 1) + 1, dilation)
                cols = slice(stride * j, stride * j + dilation * (k_w - 1) + 1, dilation)
                Y[o, i, j] = (W[o] * X_pad[:, rows, cols]).sum()  # sum over c, m, n
        if b is not None:
            Y[o] += b[o]
    return Y


# Worked example: a 4x4 image whose right column is dark, and a vertical-edge kernel.
X = torch.tensor([[1.0, 1.0, 1.0, 0.0]] * 4).unsqueeze(0)  # (1, 4, 4)
K = torch.tensor([[1.0, 0.0, -1.0]] * 3).view(1, 1, 3, 3)  # (C_out, C_in, 3, 3)
Y = conv2d_by_hand(X, K)
assert Y.tolist() == [[[0.0, 3.0], [0.0, 3.0]]]  # 4x4 in, 3x3 kernel: 2x2 out
assert torch.equal(Y, F.conv2d(X.unsqueeze(0), K)[0])  # F.conv2d wants a batch axis

# A 3x3 input leaves room for exactly one 3x3 window: the output is 1x1, not 2x2.
Y_small = conv2d_by_hand(X[:, :3, 1:], K)
assert Y_small.shape == (1, 1, 1) and Y_small.item() == 3.0

# Several channels, a bias, stride, padding and dilation at once.
torch.manual_seed(0)
X3 = torch.randn(3, 9, 8, dtype=torch.float64)
W3 = torch.randn(4, 3, 3, 2, dtype=torch.float64)
b3 = torch.randn(4, dtype=torch.float64)
ours = conv2d_by_hand(X3, W3, b3, stride=2, padding=1, dilation=2)
torchs = F.conv2d(X3[None], W3, b3, stride=2, padding=1, dilation=2)[0]
assert ours.shape == torchs.shape == (4, 4, 4)
assert torch.allclose(ours, torchs)
print("edge map:", Y[0].tolist(), "| 3x3 input -> 1x1 | matches F.conv2d")
