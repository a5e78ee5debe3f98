"""bench/bench_gpu.py: its arithmetic, the precision of its baselines, reuse of make test-gpu's runs, and a --dry-run
on CPU so the benchmark cannot rot between GPU runs."""

import pytest
import torch

import mnist_mlp
from bench import bench_gpu


def test_steady_throughput_uses_the_last_interval_without_evaluation():
    metrics = {"world_size": 1, "args": {"batch_size": 64, "block_size": 256},
               "history": [{"step": 250, "time_s": 10.0, "eval_s": 1.0}, {"step": 500, "time_s": 16.0, "eval_s": 2.0}]}
    assert bench_gpu.steady_throughput(metrics, "char_gpt") == pytest.approx(250 * 64 * 256 / 5.0)
    assert bench_gpu.steady_throughput(metrics, "mnist_cnn") == pytest.approx(250 * 64 / 5.0)


def test_peak_flops_by_device_name():
    """The PCIe card must not be matched by the SXM entry, and an unknown card gives no MFU unless told its peak."""
    assert bench_gpu.peak_flops("NVIDIA H100 80GB HBM3", None) == 989e12
    assert bench_gpu.peak_flops("NVIDIA H100 PCIe", None) == 756e12
    assert bench_gpu.peak_flops("NVIDIA GeForce RTX 4090", None) is None
    assert bench_gpu.peak_flops("NVIDIA GeForce RTX 4090", 165.0) == 165e12


def test_fp32_precision_switches_tf32_on_and_off_and_restores_the_setting():
    before = torch.get_float32_matmul_precision(), torch.backends.cudnn.allow_tf32
    with bench_gpu.fp32_precision(tf32=True):
        assert (torch.get_float32_matmul_precision(), torch.backends.cudnn.allow_tf32) == ("high", True)
    with bench_gpu.fp32_precision(tf32=False):
        assert (torch.get_float32_matmul_precision(), torch.backends.cudnn.allow_tf32) == ("highest", False)
    assert (torch.get_float32_matmul_precision(), torch.backends.cudnn.allow_tf32) == before


def test_a_run_left_by_make_test_gpu_is_reused_only_with_the_same_flags(flags, monkeypatch):
    argv = [*flags, "--hidden", "32", "--epochs", "1"]
    device = bench_gpu.device_name(torch.device("cpu"))
    first = bench_gpu.run_or_reuse(mnist_mlp, argv, device, reuse=True)
    calls = []
    monkeypatch.setattr(mnist_mlp, "main", lambda argv: calls.append(argv) or {"rerun": True})
    assert bench_gpu.run_or_reuse(mnist_mlp, argv, device, reuse=True)["history"] == first["history"] and not calls
    assert bench_gpu.run_or_reuse(mnist_mlp, [*argv, "--lr", "0.5"], device, reuse=True) == {"rerun": True}
    assert bench_gpu.run_or_reuse(mnist_mlp, argv, "another GPU", reuse=True) == {"rerun": True}
    assert bench_gpu.run_or_reuse(mnist_mlp, argv, device, reuse=False) == {"rerun": True}


def test_dry_run_on_cpu_goes_through_every_step_with_the_stated_precisions(data_dir, tmp_path, monkeypatch):
    """dcgan first trains its judge, the CNN, through the same path; each baseline runs under its matmul precision."""
    seen = {}
    real_main = mnist_mlp.main

    def recording_main(argv):
        seen[argv[argv.index("--out") + 1].rsplit("/", 1)[-1]] = torch.get_float32_matmul_precision()
        return real_main(argv)

    monkeypatch.setattr(mnist_mlp, "main", recording_main)
    report = bench_gpu.main(["--device", "cpu", "--dry-run", "--small", "--examples", "mnist_mlp", "dcgan",
                             "--data-dir", str(data_dir), "--checksums", str(data_dir / "SHA256SUMS"), "--out", str(tmp_path)])
    assert seen == {"mnist_mlp": "highest", "mnist_mlp-tf32": "high", "mnist_mlp-fp32": "highest"}
    assert list(report["examples"]) == ["mnist_mlp", "dcgan"] and (tmp_path / "mnist_cnn" / "checkpoint.pt").exists()
    for row in report["examples"].values():
        assert row["throughput"] > 0 and row["tf32_throughput"] > 0 and row["fp32_throughput"] > 0 and row["unit"] == "images/s"
    assert report["examples"]["dcgan"]["target"] == "≥ 0.90, every class ≥ 5 %"
