"""DistributedDataParallel under torchrun: 2 CPU processes (gloo) train exactly what 1 process trains with
the doubled batch, since each process takes its half of every global batch and DDP averages the gradients."""

import json
import os
import subprocess
import sys

import torch

import mnist_mlp

# No dropout and no augmentation: the two runs then differ only in how the batch is split.
RUN = ["--hidden", "32", "--dropout", "0", "--max-shift", "0", "--epochs", "2", "--lr", "1e-2"]


def test_two_processes_with_torchrun_match_one_process_with_twice_the_batch(flags, tmp_path):
    ddp_out = tmp_path / "ddp"
    command = [sys.executable, "-m", "torch.distributed.run", "--standalone", "--nproc_per_node=2",
               mnist_mlp.__file__, *flags[:-1], str(ddp_out), *RUN, "--batch-size", "32"]
    done = subprocess.run(command, env={**os.environ, "OMP_NUM_THREADS": "1"}, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.count("mnist_mlp: test accuracy") == 1  # rank 0 alone reports and writes

    single = mnist_mlp.main([*flags, *RUN, "--batch-size", "64"])
    ddp = json.loads((ddp_out / "metrics.json").read_text())
    assert ddp["world_size"] == 2 and ddp["steps"] == single["steps"] == 2 * (512 // 64)
    assert all(abs(a["train_loss"] - b["train_loss"]) < 1e-4 for a, b in zip(ddp["history"], single["history"]))
    assert [h["test_accuracy"] for h in ddp["history"]] == [h["test_accuracy"] for h in single["history"]]
    weights = [torch.load(d / "checkpoint.pt", weights_only=True)["model"] for d in (ddp_out, tmp_path / "out")]
    assert all(torch.allclose(weights[0][k], weights[1][k], atol=1e-5) for k in weights[0])
