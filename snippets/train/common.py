"""What every training example shares: flags, device and seeds, DistributedDataParallel, checkpoints, metrics.

Each example reads top to bottom on its own; this module holds only the blocks that would otherwise be
copied into all four (the pytorch/examples habit we avoid).
"""

import argparse
import contextlib
import copy
import datetime
import hashlib
import json
import math
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

import torch
import torch.distributed as dist
from torch.nn.parallel import DistributedDataParallel


# --- flags -----------------------------------------------------------------------------------------
def get_parser(doc: str, example: str, *, batch_size: int, lr: float, epochs: int | None = None, max_steps: int | None = None):
    """The flags every example has, with the example's own defaults; shown with `--help`."""
    summary = doc.split("\n\n")[0].replace("\n", " ")
    parser = argparse.ArgumentParser(description=summary, formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    if epochs is not None:
        parser.add_argument("--epochs", type=int, default=epochs, help="passes over the training set")
    if max_steps is not None:
        parser.add_argument("--max-steps", type=int, default=max_steps, help="optimizer steps in the whole run")
    parser.add_argument("--batch-size", type=int, default=batch_size, help="examples per step and process")
    parser.add_argument("--lr", type=float, default=lr, help="peak learning rate")
    parser.add_argument("--seed", type=int, default=0, help="seeds the weights, the data order and the noise")
    parser.add_argument("--device", choices=("auto", "cpu", "cuda", "mps"), default="auto", help="auto: cuda, then mps, then cpu")
    parser.add_argument("--amp", action="store_true", help="bf16 autocast (CUDA only)")
    parser.add_argument("--compile", action="store_true", help="torch.compile the model (compile time is reported apart)")
    parser.add_argument("--data-dir", default="~/.cache/founders-guide",
                        help="folder with mnist/ and tinyshakespeare/; missing files are downloaded there")
    parser.add_argument("--checksums", default=None,
                        help="sha256sum-style manifest replacing the pinned checksums (tests, mirrors)")
    parser.add_argument("--out", default=f"runs/{example}", help="folder for checkpoint.pt and metrics.json")
    parser.add_argument("--resume", action="store_true", help="continue the run saved in <out>/checkpoint.pt")
    parser.add_argument("--allow-config-change", action="store_true",
                        help="with --resume: continue even if the training settings differ from the checkpoint's")
    parser.add_argument("--dry-run", action="store_true", help="one training batch and one eval batch, then exit")
    return parser


# --- device, seeds, processes ----------------------------------------------------------------------
@dataclass
class Runtime:
    """Where this process runs: resolved once in `setup`, then passed around."""

    device: torch.device
    amp: bool = False  # bf16 autocast
    rank: int = 0
    world_size: int = 1
    started: float = field(default_factory=time.perf_counter)

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    def autocast(self):
        return torch.autocast(self.device.type, dtype=torch.bfloat16, enabled=self.amp)

    def now(self) -> float:
        """Seconds on a clock that waits for the GPU first, so timings include the queued work."""
        if self.device.type == "cuda":
            torch.cuda.synchronize(self.device)
        return time.perf_counter()


def resolve_device(name: str, local_rank: int = 0) -> torch.device:
    if name == "auto":
        name = "cuda" if torch.cuda.is_available() else "mps" if torch.backends.mps.is_available() else "cpu"
    if name == "cuda":
        if not torch.cuda.is_available():
            raise SystemExit(f"--device cuda: torch {torch.__version__} sees no CUDA device")
        torch.cuda.set_device(local_rank)
        return torch.device("cuda", local_rank)
    if name == "mps" and not torch.backends.mps.is_available():
        raise SystemExit("--device mps: this machine has no Apple MPS device")
    return torch.device(name)


def device_name(device: torch.device) -> str:
    if device.type == "cuda":
        return torch.cuda.get_device_name(device)
    if device.type == "mps":
        return "Apple MPS"
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []
    models = [line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")]
    return f"{models[0] if models else platform.processor() or 'CPU'} ({torch.get_num_threads()} threads)"


def setup(args) -> Runtime:
    """Join the torchrun process group if there is one, pick the device, seed, and say so in one line."""
    rank, world_size = int(os.environ.get("RANK", 0)), int(os.environ.get("WORLD_SIZE", 1))
    device = resolve_device(args.device, int(os.environ.get("LOCAL_RANK", 0)))
    if world_size > 1:
        dist.init_process_group("nccl" if device.type == "cuda" else "gloo")
    torch.manual_seed(args.seed)  # the same initial weights on every rank
    rt = Runtime(device, amp=args.amp and device.type == "cuda", rank=rank, world_size=world_size)
    if rt.is_main:
        precision = "bf16 autocast" if rt.amp else "fp32" + (" (--amp applies to CUDA only)" if args.amp else "")
        print(f"device {device} ({device_name(device)}), torch {torch.__version__}, {world_size} process(es), "
              f"{precision}{', compiled' if args.compile else ''}")
    return rt


def segment_seed(seed: int, rank: int, segment: int) -> int:
    """A 64-bit seed from a hash of (seed, rank, segment): distinct triples get unrelated seeds. (A linear mix such
    as seed * 1_000_003 + rank * 10_007 + segment collides: rank r at segment s + 10,007 = rank r + 1 at s.)"""
    return int.from_bytes(hashlib.blake2b(f"{seed}/{rank}/{segment}".encode(), digest_size=8).digest(), "little")


def seed_segment(seed: int, rank: int, segment: int) -> None:
    """Reseed at the start of every segment (an epoch; a step for the GPT): dropout, noise and augmentation then
    depend on (seed, rank, segment) alone, so a run resumed at a segment boundary draws what the unbroken run drew."""
    torch.manual_seed(segment_seed(seed, rank, segment))


class Clock:
    """Training wall time (continued across a resume) and the part of it spent evaluating, for throughput."""

    def __init__(self, rt: Runtime, history: list[dict]):
        last = history[-1] if history else {}
        self.rt, self.start, self.eval_s = rt, rt.now() - last.get("time_s", 0.0), last.get("eval_s", 0.0)

    @contextlib.contextmanager
    def evaluating(self):
        start = self.rt.now()
        yield
        self.eval_s += self.rt.now() - start

    def stamp(self) -> dict:
        return {"time_s": round(self.rt.now() - self.start, 3), "eval_s": round(self.eval_s, 3)}


def per_second(count: int, stamp: dict) -> float:
    """Examples or tokens per second of training, evaluation time left out."""
    return round(count / max(stamp["time_s"] - stamp["eval_s"], 1e-9), 1)


def first_on_rank0(rt: Runtime, load):
    """Call `load` on rank 0 first (it may download), then on the others; return its result."""
    if rt.world_size > 1 and not rt.is_main:
        dist.barrier()
    result = load()
    if rt.world_size > 1 and rt.is_main:
        dist.barrier()
    return result


def mean_over_ranks(rt: Runtime, value: torch.Tensor) -> torch.Tensor:
    """Average a logged number (a loss) over the processes, so the log does not depend on how many there are."""
    if rt.world_size > 1:
        value = value.clone()
        dist.all_reduce(value)
        value /= rt.world_size
    return value


# --- model and optimizer ---------------------------------------------------------------------------
def has_batchnorm(model: torch.nn.Module) -> bool:
    return any(isinstance(m, torch.nn.modules.batchnorm._BatchNorm) for m in model.modules())


def wrap(model: torch.nn.Module, rt: Runtime, compile: bool) -> torch.nn.Module:
    """The module the training loop calls: DDP-wrapped and/or compiled. Save and load the plain `model`.
    DDP goes first so that torch.compile can split the graph at DDP's gradient buckets and overlap the
    all-reduce with the backward pass.

    Under DDP each process normalizes a BatchNorm layer over its own B examples, not the N x B of the global
    batch. On CUDA the BatchNorm layers become SyncBatchNorm (statistics over all N x B; the same parameters and
    buffers, so checkpoints do not change). PyTorch's SyncBatchNorm runs on GPUs only: on CPU (gloo) the
    statistics stay per process, which the first line of the log says."""
    if rt.world_size > 1:
        if has_batchnorm(model) and rt.device.type == "cuda":
            torch.nn.SyncBatchNorm.convert_sync_batchnorm(model)  # swaps the layers inside `model` in place
        elif has_batchnorm(model) and rt.is_main:
            print(f"BatchNorm statistics are per process ({rt.world_size} x batch size), since SyncBatchNorm needs CUDA")
        model = DistributedDataParallel(model, device_ids=[rt.device.index] if rt.device.type == "cuda" else None)
    return torch.compile(model) if compile else model


def warm_up(rt: Runtime, modules: list[torch.nn.Module], optimizers: list[torch.optim.Optimizer], step) -> float:
    """Run `step()` once so torch.compile builds its graphs before the clock starts, then put weights, buffers
    (BatchNorm statistics), gradients and optimizer state back as they were. Returns the seconds: compile time."""
    start = rt.now()
    saved = [copy.deepcopy(x.state_dict()) for x in modules + optimizers]
    step()
    for x, state in zip(modules + optimizers, saved):
        x.load_state_dict(state)
    for module in modules:
        module.zero_grad(set_to_none=True)
    return rt.now() - start


def adamw(model: torch.nn.Module, rt: Runtime, lr: float, weight_decay: float, betas=(0.9, 0.999)):
    """AdamW that decays matrices only (not biases and norm gains); the fused kernel on CUDA."""
    params = [p for p in model.parameters() if p.requires_grad]
    groups = [{"params": [p for p in params if p.dim() >= 2], "weight_decay": weight_decay},
              {"params": [p for p in params if p.dim() < 2], "weight_decay": 0.0}]
    return torch.optim.AdamW(groups, lr=lr, betas=betas, fused=rt.device.type == "cuda")


def lr_at(step: int, total_steps: int, lr: float, warmup_steps: int = 0, min_lr: float = 0.0) -> float:
    """Linear warm-up, then cosine decay to `min_lr`, from the step number alone (a resumed run continues it)."""
    if step < warmup_steps:
        return lr * (step + 1) / warmup_steps
    progress = min(1.0, (step - warmup_steps) / max(1, total_steps - warmup_steps))
    return min_lr + 0.5 * (lr - min_lr) * (1 + math.cos(math.pi * progress))


def set_lr(optimizer: torch.optim.Optimizer, lr: float) -> None:
    for group in optimizer.param_groups:
        group["lr"] = lr


# --- checkpoints and metrics -----------------------------------------------------------------------
def save_checkpoint(rt: Runtime, path: Path, **state) -> None:
    """Rank 0 writes to a temporary file and renames it, so a crash mid-write never leaves a broken checkpoint."""
    if rt.is_main:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(".tmp")
        torch.save(state, tmp)
        os.replace(tmp, path)


# Flags that do not change what is trained: where and how fast it runs, where files go, what is printed or sampled.
NOT_THE_RUN = {"device", "amp", "compile", "data_dir", "checksums", "out", "resume", "allow_config_change",
               "eval_interval", "save_every", "prompt", "sample_len", "temperature", "classifier", "n_score"}


def run_settings(args, rt: Runtime) -> dict:
    """Everything that shapes the training run (schedule, learning rate, batch, seed, model, number of processes):
    stored in every checkpoint and compared on --resume."""
    return {**{k: v for k, v in sorted(vars(args).items()) if k not in NOT_THE_RUN}, "world_size": rt.world_size}


def load_checkpoint(rt: Runtime, path: Path, config: dict, run: dict | None = None, allow_change: bool = False) -> dict:
    """Load tensors and plain containers only (weights_only=True); refuse a checkpoint of another model shape, and
    one trained with other settings (`run`) unless `allow_change`: resuming with another --lr, --epochs or batch
    size would silently give a run that matches neither setting."""
    if not path.exists():
        raise SystemExit(f"--resume: there is no checkpoint at {path}")
    checkpoint = torch.load(path, map_location=rt.device, weights_only=True)
    if checkpoint["config"] != config:
        raise SystemExit(f"--resume: {path} holds a model with {checkpoint['config']}, but the flags ask for {config}")
    if run is not None and not allow_change:
        saved = checkpoint.get("run")
        if saved is None:
            raise SystemExit(f"--resume: {path} does not record its training settings; pass --allow-config-change to resume anyway")
        changed = [f"{'--' + k.replace('_', '-') if k != 'world_size' else 'processes'} {saved.get(k)!r} -> {run.get(k)!r}"
                   for k in sorted(saved.keys() | run.keys()) if saved.get(k) != run.get(k)]
        if changed:
            raise SystemExit(f"--resume: {path} was trained with other settings ({'; '.join(changed)}); resume with the "
                             f"checkpoint's flags, or pass --allow-config-change to continue with the new ones")
    return checkpoint


def finish(rt: Runtime, args, example: str, metrics: dict) -> dict:
    """Add what the numbers were measured on, write <out>/metrics.json on rank 0, leave the process group."""
    metrics = {
        "example": example,
        "device": device_name(rt.device),
        "device_type": rt.device.type,
        "torch": torch.__version__,
        "python": platform.python_version(),
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
        "world_size": rt.world_size,
        "amp": rt.amp,
        "compile": args.compile,
        "wall_s": round(time.perf_counter() - rt.started, 3),
        **metrics,
        "args": dict(vars(args)),
    }
    if rt.is_main:
        path = Path(args.out) / "metrics.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(metrics, indent=2) + "\n")
    if dist.is_initialized():
        dist.destroy_process_group()
    return metrics
