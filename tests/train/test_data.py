"""snippets/train/data.py: checksums, download and cache, the offline and corrupt-file errors, IDX, batching."""

import gzip
import hashlib
import urllib.error

import numpy as np
import pytest
import torch

import data
import mnist_mlp
from synthetic_data import synthetic_digits, write_idx


def offline(url, dest):
    raise urllib.error.URLError("no network in this test")


def test_read_idx_returns_what_write_idx_wrote(tmp_path):
    images, labels = synthetic_digits(20, seed=0)
    write_idx(tmp_path / "x.gz", images)
    write_idx(tmp_path / "y.gz", labels)
    assert np.array_equal(data.read_idx(tmp_path / "x.gz"), images)
    assert data.read_idx(tmp_path / "y.gz").shape == (20,)


def test_read_idx_rejects_a_wrong_magic_number(tmp_path):
    with gzip.open(tmp_path / "bad.gz", "wb") as f:
        f.write(bytes([0, 0, 0x0D, 1, 0, 0, 0, 1, 0, 0, 0, 0]))  # type 0x0D is float, not unsigned byte
    with pytest.raises(ValueError, match="not an unsigned-byte IDX file"):
        data.read_idx(tmp_path / "bad.gz")


def test_load_mnist_gives_float_images_in_0_1_and_int64_labels(data_dir):
    X_train, y_train, X_test, y_test = data.load_mnist(data_dir, data_dir / "SHA256SUMS")
    assert X_train.shape == (512, 1, 28, 28) and X_test.shape == (128, 1, 28, 28)
    assert X_train.dtype == torch.float32 and 0 <= X_train.min() and X_train.max() == 1
    assert y_train.dtype == torch.int64 and set(y_train.tolist()) == set(range(10))


def test_pinned_checksums_refuse_files_that_are_not_the_originals(data_dir):
    """The synthetic files carry the real names: without their manifest they must not load."""
    with pytest.raises(SystemExit, match="is corrupt"):
        data.load_mnist(data_dir)


def test_corrupt_file_stops_the_example_before_training(tmp_path, monkeypatch):
    (tmp_path / "mnist").mkdir()
    for name in data.DATASETS["mnist"][1]:
        (tmp_path / "mnist" / name).write_bytes(b"truncated download")
    monkeypatch.setattr(data, "download", offline)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as error:
        mnist_mlp.main(["--device", "cpu", "--data-dir", str(tmp_path), "--out", str(out)])
    message = str(error.value)
    assert "train-images-idx3-ubyte.gz is corrupt" in message and data.PINNED["mnist/train-images-idx3-ubyte.gz"] in message
    assert "\n" not in message
    assert not out.exists(), "nothing may be trained or written from a corrupt file"


def test_offline_without_data_says_what_to_download_and_where(tmp_path, monkeypatch):
    monkeypatch.setattr(data, "download", offline)
    out = tmp_path / "out"
    with pytest.raises(SystemExit) as error:
        mnist_mlp.main(["--device", "cpu", "--data-dir", str(tmp_path / "cache"), "--out", str(out)])
    message = str(error.value)
    assert "\n" not in message
    assert "https://ossci-datasets.s3.amazonaws.com/mnist/" in message and str(tmp_path / "cache" / "mnist") in message
    assert all(name in message for name in data.DATASETS["mnist"][1])
    assert not out.exists() and not list((tmp_path / "cache").rglob("*.gz*"))


def test_download_is_verified_and_cached(tmp_path, monkeypatch, data_dir):
    """A good download is kept and never fetched again; a download with other bytes is deleted."""
    calls = []

    def serve(url, dest):
        calls.append(url)
        dest.write_bytes((data_dir / "tinyshakespeare" / "input.txt").read_bytes())

    monkeypatch.setattr(data, "download", serve)
    assert data.load_shakespeare(tmp_path, data_dir / "SHA256SUMS").startswith("ROMEO:")
    assert data.load_shakespeare(tmp_path, data_dir / "SHA256SUMS").startswith("ROMEO:")
    assert calls == [data.DATASETS["tinyshakespeare"][0][0] + "input.txt"]

    with pytest.raises(SystemExit, match="wrong sha256"):
        data.load_shakespeare(tmp_path / "other")  # pinned checksum: the synthetic bytes do not match it
    assert not list((tmp_path / "other").rglob("*.txt*"))


def test_a_manifest_must_list_every_file(tmp_path, data_dir):
    images = data_dir / "mnist" / "train-images-idx3-ubyte.gz"
    (tmp_path / "SHA256SUMS").write_text(f"{hashlib.sha256(images.read_bytes()).hexdigest()}  mnist/train-images-idx3-ubyte.gz\n")
    with pytest.raises(SystemExit, match="no sha256 for mnist/train-labels-idx1-ubyte.gz"):
        data.load_mnist(data_dir, tmp_path / "SHA256SUMS")


def test_epoch_batches_split_each_global_batch_between_ranks():
    single = data.epoch_batches(100, 8, seed=3, epoch=2)
    ranks = [data.epoch_batches(100, 4, seed=3, epoch=2, rank=r, world_size=2) for r in range(2)]
    assert single.shape == (12, 8) and ranks[0].shape == (12, 4)
    assert torch.equal(torch.cat(ranks, dim=1), single)  # the same global batches, whatever the process count
    assert len(set(single.flatten().tolist())) == 96  # no example twice in an epoch
    assert not torch.equal(single, data.epoch_batches(100, 8, seed=3, epoch=3))


def test_random_shift_moves_whole_images_by_at_most_max_shift():
    torch.manual_seed(0)
    X = torch.zeros(64, 1, 28, 28)
    X[:, :, 12:16, 12:16] = 1.0
    shifted = data.random_shift(X, 2)
    assert shifted.shape == X.shape
    assert torch.equal(shifted.sum((1, 2, 3)), X.sum((1, 2, 3)))  # nothing cut off: the square is far from the border
    rows = shifted[:, 0].amax(2).nonzero()[:, 1].view(64, 4)[:, 0]
    assert set(rows.tolist()) == {10, 11, 12, 13, 14}  # every offset in [-2, 2] occurs among 64 images
