"""dcgan.py: shapes, the Frechet distance, the stdlib PNG, and a short run scored by a tiny CNN."""

import json
import struct
import zlib

import numpy as np
import pytest
import torch

import dcgan
import mnist_cnn


def test_generator_draws_28x28_images_in_tanh_range_and_discriminator_gives_one_logit():
    G, D = dcgan.Generator(nz=8, ngf=4), dcgan.Discriminator(ndf=4)
    images = G(torch.randn(6, 8))
    assert images.shape == (6, 1, 28, 28) and images.abs().max() <= 1
    assert D(images).shape == (6,)


def test_frechet_distance_matches_the_closed_form_and_an_independent_route():
    torch.manual_seed(0)
    A = (torch.randn(4000, 3) * torch.tensor([1.0, 2.0, 0.5])).double()
    B = (torch.randn(4000, 3) * 3 + 1).double()
    S_a, S_b = torch.cov(A.T), torch.cov(B.T)
    # tr((S_a S_b)^(1/2)) from the eigenvalues of the (non-symmetric) product, which are real and >= 0
    cross = torch.linalg.eigvals(S_a @ S_b).real.clamp(min=0).sqrt().sum()
    expected = (A.mean(0) - B.mean(0)).square().sum() + S_a.trace() + S_b.trace() - 2 * cross
    assert dcgan.frechet_distance(A, B) == pytest.approx(expected.item(), rel=1e-9)
    assert dcgan.frechet_distance(A, A) == pytest.approx(0.0, abs=1e-9)
    # independent coordinates: sum over them of (mu_a - mu_b)^2 + (sigma_a - sigma_b)^2
    a, b = torch.randn(100_000, 2), torch.randn(100_000, 2) * torch.tensor([2.0, 0.5]) + torch.tensor([3.0, 0.0])
    assert dcgan.frechet_distance(a, b) == pytest.approx(3**2 + (1 - 2) ** 2 + (1 - 0.5) ** 2, rel=0.02)


def read_png(path) -> np.ndarray:
    """Parse the PNG back: signature, chunks with valid CRCs, IHDR, the filter-0 rows of the IDAT."""
    raw = path.read_bytes()
    assert raw[:8] == b"\x89PNG\r\n\x1a\n"
    chunks, i = {}, 8
    while i < len(raw):
        (length,) = struct.unpack(">I", raw[i : i + 4])
        kind, body = raw[i + 4 : i + 8], raw[i + 8 : i + 8 + length]
        assert struct.unpack(">I", raw[i + 8 + length : i + 12 + length])[0] == zlib.crc32(kind + body)
        chunks[kind], i = body, i + 12 + length
    width, height, depth, color = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, color) == (8, 0) and b"IEND" in chunks
    rows = np.frombuffer(zlib.decompress(chunks[b"IDAT"]), np.uint8).reshape(height, width + 1)
    assert not rows[:, 0].any()
    return rows[:, 1:]


def test_png_written_with_zlib_and_struct_round_trips(tmp_path):
    image = np.arange(35 * 20, dtype=np.uint8).reshape(35, 20)
    dcgan.write_png(tmp_path / "x.png", image)
    assert np.array_equal(read_png(tmp_path / "x.png"), image)


def test_image_grid_places_each_digit_in_its_cell():
    images = torch.zeros(10, 1, 28, 28)
    images[3] = 1.0
    grid = dcgan.image_grid(images, columns=8, pad=2, scale=1)
    assert grid.shape == (2 * 30 + 2, 8 * 30 + 2)
    assert (grid[2:30, 2 + 3 * 30 : 30 + 3 * 30] == 255).all() and grid[0, 0] == 128


@pytest.fixture
def classifier(flags, tmp_path):
    """A tiny CNN trained by mnist_cnn.py on the synthetic digits, to score the generator."""
    mnist_cnn.main([*flags[:-1], str(tmp_path / "cnn"), "--channels", "4", "--dry-run"])
    return tmp_path / "cnn" / "checkpoint.pt"


def test_short_run_trains_scores_and_draws_a_grid(flags, classifier, tmp_path):
    metrics = dcgan.main([*flags, "--classifier", str(classifier), "--nz", "16", "--ngf", "8", "--ndf", "8",
                          "--epochs", "2", "--batch-size", "32", "--n-score", "200"])
    assert metrics["steps"] == 2 * (512 // 32) and len(metrics["history"]) == 2
    assert all(np.isfinite([h["loss_D"], h["loss_G"]]).all() for h in metrics["history"])
    assert metrics["history"][-1]["loss_D"] < metrics["history"][0]["loss_D"]  # the discriminator learns to tell
    assert sum(metrics["class_histogram"]) == 200 and len(metrics["class_histogram"]) == 10
    assert 0.1 <= metrics["confidence"] <= 1 and metrics["frechet_distance"] >= 0
    assert read_png(tmp_path / "out" / "samples.png").shape == ((8 * 30 + 2) * 2,) * 2
    assert json.loads((tmp_path / "out" / "metrics.json").read_text())["confidence"] == metrics["confidence"]


def test_resume_continues_the_step_count(flags, classifier, tmp_path, preempt_after_first_checkpoint):
    run = [*flags, "--classifier", str(classifier), "--nz", "16", "--ngf", "8", "--ndf", "8",
           "--epochs", "2", "--batch-size", "64", "--n-score", "100"]
    with pytest.raises(preempt_after_first_checkpoint):
        dcgan.main(run)
    resumed = dcgan.main([*run, "--resume"])
    assert [h["step"] for h in resumed["history"]] == [8, 16]
    unbroken = dcgan.main([*run, "--out", str(tmp_path / "unbroken")])

    def untimed(history):
        return [{k: v for k, v in h.items() if not k.endswith("_s")} for h in history]

    assert untimed(resumed["history"]) == untimed(unbroken["history"])  # losses, confidence, histogram, distance


def test_missing_classifier_is_reported_before_training(flags, tmp_path):
    with pytest.raises(SystemExit, match="no classifier at .* train one first"):
        dcgan.main([*flags, "--classifier", str(tmp_path / "none.pt"), "--dry-run"])
