"""Checks for docs/fundamentals/evaluation.*.md: perplexity, pass@k, contamination, error bars, the harness.

Independent references: F.cross_entropy for perplexity, enumeration of all k-subsets for pass@k, planted
copies for the contamination check, the normal approximation and a Monte Carlo power study for the
bootstrap and the sample-size formula, and hand-made edits for the frozen test set."""
import copy
import itertools
import math
import random

import pytest
import torch
import torch.nn.functional as F

from fundamentals.contamination import build_index, flag_contaminated, ngrams, overlap
from fundamentals.eval_error_bars import (bootstrap_ci, bootstrap_means, examples_needed, normal_ci,
                                          paired_ci)
from fundamentals.eval_harness import CASES, FROZEN, checksum, compare, grade, run_eval
from fundamentals.pass_at_k import pass_at_k
from fundamentals.perplexity import bits_per_byte, perplexity


# --- perplexity -----------------------------------------------------------------------------

@pytest.mark.parametrize("T, V", [(7, 5), (50, 30), (200, 1000)])
def test_perplexity_is_exp_of_torch_cross_entropy(T, V):
    torch.manual_seed(T)
    logits, targets = torch.randn(T, V, dtype=torch.float64) * 3, torch.randint(V, (T,))
    assert perplexity(logits, targets) == pytest.approx(math.exp(F.cross_entropy(logits, targets).item()),
                                                        rel=1e-12)


def test_perplexity_of_a_tiny_language_model():
    """A small causal Transformer's perplexity equals exp(cross-entropy); a model that knows the next token is near 1."""
    torch.manual_seed(0)
    V, T, d = 11, 32, 16
    tokens = torch.arange(T + 1) % V  # a cyclic sequence: the next token is (current + 1) mod V
    emb, head = torch.nn.Embedding(V, d), torch.nn.Linear(d, V)
    block = torch.nn.TransformerEncoderLayer(d, nhead=2, dim_feedforward=32, batch_first=True, norm_first=True)
    block.eval()
    with torch.no_grad():
        mask = torch.nn.Transformer.generate_square_subsequent_mask(T)
        logits = head(block(emb(tokens[:-1])[None], src_mask=mask, is_causal=True))[0]
    ppl = perplexity(logits, tokens[1:])
    assert ppl == pytest.approx(math.exp(F.cross_entropy(logits, tokens[1:]).item()), rel=1e-5)
    assert ppl > 2  # an untrained model is unsure
    knows = torch.roll(torch.eye(V), shifts=1, dims=1) * 20  # row i puts a logit of 20 on token i + 1
    assert 1 <= perplexity(knows[tokens[:-1]], tokens[1:]) < 1 + 1e-6


def test_bits_per_byte_hand_case():
    # uniform over 256 byte values: ln 256 nats per byte = 8 bits per byte
    assert bits_per_byte(1000 * math.log(256), 1000) == pytest.approx(8)


# --- pass@k -----------------------------------------------------------------------------------

@pytest.mark.parametrize("n, c, k", [(5, 2, 1), (6, 2, 3), (8, 0, 4), (7, 7, 2), (9, 3, 9)])
def test_pass_at_k_equals_enumerating_every_k_subset(n, c, k):
    samples = [True] * c + [False] * (n - c)
    subsets = list(itertools.combinations(samples, k))
    assert pass_at_k(n, c, k) == pytest.approx(sum(any(s) for s in subsets) / len(subsets))


def test_pass_at_k_rejects_impossible_counts():
    with pytest.raises(ValueError):
        pass_at_k(10, 11, 1)
    with pytest.raises(ValueError):
        pass_at_k(10, 3, 0)


# --- contamination ------------------------------------------------------------------------------

def test_planted_copies_are_found_and_clean_items_are_not():
    rng = random.Random(0)
    words = [f"w{i}" for i in range(5_000)]
    corpus = [" ".join(rng.choices(words, k=300)) for _ in range(50)]
    items = [" ".join(rng.choices(words, k=40)) for _ in range(20)]
    planted = {3, 11, 17}
    for i in planted:  # copy the item into a training document, with different case and punctuation
        doc = corpus[i].split()
        corpus[i] = " ".join(doc[:100]) + " " + items[i].upper().replace(" ", ", ") + ". " + " ".join(doc[100:])
    assert set(flag_contaminated(items, corpus)) == planted
    index = build_index(corpus, 13)
    assert [overlap(items[i], index, 13) for i in sorted(planted)] == [1.0, 1.0, 1.0]


def test_partial_copy_gives_partial_overlap_and_n_grams_are_counted_right():
    item = " ".join(f"t{i}" for i in range(30))  # 30 words: 18 distinct 13-grams
    assert len(ngrams(item, 13)) == 18
    half = " ".join(f"t{i}" for i in range(15))  # words 0..14 hold 3 of the item's 13-grams
    assert overlap(item, build_index([half], 13), 13) == pytest.approx(3 / 18)
    assert overlap("too short", build_index([half], 13), 13) == 0.0


# --- error bars --------------------------------------------------------------------------------

@pytest.mark.parametrize("p, n", [(0.7, 1_000), (0.9, 400), (0.5, 2_000)])
def test_bootstrap_agrees_with_the_normal_approximation(p, n):
    torch.manual_seed(int(p * 10) + n)
    scores = (torch.rand(n) < p).float()
    p_hat = scores.mean().item()
    se_formula = math.sqrt(p_hat * (1 - p_hat) / n)
    assert bootstrap_means(scores).std().item() == pytest.approx(se_formula, rel=0.06)
    for ours, normal in zip(bootstrap_ci(scores), normal_ci(scores)):
        assert ours == pytest.approx(normal, abs=0.3 * 1.96 * se_formula)


def test_paired_interval_matches_the_standard_error_of_the_differences():
    torch.manual_seed(5)
    a = (torch.rand(2_000) < 0.7).float()
    b = torch.where(torch.rand(2_000) < 0.1, 1 - a, a)
    d = b - a
    half = 1.96 * d.std(correction=0).item() / math.sqrt(len(d))
    low, high = paired_ci(a, b)
    assert (high - low) / 2 == pytest.approx(half, rel=0.1)


def test_examples_needed_hand_cases():
    # (1.959964 + 0.841621)^2 = 7.8489; * 0.4116 / 0.0004 = 8076.5; * 0.0996 / 0.0004 = 1954.4
    assert examples_needed(0.02, 0.70 * 0.30 + 0.72 * 0.28) == 8_077
    assert examples_needed(0.02, 0.0996) == 1_955
    assert examples_needed(0.04, 0.0996) == math.ceil(1954.4 / 4)


def test_the_paired_sample_size_really_gives_80_percent_power():
    """Simulate 2,000 paired evals of n questions where B is truly 2 points better (6% only-B-right,
    4% only-A-right) and count how often a two-sided 5% test sees the gain."""
    n = examples_needed(0.02, 0.10 - 0.02**2)
    g = torch.Generator().manual_seed(1)
    outcome = torch.multinomial(torch.tensor([0.06, 0.04, 0.90]), 2_000 * n, replacement=True, generator=g)
    d = torch.tensor([1.0, -1.0, 0.0])[outcome].view(2_000, n)
    z = d.mean(1) / (d.std(1) / math.sqrt(n))
    power = (z > 1.96).float().mean().item()
    assert power == pytest.approx(0.80, abs=0.03)
    # with a quarter of the questions the same gain is usually missed
    quarter = d[:, : n // 4]
    z4 = quarter.mean(1) / (quarter.std(1) / math.sqrt(n // 4))
    assert (z4 > 1.96).float().mean().item() < 0.35


# --- the harness -------------------------------------------------------------------------------

def test_any_edit_to_the_frozen_set_changes_the_checksum_and_is_refused():
    edited = copy.deepcopy(CASES)
    edited[0]["must_include"] = ["5 business day"]
    reordered = [CASES[1], CASES[0], *CASES[2:]]
    for changed in (edited, reordered, CASES[:-1], [*CASES, {"id": "new", "input": "hi"}]):
        assert checksum(changed) != FROZEN
        with pytest.raises(ValueError, match="differs from the frozen version"):
            run_eval(lambda prompt: "", changed, FROZEN)
    assert checksum(copy.deepcopy(CASES)) == FROZEN  # a faithful copy is the same test set


def test_graders_and_regression_tracking_by_hand():
    case = {"id": "x", "input": "?", "must_include": ["30 days"], "must_not_include": ["yes"]}
    assert grade(case, "Within 30 DAYS.") and not grade(case, "Yes, 30 days") and not grade(case, "soon")
    base = {"a": True, "b": True, "c": False}
    assert compare(base, {"a": True, "b": False, "c": True}) == {"regressions": ["b"], "fixes": ["c"]}
    with pytest.raises(ValueError, match="different cases"):
        compare(base, {"a": True})


# --- the chapter's numbers and exercises ----------------------------------------------------------

def test_numbers_quoted_in_the_text_and_exercises():
    def half_width(right, n):  # normal_ci on a real score vector with `right` correct answers out of n
        low, high = normal_ci(torch.cat([torch.ones(right), torch.zeros(n - right)]))
        return f"{(high - low) / 2 * 100:.1f}"

    assert half_width(700, 1000) == "2.8"
    assert [half_width(370, 500), half_width(355, 500)] == ["3.8", "4.0"]  # 74% and 71% of 500
    # bits per byte: log2(PPL) bits per token spread over the bytes of each token
    assert bits_per_byte(1000 * math.log(8), 4000) == pytest.approx(0.75)
    assert round(bits_per_byte(1000 * math.log(5), 2000), 2) == 1.16
    assert examples_needed(0.03, 0.08 - 0.03**2) == 690
    assert pass_at_k(10, 3, 1) == pytest.approx(0.3) and f"{pass_at_k(10, 3, 5):.3f}" == "0.917"
    assert round(pass_at_k(200, 10, 10), 3) == 0.409
