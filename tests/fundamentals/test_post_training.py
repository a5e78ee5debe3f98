"""Checks for docs/fundamentals/post-training.*.md: KL, SFT masking, Bradley-Terry, DPO, GRPO, pass@k."""
import itertools
import math

import pytest
import torch
from torch import nn
from torch.distributions import Categorical, kl_divergence
from torch.nn import functional as F

from fundamentals.dpo import dpo_loss, sequence_logprob
from fundamentals.grpo import clipped_objective, group_advantages, kl_k3
from fundamentals.kl_divergence import kl_categorical
from fundamentals.reward_model import bradley_terry_loss
from fundamentals.sft_loss_mask import IGNORE, build_batch, encode, masked_next_token_loss, render, stoi
from fundamentals.pass_at_k import pass_at_k
from fundamentals.thinking_cost import answer_flops


def test_kl_matches_torch():
    torch.manual_seed(0)
    p, q = torch.softmax(torch.randn(5, 7), -1), torch.softmax(torch.randn(5, 7), -1)
    torch.testing.assert_close(kl_categorical(p, q), kl_divergence(Categorical(probs=p), Categorical(probs=q)))
    torch.testing.assert_close(kl_categorical(p, q).sum(), F.kl_div(q.log(), p, reduction="sum"))
    p0 = torch.tensor([0.5, 0.5, 0.0])  # zero-probability outcomes contribute nothing
    q0 = torch.tensor([0.2, 0.3, 0.5])
    torch.testing.assert_close(kl_categorical(p0, q0), kl_divergence(Categorical(probs=p0), Categorical(probs=q0)))
    assert (kl_categorical(p, q) > 0).all() and torch.allclose(kl_categorical(p, p), torch.zeros(5))


class TinyCausalLM(nn.Module):
    """A real (if small) causal Transformer language model, independent of the snippets' bigram models."""

    def __init__(self, vocab: int, d: int = 16):
        super().__init__()
        self.tok, self.pos = nn.Embedding(vocab, d), nn.Embedding(32, d)
        self.block = nn.TransformerEncoderLayer(d, 2, 4 * d, dropout=0.0, batch_first=True, norm_first=True)
        self.head = nn.Linear(d, vocab)

    def forward(self, idx):
        T = idx.size(1)
        x = self.tok(idx) + self.pos(torch.arange(T))
        return self.head(self.block(x, src_mask=nn.Transformer.generate_square_subsequent_mask(T), is_causal=True))


def test_sft_mask_equals_ignore_index_and_masked_positions_get_no_gradient():
    X, Y = build_batch([("2+3=", "5"), ("capital of France?", "Paris")])
    torch.manual_seed(1)
    model = TinyCausalLM(len(stoi))
    logits = model(X).detach().requires_grad_()
    loss = masked_next_token_loss(logits, Y)
    torch.testing.assert_close(loss, F.cross_entropy(logits.transpose(1, 2), Y, ignore_index=-100))
    by_hand = [-torch.log_softmax(logits[b, t], -1)[Y[b, t]] for b in range(2) for t in range(Y.shape[1])
               if Y[b, t] != -100]
    torch.testing.assert_close(loss, torch.stack(by_hand).mean())
    loss.backward()
    masked = Y == IGNORE
    assert torch.count_nonzero(logits.grad[masked]) == 0 and torch.count_nonzero(logits.grad[~masked]) > 0
    # labels are -100 exactly on the prompt (and padding): the first trained position predicts the answer
    p_ids, a_ids = map(encode, render("2+3=", "5"))
    assert (Y[0, :len(p_ids) - 1] == IGNORE).all() and Y[0, len(p_ids) - 1] == a_ids[0]


def test_bradley_terry_is_logistic_regression_on_the_reward_difference():
    torch.manual_seed(2)
    rc, rr = torch.randn(10), torch.randn(10)
    torch.testing.assert_close(bradley_terry_loss(rc, rr), F.binary_cross_entropy_with_logits(rc - rr, torch.ones(10)))
    torch.testing.assert_close(bradley_terry_loss(rc, rr), F.softplus(rr - rc).mean())


def independent_answer_logprob(model, ids, n_prompt):
    """Sum of log-probabilities of the answer tokens via F.cross_entropy, not the snippet's gather."""
    logits = model(ids[:, :-1])
    targets = ids[:, 1:].clone()
    targets[:, :n_prompt - 1] = -100
    nll = F.cross_entropy(logits.transpose(1, 2), targets, ignore_index=-100, reduction="none")
    return -nll.sum(-1)


def test_dpo_loss_is_logistic_regression_on_the_implicit_reward():
    torch.manual_seed(3)
    policy, ref = TinyCausalLM(12), TinyCausalLM(12).requires_grad_(False)
    chosen, rejected = torch.randint(12, (4, 6)), torch.randint(12, (4, 6))
    n_prompt, beta = 3, 0.1
    pc, pr = sequence_logprob(policy, chosen, n_prompt), sequence_logprob(policy, rejected, n_prompt)
    torch.testing.assert_close(pc, independent_answer_logprob(policy, chosen, n_prompt))
    with torch.no_grad():
        rc, rr = independent_answer_logprob(ref, chosen, n_prompt), independent_answer_logprob(ref, rejected, n_prompt)
    loss = dpo_loss(pc, pr, rc, rr, beta)
    implicit_reward_c, implicit_reward_r = beta * (pc - rc), beta * (pr - rr)
    logistic = F.binary_cross_entropy_with_logits(implicit_reward_c - implicit_reward_r, torch.ones(4))
    torch.testing.assert_close(loss, logistic)
    g_loss = torch.autograd.grad(loss, list(policy.parameters()), retain_graph=True)
    g_logistic = torch.autograd.grad(logistic, list(policy.parameters()), retain_graph=True)
    for a, b in zip(g_loss, g_logistic):
        torch.testing.assert_close(a, b)
    # The paper's gradient: -beta * mean[ sigmoid(r_rejected - r_chosen) * (grad log pi_c - grad log pi_r) ]
    weight = torch.sigmoid(implicit_reward_r - implicit_reward_c).detach()
    surrogate = -(beta * weight * (pc - pr)).mean()
    for a, b in zip(g_loss, torch.autograd.grad(surrogate, list(policy.parameters()))):
        torch.testing.assert_close(a, b)


def test_kl_regularized_optimum_is_reference_times_exp_reward_over_beta():
    """max_pi E_pi[r] - beta KL(pi || pi_ref) has the solution pi_ref exp(r / beta) / Z, which DPO inverts."""
    torch.manual_seed(4)
    r, beta = torch.randn(5), 0.5
    ref = torch.softmax(torch.randn(5), -1)
    logits = torch.zeros(5, dtype=torch.float64, requires_grad=True)
    r, ref = r.double(), ref.double()
    opt = torch.optim.LBFGS([logits], max_iter=200, tolerance_grad=1e-12, tolerance_change=1e-15,
                            line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        pi = torch.softmax(logits, -1)
        loss = -((pi * r).sum() - beta * kl_categorical(pi, ref))
        loss.backward()
        return loss

    opt.step(closure)
    closed_form = ref * torch.exp(r / beta) / (ref * torch.exp(r / beta)).sum()
    torch.testing.assert_close(torch.softmax(logits, -1).detach(), closed_form, atol=1e-8, rtol=1e-6)
    implicit = beta * torch.log(closed_form / ref)  # = r - beta log Z: the reward up to a constant
    torch.testing.assert_close(implicit - implicit[0], r - r[0])


def test_dpo_demo_raises_every_preferred_answer():
    from fundamentals import dpo
    assert (dpo.pi_c > dpo.ref_c).all() and (dpo.pi_r < dpo.ref_r).all()


def test_group_advantages_and_clipping():
    torch.manual_seed(5)
    rewards = (torch.rand(3, 8) < 0.4).float()
    rewards[0] = torch.tensor([1, 0, 0, 0, 0, 0, 0, 1.0])
    adv = group_advantages(rewards)
    torch.testing.assert_close(adv[0].mean(), torch.tensor(0.0), atol=1e-6, rtol=0)
    torch.testing.assert_close(adv[0].std(), torch.tensor(1.0), atol=1e-5, rtol=0)
    # PPO's clip: with A > 0 and the ratio already above 1 + eps, the sample gives no gradient; inside it does.
    logp_old = torch.log(torch.tensor([0.2, 0.2]))
    logp_new = torch.log(torch.tensor([0.3, 0.21])).requires_grad_()  # ratios 1.5 and 1.05
    clipped_objective(logp_new, logp_old, torch.tensor([1.0, 1.0])).backward()
    assert logp_new.grad[0] == 0 and logp_new.grad[1] > 0
    # With A < 0 the clip acts on the other side: a ratio already below 1 - eps gives no gradient.
    logp_new = torch.log(torch.tensor([0.1, 0.19])).requires_grad_()  # ratios 0.5 and 0.95
    clipped_objective(logp_new, logp_old, torch.tensor([-1.0, -1.0])).backward()
    assert logp_new.grad[0] == 0 and logp_new.grad[1] < 0
    # Hand case for the objective's value: ratio 1.5 with A = 2 is clipped to 1.2 * 2; ratio 0.5 with A = -1
    # is clipped to 0.8 * -1 (min picks the more pessimistic term); mean (2.4 - 0.8) / 2 = 0.8.
    value = clipped_objective(torch.log(torch.tensor([0.3, 0.1])), logp_old, torch.tensor([2.0, -1.0]))
    assert value.item() == pytest.approx(0.8)


def test_k3_estimates_kl_and_is_never_negative():
    torch.manual_seed(6)
    pi, ref = torch.softmax(torch.randn(6), -1), torch.softmax(torch.randn(6), -1)
    y = torch.multinomial(pi, 400_000, replacement=True)
    exact = kl_divergence(Categorical(probs=pi), Categorical(probs=ref))
    assert abs(kl_k3(pi.log()[y], ref.log()[y]) - exact) < 0.01
    assert kl_k3(pi.log(), pi.log()) == 0


def test_pass_at_k_against_enumeration_and_expectation():
    n, c = 7, 3
    for k in range(1, n + 1):
        subsets = list(itertools.combinations([1] * c + [0] * (n - c), k))
        assert pass_at_k(n, c, k) == pytest.approx(sum(any(s) for s in subsets) / len(subsets))
    # averaged over how many of n samples are correct, the estimator equals 1 - (1 - p)^k exactly
    p, n, k = 0.15, 20, 5
    mean = sum(math.comb(n, c) * p**c * (1 - p) ** (n - c) * pass_at_k(n, c, k) for c in range(n + 1))
    assert mean == pytest.approx(1 - (1 - p) ** k)
    with pytest.raises(ValueError):
        pass_at_k(10, 11, 1)
    with pytest.raises(ValueError):
        answer_flops(70e9, 0)


def test_numbers_quoted_in_the_text():
    assert [round(pass_at_k(200, 30, k), 3) for k in (1, 4, 16)] == [0.15, 0.481, 0.934]
    assert answer_flops(70e9, 10_000) == pytest.approx(1.4e15) and answer_flops(70e9, 500) == pytest.approx(7e13)
    assert round(kl_categorical(torch.tensor([0.7, 0.2, 0.05, 0.05]), torch.full((4,), 0.25)).item(), 4) == 0.5152
    # Exercise: DPO loss at the start, where policy = reference: -log sigmoid(0) = log 2
    assert dpo_loss(torch.zeros(3), torch.zeros(3), torch.zeros(3), torch.zeros(3), 0.1).item() == pytest.approx(math.log(2))
    # QLoRA: 4-bit weights of a 65B model, measured on packed storage: two 4-bit codes per uint8 byte
    codes = torch.randint(16, (1000,), dtype=torch.uint8)
    packed = codes[0::2] | (codes[1::2] << 4)
    assert torch.equal(packed & 0xF, codes[0::2]) and torch.equal(packed >> 4, codes[1::2])
    assert packed.untyped_storage().nbytes() * 65e9 / 1000 / 1e9 == 32.5


def test_exercises():
    import statistics
    rewards = [1.0, 1, 0, 0, 0, 0, 0, 0]
    mean, sd = statistics.fmean(rewards), statistics.stdev(rewards)  # sample standard deviation, by hand
    torch.testing.assert_close(group_advantages(torch.tensor(rewards)),
                               torch.tensor([(r - mean) / sd for r in rewards]), atol=1e-5, rtol=1e-5)
    adv = group_advantages(torch.tensor([1.0, 1, 0, 0, 0, 0, 0, 0]))
    assert (round(adv[0].item(), 2), round(adv[-1].item(), 2)) == (1.62, -0.54)
    assert round(torch.tensor([1.0, 1, 0, 0, 0, 0, 0, 0]).std().item(), 3) == 0.463
    assert round(kl_categorical(torch.full((4,), 0.25), torch.tensor([0.7, 0.2, 0.05, 0.05])).item(), 3) == 0.603
    assert 4 * answer_flops(70e9, 500) == pytest.approx(2.8e14)
