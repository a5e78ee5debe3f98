"""Fixtures for the training examples: tiny synthetic MNIST and Shakespeare files written here, never downloaded.

The synthetic files get their own sha256 manifest, passed to the examples with --checksums (the documented
way to use other bytes than the pinned originals); tests/train/test_data.py shows that without it such files
are refused.
"""

import hashlib
import sys
from pathlib import Path

import pytest
import torch

TRAIN_DIR = Path(__file__).resolve().parents[2] / "snippets" / "train"
sys.path.insert(0, str(TRAIN_DIR))  # the examples import their neighbours (`import common`), as when run as scripts
sys.path.insert(0, str(Path(__file__).parent))  # synthetic_data.py, shared by the test files here

from synthetic_data import TEXT, synthetic_digits, write_idx  # noqa: E402


@pytest.fixture(autouse=True)
def one_thread():
    """The models here are tiny: a second thread buys nothing, and on a busy 2-core runner OpenMP threads
    waiting for each other cost several times the work itself."""
    threads = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(threads)


@pytest.fixture(scope="session")
def data_dir(tmp_path_factory) -> Path:
    """<tmp>/mnist/*.gz (512 train and 128 test images), <tmp>/tinyshakespeare/input.txt, <tmp>/SHA256SUMS."""
    root = tmp_path_factory.mktemp("data")
    (root / "mnist").mkdir()
    (root / "tinyshakespeare").mkdir()
    for prefix, n, seed in (("train", 512, 0), ("t10k", 128, 1)):
        images, labels = synthetic_digits(n, seed)
        write_idx(root / "mnist" / f"{prefix}-images-idx3-ubyte.gz", images)
        write_idx(root / "mnist" / f"{prefix}-labels-idx1-ubyte.gz", labels)
    (root / "tinyshakespeare" / "input.txt").write_text(TEXT * 40)
    files = sorted(p for p in root.rglob("*") if p.is_file())
    (root / "SHA256SUMS").write_text("".join(f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(root).as_posix()}\n" for p in files))
    return root


@pytest.fixture
def flags(data_dir, tmp_path) -> list[str]:
    """The flags every smoke run shares: CPU, synthetic data and its manifest, a fresh output folder."""
    return ["--device", "cpu", "--data-dir", str(data_dir), "--checksums", str(data_dir / "SHA256SUMS"), "--out", str(tmp_path / "out")]


class Preempted(Exception):
    """Raised by a test right after a checkpoint is written, as if the job had been killed there."""


@pytest.fixture
def preempt_after_first_checkpoint(monkeypatch):
    """Make the next run die just after its first checkpoint (the next run resumes from it)."""
    import common

    real_save = common.save_checkpoint

    def save_then_die(*args, **kwargs):
        real_save(*args, **kwargs)
        monkeypatch.setattr(common, "save_checkpoint", real_save)
        raise Preempted

    monkeypatch.setattr(common, "save_checkpoint", save_then_die)
    return Preempted
