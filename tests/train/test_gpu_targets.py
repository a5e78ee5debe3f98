"""Full training runs on a CUDA GPU, each asserting its quality target (snippets/train/targets.py).

    FG_DATA_DIR=/path/to/data make test-gpu     # or: pytest -m gpu tests/train  (data: $FG_DATA_DIR, else .data/)

Each run uses the example's default flags with --amp --compile and writes its metrics to
snippets/train/results/gpu-<example>.json, the file the site's result table shows (commit it), whether
or not the target is met. The DCGAN is judged by the CNN trained in this session.
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
from targets import TARGETS, reached

pytestmark = pytest.mark.gpu

ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = os.environ.get("FG_DATA_DIR", str(ROOT / ".data"))
RUNS = ROOT / "runs" / "gpu-tests"


@pytest.fixture(scope="module", autouse=True)
def cuda():
    if not torch.cuda.is_available():
        pytest.fail(f"the gpu tests need a CUDA device; torch {torch.__version__} sees none")


def full_run(script, example: str, *flags: str) -> dict:
    metrics = script.main(["--device", "cuda", "--amp", "--compile", "--data-dir", DATA_DIR, "--out", str(RUNS / example), *flags])
    (ROOT / "snippets" / "train" / "results" / f"gpu-{example}.json").write_text(json.dumps(metrics, indent=2) + "\n")
    return metrics


@pytest.fixture(scope="module")
def cnn() -> dict:
    return full_run(mnist_cnn, "mnist_cnn")


def test_mlp_reaches_98_percent():
    metrics = full_run(mnist_mlp, "mnist_mlp")
    assert reached("mnist_mlp", metrics), f"test accuracy {metrics['test_accuracy']} %, target {TARGETS['mnist_mlp'][0]}"


def test_cnn_reaches_99_3_percent(cnn):
    assert reached("mnist_cnn", cnn), f"test accuracy {cnn['test_accuracy']} %, target {TARGETS['mnist_cnn'][0]}"


def test_dcgan_draws_confident_digits_of_all_ten_classes(cnn):
    metrics = full_run(dcgan, "dcgan", "--classifier", str(RUNS / "mnist_cnn" / "checkpoint.pt"))
    print(f"class histogram {metrics['class_histogram']}, Frechet distance {metrics['frechet_distance']}")
    assert metrics["frechet_distance"] >= 0
    assert reached("dcgan", metrics), (f"confidence {metrics['confidence']}, classes {metrics['class_histogram']}, "
                                       f"target {TARGETS['dcgan'][0]}")


def test_char_gpt_reaches_validation_loss_1_50():
    metrics = full_run(char_gpt, "char_gpt")
    assert reached("char_gpt", metrics), f"best validation loss {metrics['best_val_loss']}, target {TARGETS['char_gpt'][0]}"
    assert metrics["sample"].startswith("ROMEO:")
