"""hooks/training_results.py: the page markers become tables built from result files, in the page's language."""

import json
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from hooks import training_results as hook

CPU_MLP = {"example": "mnist_mlp", "device": "AMD EPYC (2 threads)", "amp": False, "compile": False, "epochs": 1, "steps": 468,
           "test_accuracy": 97.8, "train_s": 72.3, "torch": "2.13.0+cpu", "date": "2026-11-25T03:51:00+00:00",
           "history": [{"test_accuracy": 97.8}]}
GPU_GPT = {"example": "char_gpt", "device": "NVIDIA H100 80GB HBM3", "amp": True, "compile": True, "steps": 2500,
           "val_loss": 1.512, "best_val_loss": 1.471, "train_s": 21.0, "torch": "2.11.0+cu128", "date": "2026-12-01T10:00:00+00:00",
           "history": [{"val_loss": 1.6}, {"val_loss": 1.471}, {"val_loss": 1.512}]}


def page(src_uri: str):
    return SimpleNamespace(file=SimpleNamespace(src_uri=src_uri))


def write(folder, name, data):
    (folder / name).write_text(json.dumps(data))


def test_results_table_lists_each_file_with_its_target(tmp_path):
    write(tmp_path, "cpu-mnist_mlp.json", CPU_MLP)
    write(tmp_path, "gpu-char_gpt.json", GPU_GPT)
    en = hook.results_table("en", tmp_path)
    rows = [line for line in en.splitlines() if line.startswith("| `")]
    assert rows[0].startswith("| `mnist_mlp.py` | AMD EPYC (2 threads) | fp32 | 1 epoch | test accuracy 97.80 % | ≥ 98.0 % | no |")
    assert rows[1].startswith("| `char_gpt.py` | NVIDIA H100 80GB HBM3 | bf16 + compile | 2500 steps | validation loss 1.512 (best 1.471) | ≤ 1.50 | yes |")
    assert "pending" not in en  # a GPU result exists
    zh = hook.results_table("zh", tmp_path)
    assert "| 示例 | 设备 |" in zh and "测试准确率 97.80 %" in zh and "| 否 |" in zh


def test_a_classifier_chosen_on_validation_says_so_and_a_gan_shows_its_smallest_class(tmp_path):
    write(tmp_path, "gpu-mnist_cnn.json", {**CPU_MLP, "example": "mnist_cnn", "device": "NVIDIA H100 80GB HBM3", "amp": True,
                                           "compile": True, "epochs": 8, "best_epoch": 7, "val_accuracy": 99.41,
                                           "test_accuracy": 99.38, "history": [{"val_accuracy": 99.41}]})
    write(tmp_path, "gpu-dcgan.json", {**CPU_MLP, "example": "dcgan", "device": "NVIDIA H100 80GB HBM3", "amp": True, "compile": True,
                                       "epochs": 25, "confidence": 0.95, "frechet_distance": 12.34,
                                       "class_histogram": [430] + [1063] * 9, "history": [{"confidence": 0.95, "class_histogram": [430] + [1063] * 9}]})
    rows = [line for line in hook.results_table("en", tmp_path).splitlines() if line.startswith("| `")]
    assert "| test accuracy 99.38 % (epoch 7, chosen at 99.41 % validation) | ≥ 99.3 % | yes |" in rows[0]
    # 430 of 10,000 = 4.3 %: confident, but one digit is rare, so the target is not met
    assert "| confidence 0.950, smallest class 4.3 %, Fréchet distance 12.3 | ≥ 0.90, every class ≥ 5 % | no |" in rows[1]


def test_pending_lines_while_there_are_no_gpu_results(tmp_path):
    write(tmp_path, "cpu-mnist_mlp.json", CPU_MLP)
    assert "GPU results are pending" in hook.results_table("en", tmp_path)
    assert "GPU 结果尚待测量" in hook.speed_table("zh", tmp_path)


def test_speed_table_from_the_benchmark_file(tmp_path):
    write(tmp_path, "bench-gpu.json", {"device": "NVIDIA H100 80GB HBM3", "torch": "2.11.0", "date": "2026-12-01T10:00:00+00:00", "examples": {
        "char_gpt": {"time_to_target_s": 24.5, "compile_s": 31.0, "throughput": 2.1e6, "tf32_throughput": 7.0e5,
                     "fp32_throughput": 3.0e5, "unit": "tokens/s", "speedup": 3.0, "mfu": 0.152}}})
    table = hook.speed_table("en", tmp_path)
    assert "| `char_gpt.py` | 24.5 s | 31.0 s | 2,100,000 tokens/s | 700,000 tokens/s | 300,000 tokens/s | 3.0× | 15.2 % |" in table
    assert "Speed-up (vs TF32)" in table


def test_a_broken_result_file_fails_the_build_by_name(tmp_path):
    write(tmp_path, "cpu-mnist_cnn.json", {"example": "mnist_cnn"})
    with pytest.raises(PluginError, match="cpu-mnist_cnn.json"):
        hook.results_table("en", tmp_path)


def test_markers_are_replaced_by_language(monkeypatch):
    monkeypatch.setattr(hook, "results_table", lambda lang: f"RESULTS-{lang}")
    monkeypatch.setattr(hook, "speed_table", lambda lang: f"SPEED-{lang}")
    markdown = "# T\n\n<!-- training-results -->\n\n<!-- training-speed -->\n"
    out = hook.on_page_markdown(markdown, page=page("fundamentals/training-examples.en.md"), config={}, files=None)
    assert out == "# T\n\nRESULTS-en\n\nSPEED-en\n"
    assert "RESULTS-zh" in hook.on_page_markdown(markdown, page=page("fundamentals/training-examples.zh.md"), config={}, files=None)
    assert hook.on_page_markdown("# no marker", page=page("x.en.md"), config={}, files=None) == "# no marker"


def test_the_committed_results_render():
    """The real files under snippets/train/results/ (what the site shows) are well formed."""
    assert hook.results_table("zh").count("| `") >= 4
