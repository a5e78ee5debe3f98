"""Perplexity: the exponential of the mean next-token cross-entropy, and why it only compares like with like."""
import math

import torch
import torch.nn.functional as F


def perplexity(logits: torch.Tensor, targets: torch.Tensor) -> float:
    """logits: (T, V) scores for each position's next token; targets: (T,) the tokens that came."""
    log_probs = torch.log_softmax(logits, dim=-1)
    nll = -log_probs[torch.arange(len(targets)), targets]  # -log p(x_t | x_<t), one per token
    return math.exp(nll.mean().item())


def bits_per_byte(total_nll_nats: float, n_bytes: int) -> float:
    """Total negative log-likelihood spread over the text's bytes: comparable across tokenizers."""
    return total_nll_nats / (n_bytes * math.log(2))


text = "the cat sat on the mat. the dog sat on the log. " * 20
vocab = sorted(set(text))
ids = torch.tensor([vocab.index(c) for c in text])
V = len(vocab)

# A uniform model is as unsure as a fair V-sided die: perplexity V.
assert abs(perplexity(torch.zeros(len(ids) - 1, V), ids[1:]) - V) < 1e-4

# A bigram model: the next character's probabilities, counted from the text (plus a little smoothing).
counts = torch.full((V, V), 0.01)
counts.index_put_((ids[:-1], ids[1:]), torch.ones(len(ids) - 1), accumulate=True)
logits = counts.log()  # row i: unnormalized log-probabilities of the character after character i
ppl, loss = perplexity(logits[ids[:-1]], ids[1:]), F.cross_entropy(logits[ids[:-1]], ids[1:])
assert abs(ppl - math.exp(loss.item())) < 1e-4  # perplexity is exp of the mean cross-entropy
print(f"characters: {V}; uniform perplexity {V}; bigram perplexity {ppl:.2f} = exp(loss {loss.item():.3f})")
assert 1 < ppl < V / 4

total_nll = math.log(ppl) * (len(ids) - 1)
print(f"bits per byte: {bits_per_byte(total_nll, len(text[1:].encode())):.3f}")
