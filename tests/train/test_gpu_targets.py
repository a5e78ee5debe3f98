"""Full training runs on a CUDA GPU, each asserting its quality target (snippets/train/targets.py).

    make test-gpu           # or: pytest -m gpu tests/train/test_gpu_targets.py (data: $FG_DATA_DIR, else .data/)

Each run uses the example's default flags with --amp --compile, writes its run folder to runs/gpu/<example>/
(where `make bench-gpu` finds and reuses it) and its metrics to snippets/train/results/gpu-<example>.json, the
file the site's result table shows (commit it), whether or not the target is met. Each test prints its target
and the measured result. The DCGAN is judged by the CNN trained in this session (the epoch chosen on validation).
"""

import json
import os
from pathlib import Path

import pytest
import torch

import char_gpt
import dcgan
import mnist_cnn
import mnist_mlp
from targets import QUALITY, SMALLEST_CLASS, reached

pytestmark = pytest.mark.gpu

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = os.environ.get("FG_DATA_DIR", str(ROOT / ".data"))
RUNS = ROOT / "runs" / "gpu"


@pytest.fixture(scope="module", autouse=True)
def cuda():
    if not torch.cuda.is_available():
        pytest.fail(f"the gpu tests need a CUDA device; torch {torch.__version__} sees none")


def full_run(script, example: str, *flags: str) -> dict:
    metrics = script.main(["--device", "cuda", "--amp", "--compile", "--data-dir", DATA_DIR, "--out", str(RUNS / example), *flags])
    (ROOT / "snippets" / "train" / "results" / f"gpu-{example}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


def report(example: str, measured: str, metrics: dict) -> None:
    print(f"\n{example}: target {QUALITY[example]}, measured {measured}; {metrics['train_s']:.1f} s of training "
          f"+ {metrics['compile_s']:.1f} s of compiling on {metrics['device']}")


@pytest.fixture(scope="module")
def cnn() -> dict:
    return full_run(mnist_cnn, "mnist_cnn")


def test_mlp_reaches_98_percent():
    metrics = full_run(mnist_mlp, "mnist_mlp")
    report("mnist_mlp", f"test accuracy {metrics['test_accuracy']:.2f} % (epoch {metrics['best_epoch']}, "
           f"validation {metrics['val_accuracy']:.2f} %)", metrics)
    assert reached("mnist_mlp", metrics), f"test accuracy {metrics['test_accuracy']} %, target {QUALITY['mnist_mlp']}"


def test_cnn_reaches_99_3_percent(cnn):
    report("mnist_cnn", f"test accuracy {cnn['test_accuracy']:.2f} % (epoch {cnn['best_epoch']}, "
           f"validation {cnn['val_accuracy']:.2f} %)", cnn)
    assert reached("mnist_cnn", cnn), f"test accuracy {cnn['test_accuracy']} %, target {QUALITY['mnist_cnn']}"


def test_dcgan_draws_confident_digits_of_every_class_in_fair_shares(cnn):
    metrics = full_run(dcgan, "dcgan", "--classifier", str(RUNS / "mnist_cnn" / "checkpoint.pt"))
    report("dcgan", f"confidence {metrics['confidence']:.3f}, smallest class {100 * metrics['smallest_class']:.1f} % "
           f"{metrics['class_histogram']}, class entropy {metrics['class_entropy']:.3f}, Frechet distance "
           f"{metrics['frechet_distance']:.1f} (validation) / {metrics['test_frechet_distance']:.1f} (test)", metrics)
    assert min(metrics["class_histogram"]) >= SMALLEST_CLASS * sum(metrics["class_histogram"]), "partial mode collapse"
    assert reached("dcgan", metrics), (f"confidence {metrics['confidence']}, classes {metrics['class_histogram']}, "
                                       f"target {QUALITY['dcgan']}")


def test_char_gpt_reaches_validation_loss_1_50():
    metrics = full_run(char_gpt, "char_gpt")
    report("char_gpt", f"best validation loss {metrics['best_val_loss']:.4f}", metrics)
    assert reached("char_gpt", metrics), f"best validation loss {metrics['best_val_loss']}, target {QUALITY['char_gpt']}"
    assert metrics["sample"].startswith("ROMEO:")
