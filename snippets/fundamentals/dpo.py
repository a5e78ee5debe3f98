"""Direct preference optimization (Rafailov et al. 2023) on a tiny language model: the preferred answers gain."""
import copy

import torch
from torch import nn
from torch.nn import functional as F


def sequence_logprob(model: nn.Module, ids: torch.Tensor, n_prompt: int) -> torch.Tensor:
    """log pi(answer | prompt): the sum of next-token log-probabilities over the answer tokens."""
    logp = torch.log_softmax(model(ids[:, :-1]), dim=-1).gather(-1, ids[:, 1:].unsqueeze(-1)).squeeze(-1)
    return logp[:, n_prompt - 1:].sum(-1)


def dpo_loss(pi_chosen, pi_rejected, ref_chosen, ref_rejected, beta: float) -> torch.Tensor:
    """-log sigmoid(beta * [(log pi - log ref)(chosen) - (log pi - log ref)(rejected)])."""
    implicit_margin = (pi_chosen - ref_chosen) - (pi_rejected - ref_rejected)
    return -F.logsigmoid(beta * implicit_margin).mean()


# Vocabulary of 12 tokens: 4 prompts (ids 0-3) and answers of two tokens from ids 4-11.
prompts = torch.arange(4)
chosen = torch.stack([prompts, torch.tensor([4, 5, 6, 7]), torch.tensor([8, 9, 10, 11])], dim=1)
rejected = torch.stack([prompts, torch.tensor([7, 4, 5, 6]), torch.tensor([8, 9, 10, 11])], dim=1)  # no shared bigram

torch.manual_seed(0)
policy = nn.Sequential(nn.Embedding(12, 16), nn.Linear(16, 12))  # a bigram LM
reference = copy.deepcopy(policy).requires_grad_(False)  # pi_ref: the starting policy, frozen
opt = torch.optim.Adam(policy.parameters(), lr=0.05)
beta = 0.1
with torch.no_grad():
    ref_c, ref_r = sequence_logprob(reference, chosen, 1), sequence_logprob(reference, rejected, 1)

for step in range(30):
    loss = dpo_loss(sequence_logprob(policy, chosen, 1), sequence_logprob(policy, rejected, 1), ref_c, ref_r, beta)
    opt.zero_grad()
    loss.backward()
    opt.step()

with torch.no_grad():
    pi_c, pi_r = sequence_logprob(policy, chosen, 1), sequence_logprob(policy, rejected, 1)
print(f"P(chosen answer): {ref_c.exp().mean():.3f} -> {pi_c.exp().mean():.3f};  "
      f"P(rejected answer): {ref_r.exp().mean():.3f} -> {pi_r.exp().mean():.3f};  loss {loss.item():.3f}")
assert (pi_c > ref_c).all()  # every preferred answer became more likely ...
assert (beta * ((pi_c - ref_c) - (pi_r - ref_r)) > 0).all()  # ... and its implicit reward beats the rejected one's
