"""Training compute: 2N FLOPs per token forward, 4N backward, C = 6ND; counted by PyTorch, then GPT-3."""
import torch
from torch import nn
from torch.utils.flop_counter import FlopCounterMode


def training_flops(n_params: float, n_tokens: float) -> float:
    """C ~ 6 N D (Kaplan et al. 2020): 2N per token forward + 4N backward."""
    if n_params <= 0 or n_tokens <= 0:
        raise ValueError(f"parameters and tokens must be positive, got N={n_params}, D={n_tokens}")
    return 6 * n_params * n_tokens


def matmul_params(model: nn.Module) -> int:
    """Weights that multiply activations: every nn.Linear weight (embedding lookups cost no FLOPs)."""
    linear = sum(m.weight.numel() for m in model.modules() if isinstance(m, nn.Linear))
    attn_in = sum(m.in_proj_weight.numel() for m in model.modules() if isinstance(m, nn.MultiheadAttention))
    return linear + attn_in


torch.manual_seed(0)
d, n_layers, vocab, B, T = 64, 2, 100, 4, 32
block = nn.TransformerEncoderLayer(d, 4, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
model = nn.Sequential(
    nn.Embedding(vocab, d),
    nn.TransformerEncoder(block, n_layers, enable_nested_tensor=False),
    nn.Linear(d, vocab),
)
idx = torch.randint(vocab, (B, T))
N = matmul_params(model)  # 12 d^2 per block + d * vocab for the output layer

with FlopCounterMode(display=False) as forward_count:
    logits = model(idx)
with FlopCounterMode(display=False) as train_count:
    model(idx).logsumexp(-1).mean().backward()
forward, train = forward_count.get_total_flops(), train_count.get_total_flops()
# PyTorch 2.13's counter covers the weight matmuls; attention's own T x T products are extra
# (Kaplan's 2 n_layer n_ctx d term, small when d_model >> n_ctx / 12).
assert N == n_layers * 12 * d**2 + d * vocab
assert forward == 2 * N * B * T  # one multiply + one add per weight per token
assert train == 3 * forward == training_flops(N, B * T)  # backward = 2 x forward
print(f"{B * T} tokens, N = {N:,}: forward {forward:,} = 2NBT, forward+backward {train:,} = 6NBT")

# GPT-3: N = 175e9 parameters, D = 300e9 tokens.
gpt3 = training_flops(175e9, 300e9)
assert f"{gpt3:.2e}" == "3.15e+23"
print(f"GPT-3: 6 x 175e9 x 300e9 = {gpt3:.2e} FLOPs")
