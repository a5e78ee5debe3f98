"""A mixture-of-experts layer: router, top-k, load-balancing loss, total vs active parameters."""
import torch
import torch.nn.functional as F
from torch import nn


class MoE(nn.Module):
    def __init__(self, d_model: int, d_hidden: int, n_experts: int, top_k: int):
        super().__init__()
        if not 1 <= top_k <= n_experts:
            raise ValueError(f"top_k must be in [1, n_experts={n_experts}], got {top_k}")
        self.k, self.n_experts = top_k, n_experts
        self.router = nn.Linear(d_model, n_experts, bias=False)
        self.experts = nn.ModuleList(
            nn.Sequential(nn.Linear(d_model, d_hidden, bias=False), nn.GELU(), nn.Linear(d_hidden, d_model, bias=False))
            for _ in range(n_experts))

    def forward(self, x):
        """x: (tokens, d). Returns the output and the load-balancing loss (1 when perfectly balanced)."""
        probs = F.softmax(self.router(x), dim=-1)  # (tokens, n_experts)
        weights, chosen = probs.topk(self.k, dim=-1)
        weights = weights / weights.sum(-1, keepdim=True)  # renormalize over the k chosen experts
        y = torch.zeros_like(x)
        for e, expert in enumerate(self.experts):  # each expert runs only on the tokens routed to it
            token, slot = (chosen == e).nonzero(as_tuple=True)
            if len(token):
                y.index_add_(0, token, weights[token, slot, None] * expert(x[token]))
        # Switch Transformer's auxiliary loss: n_experts * sum_i f_i * P_i
        f = torch.bincount(chosen.flatten(), minlength=self.n_experts) / chosen.numel()  # share of assignments
        P = probs.mean(0)  # mean router probability
        return y, self.n_experts * (f * P).sum()


def moe_params(d_model: int, d_hidden: int, n_experts: int, top_k: int) -> tuple[int, int]:
    """(total, active per token): the router plus all experts, or plus only the k it picks."""
    expert = 2 * d_model * d_hidden
    return d_model * n_experts + n_experts * expert, d_model * n_experts + top_k * expert


torch.manual_seed(0)
d_model, d_hidden, n_experts, top_k, tokens = 32, 64, 8, 2, 256
moe = MoE(d_model, d_hidden, n_experts, top_k)
total, active = moe_params(d_model, d_hidden, n_experts, top_k)
assert total == sum(p.numel() for p in moe.parameters())
y, aux = moe(torch.randn(tokens, d_model))
print(f"{total:,} parameters, {active:,} active per token ({active / total:.0%}); balance loss {aux:.3f}")
assert y.shape == (tokens, d_model)  # f = P = 1/E would give exactly 1

# DeepSeek-V3: 671B total, 37B active per token, pre-trained on 14.8T tokens
N_total, N_active, D = 671e9, 37e9, 14.8e12
print(f"training compute 6 N_active D = {6 * N_active * D:.2e} FLOPs; a dense 671B model: {6 * N_total * D:.2e}")
print(f"weights to hold for serving: {N_total * 1 / 1e9:.0f} GB in FP8, {N_total * 2 / 1e9:.0f} GB in BF16")
