"""common.py: per-rank seeds without collisions, the run settings a checkpoint records, the learning-rate schedule."""

import math

import torch

import common


def test_old_linear_seed_collided_and_the_hashed_one_does_not():
    """seed * 1_000_003 + rank * 10_007 + segment (the first edition) gave rank 0 at step 10,007 the seed of rank 1
    at step 0: the same batch and the same dropout masks. The hashed seeds differ for every (rank, segment) here."""
    assert 0 * 1_000_003 + 0 * 10_007 + 10_007 == 0 * 1_000_003 + 1 * 10_007 + 0
    seeds = {common.segment_seed(0, rank, segment) for rank in range(8) for segment in range(25_000)}
    assert len(seeds) == 8 * 25_000
    draws = []
    for rank, segment in ((0, 10_007), (1, 0)):
        common.seed_segment(0, rank, segment)
        draws.append(torch.rand(4))
    assert not torch.equal(*draws)
    common.seed_segment(3, 1, 7)
    again = torch.rand(4)
    common.seed_segment(3, 1, 7)
    assert torch.equal(torch.rand(4), again)  # reproducible, which exact resume relies on


def test_lr_schedule_by_hand():
    """Warm-up 10 steps to 1e-3, then cosine to 1e-4 at step 110: values at the ends and at half-way by hand."""
    lr = [common.lr_at(step, 110, 1e-3, warmup_steps=10, min_lr=1e-4) for step in range(111)]
    assert lr[0] == 1e-4 and lr[9] == 1e-3  # (step + 1) / 10 of the peak
    assert lr[10] == 1e-3 and math.isclose(lr[60], (1e-3 + 1e-4) / 2) and math.isclose(lr[110], 1e-4)
    assert all(a >= b for a, b in zip(lr[10:], lr[11:]))
