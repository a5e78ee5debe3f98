"""A reward model trained with the Bradley-Terry loss -log sigmoid(r(chosen) - r(rejected)) on preference pairs."""
import torch
from torch import nn
from torch.nn import functional as F


def bradley_terry_loss(r_chosen: torch.Tensor, r_rejected: torch.Tensor) -> torch.Tensor:
    """P(chosen preferred) = sigmoid(r_chosen - r_rejected) (Bradley and Terry 1952); minimize its -log."""
    return -F.logsigmoid(r_chosen - r_rejected).mean()


# Answers are feature vectors; a hidden "true" reward decides which of two answers a labeller prefers,
# with Bradley-Terry noise, as human labels are noisy.
torch.manual_seed(0)
d, n_pairs = 8, 2000
true_w = torch.randn(d)
A, B = torch.randn(n_pairs, d), torch.randn(n_pairs, d)
a_preferred = torch.rand(n_pairs) < torch.sigmoid(A @ true_w - B @ true_w)
chosen = torch.where(a_preferred[:, None], A, B)
rejected = torch.where(a_preferred[:, None], B, A)
train, test = slice(0, 1500), slice(1500, None)

reward = nn.Linear(d, 1, bias=False)  # in an LLM: the transformer with a scalar head on the last token
opt = torch.optim.Adam(reward.parameters(), lr=0.05)
for step in range(200):
    loss = bradley_terry_loss(reward(chosen[train]).squeeze(-1), reward(rejected[train]).squeeze(-1))
    opt.zero_grad()
    loss.backward()
    opt.step()

with torch.no_grad():
    accuracy = (reward(chosen[test]) > reward(rejected[test])).float().mean().item()
    ceiling = ((chosen[test] - rejected[test]) @ true_w > 0).float().mean().item()  # the true reward itself
print(f"held-out agreement with labellers: reward model {accuracy:.1%}, true reward {ceiling:.1%}")
assert accuracy > 0.8 and abs(accuracy - ceiling) < 0.03
