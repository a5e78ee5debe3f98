"""Training speed of the examples on one CUDA GPU: printed, and saved for the site's speed table.

    make bench-gpu                                   # = python bench/bench_gpu.py, data from $FG_DATA_DIR or .data/
    python bench/bench_gpu.py --examples char_gpt    # one example
    python bench/bench_gpu.py --device cpu --dry-run # checks this script itself in seconds, on any machine

Each example runs three times, in-process through its main(argv):
1. its default flags plus --amp --compile (bf16 autocast, torch.compile, fused AdamW, data resident on the
   GPU): the time to target is the training wall time up to the first evaluation that meets the target on
   validation data (snippets/train/targets.py), evaluations included, compilation excluded and reported apart.
   `make test-gpu` makes exactly these runs (into the same runs/gpu/ folder); a run found there with the same
   flags, device and torch is reused, not repeated;
2. fp32 eager with TF32 (torch.set_float32_matmul_precision("high"), cuDNN TF32 on): what most fp32 training
   on a recent NVIDIA GPU uses, and the baseline of the reported speed-up;
3. strict fp32 eager (matmul precision "highest", cuDNN TF32 off), shown beside it.
The eager runs are only long enough for a steady throughput. Throughput is measured over the last evaluation
interval of each run (warm-up excluded), evaluation time left out. For the GPT, model FLOPs utilization =
flops_per_token x tokens/s / the GPU's dense bf16 peak. Writes snippets/train/results/bench-gpu.json (not with
--dry-run).
"""

import argparse
import contextlib
import datetime
import importlib
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "snippets" / "train"))  # the examples and their neighbours, as when run as scripts

import torch  # noqa: E402

from common import device_name  # noqa: E402
from targets import QUALITY, SPEED_S, first_reached, reached  # noqa: E402

# Dense bf16 tensor-core peaks (NVIDIA's data sheets list twice these "with sparsity"), by device name.
PEAK_BF16_TFLOPS = (("H100 80GB HBM3", 989), ("H100 SXM", 989), ("H100 PCIe", 756), ("H200", 989), ("A100", 312))
# the eager runs: long enough for two evaluation intervals, the second one measured
SHORT = {"mnist_mlp": ["--epochs", "2"], "mnist_cnn": ["--epochs", "2"], "dcgan": ["--epochs", "2", "--n-score", "2000"],
         "char_gpt": ["--max-steps", "200", "--eval-interval", "100"]}
# --small: tiny widths for every run, so that a --dry-run checks this script in seconds (the tests use it)
SMALL = {"mnist_mlp": ["--hidden", "32"], "mnist_cnn": ["--channels", "4"],
         "dcgan": ["--nz", "16", "--ngf", "8", "--ndf", "8", "--n-score", "200"],
         "char_gpt": ["--n-layer", "1", "--n-head", "2", "--n-embd", "32", "--block-size", "16", "--batch-size", "8"]}


def steady_throughput(metrics: dict, example: str) -> float:
    """Images (or tokens) per second over the run's last evaluation interval, evaluation time left out."""
    history = metrics["history"]
    last, before = history[-1], history[-2] if len(history) > 1 else {"step": 0, "time_s": 0.0, "eval_s": 0.0}
    args = metrics["args"]
    per_step = args["batch_size"] * metrics["world_size"] * (args["block_size"] if example == "char_gpt" else 1)
    seconds = (last["time_s"] - last["eval_s"]) - (before["time_s"] - before["eval_s"])
    return (last["step"] - before["step"]) * per_step / seconds


def peak_flops(device_name: str, override_tflops: float | None) -> float | None:
    if override_tflops:
        return override_tflops * 1e12
    return next((tflops * 1e12 for name, tflops in PEAK_BF16_TFLOPS if name in device_name), None)


@contextlib.contextmanager
def fp32_precision(tf32: bool):
    """fp32 matmuls and convolutions with TensorFloat-32 tensor cores (10-bit mantissa inputs, fp32 sums) or without."""
    saved = torch.get_float32_matmul_precision(), torch.backends.cudnn.allow_tf32
    torch.set_float32_matmul_precision("high" if tf32 else "highest")
    torch.backends.cudnn.allow_tf32 = tf32
    try:
        yield
    finally:
        torch.set_float32_matmul_precision(saved[0])
        torch.backends.cudnn.allow_tf32 = saved[1]


def run_or_reuse(module, argv: list[str], device: str, reuse: bool) -> dict:
    """module.main(argv), unless <out>/metrics.json holds a run with exactly these flags on this device and torch."""
    out = Path(argv[argv.index("--out") + 1])
    wanted = json.loads(json.dumps(vars(module.get_parser().parse_args(argv))))
    if reuse and (out / "metrics.json").exists():
        done = json.loads((out / "metrics.json").read_text())
        if (done.get("args"), done.get("device"), done.get("torch")) == (wanted, device, torch.__version__):
            print(f"{out / 'metrics.json'}: the same run on the same device, reused")
            return done
    return module.main(argv)


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--examples", nargs="+", default=list(SHORT), choices=list(SHORT))
    parser.add_argument("--data-dir", default=os.environ.get("FG_DATA_DIR", str(ROOT / ".data")))
    parser.add_argument("--checksums", default=None, help="passed on to the examples (tests use it for synthetic data)")
    parser.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    parser.add_argument("--out", default=str(ROOT / "runs" / "gpu"), help="folder for the runs (shared with make test-gpu)")
    parser.add_argument("--rerun", action="store_true", help="run the bf16 + compile runs even if make test-gpu left them")
    parser.add_argument("--peak-tflops", type=float, default=None, help="dense bf16 peak for MFU, if the GPU is not in the table")
    parser.add_argument("--dry-run", action="store_true", help="one batch per run: checks the script, measures nothing")
    parser.add_argument("--small", action="store_true", help="tiny models (with --dry-run: checks the script in seconds)")
    args = parser.parse_args(argv)

    out = Path(args.out)
    shared = ["--device", args.device, "--data-dir", args.data_dir, *(["--checksums", args.checksums] if args.checksums else []),
              *(["--dry-run"] if args.dry_run else [])]
    fast_flags = ["--amp"] if args.dry_run else ["--amp", "--compile"]  # compiling on a CPU takes minutes
    classifier = ["--classifier", str(out / "mnist_cnn" / "checkpoint.pt")]
    device = device_name(torch.device(args.device))
    peak = peak_flops(device, args.peak_tflops)
    reuse = not (args.rerun or args.dry_run)
    rows = {}
    for example in args.examples:
        module = importlib.import_module(example)
        extra = list(classifier) if example == "dcgan" else []
        if example == "dcgan" and not Path(classifier[1]).exists():  # the DCGAN's judge, trained but not reported
            judge = [*shared, *fast_flags, *(SMALL["mnist_cnn"] if args.small else []), "--out", str(out / "mnist_cnn")]
            run_or_reuse(importlib.import_module("mnist_cnn"), judge, device, reuse)
        extra += SMALL[example] if args.small else []
        fast = run_or_reuse(module, [*shared, *extra, *fast_flags, "--out", str(out / example)], device, reuse)
        eager = {}
        for name, tf32 in (("tf32", True), ("fp32", False)):
            with fp32_precision(tf32):
                eager[name] = module.main([*shared, *extra, *SHORT[example], "--out", str(out / f"{example}-{name}")])
        reached_at = first_reached(example, fast["history"])
        throughput = steady_throughput(fast, example)
        tf32_throughput, fp32_throughput = (steady_throughput(eager[name], example) for name in ("tf32", "fp32"))
        rows[example] = {
            "target": QUALITY[example], "target_met": reached(example, fast), "speed_target_s": SPEED_S.get(example),
            "time_to_target_s": reached_at["time_s"] if reached_at else None, "compile_s": fast["compile_s"],
            "train_s": fast["train_s"], "unit": "tokens/s" if example == "char_gpt" else "images/s",
            "throughput": round(throughput, 1), "tf32_throughput": round(tf32_throughput, 1),
            "fp32_throughput": round(fp32_throughput, 1), "speedup": round(throughput / tf32_throughput, 2),
            "speedup_vs_strict_fp32": round(throughput / fp32_throughput, 2),
            "mfu": round(fast["flops_per_token"] * throughput / peak, 4) if example == "char_gpt" and peak else None,
        }

    report = {"device": device, "torch": torch.__version__, "cuda": torch.version.cuda,
              "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "peak_bf16_tflops": peak / 1e12 if peak else None, "examples": rows}
    print(f"\n{device}, torch {torch.__version__}; speed-up = bf16 + compile over TF32 eager (strict fp32 in brackets)")
    print(f"{'example':<10} {'quality target':<27} {'met':<4} {'to target':>10} {'speed target':>13} {'compile':>8} "
          f"{'bf16+compile':>16} {'TF32 eager':>16} {'fp32 eager':>16} {'speed-up':>14} {'MFU':>6}")
    for example, r in rows.items():
        to_target = f"{r['time_to_target_s']:.1f} s" if r["time_to_target_s"] is not None else "not met"
        speed_target = f"< {r['speed_target_s']:.0f} s" if r["speed_target_s"] else "-"
        mfu = f"{100 * r['mfu']:.1f} %" if r["mfu"] is not None else "-"
        unit = r["unit"][:-2]
        print(f"{example:<10} {r['target']:<27} {'yes' if r['target_met'] else 'no':<4} {to_target:>10} {speed_target:>13} "
              f"{r['compile_s']:>6.1f} s {r['throughput']:>12,.0f} {unit:<3} {r['tf32_throughput']:>12,.0f} {unit:<3} "
              f"{r['fp32_throughput']:>12,.0f} {unit:<3} {r['speedup']:>5.1f}x ({r['speedup_vs_strict_fp32']:.1f}x) {mfu:>6}")
    if not args.dry_run:
        path = ROOT / "snippets" / "train" / "results" / "bench-gpu.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return report


if __name__ == "__main__":
    main()
