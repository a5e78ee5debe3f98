"""MNIST digits with a multilayer perceptron: the smallest complete training run in this book.

    python snippets/train/mnist_mlp.py --amp                        # a CUDA GPU, default flags
    python snippets/train/mnist_mlp.py --device cpu --epochs 1      # a laptop
    torchrun --nproc_per_node=2 snippets/train/mnist_mlp.py --amp   # two GPUs, DistributedDataParallel

Measured (results/cpu-mnist_mlp.json, shown on the site): the default flags on a CPU (AMD EPYC, 1 thread of a
busy shared machine), torch 2.13.0, one run on 2026-12-07: epoch 10 chosen on validation (98.78 %), test
accuracy 98.84 %, 527 s of training. GPU: pending a run of `make test-gpu` (target: >= 98.0 % test accuracy
of the epoch chosen on validation).

Model selection: 10,000 training images are held out for validation (--val-size); every epoch is scored on
them, the run keeps the epoch with the best validation accuracy, and only that model is scored on the test
set, once, at the end.

Defaults: 784-1024-1024-10 with ReLU and dropout 0.2, inputs shifted by up to 1 pixel, AdamW
(lr 1e-3, weight decay 0.01, decay on matrices only), batch 128, 5 % linear warm-up then cosine
decay to 0 over 12 epochs, the whole dataset resident on the device. mnist_cnn.py trains with the
same `fit` loop below and swaps only the model.
"""

import copy
from pathlib import Path

import torch
import torch.nn as nn
import torch.nn.functional as F
from tqdm import tqdm

import common
from data import MNIST_MEAN, MNIST_STD, epoch_batches, load_mnist, random_shift, split_validation


# --- config ----------------------------------------------------------------------------------------
def get_parser():
    parser = common.get_parser(__doc__, "mnist_mlp", epochs=12, batch_size=128, lr=1e-3)
    parser.add_argument("--hidden", type=int, default=1024, help="units in each of the two hidden layers")
    parser.add_argument("--dropout", type=float, default=0.2, help="dropout after each hidden layer")
    parser.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (matrices only)")
    parser.add_argument("--max-shift", type=int, default=1, help="augmentation: random translation in pixels (0: off)")
    parser.add_argument("--val-size", type=int, default=10_000, help="training images held out for validation (at most a fifth)")
    return parser


# --- model -----------------------------------------------------------------------------------------
class MLP(nn.Module):
    def __init__(self, hidden: int = 1024, dropout: float = 0.2):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(),  # (B, 1, 28, 28) -> (B, 784)
            nn.Linear(28 * 28, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, hidden), nn.ReLU(), nn.Dropout(dropout),
            nn.Linear(hidden, 10),
        )

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1], (B, 1, 28, 28) -> logits (B, 10)."""
        return self.layers((X - MNIST_MEAN) / MNIST_STD)


# --- train and evaluate ----------------------------------------------------------------------------
@torch.no_grad()
def evaluate(model, rt, X, y, batch_size: int = 1000, max_batches: int | None = None) -> float:
    """Accuracy in percent on (X, y) (every rank scores the whole set: 10,000 images cost milliseconds)."""
    model.eval()
    correct = seen = 0
    for start in range(0, len(X), batch_size)[:max_batches]:
        with rt.autocast():
            y_hat = model(X[start : start + batch_size]).argmax(1)
        correct += (y_hat == y[start : start + batch_size]).sum()
        seen += len(y_hat)
    return 100.0 * correct.item() / seen


def fit(args, rt, model: nn.Module, config: dict, example: str) -> dict:
    """Train `model` on MNIST with the flags in `args`, choosing the epoch with the best validation accuracy;
    score the chosen model once on the test set; checkpoint every epoch; return the metrics."""
    X_all, y_all, X_test, y_test = common.first_on_rank0(rt, lambda: load_mnist(args.data_dir, args.checksums, rt.device))
    X_train, y_train, X_val, y_val = split_validation(X_all, y_all, args.val_size)
    model.to(rt.device)
    optimizer = common.adamw(model, rt, args.lr, args.weight_decay)
    epochs = 1 if args.dry_run else args.epochs
    total_steps = epochs * (len(X_train) // (args.batch_size * rt.world_size))
    checkpoint_path, run = Path(args.out) / "checkpoint.pt", common.run_settings(args, rt)
    epoch, step, history, best = 0, 0, [], None
    if args.resume:
        checkpoint = common.load_checkpoint(rt, checkpoint_path, config, run, args.allow_config_change)
        model.load_state_dict(checkpoint["model"])
        optimizer.load_state_dict(checkpoint["optimizer"])
        epoch, step, history, best = (checkpoint[k] for k in ("epoch", "step", "history", "best"))
    step_model = common.wrap(model, rt, args.compile)

    def train_step(idx: torch.Tensor) -> torch.Tensor:
        X = X_train[idx]
        if args.max_shift:
            X = random_shift(X, args.max_shift)
        with rt.autocast():
            loss = F.cross_entropy(step_model(X), y_train[idx])
        optimizer.zero_grad(set_to_none=True)
        loss.backward()
        optimizer.step()
        return loss.detach()

    compile_s = 0.0
    if args.compile:
        first = torch.arange(args.batch_size, device=rt.device)
        compile_s = common.warm_up(rt, [model], [optimizer],
                                   lambda: (train_step(first), evaluate(step_model, rt, X_val, y_val, max_batches=1)))

    clock = common.Clock(rt, history)
    while epoch < epochs:
        common.seed_segment(args.seed, rt.rank, epoch)
        batches = epoch_batches(len(X_train), args.batch_size, seed=args.seed, epoch=epoch,
                                rank=rt.rank, world_size=rt.world_size)
        batches = batches[:1] if args.dry_run else batches
        model.train()
        loss_sum = torch.zeros((), device=rt.device)  # summed on the device: no GPU sync per step
        for idx in tqdm(batches.to(rt.device), desc=f"epoch {epoch + 1}/{epochs}", disable=not rt.is_main, leave=False):
            common.set_lr(optimizer, common.lr_at(step, total_steps, args.lr, warmup_steps=total_steps // 20))
            loss_sum += train_step(idx)
            step += 1
        with clock.evaluating():
            accuracy = evaluate(step_model, rt, X_val, y_val, max_batches=1 if args.dry_run else None)
        epoch += 1
        train_loss = common.mean_over_ranks(rt, loss_sum / len(batches)).item()
        history.append({"epoch": epoch, "step": step, **clock.stamp(), "train_loss": round(train_loss, 5), "val_accuracy": accuracy})
        if best is None or accuracy > best["val_accuracy"]:  # the earliest epoch with the best validation accuracy
            best = {"epoch": epoch, "val_accuracy": accuracy, "model": {k: v.clone() for k, v in model.state_dict().items()}}
        if rt.is_main:
            print(f"epoch {epoch}/{epochs}: train loss {history[-1]['train_loss']:.4f}, validation accuracy {accuracy:.2f} %")
        common.save_checkpoint(rt, checkpoint_path, model=model.state_dict(), optimizer=optimizer.state_dict(), config=config,
                               run=run, epoch=epoch, step=step, history=history, best=best)

    # The test set, once: the model of the chosen epoch (what mnist_cnn.load_classifier loads as the DCGAN's judge).
    last, chosen = history[-1], copy.deepcopy(model)
    chosen.load_state_dict(best["model"])
    test_accuracy = evaluate(chosen, rt, X_test, y_test, max_batches=1 if args.dry_run else None)
    if rt.is_main:
        print(f"{example}: epoch {best['epoch']} chosen on validation ({best['val_accuracy']:.2f} %), test accuracy "
              f"{test_accuracy:.2f} %; {epoch} epochs ({step} steps) in {last['time_s']:.1f} s of training"
              + (f" + {compile_s:.1f} s of compiling" if args.compile else ""))
    return common.finish(rt, args, example, {
        "steps": step, "epochs": epoch, "best_epoch": best["epoch"], "val_accuracy": best["val_accuracy"],
        "test_accuracy": test_accuracy, "train_loss": last["train_loss"],
        "train_images": len(X_train), "val_images": len(X_val), "test_images": len(X_test),
        "compile_s": round(compile_s, 3), "train_s": last["time_s"], "eval_s": last["eval_s"],
        "images_per_s": common.per_second(step * args.batch_size * rt.world_size, last), "history": history,
    })


# --- main ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> dict:
    args = get_parser().parse_args(argv)
    rt = common.setup(args)
    config = {"hidden": args.hidden, "dropout": args.dropout}
    return fit(args, rt, MLP(**config), config, "mnist_mlp")


if __name__ == "__main__":
    main()
