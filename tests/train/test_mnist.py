"""mnist_mlp.py and mnist_cnn.py: shapes, a short run on synthetic digits, --dry-run, exact resume."""

import json
from pathlib import Path

import pytest
import torch

import mnist_cnn
import mnist_mlp
from data import load_mnist, split_validation

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
    assert metrics["steps"] == 3 * (410 // 64) and [h["epoch"] for h in history] == [1, 2, 3]  # 512 less 102 held out
    assert all(torch.isfinite(torch.tensor(h["train_loss"])) for h in history)
    assert history[-1]["train_loss"] < 0.5 * history[0]["train_loss"]
    assert metrics["test_accuracy"] > 90.0  # the synthetic classes are easy: a broken model stays near 10 %
    written = json.loads((tmp_path / "out" / "metrics.json").read_text())
    assert written["test_accuracy"] == metrics["test_accuracy"] and written["example"] == name
    assert {"device", "torch", "date", "wall_s", "train_s", "images_per_s"} <= written.keys()


def test_validation_split_is_held_out_and_fixed(data_dir):
    X, y, _, _ = load_mnist(data_dir, data_dir / "SHA256SUMS")
    X_train, y_train, X_val, y_val = split_validation(X, y, 10_000)
    assert (len(X_train), len(X_val)) == (410, 102)  # at most a fifth of 512
    rows = {tuple(x.flatten().tolist()) for x in X}
    train_rows, val_rows = ({tuple(x.flatten().tolist()) for x in part} for part in (X_train, X_val))
    assert not train_rows & val_rows and train_rows | val_rows == rows  # disjoint, and together the whole set
    assert torch.equal(split_validation(X, y, 10_000)[2], X_val)  # the same split every time


def test_selection_uses_validation_and_the_test_set_is_scored_once(flags, tmp_path, monkeypatch, data_dir):
    """Every epoch is scored on the 102 validation images; the 128 test images are scored once, with the weights
    of the best validation epoch (recomputed here by hand from the checkpoint)."""
    scored, real_evaluate = [], mnist_mlp.evaluate
    monkeypatch.setattr(mnist_mlp, "evaluate", lambda model, rt, X, y, **kw: scored.append(len(X)) or real_evaluate(model, rt, X, y, **kw))
    metrics = mnist_mlp.main([*flags, *TINY["mnist_mlp"], "--epochs", "4", "--batch-size", "64", "--lr", "3e-2"])
    assert scored == [102] * 4 + [128]
    accuracies = [h["val_accuracy"] for h in metrics["history"]]
    assert metrics["best_epoch"] == 1 + accuracies.index(max(accuracies)) and metrics["val_accuracy"] == max(accuracies)
    best = torch.load(tmp_path / "out" / "checkpoint.pt", weights_only=True)["best"]
    model = mnist_mlp.MLP(hidden=32).eval()
    model.load_state_dict(best["model"])
    _, _, X_test, y_test = load_mnist(data_dir, data_dir / "SHA256SUMS")
    with torch.no_grad():
        correct = sum(int(model(X_test[i : i + 1]).argmax()) == int(y_test[i]) for i in range(len(X_test)))
    assert metrics["test_accuracy"] == pytest.approx(100 * correct / len(X_test))
    assert best["epoch"] == metrics["best_epoch"]


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
    assert resumed["steps"] == unbroken["steps"] == 3 * (410 // 64)
    assert [h["train_loss"] for h in resumed["history"]] == [h["train_loss"] for h in unbroken["history"]]
    assert resumed["test_accuracy"] == unbroken["test_accuracy"] and resumed["best_epoch"] == unbroken["best_epoch"]
    weights = [torch.load(Path(d) / "checkpoint.pt", weights_only=True)["model"] for d in (tmp_path / "broken", tmp_path / "out")]
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])


def test_resume_refuses_a_checkpoint_of_another_model(flags):
    mnist_mlp.main([*flags, "--hidden", "32", "--dry-run"])
    with pytest.raises(SystemExit, match="holds a model with"):
        mnist_mlp.main([*flags, "--hidden", "16", "--dry-run", "--resume"])


@pytest.mark.parametrize("change, named", [(["--lr", "2e-2"], "--lr 0.01 -> 0.02"), (["--epochs", "3"], "--epochs 2 -> 3"),
                                           (["--batch-size", "32"], "--batch-size 64 -> 32")])
def test_resume_refuses_other_training_settings_unless_told(flags, change, named):
    run = [*flags, *TINY["mnist_mlp"], "--epochs", "2", "--batch-size", "64"]
    mnist_mlp.main(run)
    with pytest.raises(SystemExit) as refused:
        mnist_mlp.main([*run, *change, "--resume"])
    assert named in str(refused.value) and "--allow-config-change" in str(refused.value)
    if change[0] == "--epochs":  # told: the run continues with the new setting, from the saved epoch
        assert mnist_mlp.main([*run, *change, "--resume", "--allow-config-change"])["epochs"] == 3


def test_resume_ignores_settings_that_do_not_change_the_run(flags):
    run = [*flags, *TINY["mnist_mlp"], "--epochs", "1", "--batch-size", "64"]
    mnist_mlp.main(run)
    assert mnist_mlp.main([*run, "--resume", "--amp", "--device", "cpu"])["epochs"] == 1
