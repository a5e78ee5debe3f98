"""Activation memory of one Transformer layer (Korthikanti et al. 2022), measured, and what checkpointing saves."""
import torch
from torch import nn
from torch.nn import functional as F
from torch.utils.checkpoint import checkpoint


def layer_activation_bytes(s: int, b: int, h: int, a: int) -> int:
    """Korthikanti et al. 2022, eq. (1): s*b*h*(34 + 5*a*s/h) bytes with 16-bit activations, 1-byte masks."""
    return 34 * s * b * h + 5 * a * s * s * b


class MaskDropout(torch.autograd.Function):
    """Dropout that keeps a 1-byte bool mask for backward, as fused GPU kernels do (CPU's F.dropout keeps 2)."""

    @staticmethod
    def forward(ctx, x, p):
        mask = torch.rand(x.shape) >= p
        ctx.save_for_backward(mask)
        ctx.scale = 1 / (1 - p)
        return x * mask * ctx.scale

    @staticmethod
    def backward(ctx, grad):
        (mask,) = ctx.saved_tensors
        return grad * mask * ctx.scale, None


class GPTLayer(nn.Module):
    """Pre-LN decoder layer laid out as in the paper: LN, QKV, attention, projection, LN, 4h MLP with GELU."""

    def __init__(self, h: int, a: int, p: float = 0.1):
        super().__init__()
        self.a, self.p = a, p
        self.ln1, self.ln2 = nn.LayerNorm(h), nn.LayerNorm(h)
        self.qkv, self.proj = nn.Linear(h, 3 * h), nn.Linear(h, h)
        self.fc1, self.fc2 = nn.Linear(h, 4 * h), nn.Linear(4 * h, h)

    def forward(self, x):  # x: (b, s, h)
        b, s, h = x.shape
        q, k, v = self.qkv(self.ln1(x)).view(b, s, 3, self.a, h // self.a).permute(2, 0, 3, 1, 4)
        scores = torch.softmax(q @ k.transpose(-2, -1) / (h // self.a) ** 0.5, dim=-1)  # (b, a, s, s)
        y = (MaskDropout.apply(scores, self.p) @ v).transpose(1, 2).reshape(b, s, h)
        x = x + MaskDropout.apply(self.proj(y), self.p)
        return x + MaskDropout.apply(self.fc2(F.gelu(self.fc1(self.ln2(x)))), self.p)


def saved_activation_bytes(run, params) -> int:
    """Bytes autograd keeps for backward (distinct storages, parameters excluded), via saved_tensors_hooks."""
    param_storages = {p.untyped_storage().data_ptr() for p in params}
    kept = {}

    def pack(t):
        storage = t.untyped_storage()
        if storage.data_ptr() not in param_storages:
            kept[storage.data_ptr()] = storage.nbytes()
        return t

    with torch.autograd.graph.saved_tensors_hooks(pack, lambda t: t):
        run()
    return sum(kept.values())


torch.manual_seed(0)
s, b, h, a, n_layers = 64, 2, 64, 4, 4
layers = nn.Sequential(*[GPTLayer(h, a) for _ in range(n_layers)]).to(torch.bfloat16)
x = torch.randn(b, s, h, dtype=torch.bfloat16, requires_grad=True)

plain = saved_activation_bytes(lambda: layers(x), layers.parameters())
layernorm_stats = n_layers * 2 * 2 * s * b * 2  # each LayerNorm also keeps a 16-bit mean and 1/std per token
assert plain - layernorm_stats == n_layers * layer_activation_bytes(s, b, h, a)

# Checkpointing each layer keeps only its 16-bit input, 2sbh bytes, and recomputes the rest in backward.
def checkpointed(x):
    for layer in layers:
        x = checkpoint(layer, x, use_reentrant=False)
    return x


ckpt = saved_activation_bytes(lambda: checkpointed(x), layers.parameters())
assert ckpt == n_layers * 2 * s * b * h
print(f"{n_layers} layers, s={s} b={b} h={h} a={a}: {plain:,} bytes kept for backward, "
      f"{ckpt:,} with checkpointing ({plain / ckpt:.1f}x less)")
