"""Signals through depth: weight initialization, the residual stream, and GPT-2's 1/sqrt(2L) scaling."""
# --8<-- [start:imports]
import math

import torch
import torch.nn.functional as F
from torch import nn
# --8<-- [end:imports]


# --8<-- [start:init]
def relu_stack_norms(init, n_layers=20, width=256, batch=512, seed=0):
    """Mean square of each layer's activations and norm of each layer's weight gradient (no biases)."""
    torch.manual_seed(seed)
    layers = [nn.Linear(width, width, bias=False) for _ in range(n_layers)]
    for layer in layers:
        init(layer.weight)
    h, acts = torch.randn(batch, width), []
    for layer in layers:
        h = torch.relu(layer(h))
        acts.append(h.pow(2).mean().item())
    h.pow(2).mean().backward()
    return acts, [layer.weight.grad.norm().item() for layer in layers]


inits = {
    "N(0, 0.1^2)": lambda w: nn.init.normal_(w, std=0.1),
    "Xavier": nn.init.xavier_normal_,  # Var = 2 / (fan_in + fan_out)
    "Kaiming": lambda w: nn.init.kaiming_normal_(w, nonlinearity="relu"),  # Var = 2 / fan_in
}
print(f"{'init':12} {'E[h^2] layer 1':>15} {'layer 20':>10} {'grad layer 1':>13} {'layer 20':>10}")
results = {}
for name, init in inits.items():
    acts, grads = results[name] = relu_stack_norms(init)
    print(f"{name:12} {acts[0]:15.3g} {acts[-1]:10.3g} {grads[0]:13.3g} {grads[-1]:10.3g}")
assert results["N(0, 0.1^2)"][0][-1] > 50  # 1.28x per layer: explodes
assert results["Xavier"][0][-1] < 1e-5  # ReLU halves the mean square each layer: vanishes
assert 0.5 < results["Kaiming"][0][-1] < 2  # the factor 2 cancels ReLU's halving
# --8<-- [end:init]


# --8<-- [start:residual]
def residual_stream(n_layers, scaled, d=64, batch=256, seed=0):
    """Pre-LN residual MLP branches with GPT-2's init (std 0.02, embeddings too).
    Returns Var(h) at the end, each branch's output variance, and the first and last branch's gradient norm."""
    torch.manual_seed(seed)
    out_std = 0.02 / math.sqrt(2 * n_layers) if scaled else 0.02  # 2 residual branches per block
    h = 0.02 * torch.randn(batch, d)
    branches, projs = [], []
    for _ in range(2 * n_layers):
        up, down = nn.Linear(d, 4 * d), nn.Linear(4 * d, d)
        nn.init.normal_(up.weight, std=0.02), nn.init.zeros_(up.bias)
        nn.init.normal_(down.weight, std=out_std), nn.init.zeros_(down.bias)
        f = down(F.gelu(up(F.layer_norm(h, (d,)))))
        branches.append(f.var().item())
        projs.append(down)
        h = h + f  # the residual stream: every branch adds to it, nothing rescales it
    loss = (F.layer_norm(h, (d,)) - torch.randn(batch, d)).pow(2).mean()  # final LayerNorm, then a target
    loss.backward()
    return h.var().item(), branches, projs[0].weight.grad.norm().item(), projs[-1].weight.grad.norm().item()


print(f"{'blocks':>6} {'Var(h_L)':>10} {'scaled':>10} {'grad last':>10} {'scaled':>8}")
rows = []
for n_layers in (2, 8, 32):
    var, branches, _, g_last = residual_stream(n_layers, scaled=False)
    var_s, _, _, g_last_s = residual_stream(n_layers, scaled=True)
    rows.append((n_layers, var, var_s, g_last, g_last_s))
    print(f"{n_layers:6} {var:10.4f} {var_s:10.4f} {g_last:10.3f} {g_last_s:8.3f}")
    assert abs(var - (0.02**2 + sum(branches))) < 0.1 * var  # variances add along the stream
assert var > 30 * var_s  # at 32 blocks the unscaled stream has ~44x the variance
# --8<-- [end:residual]


# --8<-- [start:post-vs-pre]
def stream_mean_square(n_layers, norm_first, d=64):
    """Mean square of each token after n nn.TransformerEncoderLayer blocks, post-LN or pre-LN."""
    torch.manual_seed(0)
    blocks = nn.Sequential(*[nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True,
                                                        norm_first=norm_first) for _ in range(n_layers)])
    with torch.no_grad():
        return blocks(torch.randn(8, 16, d)).pow(2).mean(-1)


pre_by_depth = []
for n_layers in (1, 6, 24):
    post, pre = stream_mean_square(n_layers, False), stream_mean_square(n_layers, True)
    print(f"{n_layers:2} blocks: post-LN E[h^2] per token {post.mean():.3f}, pre-LN {pre.mean():.2f}")
    assert torch.allclose(post, torch.ones_like(post), atol=1e-3)  # post-LN: renormalized after every block
    pre_by_depth.append(pre.mean().item())
assert pre_by_depth == sorted(pre_by_depth) and pre_by_depth[-1] > 4  # pre-LN: the stream keeps growing
# --8<-- [end:post-vs-pre]
