"""Data-constrained scaling (Muennighoff et al. 2023): what repeated tokens are worth, and tokens per parameter."""
import math

R_D_STAR = 15.387756  # fitted "half-life" of repeated data, from the authors' code (huggingface/datablations)


def effective_tokens(unique_tokens: float, epochs: float, r_star: float = R_D_STAR) -> float:
    """D' = U + U R* (1 - exp(-R / R*)), with R = epochs - 1 repetitions beyond the first pass."""
    if unique_tokens <= 0 or epochs < 1 or r_star <= 0:
        raise ValueError(f"need unique_tokens > 0, epochs >= 1, r_star > 0; got {unique_tokens}, {epochs}, {r_star}")
    repeats = epochs - 1
    return unique_tokens + unique_tokens * r_star * (1 - math.exp(-repeats / r_star))


def tokens_per_parameter(tokens: float, n_params: float) -> float:
    if tokens <= 0 or n_params <= 0:
        raise ValueError(f"tokens and parameters must be positive, got {tokens}, {n_params}")
    return tokens / n_params


for epochs in (1, 2, 4, 16, 64):
    worth = effective_tokens(1.0, epochs)
    print(f"{epochs:>3} epochs over the same data are worth {worth:5.2f} epochs of fresh data ({worth / epochs:.0%})")
assert round(effective_tokens(1.0, 4) / 4, 2) == 0.93  # "up to 4 epochs ... negligible changes to loss"
assert round(effective_tokens(1.0, 16) / 16, 2) == 0.66
assert round(1 + R_D_STAR, 1) == 16.4  # the ceiling: infinitely many repeats are worth 16.4 fresh passes

# Published models train far beyond Chinchilla's 20 tokens per parameter.
for name, tokens, params in [("Chinchilla 70B", 1.4e12, 70e9), ("Llama 3 8B", 15e12, 8e9),
                             ("Llama 3 70B", 15e12, 70e9), ("DeepSeek-V3 (37B active)", 14.8e12, 37e9)]:
    print(f"{name:>25s}: {tokens_per_parameter(tokens, params):,.0f} tokens per parameter")
assert round(tokens_per_parameter(15e12, 8e9)) == 1875
