"""A DCGAN that draws 28x28 MNIST digits, judged by the MNIST CNN of mnist_cnn.py.

    python snippets/train/mnist_cnn.py --amp --compile                 # the judge first: runs/mnist_cnn/
    python snippets/train/dcgan.py --amp --compile                     # a CUDA GPU, default flags
    python snippets/train/dcgan.py --device cpu --epochs 1 --ngf 32 --ndf 32
    torchrun --nproc_per_node=2 snippets/train/dcgan.py --amp          # two GPUs, DistributedDataParallel

After every epoch the generator draws --n-score digits from fixed noise and the CNN classifies them:
the mean top-class probability (confidence), the class histogram with its smallest share and normalized
entropy (a rare digit is partial mode collapse) and the Frechet distance between the CNN's 128 features of
generated digits and of the held-out validation digits (the test digits once, at the end). The run ends
with samples.png, an 8x8 grid written with zlib and struct only.

Measured (results/cpu-dcgan.json, shown on the site): CPU (AMD EPYC, 1 thread of a busy shared machine),
torch 2.13.0, --ngf 32 --ndf 32, one epoch, then --epochs 2 --resume --allow-config-change for a second, judged
by the one-epoch CPU CNN, on 2026-12-07: confidence 0.743 (0.708 after epoch 1), smallest class 1.5 % (the
digit 1: partial mode collapse, which the 5 % criterion catches), class entropy 0.890, Frechet distance 385
against validation digits (468 after epoch 1) and 392 against test digits, 162 s of training. GPU: pending a
run of `make test-gpu` (target: confidence >= 0.90 and every class >= 5 % of the samples).

Defaults follow Radford et al. (2016): transposed convolutions with BatchNorm and ReLU in the
generator, strided convolutions with LeakyReLU(0.2) in the discriminator, weights from N(0, 0.02),
Adam lr 2e-4 with beta1 0.5, batch 128, the non-saturating generator loss; 25 epochs over the 50,000
training images that the judge also trained on (9,750 steps).
"""

import struct
import zlib
from pathlib import Path

import numpy as np
# --8<-- [start:imports]
import torch
import torch.nn as nn
import torch.nn.functional as F
# --8<-- [end:imports]
from tqdm import tqdm

import common
from data import epoch_batches, load_mnist, split_validation
from mnist_cnn import load_classifier


# --- config ----------------------------------------------------------------------------------------
def get_parser():
    parser = common.get_parser(__doc__, "dcgan", epochs=25, batch_size=128, lr=2e-4)
    parser.add_argument("--nz", type=int, default=100, help="size of the noise vector z")
    parser.add_argument("--ngf", type=int, default=64, help="generator width")
    parser.add_argument("--ndf", type=int, default=64, help="discriminator width")
    parser.add_argument("--beta1", type=float, default=0.5, help="Adam beta1 (0.5 as in the DCGAN paper)")
    parser.add_argument("--classifier", default="runs/mnist_cnn/checkpoint.pt",
                        help="checkpoint of mnist_cnn.py that scores the digits")
    parser.add_argument("--n-score", type=int, default=10_000, help="generated digits scored after each epoch")
    parser.add_argument("--val-size", type=int, default=10_000,
                        help="training images held out (the judge's validation set): the reference of the per-epoch Frechet distance")
    return parser


# --- model -----------------------------------------------------------------------------------------
class Generator(nn.Module):
    def __init__(self, nz: int = 100, ngf: int = 64):
        super().__init__()
        self.project = nn.Linear(nz, 2 * ngf * 7 * 7, bias=False)
        self.net = nn.Sequential(
            nn.BatchNorm2d(2 * ngf), nn.ReLU(),                                          # (B, 2ngf, 7, 7)
            nn.ConvTranspose2d(2 * ngf, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(),  # (B, ngf, 14, 14)
            nn.ConvTranspose2d(ngf, 1, 4, 2, 1), nn.Tanh(),                              # (B, 1, 28, 28) in [-1, 1]
        )

    def forward(self, z: torch.Tensor) -> torch.Tensor:
        return self.net(self.project(z).view(len(z), -1, 7, 7))


class Discriminator(nn.Module):
    def __init__(self, ndf: int = 64):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, ndf, 4, 2, 1), nn.LeakyReLU(0.2),                                   # (B, ndf, 14, 14)
            nn.Conv2d(ndf, 2 * ndf, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * ndf), nn.LeakyReLU(0.2),  # (B, 2ndf, 7, 7)
            nn.Flatten(), nn.Linear(2 * ndf * 7 * 7, 1),
        )

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Images in [-1, 1], (B, 1, 28, 28) -> one logit per image, (B,): real if > 0."""
        return self.net(X).squeeze(1)


def dcgan_init(module: nn.Module) -> None:
    """Weights from N(0, 0.02), BatchNorm gains from N(1, 0.02), as in the DCGAN paper."""
    if isinstance(module, (nn.Conv2d, nn.ConvTranspose2d, nn.Linear)):
        nn.init.normal_(module.weight, 0.0, 0.02)
    elif isinstance(module, nn.BatchNorm2d):
        nn.init.normal_(module.weight, 1.0, 0.02)
        nn.init.zeros_(module.bias)


# --- scoring and the sample grid -------------------------------------------------------------------
# --8<-- [start:frechet]
def frechet_distance(A: torch.Tensor, B: torch.Tensor) -> float:
    """||mu_a - mu_b||^2 + tr(S_a + S_b - 2 (S_a S_b)^(1/2)) for Gaussians fitted to the rows of A and B.
    tr((S_a S_b)^(1/2)) is the sum of square roots of the eigenvalues of S_a^(1/2) S_b S_a^(1/2) (symmetric)."""
    A, B = A.double(), B.double()
    S_a, S_b = torch.cov(A.T), torch.cov(B.T)
    values, vectors = torch.linalg.eigh(S_a)
    root_a = vectors @ torch.diag(values.clamp(min=0).sqrt()) @ vectors.T
    cross = torch.linalg.eigvalsh(root_a @ S_b @ root_a).clamp(min=0).sqrt().sum()
    return ((A.mean(0) - B.mean(0)).square().sum() + S_a.trace() + S_b.trace() - 2 * cross).item()
# --8<-- [end:frechet]


def class_balance(histogram: list[int]) -> tuple[float, float]:
    """The smallest class's share of the samples, and the entropy of the class shares divided by its maximum,
    ln 10: 1.0 for ten equal classes, lower as classes shrink. Both catch partial mode collapse, which "every class
    appears at least once" does not."""
    shares = torch.tensor(histogram, dtype=torch.float64) / sum(histogram)
    entropy = -(shares[shares > 0] * shares[shares > 0].log()).sum() / torch.log(torch.tensor(float(len(histogram))))
    return shares.min().item(), entropy.item() + 0.0  # + 0.0: no "-0.000" for a single class


@torch.no_grad()
def generated_features(G, classifier, z: torch.Tensor, batch_size: int = 1000) -> torch.Tensor:
    """The judge's 128 features of the digits G draws from z. G runs in eval mode: BatchNorm uses its running
    statistics, so a digit does not depend on the other noise vectors of its batch."""
    G.eval()
    features = torch.cat([classifier.embed((G(z[i : i + batch_size]) + 1) / 2) for i in range(0, len(z), batch_size)])
    G.train()
    return features


@torch.no_grad()
def score(G, classifier, z: torch.Tensor, reference: torch.Tensor, batch_size: int = 1000) -> dict:
    """Classify the digits G draws from z: confidence, class histogram and balance, Frechet distance to `reference`
    features (held-out real digits)."""
    features = generated_features(G, classifier, z, batch_size)
    probs = classifier.head(features).softmax(1)
    histogram = torch.bincount(probs.argmax(1), minlength=10).tolist()
    smallest, entropy = class_balance(histogram)
    return {"confidence": round(probs.max(1).values.mean().item(), 4), "class_histogram": histogram,
            "smallest_class": round(smallest, 4), "class_entropy": round(entropy, 4),
            "frechet_distance": round(frechet_distance(features, reference), 3)}


def write_png(path: Path, image: np.ndarray) -> None:
    """A grayscale 8-bit PNG from the standard library: signature, IHDR, zlib-compressed rows (each led by
    filter byte 0) in one IDAT, IEND; every chunk is length, type, data, CRC-32 of type and data."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    height, width = image.shape
    rows = b"".join(b"\x00" + row.tobytes() for row in image.astype(np.uint8))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8 bits, grayscale, no interlace
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b""))


def image_grid(images: torch.Tensor, columns: int = 8, pad: int = 2, scale: int = 2) -> np.ndarray:
    """(N, 1, 28, 28) in [0, 1] -> one uint8 image, digits on a gray frame, each pixel repeated `scale` times
    (so a page shows it crisp instead of browser-blurred)."""
    n, _, h, w = images.shape
    rows = -(-n // columns)
    grid = np.full((rows * (h + pad) + pad, columns * (w + pad) + pad), 128, np.uint8)
    for i, image in enumerate((images[:, 0].clamp(0, 1) * 255).round().byte().cpu().numpy()):
        top, left = pad + (i // columns) * (h + pad), pad + (i % columns) * (w + pad)
        grid[top : top + h, left : left + w] = image
    return grid.repeat(scale, 0).repeat(scale, 1)


# --- train -----------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> dict:
    args = get_parser().parse_args(argv)
    rt = common.setup(args)
    if not Path(args.classifier).exists():
        raise SystemExit(f"no classifier at {args.classifier} to score the digits: train one first with "
                         f"`python snippets/train/mnist_cnn.py --out {Path(args.classifier).parent}` or pass --classifier")
    X_all, y_all, X_test, _ = common.first_on_rank0(rt, lambda: load_mnist(args.data_dir, args.checksums, rt.device))
    X_train, _, X_val, _ = split_validation(X_all, y_all, args.val_size)  # the judge's split: it never saw X_val
    X_train = X_train * 2 - 1  # the generator's tanh range
    classifier = load_classifier(args.classifier, rt.device)
    with torch.no_grad():  # the real digits' features: validation for every epoch, test once at the end
        reference, test_reference = (torch.cat([classifier.embed(X[i : i + 1000]) for i in range(0, len(X), 1000)])
                                     for X in (X_val, X_test))
    n_score = min(args.n_score, 1000) if args.dry_run else args.n_score
    z_score = torch.randn(n_score, args.nz, generator=torch.Generator().manual_seed(args.seed)).to(rt.device)

    config = {"nz": args.nz, "ngf": args.ngf, "ndf": args.ndf}
    G, D = Generator(args.nz, args.ngf).to(rt.device), Discriminator(args.ndf).to(rt.device)
    G.apply(dcgan_init)
    D.apply(dcgan_init)
    opt_G, opt_D = (common.adamw(m, rt, args.lr, weight_decay=0.0, betas=(args.beta1, 0.999)) for m in (G, D))
    epochs = 1 if args.dry_run else args.epochs
    checkpoint_path, run = Path(args.out) / "checkpoint.pt", common.run_settings(args, rt)
    epoch, step, history = 0, 0, []
    if args.resume:
        checkpoint = common.load_checkpoint(rt, checkpoint_path, config, run, args.allow_config_change)
        for module, key in ((G, "generator"), (D, "discriminator"), (opt_G, "opt_G"), (opt_D, "opt_D")):
            module.load_state_dict(checkpoint[key])
        epoch, step, history = (checkpoint[k] for k in ("epoch", "step", "history"))
    G_step, D_step = common.wrap(G, rt, args.compile), common.wrap(D, rt, args.compile)

    def train_step(real: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """One discriminator step, then one generator step through the updated discriminator. The generator step
        reuses the discriminator step's fakes (as pytorch/examples' dcgan does) rather than drawing fresh noise:
        one generator forward pass fewer per step, and equally valid, since both are fresh samples of G."""
        ones, zeros = torch.ones(len(real), device=rt.device), torch.zeros(len(real), device=rt.device)
        with rt.autocast():
            fake = G_step(torch.randn(len(real), args.nz, device=rt.device))
            loss_D = (F.binary_cross_entropy_with_logits(D_step(real), ones)
                      + F.binary_cross_entropy_with_logits(D_step(fake.detach()), zeros))
        opt_D.zero_grad(set_to_none=True)
        loss_D.backward()
        opt_D.step()
        with rt.autocast():  # non-saturating loss: G maximizes log D(G(z)) rather than minimizing log(1 - D(G(z)))
            loss_G = F.binary_cross_entropy_with_logits(D_step(fake), ones)
        opt_G.zero_grad(set_to_none=True)
        loss_G.backward()
        opt_G.step()
        return loss_D.detach(), loss_G.detach()

    compile_s = 0.0
    if args.compile:
        compile_s = common.warm_up(rt, [G, D], [opt_G, opt_D], lambda: (
            train_step(X_train[: args.batch_size]), score(G_step, classifier, z_score[:1000], reference)))

    clock = common.Clock(rt, history)
    while epoch < epochs:
        common.seed_segment(args.seed, rt.rank, epoch)
        batches = epoch_batches(len(X_train), args.batch_size, seed=args.seed, epoch=epoch,
                                rank=rt.rank, world_size=rt.world_size)
        batches = batches[:1] if args.dry_run else batches
        losses = torch.zeros(2, device=rt.device)
        for idx in tqdm(batches.to(rt.device), desc=f"epoch {epoch + 1}/{epochs}", disable=not rt.is_main, leave=False):
            losses += torch.stack(train_step(X_train[idx]))
            step += 1
        epoch += 1
        loss_D, loss_G = common.mean_over_ranks(rt, losses / len(batches)).tolist()
        with clock.evaluating():
            scores = score(G_step, classifier, z_score, reference)
        history.append({"epoch": epoch, "step": step, **clock.stamp(),
                        "loss_D": round(loss_D, 5), "loss_G": round(loss_G, 5), **scores})
        if rt.is_main:
            h = history[-1]
            print(f"epoch {epoch}/{epochs}: loss D {loss_D:.3f}, G {loss_G:.3f}; confidence {h['confidence']:.3f}, "
                  f"smallest class {100 * h['smallest_class']:.1f} %, Frechet distance {h['frechet_distance']:.2f}, "
                  f"classes {h['class_histogram']}")
        common.save_checkpoint(rt, checkpoint_path, generator=G.state_dict(), discriminator=D.state_dict(),
                               opt_G=opt_G.state_dict(), opt_D=opt_D.state_dict(), config=config, run=run,
                               epoch=epoch, step=step, history=history)

    last = history[-1]
    test_frechet = round(frechet_distance(generated_features(G, classifier, z_score), test_reference), 3)  # once
    if rt.is_main:
        with torch.no_grad():
            G.eval()
            write_png(Path(args.out) / "samples.png", image_grid((G(z_score[:64]) + 1) / 2))
        print(f"dcgan: confidence {last['confidence']:.3f}, smallest class {100 * last['smallest_class']:.1f} % "
              f"{last['class_histogram']}, class entropy {last['class_entropy']:.3f}, Frechet distance "
              f"{last['frechet_distance']:.2f} (validation), {test_frechet:.2f} (test) after {epoch} epochs "
              f"({step} steps) in {last['time_s']:.1f} s of training"
              + (f" + {compile_s:.1f} s of compiling" if args.compile else ""))
    return common.finish(rt, args, "dcgan", {
        "steps": step, "epochs": epoch, "test_frechet_distance": test_frechet,
        **{k: last[k] for k in ("confidence", "class_histogram", "smallest_class", "class_entropy", "frechet_distance",
                                "loss_D", "loss_G")},
        "compile_s": round(compile_s, 3), "train_s": last["time_s"], "eval_s": last["eval_s"],
        "images_per_s": common.per_second(step * args.batch_size * rt.world_size, last), "history": history,
    })


if __name__ == "__main__":
    main()
