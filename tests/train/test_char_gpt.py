"""char_gpt.py: shapes, causality, the FLOP count behind MFU, a short run, sampling, exact resume."""

import pytest
import torch
import torch.nn.functional as F
from torch.nn.attention import SDPBackend, sdpa_kernel
from torch.utils.flop_counter import FlopCounterMode

import char_gpt
from synthetic_data import TEXT

TINY = ["--n-layer", "1", "--n-head", "2", "--n-embd", "32", "--block-size", "16", "--batch-size", "8",
        "--dropout", "0.1", "--lr", "3e-3", "--warmup-steps", "2", "--sample-len", "20"]


def tiny_gpt(**kwargs) -> char_gpt.GPT:
    torch.manual_seed(0)
    return char_gpt.GPT(**{"vocab_size": 11, "block_size": 8, "n_layer": 2, "n_head": 2, "n_embd": 16, "dropout": 0.0, **kwargs}).eval()


def test_gpt_maps_character_ids_to_next_character_logits_and_ties_its_embedding():
    model = tiny_gpt()
    assert model(torch.randint(11, (3, 8))).shape == (3, 8, 11)
    assert model.lm_head.weight is model.token_embedding.weight


def test_attention_is_causal():
    """Changing the last characters must not change the predictions made before them."""
    model = tiny_gpt()
    idx = torch.randint(11, (1, 8))
    changed = idx.clone()
    changed[0, 5:] = (changed[0, 5:] + 1) % 11
    assert torch.allclose(model(idx)[0, :5], model(changed)[0, :5], atol=1e-6)
    assert not torch.allclose(model(idx)[0, 5:], model(changed)[0, 5:])


def test_flops_per_token_is_what_torch_counts_in_a_training_step():
    """FlopCounterMode counts the FLOPs of every matrix multiply in a forward and backward pass. With attention
    computed by plain matmuls (the math backend), the count is flops_per_token = 6N + 12 L T C per token."""
    config = {"vocab_size": 11, "block_size": 8, "n_layer": 2, "n_embd": 16}
    model = tiny_gpt(**config)
    B, T = 3, config["block_size"]
    idx = torch.randint(11, (B, T))
    with sdpa_kernel(SDPBackend.MATH), FlopCounterMode(display=False) as counter:
        F.cross_entropy(model(idx).flatten(0, 1), idx.flatten()).backward()
    assert counter.get_total_flops() == B * T * char_gpt.flops_per_token(**config)


def test_short_run_learns_samples_and_writes_metrics(flags, tmp_path):
    metrics = char_gpt.main([*flags, *TINY, "--max-steps", "60", "--eval-interval", "20"])
    history = metrics["history"]
    assert [h["step"] for h in history] == [20, 40, 60] and metrics["steps"] == 60
    assert history[-1]["val_loss"] < history[0]["val_loss"] < 3.0  # uniform guessing over the 34 characters of TEXT: ln 34 = 3.53
    assert history[-1]["train_loss"] < history[0]["train_loss"]
    assert metrics["best_val_loss"] == min(h["val_loss"] for h in history)
    assert metrics["sample"].startswith("ROMEO:") and len(metrics["sample"]) == len("ROMEO:") + 20
    assert set(metrics["sample"]) <= set(TEXT)
    assert (tmp_path / "out" / "metrics.json").exists() and (tmp_path / "out" / "checkpoint.pt").exists()


def test_dry_run_takes_one_step(flags):
    metrics = char_gpt.main([*flags, *TINY, "--dry-run"])
    assert metrics["steps"] == 1 and len(metrics["history"]) == 1


def test_resume_continues_the_interrupted_run_exactly(flags, tmp_path, preempt_after_first_checkpoint):
    run = [*flags[:-1], str(tmp_path / "broken"), *TINY, "--max-steps", "8", "--eval-interval", "4", "--save-every", "4"]
    with pytest.raises(preempt_after_first_checkpoint):
        char_gpt.main(run)
    resumed = char_gpt.main([*run, "--resume"])
    unbroken = char_gpt.main([*flags, *TINY, "--max-steps", "8", "--eval-interval", "4", "--save-every", "4"])
    assert [h["step"] for h in resumed["history"]] == [4, 8]
    assert [(h["train_loss"], h["val_loss"]) for h in resumed["history"]] == [(h["train_loss"], h["val_loss"]) for h in unbroken["history"]]
    assert resumed["sample"] == unbroken["sample"]


def test_prompt_with_unknown_characters_is_refused(flags):
    with pytest.raises(SystemExit, match="not in the text: 'Z'"):
        char_gpt.main([*flags, *TINY, "--prompt", "ZZ", "--dry-run"])


def test_resume_with_a_longer_schedule_is_refused_but_a_new_prompt_is_not(flags):
    run = [*flags, *TINY, "--max-steps", "4", "--eval-interval", "2"]
    char_gpt.main(run)
    with pytest.raises(SystemExit, match="--max-steps 4 -> 8"):
        char_gpt.main([*run, "--max-steps", "8", "--resume"])
    assert char_gpt.main([*run, "--resume", "--prompt", "JULIET:"])["sample"].startswith("JULIET:")
