"""mnist_mlp.py and mnist_cnn.py: shapes, a short run on synthetic digits, --dry-run, exact resume."""

import json
from pathlib import Path

import pytest
import torch

import mnist_cnn
import mnist_mlp

TINY = {"mnist_mlp": ["--hidden", "32", "--lr", "1e-2"], "mnist_cnn": ["--channels", "4", "--lr", "1e-2"]}


def test_models_map_images_to_ten_logits():
    X = torch.rand(5, 1, 28, 28)
    assert mnist_mlp.MLP(hidden=16)(X).shape == (5, 10)
    cnn = mnist_cnn.CNN(channels=4)
    assert cnn(X).shape == (5, 10) and cnn.embed(X).shape == (5, 128)


@pytest.mark.parametrize("script", [mnist_mlp, mnist_cnn], ids=["mlp", "cnn"])
def test_short_run_learns_and_writes_metrics(script, flags, tmp_path):
    name = script.__name__
    metrics = script.main([*flags, *TINY[name], "--epochs", "3", "--batch-size", "64"])
    history = metrics["history"]
    assert metrics["steps"] == 3 * (512 // 64) and [h["epoch"] for h in history] == [1, 2, 3]
    assert all(torch.isfinite(torch.tensor(h["train_loss"])) for h in history)
    assert history[-1]["train_loss"] < 0.5 * history[0]["train_loss"]
    assert metrics["test_accuracy"] > 90.0  # the synthetic classes are easy: a broken model stays near 10 %
    written = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert written["test_accuracy"] == metrics["test_accuracy"] and written["example"] == name
    assert {"device", "torch", "date", "wall_s", "train_s", "images_per_s"} <= written.keys()


def test_dry_run_takes_one_batch(flags):
    metrics = mnist_cnn.main([*flags, *TINY["mnist_cnn"], "--dry-run"])
    assert metrics["steps"] == 1 and metrics["epochs"] == 1


def test_resume_continues_the_interrupted_run_exactly(flags, tmp_path, preempt_after_first_checkpoint):
    """Killed after epoch 1 of 3 and resumed, the run ends where the unbroken run ends: same steps and losses,
    same weights (the schedule, data order and dropout depend on step and epoch only)."""
    run = [*flags[:-1], str(tmp_path / "broken"), *TINY["mnist_mlp"], "--epochs", "3", "--batch-size", "64"]
    with pytest.raises(preempt_after_first_checkpoint):
        mnist_mlp.main(run)
    resumed = mnist_mlp.main([*run, "--resume"])
    unbroken = mnist_mlp.main([*flags, *TINY["mnist_mlp"], "--epochs", "3", "--batch-size", "64"])
    assert resumed["steps"] == unbroken["steps"] == 24
    assert [h["train_loss"] for h in resumed["history"]] == [h["train_loss"] for h in unbroken["history"]]
    weights = [torch.load(Path(d) / "checkpoint.pt", weights_only=True)["model"] for d in (tmp_path / "broken", tmp_path / "out")]
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_resume_refuses_a_checkpoint_of_another_model(flags):
    mnist_mlp.main([*flags, "--hidden", "32", "--dry-run"])
    with pytest.raises(SystemExit, match="holds a model with"):
        mnist_mlp.main([*flags, "--hidden", "16", "--dry-run", "--resume"])
