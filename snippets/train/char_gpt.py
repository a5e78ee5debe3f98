"""A character-level GPT on tiny Shakespeare: a decoder-only Transformer with causal attention by
F.scaled_dot_product_attention, then a sample that continues a prompt.

    python snippets/train/char_gpt.py --amp --compile                  # a CUDA GPU, default flags
    python snippets/train/char_gpt.py --device cpu --max-steps 600 --n-layer 4 --n-head 4 --n-embd 128 \\
        --block-size 64 --batch-size 32 --dropout 0.0 --eval-interval 200 --sample-len 200
    torchrun --nproc_per_node=2 snippets/train/char_gpt.py --amp --compile
    python snippets/train/char_gpt.py --resume --prompt "JULIET:"      # sample again from the finished run

Measured (results/cpu-char_gpt.json, shown on the site): CPU (AMD EPYC, 2 threads), torch 2.13.0, the
small CPU command above, one run: validation loss 2.110 after 600 steps, 102 s of training. GPU: pending
a run of `make test-gpu` (target <= 1.50; nanoGPT's shakespeare_char reports 1.4697).

Defaults: nanoGPT's shakespeare_char "baby GPT" (6 layers, 6 heads, width 384, context 256, dropout
0.2, batch 64, AdamW lr 1e-3 with beta2 0.99 and weight decay 0.1, 100 warm-up steps, gradient
clipping at 1.0), but 2,500 steps with the cosine decay to 1e-4 ending there, since the validation loss
of that model bottoms out around 2,000 steps and then rises as it overfits. The validation loss is
computed on the whole held-out 10 % (every character once) every --eval-interval steps.
"""

from pathlib import Path

# --8<-- [start:imports]
import torch
import torch.nn as nn
import torch.nn.functional as F
# --8<-- [end:imports]
from tqdm import tqdm

import common
from data import load_shakespeare


# --- config ----------------------------------------------------------------------------------------
def get_parser():
    parser = common.get_parser(__doc__, "char_gpt", max_steps=2500, batch_size=64, lr=1e-3)
    parser.add_argument("--min-lr", type=float, default=1e-4, help="learning rate at the end of the cosine decay")
    parser.add_argument("--warmup-steps", type=int, default=100, help="steps of linear learning-rate warm-up")
    parser.add_argument("--weight-decay", type=float, default=0.1, help="AdamW weight decay (matrices only)")
    parser.add_argument("--block-size", type=int, default=256, help="context length in characters")
    parser.add_argument("--n-layer", type=int, default=6, help="Transformer blocks")
    parser.add_argument("--n-head", type=int, default=6, help="attention heads per block")
    parser.add_argument("--n-embd", type=int, default=384, help="width of the residual stream")
    parser.add_argument("--dropout", type=float, default=0.2, help="dropout on embeddings, attention and residual branches")
    parser.add_argument("--eval-interval", type=int, default=250, help="steps between validation losses")
    parser.add_argument("--save-every", type=int, default=1000, help="steps between checkpoints (and one at the end)")
    parser.add_argument("--prompt", default="ROMEO:", help="text the final sample continues")
    parser.add_argument("--sample-len", type=int, default=500, help="characters to sample after training")
    parser.add_argument("--temperature", type=float, default=0.8, help="sampling temperature (lower: safer, duller)")
    return parser


# --- model -----------------------------------------------------------------------------------------
# --8<-- [start:model]
class CausalSelfAttention(nn.Module):
    def __init__(self, n_embd: int, n_head: int, dropout: float):
        super().__init__()
        self.n_head, self.dropout = n_head, dropout
        self.qkv = nn.Linear(n_embd, 3 * n_embd, bias=False)
        self.proj = nn.Linear(n_embd, n_embd, bias=False)
        self.resid_dropout = nn.Dropout(dropout)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        B, T, C = x.shape
        # one matmul for queries, keys and values, split into 3 x (B, heads, T, C / heads)
        q, k, v = self.qkv(x).view(B, T, 3, self.n_head, C // self.n_head).permute(2, 0, 3, 1, 4)
        # softmax(q k^T / sqrt(C/heads) + causal mask) v in one fused kernel (flash attention on recent GPUs)
        y = F.scaled_dot_product_attention(q, k, v, is_causal=True, dropout_p=self.dropout if self.training else 0.0)
        return self.resid_dropout(self.proj(y.transpose(1, 2).reshape(B, T, C)))


class Block(nn.Module):
    """Pre-norm Transformer block: x + attention(norm(x)), then x + MLP(norm(x))."""

    def __init__(self, n_embd: int, n_head: int, dropout: float):
        super().__init__()
        self.ln1, self.ln2 = nn.LayerNorm(n_embd, bias=False), nn.LayerNorm(n_embd, bias=False)
        self.attn = CausalSelfAttention(n_embd, n_head, dropout)
        self.mlp = nn.Sequential(nn.Linear(n_embd, 4 * n_embd, bias=False), nn.GELU(),
                                 nn.Linear(4 * n_embd, n_embd, bias=False), nn.Dropout(dropout))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        x = x + self.attn(self.ln1(x))
        return x + self.mlp(self.ln2(x))


class GPT(nn.Module):
    def __init__(self, vocab_size: int, block_size: int = 256, n_layer: int = 6, n_head: int = 6,
                 n_embd: int = 384, dropout: float = 0.2):
        super().__init__()
        self.block_size = block_size
        self.token_embedding = nn.Embedding(vocab_size, n_embd)
        self.position_embedding = nn.Embedding(block_size, n_embd)
        self.drop = nn.Dropout(dropout)
        self.blocks = nn.Sequential(*[Block(n_embd, n_head, dropout) for _ in range(n_layer)])
        self.ln_f = nn.LayerNorm(n_embd, bias=False)
        self.lm_head = nn.Linear(n_embd, vocab_size, bias=False)
        self.lm_head.weight = self.token_embedding.weight  # weight tying: one matrix reads and writes characters
        for name, p in self.named_parameters():
            if p.dim() == 2:  # GPT-2 init; the projections into the residual stream shrink with depth
                std = 0.02 / (2 * n_layer) ** 0.5 if name.endswith(("proj.weight", "mlp.2.weight")) else 0.02
                nn.init.normal_(p, 0.0, std)

    def forward(self, idx: torch.Tensor) -> torch.Tensor:
        """Character ids (B, T) -> next-character logits (B, T, vocab_size)."""
        positions = torch.arange(idx.shape[1], device=idx.device)
        x = self.drop(self.token_embedding(idx) + self.position_embedding(positions))
        return self.lm_head(self.ln_f(self.blocks(x)))
# --8<-- [end:model]


# --8<-- [start:flops]
def flops_per_token(vocab_size: int, block_size: int, n_layer: int, n_embd: int, **_) -> int:
    """Training FLOPs per token, forward and backward: 6 per weight of every matrix multiply (12 C^2 per
    block, the tied V x C head) plus 12 L T C for attention scores and weighted sums (PaLM, appendix B)."""
    matmul_weights = n_layer * 12 * n_embd**2 + vocab_size * n_embd
    return 6 * matmul_weights + 12 * n_layer * block_size * n_embd
# --8<-- [end:flops]


@torch.no_grad()
def generate(model: GPT, idx: torch.Tensor, new_tokens: int, temperature: float = 0.8) -> torch.Tensor:
    """Append `new_tokens` sampled characters to idx (B, T), one at a time, each from the last block_size."""
    model.eval()
    for _ in range(new_tokens):
        logits = model(idx[:, -model.block_size :])[:, -1] / temperature
        idx = torch.cat([idx, torch.multinomial(logits.float().softmax(-1), 1)], dim=1)
    return idx


# --- train and evaluate ----------------------------------------------------------------------------
def get_batch(data: torch.Tensor, block_size: int, batch_size: int) -> tuple[torch.Tensor, torch.Tensor]:
    """Random windows of block_size + 1 characters: inputs, and the same shifted by one as targets."""
    starts = torch.randint(len(data) - block_size, (batch_size, 1), device=data.device)
    windows = data[starts + torch.arange(block_size + 1, device=data.device)]
    return windows[:, :-1], windows[:, 1:]


@torch.no_grad()
def evaluate(model, rt, data: torch.Tensor, block_size: int, batch_size: int = 64, max_batches: int | None = None) -> float:
    """Mean cross-entropy (nats per character) over consecutive blocks of the whole split."""
    model.eval()
    n = (len(data) - 1) // block_size
    X, Y = data[: n * block_size].view(n, block_size), data[1 : n * block_size + 1].view(n, block_size)
    total, count = torch.zeros((), device=data.device), 0
    for i in range(0, n, batch_size)[:max_batches]:
        with rt.autocast():
            logits = model(X[i : i + batch_size])
        total += F.cross_entropy(logits.float().flatten(0, 1), Y[i : i + batch_size].flatten(), reduction="sum")
        count += Y[i : i + batch_size].numel()
    return total.item() / count


def main(argv: list[str] | None = None) -> dict:
    args = get_parser().parse_args(argv)
    rt = common.setup(args)
    text = common.first_on_rank0(rt, lambda: load_shakespeare(args.data_dir, args.checksums))
    chars = "".join(sorted(set(text)))
    if unknown := set(args.prompt) - set(chars):
        raise SystemExit(f"--prompt uses characters that are not in the text: {''.join(sorted(unknown))!r}")
    index = {c: i for i, c in enumerate(chars)}
    data = torch.tensor([index[c] for c in text], dtype=torch.long, device=rt.device)
    split = int(0.9 * len(data))  # nanoGPT's split: the first 90 % trains, the last 10 % validates
    train_data, val_data = data[:split], data[split:]

    config = {"vocab_size": len(chars), "block_size": args.block_size, "n_layer": args.n_layer,
              "n_head": args.n_head, "n_embd": args.n_embd, "dropout": args.dropout}
    model = GPT(**config).to(rt.device)
    optimizer = common.adamw(model, rt, args.lr, args.weight_decay, betas=(0.9, 0.99))
    max_steps = 1 if args.dry_run else args.max_steps
    checkpoint_path, run = Path(args.out) / "checkpoint.pt", common.run_settings(args, rt)
    step, history = 0, []
    if args.resume:
        checkpoint = common.load_checkpoint(rt, checkpoint_path, config, run, args.allow_config_change)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        step, history = checkpoint["step"], checkpoint["history"]
    step_model = common.wrap(model, rt, args.compile)

    def train_step(X: torch.Tensor, Y: torch.Tensor) -> torch.Tensor:
        with rt.autocast():
            loss = F.cross_entropy(step_model(X).flatten(0, 1), Y.flatten())
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        return loss.detach()

    compile_s = 0.0
    if args.compile:
        compile_s = common.warm_up(rt, [model], [optimizer], lambda: (
            train_step(*get_batch(train_data, args.block_size, args.batch_size)),
            evaluate(step_model, rt, val_data, args.block_size)))

    clock = common.Clock(rt, history)
    loss_sum, segment_steps = torch.zeros((), device=rt.device), 0
    model.train()
    with tqdm(total=max_steps, initial=step, disable=not rt.is_main, leave=False) as bar:
        while step < max_steps:
            common.seed_segment(args.seed, rt.rank, step)  # batch and dropout of a step depend on (seed, rank, step)
            common.set_lr(optimizer, common.lr_at(step, max_steps, args.lr, args.warmup_steps, args.min_lr))
            loss_sum += train_step(*get_batch(train_data, args.block_size, args.batch_size))
            step, segment_steps = step + 1, segment_steps + 1
            bar.update()
            if step % args.eval_interval and step < max_steps:
                continue
            with clock.evaluating():
                val_loss = evaluate(step_model, rt, val_data, args.block_size, max_batches=1 if args.dry_run else None)
            train_loss = common.mean_over_ranks(rt, loss_sum / segment_steps).item()
            history.append({"step": step, **clock.stamp(), "train_loss": round(train_loss, 5), "val_loss": round(val_loss, 5)})
            if rt.is_main:
                bar.write(f"step {step}: train loss {history[-1]['train_loss']:.4f}, val loss {history[-1]['val_loss']:.4f}")
            loss_sum, segment_steps = torch.zeros((), device=rt.device), 0
            model.train()
            if step % args.save_every == 0 or step == max_steps:
                common.save_checkpoint(rt, checkpoint_path, model=model.state_dict(), optimizer=optimizer.state_dict(),
                                       config=config, run=run, chars=chars, step=step, history=history)

    last = history[-1]
    sample = ""
    if rt.is_main:
        torch.manual_seed(args.seed)
        prompt = torch.tensor([[index[c] for c in args.prompt]], device=rt.device)
        sample_len = min(args.sample_len, 20) if args.dry_run else args.sample_len  # a dry run only proves it works
        sample = "".join(chars[i] for i in generate(model, prompt, sample_len, args.temperature)[0].tolist())
        print(f"--- sample ---\n{sample}\n---")
        print(f"char_gpt: validation loss {last['val_loss']:.4f} (best {min(h['val_loss'] for h in history):.4f}) after "
              f"{step} steps in {last['time_s']:.1f} s of training"
              + (f" + {compile_s:.1f} s of compiling" if args.compile else ""))
    tokens = step * args.batch_size * args.block_size * rt.world_size
    return common.finish(rt, args, "char_gpt", {
        "steps": step, "val_loss": last["val_loss"], "best_val_loss": min(h["val_loss"] for h in history),
        "train_loss": last["train_loss"], "compile_s": round(compile_s, 3), "train_s": last["time_s"], "eval_s": last["eval_s"],
        "tokens_per_s": common.per_second(tokens, last), "flops_per_token": flops_per_token(**config),
        "params": sum(p.numel() for p in model.parameters()), "sample": sample, "history": history,
    })


if __name__ == "__main__":
    main()
