"""GRPO (Shao et al. 2024): group-relative advantages, PPO's clipped ratio and a k3 KL penalty, on a toy task
whose reward a program can verify (is the answer 3?)."""
import torch


def group_advantages(rewards: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    """(r - mean) / std within each group of answers to the same prompt: no learned value function needed."""
    return (rewards - rewards.mean(-1, keepdim=True)) / (rewards.std(-1, keepdim=True) + eps)


def clipped_objective(logp_new, logp_old, advantages, clip: float = 0.2) -> torch.Tensor:
    """PPO (Schulman et al. 2017): min(ratio * A, clip(ratio, 1 - eps, 1 + eps) * A), averaged."""
    ratio = torch.exp(logp_new - logp_old)
    return torch.minimum(ratio * advantages, ratio.clamp(1 - clip, 1 + clip) * advantages).mean()


def kl_k3(logp, logp_ref):
    """Per-sample estimate of KL(pi || pi_ref): r - 1 - log r with r = pi_ref / pi; unbiased, never negative."""
    log_r = logp_ref - logp
    return (torch.exp(log_r) - 1 - log_r).mean()


# The "policy" answers one question by choosing among 6 candidate answers; only answer 3 is correct.
torch.manual_seed(0)
logits = torch.zeros(6, requires_grad=True)  # starts uniform: P(correct) = 1/6
ref_logp = torch.log_softmax(logits.detach(), -1)
opt = torch.optim.Adam([logits], lr=0.1)
group, beta = 8, 0.04
for step in range(40):
    with torch.no_grad():
        old_logp = torch.log_softmax(logits, -1)
        answers = torch.multinomial(old_logp.exp(), group, replacement=True)
        rewards = (answers == 3).float()  # a verifiable reward: checked by a program, not a learned model
        adv = group_advantages(rewards)
    for inner in range(2):  # two updates per batch, so the ratio moves away from 1 and clipping can act
        logp = torch.log_softmax(logits, -1)
        loss = -clipped_objective(logp[answers], old_logp[answers], adv) + beta * kl_k3(logp[answers], ref_logp[answers])
        opt.zero_grad()
        loss.backward()
        opt.step()
p_correct = torch.softmax(logits, -1)[3].item()
print(f"P(correct answer): {1 / 6:.3f} -> {p_correct:.3f} after 40 groups of {group}")
assert p_correct > 0.9
assert torch.equal(group_advantages(torch.ones(group)), torch.zeros(group))  # all right (or all wrong): no signal
