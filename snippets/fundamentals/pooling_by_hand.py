"""Max and average pooling by hand, checked against F.max_pool2d and F.avg_pool2d."""
import torch
import torch.nn as nn
import torch.nn.functional as F


def pool2d_by_hand(X, k, s=None, reduce="max"):
    """Slide a k x k window with stride s (default k, as in PyTorch) over X: (H, W)."""
    s = k if s is None else s
    if reduce not in ("max", "avg"):
        raise ValueError(f"reduce must be 'max' or 'avg', got {reduce!r}")
    h_out = (X.shape[0] - k) // s + 1  # conv_output_size with p = 0, d = 1
    w_out = (X.shape[1] - k) // s + 1
    Y = torch.empty(h_out, w_out, dtype=X.dtype)
    for i in range(h_out):
        for j in range(w_out):
            window = X[s * i : s * i + k, s * j : s * j + k]
            Y[i, j] = window.max() if reduce == "max" else window.mean()
    return Y


X = torch.tensor([[1.0, 3.0, 2.0, 1.0],
                  [4.0, 2.0, 0.0, 1.0],
                  [5.0, 1.0, 3.0, 3.0],
                  [0.0, 2.0, 4.0, 8.0]])
Y_max = pool2d_by_hand(X, k=2)
Y_avg = pool2d_by_hand(X, k=2, reduce="avg")
assert Y_max.tolist() == [[4.0, 2.0], [5.0, 8.0]]
assert Y_avg.tolist() == [[2.5, 1.0], [2.0, 4.5]]
assert torch.equal(Y_max, F.max_pool2d(X[None, None], 2)[0, 0])
assert torch.equal(Y_avg, F.avg_pool2d(X[None, None], 2)[0, 0])

# Pooling has nothing to learn, and it works on each channel separately.
assert sum(p.numel() for p in nn.MaxPool2d(2).parameters()) == 0
torch.manual_seed(0)
maps = torch.randn(1, 3, 6, 6)
pooled = F.max_pool2d(maps, 3, stride=2)  # (6 - 3) // 2 + 1 = 2
assert pooled.shape == (1, 3, 2, 2)
for c in range(3):
    assert torch.equal(pooled[0, c], pool2d_by_hand(maps[0, c], k=3, s=2))
print("max:", Y_max.tolist(), "avg:", Y_avg.tolist())
