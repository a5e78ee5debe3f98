"""The datasets of the training examples: MNIST and tiny Shakespeare, downloaded once, checked, cached.

Every file has a pinned sha256. A file is used only if its bytes hash to that value, so a truncated
download or a corrupt copy stops the run with one line, before any training. Files live in
`<data dir>/mnist/` and `<data dir>/tinyshakespeare/` (the default data dir is
~/.cache/founders-guide); a missing file is downloaded from its canonical source.

Fetch and verify everything now (for example before going offline or onto a GPU machine):

    python snippets/train/data.py --data-dir .data

Tests and private mirrors with other bytes pass `--checksums FILE`, a `sha256sum`-style manifest
("<sha256>  mnist/train-images-idx3-ubyte.gz" per line) that replaces the pinned values.
"""

import argparse
import gzip
import hashlib
import shutil
import struct
import urllib.request
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

DEFAULT_DATA_DIR = Path.home() / ".cache" / "founders-guide"

# folder -> (mirrors tried in order, {file: sha256}). MNIST: the mirror torchvision downloads from,
# then Yann LeCun's page; tiny Shakespeare: karpathy/char-rnn. Checksums from the published files.
DATASETS = {
    "mnist": (
        ("https://ossci-datasets.s3.amazonaws.com/mnist/", "http://yann.lecun.com/exdb/mnist/"),
        {
            "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
            "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
            "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
            "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
        },
    ),
    "tinyshakespeare": (
        ("https://raw.githubusercontent.com/karpathy/char-rnn/master/data/tinyshakespeare/",),
        {"input.txt": "86c4e6aa9db7c042ec79f339dcb96d42b0075e16b8fc2e86bf0ca57e2dc565ed"},
    ),
}
PINNED = {f"{folder}/{name}": sha for folder, (_, files) in DATASETS.items() for name, sha in files.items()}

# Training-set pixel mean and std after dividing by 255 (the usual Normalize((0.1307,), (0.3081,))).
MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


def sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def read_checksums(path: str | Path) -> dict[str, str]:
    """Parse a `sha256sum` manifest: '<hex>  mnist/train-images-idx3-ubyte.gz' per line."""
    checksums = {}
    for line in Path(path).read_text().splitlines():
        if line.strip():
            digest, name = line.split(maxsplit=1)
            checksums[name.lstrip("*")] = digest.lower()
    return checksums


def download(url: str, dest: Path) -> None:
    """Copy `url` to `dest` (the one place that touches the network; tests replace it)."""
    with urllib.request.urlopen(url, timeout=30) as response, open(dest, "wb") as f:
        shutil.copyfileobj(response, f)


def fetch(folder: str, data_dir: str | Path | None = None, checksums_file: str | Path | None = None) -> Path:
    """Return `<data_dir>/<folder>` once every file of the dataset is there and matches its sha256 (the pinned
    one, or the one a `sha256sum` manifest lists)."""
    mirrors, files = DATASETS[folder]
    where = Path(data_dir or DEFAULT_DATA_DIR).expanduser() / folder
    checksums = read_checksums(checksums_file) if checksums_file else PINNED
    for name in files:
        key, path = f"{folder}/{name}", where / name
        if key not in checksums:
            raise SystemExit(f"the checksum file lists no sha256 for {key}")
        if not path.exists():
            _download(mirrors, name, path, checksums[key], missing=[n for n in files if not (where / n).exists()])
        elif (actual := sha256(path)) != checksums[key]:
            raise SystemExit(f"{path} is corrupt (sha256 {actual}, expected {checksums[key]}): "
                             f"delete it to download it again; nothing was trained on it")
    return where


def _download(mirrors: tuple[str, ...], name: str, path: Path, expected: str, missing: list[str]) -> None:
    part = path.with_name(path.name + ".part")
    reasons = []
    for base in mirrors:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            download(base + name, part)
        except OSError as error:  # URLError, HTTPError, timeouts and a read-only data dir are all OSErrors
            reasons.append(f"{base + name}: {getattr(error, 'reason', error)}")
            continue
        if sha256(part) == expected:
            part.replace(path)
            return
        reasons.append(f"{base + name}: the downloaded file has the wrong sha256")
    part.unlink(missing_ok=True)
    raise SystemExit(f"{path.parent.name} data is missing and could not be downloaded ({'; '.join(reasons)}): "
                     f"download {', '.join(missing)} from {mirrors[0]} into {path.parent}/ or pass --data-dir DIR "
                     f"with a {path.parent.name}/ folder that holds them")


def read_idx(path: Path) -> np.ndarray:
    """An IDX file: 2 zero bytes, type 0x08 (unsigned byte), the number of dims, one big-endian uint32 per dim, data."""
    with gzip.open(path, "rb") as f:
        raw = f.read()
    zeros, dtype, ndim = struct.unpack(">HBB", raw[:4])
    if zeros != 0 or dtype != 0x08:
        raise ValueError(f"{path} is not an unsigned-byte IDX file (magic {raw[:4].hex()})")
    shape = struct.unpack(f">{ndim}I", raw[4 : 4 + 4 * ndim])
    data = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if data.size != np.prod(shape):
        raise ValueError(f"{path}: header says {shape}, file holds {data.size} values")
    return data.reshape(shape)


def load_mnist(data_dir=None, checksums_file=None, device="cpu") -> tuple[torch.Tensor, ...]:
    """MNIST as four tensors on `device`: images (N, 1, 28, 28) float in [0, 1], labels (N,) int64; train, then test."""
    where = fetch("mnist", data_dir, checksums_file)

    def tensor(name: str) -> torch.Tensor:
        return torch.from_numpy(read_idx(where / name).copy()).to(device)

    X_train, X_test = (tensor(f"{s}-images-idx3-ubyte.gz").unsqueeze(1).float().div(255) for s in ("train", "t10k"))
    y_train, y_test = (tensor(f"{s}-labels-idx1-ubyte.gz").long() for s in ("train", "t10k"))
    return X_train, y_train, X_test, y_test


def split_validation(X: torch.Tensor, y: torch.Tensor, n_val: int) -> tuple[torch.Tensor, ...]:
    """Hold `n_val` examples (at most a fifth) out of a training set: X_train, y_train, X_val, y_val. The split is
    one fixed shuffle, the same for every seed and process, so the validation set never trains any run. Model
    selection and early stopping look at the validation set; the test set is scored once, at the end."""
    n_val = min(n_val, len(X) // 5)
    order = torch.randperm(len(X), generator=torch.Generator().manual_seed(20_261_207)).to(X.device)
    train, val = order[n_val:], order[:n_val]
    return X[train], y[train], X[val], y[val]


def load_shakespeare(data_dir=None, checksums_file=None) -> str:
    return (fetch("tinyshakespeare", data_dir, checksums_file) / "input.txt").read_text(encoding="utf-8")


def epoch_batches(n: int, batch_size: int, *, seed: int, epoch: int, rank: int = 0, world_size: int = 1) -> torch.Tensor:
    """Index batches for one epoch, shape (steps, batch_size). The shuffle depends on (seed, epoch) only, so every
    rank shuffles alike and takes its own slice of each global batch, and a resumed run sees the same order."""
    steps = n // (batch_size * world_size)  # the last incomplete global batch is dropped
    if steps == 0:
        raise SystemExit(f"--batch-size {batch_size} x {world_size} process(es) is larger than the {n} training examples")
    order = torch.randperm(n, generator=torch.Generator().manual_seed(seed * 100_003 + epoch))
    return order[: steps * batch_size * world_size].view(steps, world_size, batch_size)[:, rank]


def random_shift(X: torch.Tensor, max_shift: int) -> torch.Tensor:
    """Translate each image of (B, 1, H, W) by up to `max_shift` pixels, zero fill: one gather on the device."""
    B, _, H, W = X.shape
    padded = F.pad(X[:, 0], (max_shift,) * 4)
    dy, dx = torch.randint(0, 2 * max_shift + 1, (2, B, 1, 1), device=X.device)
    rows = dy + torch.arange(H, device=X.device).view(1, H, 1)
    cols = dx + torch.arange(W, device=X.device).view(1, 1, W)
    return padded[torch.arange(B, device=X.device).view(B, 1, 1), rows, cols].unsqueeze(1)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0], formatter_class=argparse.ArgumentDefaultsHelpFormatter)
    parser.add_argument("--data-dir", default=str(DEFAULT_DATA_DIR), help="folder that holds mnist/ and tinyshakespeare/")
    parser.add_argument("--checksums", help="sha256sum-style manifest that replaces the pinned checksums")
    args = parser.parse_args(argv)
    for folder in DATASETS:
        print(f"{fetch(folder, args.data_dir, args.checksums)}: all files present, sha256 verified")


if __name__ == "__main__":
    main()
