"""MkDocs hook, one job: fill the training-examples page's result tables from the committed result files.

A page line `<!-- training-results -->` becomes a table with one row per snippets/train/results/{cpu,gpu}-*.json
(the metrics.json a run wrote), `<!-- training-speed -->` one built from results/bench-gpu.json (written by
bench/bench_gpu.py). Numbers on the site come from those files only, never typed. The speed-up is measured
against TF32 eager (fp32 with TensorFloat-32 matmuls and convolutions); strict fp32 is shown beside it.
Headers follow the page's language (its file name ends .zh.md or .en.md); a missing GPU file gives a
"pending" line instead.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import Files
from mkdocs.structure.pages import Page

RESULTS = Path(__file__).resolve().parent.parent / "snippets" / "train" / "results"
TEXT = {
    "zh": {
        "results": ("示例", "设备", "精度", "训练量", "结果", "目标", "达标", "训练时间", "torch", "日期"),
        "speed": ("示例", "达到目标用时", "编译用时", "吞吐量（bf16 + compile）", "吞吐量（TF32 eager）", "吞吐量（严格 fp32 eager）",
                  "加速比（对 TF32）", "MFU"),
        "yes": "是", "no": "否", "epoch": "{} 个 epoch", "epochs": "{} 个 epoch", "steps": "{} 步",
        "accuracy": "测试准确率 {:.2f} %", "chosen": "测试准确率 {:.2f} %（第 {} 个 epoch，按验证集 {:.2f} % 选出）",
        "loss": "验证损失 {:.3f}（最佳 {:.3f}）",
        "gan": "置信度 {:.3f}，最少的类占 {:.1f} %，Fréchet 距离 {:.1f}",
        "pending": "GPU 结果尚待测量：在有 CUDA 的机器上运行 `{}` 并提交 `snippets/train/results/{}` 后，这里会出现表格。",
    },
    "en": {
        "results": ("Example", "Device", "Precision", "Run", "Result", "Target", "Met", "Training time", "torch", "Date"),
        "speed": ("Example", "Time to target", "Compile time", "Throughput (bf16 + compile)", "Throughput (TF32 eager)",
                  "Throughput (strict fp32 eager)", "Speed-up (vs TF32)", "MFU"),
        "yes": "yes", "no": "no", "epoch": "{} epoch", "epochs": "{} epochs", "steps": "{} steps",
        "accuracy": "test accuracy {:.2f} %", "chosen": "test accuracy {:.2f} % (epoch {}, chosen at {:.2f} % validation)",
        "loss": "validation loss {:.3f} (best {:.3f})",
        "gan": "confidence {:.3f}, smallest class {:.1f} %, Fréchet distance {:.1f}",
        "pending": "GPU results are pending: they appear here once `{}` has run on a CUDA machine and `snippets/train/results/{}` is committed.",
    },
}


def _load_targets():
    """snippets/train/targets.py, the one definition of the targets (loaded by path: snippets/ is no package)."""
    spec = importlib.util.spec_from_file_location("train_targets", RESULTS.parent / "targets.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


targets = _load_targets()


def result(m: dict, t: dict) -> str:
    if m["example"] == "dcgan":
        return t["gan"].format(m["confidence"], 100 * targets.smallest_share(m["class_histogram"]), m["frechet_distance"])
    if m["example"] == "char_gpt":
        return t["loss"].format(m["val_loss"], m["best_val_loss"])
    if "best_epoch" in m:  # chosen on a validation split (result files from before 2026-12-07 have none)
        return t["chosen"].format(m["test_accuracy"], m["best_epoch"], m["val_accuracy"])
    return t["accuracy"].format(m["test_accuracy"])


def table(header: tuple[str, ...], rows: list[list[str]]) -> str:
    lines = [header, ("---",) * len(header), *rows]
    return "\n".join("| " + " | ".join(cells) + " |" for cells in lines)


def results_table(lang: str, results: Path = RESULTS) -> str:
    t, rows = TEXT[lang], []
    for path in sorted(results.glob("[cg]pu-*.json")):
        try:
            m = json.loads(path.read_text())
            target = targets.QUALITY[m["example"]]
            target = target.replace(", every class", "，每类") if lang == "zh" else target
            run = (t["steps"].format(m["steps"]) if m["example"] == "char_gpt"
                   else t["epoch" if m["epochs"] == 1 else "epochs"].format(m["epochs"]))
            precision = ("bf16" if m["amp"] else "fp32") + (" + compile" if m["compile"] else "")
            rows.append((path.name[:3], list(targets.QUALITY).index(m["example"]), [
                f"`{m['example']}.py`", m["device"], precision, run, result(m, t), target,
                t["yes"] if targets.reached(m["example"], m) else t["no"], f"{m['train_s']:.1f} s", m["torch"], m["date"][:10]]))
        except (KeyError, ValueError, TypeError) as error:
            raise PluginError(f"{path}: not a result file of snippets/train ({error!r})") from error
    out = table(t["results"], [cells for *_, cells in sorted(rows)])
    if not any(kind == "gpu" for kind, *_ in rows):
        out += "\n\n" + t["pending"].format("make test-gpu", "gpu-*.json")
    return out


def speed_table(lang: str, results: Path = RESULTS) -> str:
    t, path = TEXT[lang], results / "bench-gpu.json"
    if not path.exists():
        return t["pending"].format("make bench-gpu", "bench-gpu.json")
    bench = json.loads(path.read_text())
    rows = [[f"`{name}.py`", f"{r['time_to_target_s']:.1f} s" if r["time_to_target_s"] is not None else "—",
             f"{r['compile_s']:.1f} s", f"{r['throughput']:,.0f} {r['unit']}", f"{r['tf32_throughput']:,.0f} {r['unit']}",
             f"{r['fp32_throughput']:,.0f} {r['unit']}", f"{r['speedup']:.1f}×", f"{100 * r['mfu']:.1f} %" if r.get("mfu") is not None else "—"]
            for name, r in bench["examples"].items()]
    return table(t["speed"], rows) + f"\n\n{bench['device']}, torch {bench['torch']}, {bench['date'][:10]}"


def on_page_markdown(markdown: str, *, page: Page, config: MkDocsConfig, files: Files) -> str:
    if "<!-- training-" not in markdown:
        return markdown
    lang = "en" if page.file.src_uri.endswith(".en.md") else "zh"
    markdown = markdown.replace("<!-- training-results -->", results_table(lang))
    return markdown.replace("<!-- training-speed -->", speed_table(lang))
