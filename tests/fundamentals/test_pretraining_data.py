"""Checks for docs/fundamentals/pretraining-data.*.md: exact and near-duplicate removal, data-constrained scaling."""
import math

import pytest
import torch

from fundamentals.data_repetition import R_D_STAR, effective_tokens, tokens_per_parameter
from fundamentals.minhash_dedup import (candidate_probability, exact_key, lsh_candidates, minhash, planted_near,
                                        shingles)


def word_trigrams(text: str) -> set[tuple[str, str, str]]:
    """An independent shingling: tuples from zip, not joined strings from slices."""
    w = text.lower().split()
    return set(zip(w, w[1:], w[2:]))


def exact_jaccard(a: str, b: str) -> float:
    sa, sb = word_trigrams(a), word_trigrams(b)
    return len(sa & sb) / len(sa | sb)


def pair_with_overlap(n_words: int, n_changed: int, seed: int) -> tuple[str, str]:
    g = torch.Generator().manual_seed(seed)
    words = [f"t{i}" for i in torch.randint(10_000, (n_words,), generator=g).tolist()]
    other = list(words)
    for pos in torch.randperm(n_words, generator=g)[:n_changed].tolist():
        other[pos] = f"x{pos}"
    return " ".join(words), " ".join(other)


@pytest.mark.parametrize("n_changed", [2, 8, 20])
def test_minhash_estimates_exact_jaccard(n_changed):
    a, b = pair_with_overlap(120, n_changed, seed=n_changed)
    s = exact_jaccard(a, b)
    k = 512
    estimate = (minhash(shingles(a), k, seed=1) == minhash(shingles(b), k, seed=1)).float().mean().item()
    assert abs(estimate - s) < 4 * math.sqrt(s * (1 - s) / k) + 1e-9  # binomial standard error, 4 sigma


def test_minhash_is_unbiased_over_seeds():
    a, b = pair_with_overlap(100, 12, seed=7)
    s = exact_jaccard(a, b)
    estimates = [(minhash(shingles(a), 64, seed=t) == minhash(shingles(b), 64, seed=t)).float().mean().item()
                 for t in range(40)]
    assert abs(sum(estimates) / len(estimates) - s) < 4 * math.sqrt(s * (1 - s) / (64 * 40))


def test_lsh_candidate_probability_matches_simulation():
    a, b = pair_with_overlap(100, 14, seed=3)
    s = exact_jaccard(a, b)
    bands, rows, trials = 4, 4, 300
    # one long signature = trials independent sets of 16 hash functions (all coefficients are drawn i.i.d.)
    sig_a, sig_b = minhash(shingles(a), 16 * trials, seed=0), minhash(shingles(b), 16 * trials, seed=0)
    hits = sum(bool(lsh_candidates([sig_a[16 * t:16 * (t + 1)], sig_b[16 * t:16 * (t + 1)]], bands, rows))
               for t in range(trials))
    p = candidate_probability(s, bands, rows)
    assert abs(hits / trials - p) < 4 * math.sqrt(p * (1 - p) / trials)
    assert candidate_probability(1.0, 32, 4) == 1 and candidate_probability(0.0, 32, 4) == 0


def test_exact_dedup_normalizes_case_and_space_only():
    assert exact_key("Hello   World\n") == exact_key("hello world")
    assert exact_key("hello world") != exact_key("hello, world")


def test_lsh_finds_exactly_the_pairs_a_brute_force_comparison_finds():
    """All-pairs exact Jaccard with the independent shingling: the only pairs at 0.7 or above are the planted
    near-copies, and the snippet's LSH proposed every one of them as a candidate."""
    from fundamentals import minhash_dedup as md
    grams = {i: word_trigrams(md.docs[i]) for i in md.kept}
    similar = {(i, j) for k, i in enumerate(md.kept) for j in md.kept[k + 1:]
               if len(grams[i] & grams[j]) >= 0.7 * len(grams[i] | grams[j])}
    assert similar == planted_near and planted_near <= md.found
    assert len(md.kept) == 310 and all(md.docs[i].split() for i in md.kept)


def test_planted_near_duplicates_have_the_stated_similarity():
    from fundamentals.minhash_dedup import docs
    for i, j in planted_near:
        assert round(exact_jaccard(docs[i], docs[j]), 2) == 0.79  # 3 of 80 words replaced
        assert shingles(docs[i]) != shingles(docs[j])
    assert round(candidate_probability(0.79, 32, 4), 3) == 1.0 and round(candidate_probability(0.2, 32, 4), 3) == 0.05


def datablations_loss(n: float, d: float, u: float) -> float:
    """The authors' published fit (huggingface/datablations README), re-implemented here from their formula;
    only the data term's effective token count comes from the snippet."""
    a, b, e, alpha, beta, rn_star = 6.255414, 7.3049974, 0.6254804, 0.3526596, 0.3526596, 5.309743
    A, B, E = math.exp(a), math.exp(b), math.exp(e)
    G = ((alpha * A) / (beta * B)) ** (1 / (alpha + beta))
    un = min(n, (u * G) ** (beta / alpha) * G)
    rn = max(n / un - 1, 0)
    n_eff = un + un * rn_star * (1 - math.exp(-rn / rn_star))
    return E + A / n_eff**alpha + B / effective_tokens(u, d / u) ** beta


def test_effective_tokens_reproduce_the_authors_worked_example():
    # Values printed in the datablations README for the two models of the paper's Figure 1 (right).
    assert datablations_loss(6.34e9, 242e9, 25e9) == pytest.approx(2.2256440889984477, rel=1e-9)
    assert datablations_loss(8.67e9, 178e9, 25e9) == pytest.approx(2.2269634075087867, rel=1e-9)


def test_effective_tokens_limits_and_worked_numbers():
    assert effective_tokens(1e9, 1) == 1e9
    h = 1e-6  # the first repeat is worth almost a fresh token: slope 1 at R = 0
    assert (effective_tokens(1.0, 1 + h) - 1) / h == pytest.approx(1, rel=1e-5)
    assert effective_tokens(1.0, 1e6) == pytest.approx(1 + R_D_STAR)
    assert [round(effective_tokens(1.0, e), 2) for e in (2, 4, 16, 64)] == [1.97, 3.73, 10.58, 16.13]
    # Exercise 2: 500B unique tokens, 2T token budget
    assert round(effective_tokens(500e9, 4) / 1e12, 2) == 1.86


def test_tokens_per_parameter_worked_examples():
    assert tokens_per_parameter(1.4e12, 70e9) == pytest.approx(20)
    assert round(tokens_per_parameter(15e12, 8e9)) == 1875
    assert round(tokens_per_parameter(15e12, 70e9)) == 214
    assert round(tokens_per_parameter(14.8e12, 37e9)) == 400


@pytest.mark.parametrize("call", [lambda: effective_tokens(0, 2), lambda: effective_tokens(1e9, 0.5),
                                  lambda: tokens_per_parameter(1e12, 0), lambda: tokens_per_parameter(-1, 8e9)])
def test_bad_inputs_raise(call):
    with pytest.raises(ValueError):
        call()


def test_numbers_quoted_in_the_text_and_exercises():
    assert (round(candidate_probability(0.8, 16, 8), 2), round(candidate_probability(0.5, 16, 8), 2)) == (0.95, 0.06)
    assert (round(candidate_probability(0.8, 32, 4), 2), round(candidate_probability(0.5, 32, 4), 2)) == (1.0, 0.87)
    assert round((1 / 32) ** (1 / 4), 2) == 0.42
    assert round(effective_tokens(10e9, 1e9) / 1e9) == 164  # ceiling for 10B unique tokens
    assert round(tokens_per_parameter(15e12, 8e9) / 20) == 94
    from fundamentals.training_flops import training_flops  # 6ND, checked against FlopCounterMode elsewhere
    assert training_flops(8e9, 15e12) == pytest.approx(7.2e23)  # Exercise 3
    assert round(effective_tokens(500e9, 4) / 2e12, 2) == 0.93
