"""Supervised fine-tuning: a chat template as a string, and a loss on the answer tokens only (labels -100 elsewhere)."""
import re

import torch
from torch import nn
from torch.nn import functional as F

SPECIAL = ["<|user|>", "<|assistant|>", "<|end|>"]  # a toy template; every model family defines its own
IGNORE = -100  # the label F.cross_entropy skips by default (ignore_index=-100)


def render(prompt: str, answer: str) -> tuple[str, str]:
    """The text the model sees before its answer, and the answer it should learn to write."""
    return f"<|user|>{prompt}<|end|><|assistant|>", f"{answer}<|end|>"


pairs = [("2+3=", "5"), ("capital of France?", "Paris"), ("opposite of hot?", "cold"), ("3*4=", "12")]
chars = sorted(set("".join(p + a for p, a in pairs)))
stoi = {s: i for i, s in enumerate(SPECIAL + chars)}


def encode(text: str) -> list[int]:
    """Special tokens are single ids; every other character is one id."""
    pieces = re.split("(" + "|".join(map(re.escape, SPECIAL)) + ")", text)
    return [i for piece in pieces for i in ([stoi[piece]] if piece in SPECIAL else [stoi[c] for c in piece])]


def build_batch(examples: list[tuple[str, str]]) -> tuple[torch.Tensor, torch.Tensor]:
    """Inputs and next-token labels, padded; prompt and padding positions get the label IGNORE."""
    rows = []
    for prompt, answer in examples:
        p_ids, a_ids = map(encode, render(prompt, answer))
        ids = p_ids + a_ids
        labels = [IGNORE] * len(p_ids) + a_ids
        rows.append((ids[:-1], labels[1:]))  # position t predicts token t + 1
    width = max(len(x) for x, _ in rows)
    X = torch.tensor([x + [0] * (width - len(x)) for x, _ in rows])
    Y = torch.tensor([y + [IGNORE] * (width - len(y)) for _, y in rows])
    return X, Y


def masked_next_token_loss(logits: torch.Tensor, labels: torch.Tensor) -> torch.Tensor:
    """Mean negative log-likelihood over the positions whose label is not IGNORE."""
    keep = labels != IGNORE
    logp = torch.log_softmax(logits, dim=-1).gather(-1, labels.clamp(min=0).unsqueeze(-1)).squeeze(-1)
    return -(logp * keep).sum() / keep.sum()


X, Y = build_batch(pairs)
print(repr("".join(render(*pairs[0]))), f"-> {int((Y[0] != IGNORE).sum())} of {Y.shape[1]} positions trained")
torch.manual_seed(0)
model = nn.Sequential(nn.Embedding(len(stoi), 32), nn.Linear(32, len(stoi)))  # a bigram LM: tiny but causal
opt = torch.optim.Adam(model.parameters(), lr=0.05)
losses = []
for step in range(60):
    loss = masked_next_token_loss(model(X), Y)
    assert torch.allclose(loss, F.cross_entropy(model(X).transpose(1, 2), Y, ignore_index=IGNORE))
    opt.zero_grad()
    loss.backward()
    opt.step()
    losses.append(loss.item())
assert losses[-1] < 0.5 * losses[0]
print(f"answer-token loss {losses[0]:.2f} -> {losses[-1]:.2f}")
