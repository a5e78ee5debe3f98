"""Which parallel layout fits? Memory per GPU for tensor x pipeline x data parallelism with ZeRO and recomputation."""
import math
from dataclasses import dataclass

RECOMPUTE = ("none", "selective", "full")  # Korthikanti et al. 2022: keep all, drop the attention scores, keep layer inputs


def _count(name: str, value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be a whole number, got {value!r}")
    if value <= 0:
        raise ValueError(f"{name} must be positive, got {value}")
    return value


def _amount(name: str, value) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ValueError(f"{name} must be a number, got {value!r}")
    if not math.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite, got {value}")
    return float(value)


@dataclass(frozen=True)
class Model:
    n_params: float  # N
    n_layers: int  # L
    hidden: int  # h
    n_heads: int  # a

    def __post_init__(self):
        _amount("n_params", self.n_params)
        for name in ("n_layers", "hidden", "n_heads"):
            _count(name, getattr(self, name))
        if self.hidden % self.n_heads:
            raise ValueError(f"hidden size {self.hidden} is not divisible by {self.n_heads} heads")


@dataclass(frozen=True)
class Layout:
    tp: int  # tensor (with sequence) parallel size, inside one node
    pp: int  # pipeline stages
    dp: int  # data-parallel replicas
    zero: int  # ZeRO stage 0-3: shard nothing, optimizer states, + gradients, + weights
    recompute: str

    def __post_init__(self):
        for name in ("tp", "pp", "dp"):
            _count(name, getattr(self, name))


def _check_options(layout: Layout) -> None:
    if layout.zero not in (0, 1, 2, 3) or layout.recompute not in RECOMPUTE:
        raise ValueError(f"ZeRO stage must be 0-3 and recompute one of {RECOMPUTE}, got {layout}")


def memory_per_gpu(model: Model, layout: Layout, seq_len: int, micro_batch: int) -> float:
    """Bytes on one GPU: mixed-precision Adam states (2 + 2 + 12 per parameter) split by tp*pp and by ZeRO
    across dp, plus activations of L layers (1F1B keeps pp micro-batches of L/pp layers on the first stage)."""
    s, b = _count("seq_len", seq_len), _count("micro_batch", micro_batch)
    _check_options(layout)
    psi = model.n_params / (layout.tp * layout.pp)
    weights, grads, optimizer = 2 * psi, 2 * psi, 12 * psi
    optimizer /= layout.dp if layout.zero >= 1 else 1
    grads /= layout.dp if layout.zero >= 2 else 1
    weights /= layout.dp if layout.zero >= 3 else 1
    h, a, t = model.hidden, model.n_heads, layout.tp
    per_layer = {"none": s * b * h * (34 + 5 * a * s / h), "selective": 34 * s * b * h, "full": 2 * s * b * h}
    return weights + grads + optimizer + model.n_layers * per_layer[layout.recompute] / t


def find_layout(model: Model, seq_len: int, micro_batch: int, n_gpus: int, gpu_bytes: float,
                gpus_per_node: int = 8) -> Layout | None:
    """The first layout that fits, preferring fewer model-parallel GPUs (tp*pp), then a lower ZeRO stage,
    then less recomputation. None if nothing fits."""
    n_gpus, gpus_per_node = _count("n_gpus", n_gpus), _count("gpus_per_node", gpus_per_node)
    gpu_bytes = _amount("gpu_bytes", gpu_bytes)
    candidates = []
    for tp in (t for t in (1, 2, 4, 8) if t <= gpus_per_node and model.n_heads % t == 0):
        for pp in (p for p in range(1, model.n_layers + 1) if model.n_layers % p == 0):
            if n_gpus % (tp * pp) == 0:
                for zero in range(4):
                    for recompute in RECOMPUTE:
                        candidates.append(Layout(tp, pp, n_gpus // (tp * pp), zero, recompute))
    candidates.sort(key=lambda l: (l.tp * l.pp, l.zero, RECOMPUTE.index(l.recompute), l.pp))
    for layout in candidates:
        if memory_per_gpu(model, layout, seq_len, micro_batch) <= gpu_bytes:
            return layout
    return None


def ring_all_reduce_bytes(n_bytes: float, n: int) -> float:
    """Bytes each of n GPUs sends in a ring all-reduce: reduce-scatter then all-gather, 2(n-1)/n of the data."""
    return 2 * (n - 1) / n * n_bytes


def comm_bytes_per_step(model: Model, layout: Layout, seq_len: int, micro_batch: int, n_micro: int) -> dict:
    """Bytes one GPU sends per optimizer step of n_micro micro-batches, 16-bit values, ring collectives.
    One reduce-scatter or all-gather of the local weights or gradients sends (dp - 1)/dp of them. ZeRO-0/1:
    gradients accumulate locally, one all-reduce (= reduce-scatter + all-gather) per step. ZeRO-2 keeps only
    its gradient shard, so it reduce-scatters every micro-batch's gradients, then all-gathers the updated
    weights once. ZeRO-3 also gathers the weights for every forward and every backward pass (Rajbhandari et
    al. 2020: 3 passes instead of 2 per micro-batch). Expert parallelism is in the text."""
    s, b, h = _count("seq_len", seq_len), _count("micro_batch", micro_batch), model.hidden
    n_micro = _count("n_micro", n_micro)
    _check_options(layout)
    one_pass = (layout.dp - 1) / layout.dp * 2 * model.n_params / (layout.tp * layout.pp)
    data = {0: 2, 1: 2, 2: n_micro + 1, 3: 3 * n_micro}[layout.zero] * one_pass
    # Megatron: 2 all-reduces of the (s, b, h) activations per layer in forward, 2 in backward.
    tensor = 4 * ring_all_reduce_bytes(2 * s * b * h, layout.tp) * model.n_layers / layout.pp * n_micro
    pipeline = (2 * 2 * s * b * h / layout.tp) * n_micro if layout.pp > 1 else 0.0  # activation out, gradient back
    return {"data": data, "tensor": tensor, "pipeline": pipeline}


GB = 1e9
llama7b = Model(7e9, n_layers=32, hidden=4096, n_heads=32)
layout = find_layout(llama7b, seq_len=4096, micro_batch=1, n_gpus=8, gpu_bytes=80 * GB)
assert layout == Layout(tp=1, pp=1, dp=8, zero=1, recompute="selective")
print(f"7B, 4,096 tokens, 8 x 80 GB: {layout} -> "
      f"{memory_per_gpu(llama7b, layout, 4096, 1) / GB:.1f} GB per GPU")

llama70b = Model(70e9, n_layers=80, hidden=8192, n_heads=64)
assert find_layout(llama70b, seq_len=4096, micro_batch=1, n_gpus=8, gpu_bytes=80 * GB) is None  # 16N/8 = 140 GB
layout = find_layout(llama70b, seq_len=4096, micro_batch=1, n_gpus=64, gpu_bytes=80 * GB)
assert layout == Layout(tp=1, pp=1, dp=64, zero=3, recompute="full")
print(f"70B, 4,096 tokens, 64 x 80 GB: {layout} -> {memory_per_gpu(llama70b, layout, 4096, 1) / GB:.1f} GB per GPU")
for layout in (layout, Layout(tp=8, pp=8, dp=1, zero=0, recompute="selective")):
    traffic = comm_bytes_per_step(llama70b, layout, seq_len=4096, micro_batch=1, n_micro=1)
    print(f"  tp={layout.tp} pp={layout.pp} dp={layout.dp}, bytes one GPU sends per micro-batch of one sequence: "
          + ", ".join(f"{k} {v / GB:.2f} GB" for k, v in traffic.items()))
