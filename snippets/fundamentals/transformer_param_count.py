"""Parameters of a decoder-only Transformer: the formula against a real PyTorch model, then GPT-3."""
import torch
from torch import nn


def decoder_param_count(n_layers: int, d_model: int, vocab_size: int, context_len: int) -> int:
    """Exact count for GPT-style blocks (biases, LayerNorms, learned positions, tied output head)."""
    per_block = 12 * d_model**2 + 13 * d_model  # attention 4d^2+4d, MLP 8d^2+5d, 2 LayerNorms 4d
    embeddings = vocab_size * d_model + context_len * d_model  # token table + position table
    return n_layers * per_block + embeddings + 2 * d_model  # + final LayerNorm


def approx_param_count(n_layers: int, d_model: int) -> int:
    """Kaplan et al.'s N ~ 12 n_layer d_model^2 (non-embedding weights only)."""
    return 12 * n_layers * d_model**2


class TinyGPT(nn.Module):
    def __init__(self, n_layers, d_model, n_heads, vocab_size, context_len):
        super().__init__()
        self.tok = nn.Embedding(vocab_size, d_model)
        self.pos = nn.Embedding(context_len, d_model)
        block = nn.TransformerEncoderLayer(  # self-attention + MLP, pre-LN; a causal mask makes it a decoder
            d_model, n_heads, dim_feedforward=4 * d_model, dropout=0.0,
            activation="gelu", batch_first=True, norm_first=True,
        )
        self.blocks = nn.TransformerEncoder(block, n_layers, enable_nested_tensor=False)
        self.ln_f = nn.LayerNorm(d_model)
        self.head = nn.Linear(d_model, vocab_size, bias=False)
        self.head.weight = self.tok.weight  # weight tying: the output head reuses the token table

    def forward(self, idx):
        T = idx.size(1)
        x = self.tok(idx) + self.pos(torch.arange(T))
        x = self.blocks(x, mask=nn.Transformer.generate_square_subsequent_mask(T), is_causal=True)
        return self.head(self.ln_f(x))  # (B, T, vocab_size) logits


torch.manual_seed(0)
cfg = dict(n_layers=4, d_model=128, n_heads=4, vocab_size=65, context_len=256)
model = TinyGPT(**cfg)
counted = sum(p.numel() for p in model.parameters())  # shared tensors are counted once
assert counted == decoder_param_count(cfg["n_layers"], cfg["d_model"], cfg["vocab_size"], cfg["context_len"])
assert model(torch.randint(cfg["vocab_size"], (2, 16))).shape == (2, 16, cfg["vocab_size"])
print(f"TinyGPT: {counted:,} parameters; 12*L*d^2 = {approx_param_count(4, 128):,}")

# GPT-3 175B: 96 layers, d_model 12288, context 2048, GPT-2's 50,257-token vocabulary.
gpt3_blocks = approx_param_count(96, 12288)
gpt3_total = decoder_param_count(96, 12288, 50257, 2048)
assert round(gpt3_blocks / 1e9, 1) == 173.9 and round(gpt3_total / 1e9, 1) == 174.6
print(f"GPT-3: 12*L*d^2 = {gpt3_blocks / 1e9:.1f}B, with embeddings and biases {gpt3_total / 1e9:.1f}B")
