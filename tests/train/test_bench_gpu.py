"""bench/bench_gpu.py: its arithmetic, and a --dry-run on CPU so the benchmark cannot rot between GPU runs."""

import pytest

from bench import bench_gpu


def test_steady_throughput_uses_the_last_interval_without_evaluation():
    metrics = {"world_size": 1, "args": {"batch_size": 64, "block_size": 256},
               "history": [{"step": 250, "time_s": 10.0, "eval_s": 1.0}, {"step": 500, "time_s": 16.0, "eval_s": 2.0}]}
    assert bench_gpu.steady_throughput(metrics, "char_gpt") == pytest.approx(250 * 64 * 256 / 5.0)
    assert bench_gpu.steady_throughput(metrics, "mnist_cnn") == pytest.approx(250 * 64 / 5.0)


def test_peak_flops_by_device_name():
    assert bench_gpu.peak_flops("NVIDIA H100 80GB HBM3", None) == 989e12
    assert bench_gpu.peak_flops("NVIDIA H100 PCIe", None) == 756e12
    assert bench_gpu.peak_flops("NVIDIA GeForce RTX 4090", None) is None
    assert bench_gpu.peak_flops("NVIDIA GeForce RTX 4090", 165.0) == 165e12


def test_dry_run_on_cpu_goes_through_every_step(data_dir, tmp_path):
    """dcgan first trains its judge, the CNN, through the same path (the GPT's arithmetic is tested above)."""
    report = bench_gpu.main(["--device", "cpu", "--dry-run", "--examples", "mnist_mlp", "dcgan",
                             "--data-dir", str(data_dir), "--checksums", str(data_dir / "SHA256SUMS"), "--out", str(tmp_path)])
    assert list(report["examples"]) == ["mnist_mlp", "dcgan"] and (tmp_path / "mnist_cnn-fast" / "checkpoint.pt").exists()
    for row in report["examples"].values():
        assert row["throughput"] > 0 and row["fp32_throughput"] > 0 and row["unit"] == "images/s"
        assert row["speedup"] == pytest.approx(row["throughput"] / row["fp32_throughput"], rel=0.01)
