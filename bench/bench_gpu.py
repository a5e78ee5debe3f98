"""Training speed of the examples on one CUDA GPU: printed, and saved for the site's speed table.

    make bench-gpu                                   # = python bench/bench_gpu.py, data from $FG_DATA_DIR or .data/
    python bench/bench_gpu.py --examples char_gpt    # one example
    python bench/bench_gpu.py --device cpu --dry-run # checks this script itself in seconds, on any machine

Each example runs twice, in-process through its main(argv):
1. its default flags plus --amp --compile (bf16 autocast, torch.compile, fused AdamW, data resident on the
   GPU): the time to target is the training wall time up to the first evaluation that meets the target
   (snippets/train/targets.py), evaluations included, compilation excluded and reported apart;
2. plain fp32 eager (no --amp, no --compile), only long enough for a steady throughput.
Throughput is measured over the last evaluation interval of each run (warm-up excluded), evaluation time
left out; the speed-up is their ratio. For the GPT, model FLOPs utilization = flops_per_token x tokens/s /
the GPU's dense bf16 peak. Writes snippets/train/results/bench-gpu.json (not with --dry-run).
"""

import argparse
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
from targets import first_reached  # noqa: E402

# Dense bf16 tensor-core peaks (NVIDIA's data sheets list twice these "with sparsity"), by device name.
PEAK_BF16_TFLOPS = (("H100 80GB HBM3", 989), ("H100 SXM", 989), ("H100 PCIe", 756), ("H200", 989), ("A100", 312))
# the fp32 eager runs: long enough for two evaluation intervals, the second one measured
SHORT = {"mnist_mlp": ["--epochs", "2"], "mnist_cnn": ["--epochs", "2"], "dcgan": ["--epochs", "2"],
         "char_gpt": ["--max-steps", "400", "--eval-interval", "200"]}


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


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--examples", nargs="+", default=list(SHORT), choices=list(SHORT))
    parser.add_argument("--data-dir", default=os.environ.get("FG_DATA_DIR", str(ROOT / ".data")))
    parser.add_argument("--checksums", default=None, help="passed on to the examples (tests use it for synthetic data)")
    parser.add_argument("--device", default="cuda", choices=("cuda", "cpu"))
    parser.add_argument("--out", default=str(ROOT / "runs" / "bench"), help="folder for the runs' checkpoints and metrics")
    parser.add_argument("--peak-tflops", type=float, default=None, help="dense bf16 peak for MFU, if the GPU is not in the table")
    parser.add_argument("--dry-run", action="store_true", help="one batch per run: checks the script, measures nothing")
    args = parser.parse_args(argv)

    out = Path(args.out)
    shared = ["--device", args.device, "--data-dir", args.data_dir, *(["--checksums", args.checksums] if args.checksums else []),
              *(["--dry-run"] if args.dry_run else [])]
    fast_flags = ["--amp"] if args.dry_run else ["--amp", "--compile"]  # compiling on a CPU takes minutes
    classifier = ["--classifier", str(out / "mnist_cnn-fast" / "checkpoint.pt")]
    device = device_name(torch.device(args.device))
    peak = peak_flops(device, args.peak_tflops)
    rows = {}
    for example in args.examples:
        module = importlib.import_module(example)
        extra = classifier if example == "dcgan" else []
        if example == "dcgan" and not Path(classifier[1]).exists():  # the DCGAN's judge, trained but not reported
            importlib.import_module("mnist_cnn").main([*shared, *fast_flags, "--out", str(out / "mnist_cnn-fast")])
        fast = module.main([*shared, *extra, *fast_flags, "--out", str(out / f"{example}-fast")])
        eager = module.main([*shared, *extra, *SHORT[example], "--out", str(out / f"{example}-fp32")])
        reached = first_reached(example, fast["history"])
        throughput, fp32_throughput = steady_throughput(fast, example), steady_throughput(eager, example)
        rows[example] = {
            "time_to_target_s": reached["time_s"] if reached else None, "compile_s": fast["compile_s"],
            "train_s": fast["train_s"], "unit": "tokens/s" if example == "char_gpt" else "images/s",
            "throughput": round(throughput, 1), "fp32_throughput": round(fp32_throughput, 1),
            "speedup": round(throughput / fp32_throughput, 2),
            "mfu": round(fast["flops_per_token"] * throughput / peak, 4) if example == "char_gpt" and peak else None,
        }

    report = {"device": device, "torch": torch.__version__, "cuda": torch.version.cuda,
              "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
              "peak_bf16_tflops": peak / 1e12 if peak else None, "examples": rows}
    print(f"\n{device}, torch {torch.__version__}")
    print(f"{'example':<10} {'to target':>10} {'compile':>8} {'bf16+compile':>16} {'fp32 eager':>16} {'speed-up':>9} {'MFU':>6}")
    for example, r in rows.items():
        to_target = f"{r['time_to_target_s']:.1f} s" if r["time_to_target_s"] is not None else "not met"
        mfu = f"{100 * r['mfu']:.1f} %" if r["mfu"] is not None else "-"
        print(f"{example:<10} {to_target:>10} {r['compile_s']:>6.1f} s {r['throughput']:>12,.0f} {r['unit'][:-2]:<3} "
              f"{r['fp32_throughput']:>12,.0f} {r['unit'][:-2]:<3} {r['speedup']:>8.1f}x {mfu:>6}")
    if not args.dry_run:
        path = ROOT / "snippets" / "train" / "results" / "bench-gpu.json"
        path.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n")
        print(f"wrote {path.relative_to(ROOT)}")
    return report


if __name__ == "__main__":
    main()
