"""DistributedDataParallel under torchrun, 2 CPU processes (gloo), against one process doing by hand what the two
should do together. Each process takes its half of every global batch and DDP averages the gradients, so:

* a model without BatchNorm, with dropout and augmentation off, trains exactly as one process with the doubled
  batch (the MLP);
* a BatchNorm model trains as one process that normalizes each half of the doubled batch separately, keeping
  rank 0's running statistics (the CNN on CPU: PyTorch's SyncBatchNorm needs CUDA), and *not* as one process
  with the doubled batch;
* the GPT trains as one process whose batch is the two ranks' random windows side by side; the ranks draw
  different windows.
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import torch
import torch.nn as nn

import char_gpt
import common
import mnist_cnn
import mnist_mlp

MLP = ["--hidden", "32", "--dropout", "0", "--max-shift", "0", "--epochs", "2", "--lr", "1e-2"]
CNN = ["--channels", "4", "--dropout", "0", "--max-shift", "0", "--epochs", "1", "--lr", "1e-2"]
GPT = ["--n-layer", "1", "--n-head", "2", "--n-embd", "32", "--block-size", "16", "--dropout", "0", "--lr", "3e-3",
       "--warmup-steps", "2", "--max-steps", "6", "--eval-interval", "3", "--sample-len", "5"]
DRIVER = Path(__file__).with_name("ddp_runs.py")


@pytest.fixture(scope="module")
def ddp(data_dir, tmp_path_factory) -> dict[str, Path]:
    """The three trainings, 2 processes each, in one torchrun; returns their output folders."""
    root = tmp_path_factory.mktemp("ddp")
    shared = ["--device", "cpu", "--data-dir", str(data_dir), "--checksums", str(data_dir / "SHA256SUMS")]
    runs = [("mnist_mlp", [*shared, *MLP, "--batch-size", "32", "--out", str(root / "mnist_mlp")]),
            ("mnist_cnn", [*shared, *CNN, "--batch-size", "32", "--out", str(root / "mnist_cnn")]),
            ("char_gpt", [*shared, *GPT, "--batch-size", "4", "--out", str(root / "char_gpt")])]
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2", str(DRIVER), json.dumps(runs)]
    done = subprocess.run(command, env={**os.environ, "OMP_NUM_THREADS": "1"}, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("mnist_mlp: epoch") == 1  # rank 0 alone reports and writes
    assert "BatchNorm statistics are per process" in done.stdout
    return {example: root / example for example, _ in runs}


def metrics_and_weights(folder: Path) -> tuple[dict, dict]:
    checkpoint = torch.load(folder / "checkpoint.pt", weights_only=True)
    return json.loads((folder / "metrics.json").read_text()), checkpoint["model"]


def same_weights(a: dict, b: dict, atol: float = 1e-5) -> bool:
    return a.keys() == b.keys() and all(torch.allclose(a[k].float(), b[k].float(), atol=atol) for k in a)


def test_mlp_two_processes_match_one_process_with_twice_the_batch(ddp, flags, tmp_path):
    single = mnist_mlp.main([*flags, *MLP, "--batch-size", "64"])
    metrics, weights = metrics_and_weights(ddp["mnist_mlp"])
    assert metrics["world_size"] == 2 and metrics["steps"] == single["steps"] == 2 * (410 // 64)
    assert all(abs(a["train_loss"] - b["train_loss"]) < 1e-4 for a, b in zip(metrics["history"], single["history"]))
    assert [h["val_accuracy"] for h in metrics["history"]] == [h["val_accuracy"] for h in single["history"]]
    assert metrics["test_accuracy"] == single["test_accuracy"]
    assert same_weights(weights, metrics_and_weights(tmp_path / "out")[1])


class PerHalfBatchNorm(nn.Module):
    """What 2 DDP processes without SyncBatchNorm compute, in one process: BatchNorm statistics over each half of
    the batch; the running statistics are rank 0's (DDP broadcasts rank 0's buffers before every forward)."""

    def __init__(self, model: nn.Module):
        super().__init__()
        self.model = model

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        if not self.model.training:
            return self.model(X)
        first = self.model(X[: len(X) // 2])
        rank0 = [(m, name, b.clone()) for m in self.model.modules() for name, b in m.named_buffers(recurse=False)]
        second = self.model(X[len(X) // 2 :])
        for module, name, buffer in rank0:  # new tensors: autograd still holds the ones the forward pass used
            setattr(module, name, buffer)
        return torch.cat([first, second])


def test_batchnorm_model_under_ddp_on_cpu_normalizes_each_process_half(ddp, flags, tmp_path, monkeypatch):
    metrics, weights = metrics_and_weights(ddp["mnist_cnn"])
    plain = mnist_cnn.main([*flags[:-1], str(tmp_path / "plain"), *CNN, "--batch-size", "64"])
    monkeypatch.setattr(common, "wrap", lambda model, rt, compile: PerHalfBatchNorm(model))
    halves = mnist_cnn.main([*flags, *CNN, "--batch-size", "64"])
    assert metrics["steps"] == halves["steps"] == 410 // 64
    assert abs(metrics["train_loss"] - halves["train_loss"]) < 1e-4
    assert same_weights(weights, metrics_and_weights(tmp_path / "out")[1])  # parameters and running statistics
    assert metrics["val_accuracy"] == halves["val_accuracy"] and metrics["test_accuracy"] == halves["test_accuracy"]
    # ... and not what one process with the doubled batch trains: the N x B equivalence fails for BatchNorm
    assert not same_weights(weights, metrics_and_weights(tmp_path / "plain")[1], atol=1e-4)
    assert abs(metrics["train_loss"] - plain["train_loss"]) > 1e-4


def test_gpt_two_processes_match_one_process_with_both_ranks_windows(ddp, flags, monkeypatch):
    metrics, weights = metrics_and_weights(ddp["char_gpt"])
    real_seed_segment, real_get_batch, segment, ranks_differ = common.seed_segment, char_gpt.get_batch, [], []

    def seed_as_rank_0(seed, rank, step):
        segment[:] = [seed, step]
        real_seed_segment(seed, rank, step)

    def both_ranks(data, block_size, batch_size):
        X0, Y0 = real_get_batch(data, block_size, batch_size // 2)  # drawn after reseeding as rank 0
        real_seed_segment(segment[0], 1, segment[1])
        X1, Y1 = real_get_batch(data, block_size, batch_size // 2)
        ranks_differ.append(not torch.equal(X0, X1))
        return torch.cat([X0, X1]), torch.cat([Y0, Y1])

    monkeypatch.setattr(common, "seed_segment", seed_as_rank_0)
    monkeypatch.setattr(char_gpt, "get_batch", both_ranks)
    single = char_gpt.main([*flags, *GPT, "--batch-size", "8"])
    assert len(ranks_differ) == 6 and all(ranks_differ)
    assert [h["step"] for h in metrics["history"]] == [h["step"] for h in single["history"]] == [3, 6]
    for a, b in zip(metrics["history"], single["history"]):
        assert abs(a["train_loss"] - b["train_loss"]) < 1e-4 and abs(a["val_loss"] - b["val_loss"]) < 1e-4
    assert same_weights(weights, torch.load(Path(flags[-1]) / "checkpoint.pt", weights_only=True)["model"])
