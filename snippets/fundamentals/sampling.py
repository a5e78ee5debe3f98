"""Decoding: temperature, top-k and top-p (nucleus) filtering, and constrained decoding for structured output."""
import torch


def next_token_probs(logits: torch.Tensor, temperature: float = 1.0, top_k: int | None = None,
                     top_p: float | None = None, allowed: torch.Tensor | None = None) -> torch.Tensor:
    """The distribution a sampler draws the next token from. logits: (V,)."""
    if temperature <= 0:
        raise ValueError(f"temperature must be positive (use argmax for greedy decoding), got {temperature}")
    scores = logits / temperature  # < 1 sharpens the distribution, > 1 flattens it
    if allowed is not None:  # structured output: only tokens the grammar allows at this point
        scores = scores.masked_fill(~allowed, float("-inf"))
    if top_k is not None:  # keep the k most likely tokens
        kth = torch.topk(scores, top_k).values[-1]
        scores = scores.masked_fill(scores < kth, float("-inf"))
    if top_p is not None:  # keep the smallest set of most likely tokens whose probability reaches top_p
        probs, order = torch.sort(torch.softmax(scores, dim=-1), descending=True)
        before = torch.cumsum(probs, dim=-1) - probs  # probability mass of the tokens ranked higher
        drop = order[before >= top_p]
        scores = scores.index_fill(0, drop, float("-inf"))
    return torch.softmax(scores, dim=-1)


logits = torch.tensor([2.0, 1.0, 0.5, 0.0, -1.0])
p = next_token_probs(logits)
print("T=1:  ", [round(x, 3) for x in p.tolist()])
print("T=0.5:", [round(x, 3) for x in next_token_probs(logits, temperature=0.5).tolist()])
nucleus = next_token_probs(logits, top_p=0.8)  # 0.563 + 0.207 < 0.8, so the third token is kept too
print("top-p 0.8:", [round(x, 3) for x in nucleus.tolist()])
assert (nucleus > 0).tolist() == [True, True, True, False, False]
assert torch.allclose(nucleus[:3], p[:3] / p[:3].sum())  # the survivors keep their relative odds

allowed = torch.tensor([False, True, False, True, False])  # e.g. only a digit or a closing brace is valid
constrained = next_token_probs(logits, allowed=allowed)
assert constrained[~allowed].sum() == 0 and torch.allclose(constrained[allowed], p[allowed] / p[allowed].sum())
print("constrained:", [round(x, 3) for x in constrained.tolist()])
