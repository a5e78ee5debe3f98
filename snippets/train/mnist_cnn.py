"""MNIST digits with a small convolutional network; also the judge that scores the DCGAN's digits.

    python snippets/train/mnist_cnn.py --amp --compile                 # a CUDA GPU, default flags
    python snippets/train/mnist_cnn.py --device cpu --epochs 1         # a laptop
    torchrun --nproc_per_node=2 snippets/train/mnist_cnn.py --amp      # two GPUs, DistributedDataParallel

Measured (results/cpu-mnist_cnn.json, shown on the site): CPU (AMD EPYC, 1 thread of a busy shared
machine), torch 2.13.0, --epochs 1, one run on 2026-12-07: 98.48 % validation accuracy, 98.98 % test
accuracy, 243 s of training.
GPU: pending a run of `make test-gpu` (target >= 99.3 % test accuracy with the default 8 epochs, for the
epoch chosen on the 10,000 held-out validation images; `fit` in mnist_mlp.py does the selection).

This network is larger than the 20,490-parameter one of the CNN chapter (468,010 parameters): it has to reach
99.3 % and to judge generated digits with confident probabilities.

Defaults: four 3x3 convolutions (32, 32, 64, 64 channels) with BatchNorm and ReLU, max-pooling
after the second and fourth, a 128-unit layer with dropout 0.25; inputs shifted by up to 2 pixels;
AdamW lr 3e-3 (weight decay 0.01), batch 256, 5 % warm-up then cosine decay over 8 epochs;
channels-last memory layout (what bf16 convolutions on tensor cores want). The training loop is
`fit` from mnist_mlp.py: only the model differs.
"""

import torch
import torch.nn as nn

import common
from data import MNIST_MEAN, MNIST_STD
from mnist_mlp import fit


# --- config ----------------------------------------------------------------------------------------
def get_parser():
    parser = common.get_parser(__doc__, "mnist_cnn", epochs=8, batch_size=256, lr=3e-3)
    parser.add_argument("--channels", type=int, default=32, help="channels of the first two convolutions (doubled after pooling)")
    parser.add_argument("--dropout", type=float, default=0.25, help="dropout before the last layer")
    parser.add_argument("--weight-decay", type=float, default=0.01, help="AdamW weight decay (matrices only)")
    parser.add_argument("--max-shift", type=int, default=2, help="augmentation: random translation in pixels (0: off)")
    parser.add_argument("--val-size", type=int, default=10_000, help="training images held out for validation (at most a fifth)")
    return parser


# --- model -----------------------------------------------------------------------------------------
def conv_bn_relu(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU())


class CNN(nn.Module):
    def __init__(self, channels: int = 32, dropout: float = 0.25):
        super().__init__()
        c = channels
        self.features = nn.Sequential(
            conv_bn_relu(1, c), conv_bn_relu(c, c), nn.MaxPool2d(2),              # (B, c, 14, 14)
            conv_bn_relu(c, 2 * c), conv_bn_relu(2 * c, 2 * c), nn.MaxPool2d(2),  # (B, 2c, 7, 7)
            nn.Flatten(), nn.Linear(2 * c * 7 * 7, 128), nn.ReLU(),               # (B, 128): the embedding
        )
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(128, 10))

    def embed(self, X: torch.Tensor) -> torch.Tensor:
        """Images in [0, 1], (B, 1, 28, 28) -> the 128 features before the classifier (the DCGAN's Frechet distance)."""
        return self.features((X - MNIST_MEAN) / MNIST_STD)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(X))


def load_classifier(path, device: torch.device) -> CNN:
    """The CNN a run of this script chose on validation (its best epoch), ready to score images (eval mode)."""
    checkpoint = torch.load(path, map_location=device, weights_only=True)
    model = CNN(**checkpoint["config"]).to(device)
    model.load_state_dict(checkpoint["best"]["model"])
    return model.eval()


# --- main ------------------------------------------------------------------------------------------
def main(argv: list[str] | None = None) -> dict:
    args = get_parser().parse_args(argv)
    rt = common.setup(args)
    config = {"channels": args.channels, "dropout": args.dropout}
    model = CNN(**config).to(memory_format=torch.channels_last)
    return fit(args, rt, model, config, "mnist_cnn")


if __name__ == "__main__":
    main()
