"""Tiny synthetic stand-ins for the datasets, written by the tests (never downloaded)."""

import gzip
import struct
from pathlib import Path

import numpy as np

TEXT = "ROMEO:\nBut soft, what light through yonder window breaks?\n\nJULIET:\nO Romeo, Romeo, wherefore art thou Romeo?\n\n"


def write_idx(path: Path, array: np.ndarray) -> None:
    """IDX: magic (0, 0, 0x08 = unsigned byte, ndim), one big-endian uint32 per dimension, then the bytes."""
    header = struct.pack(">HBB", 0, 0x08, array.ndim) + struct.pack(f">{array.ndim}I", *array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def synthetic_digits(n: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Faint noise plus one bright 5x5 square whose place gives the class: learnable in a few steps,
    and still separable after a 2-pixel shift (the places are 7 pixels apart)."""
    rng = np.random.default_rng(seed)
    labels = rng.permutation(np.arange(n) % 10)
    images = rng.integers(0, 40, (n, 28, 28))
    for image, label in zip(images, labels):
        top, left = 3 + 8 * (label // 4), 2 + 7 * (label % 4)
        image[top : top + 5, left : left + 5] = 255
    return images, labels
