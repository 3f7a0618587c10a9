"""Fashion-MNIST decoded once into memory, found offline where possible.

The IDX files are looked for, in order, in: ``root`` in torchvision's layout
(``root/FashionMNIST/raw``); the folder named by ``$D2LKIT_FASHION_MNIST``;
Debian's ``/usr/share/datasets/fashion-mnist`` (package ``dataset-fashion-mnist``);
and last in torchvision's download into ``root``, bounded by a socket timeout.
"""
from __future__ import annotations

import functools
import gzip
import os
import socket
from pathlib import Path
from typing import Sequence

import torch
from torch.nn import functional as F
from torch.utils import data as tud

from .data import DataModule
from .plotting import show_images

ENV_VAR = "D2LKIT_FASHION_MNIST"
DEBIAN_DIR = Path("/usr/share/datasets/fashion-mnist")
DOWNLOAD_TIMEOUT = 20.0  # seconds per network operation
FILES = {
    True: ("train-images-idx3-ubyte", "train-labels-idx1-ubyte"),
    False: ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"),
}
LABELS = ["t-shirt", "trouser", "pullover", "dress", "coat",
          "sandal", "shirt", "sneaker", "bag", "ankle boot"]


def find_file(folder: Path, name: str) -> Path | None:
    """Return ``folder/name`` or ``folder/name.gz`` if either exists."""
    for candidate in (folder / name, folder / f"{name}.gz"):
        if candidate.is_file():
            return candidate
    return None


def has_dataset(folder: Path) -> bool:
    """True if ``folder`` holds all four Fashion-MNIST IDX files (plain or gzipped)."""
    return all(find_file(folder, name) for names in FILES.values() for name in names)


def download(root: Path) -> Path | None:
    """Try torchvision's download into ``root``; return the raw folder, or None on any failure."""
    import torchvision

    previous = socket.getdefaulttimeout()
    socket.setdefaulttimeout(DOWNLOAD_TIMEOUT)
    try:
        for train in (True, False):
            torchvision.datasets.FashionMNIST(root=str(root), train=train, download=True)
    except Exception:  # no network, blocked host, timeout, disk full: all mean "not available"
        return None
    finally:
        socket.setdefaulttimeout(previous)
    folder = root / "FashionMNIST" / "raw"
    return folder if has_dataset(folder) else None


def locate(root: str | os.PathLike) -> Path:
    """Return the folder holding the IDX files, trying each source in the documented order."""
    root = Path(root)
    candidates = [root / "FashionMNIST" / "raw"]
    if os.environ.get(ENV_VAR):
        candidates.append(Path(os.environ[ENV_VAR]))
    candidates.append(DEBIAN_DIR)
    for folder in candidates:
        if has_dataset(folder):
            return folder
    folder = download(root)
    if folder is not None:
        return folder
    raise FileNotFoundError(
        "Fashion-MNIST not found. Provide it in any one of these ways:\n"
        f"  1. put the four IDX files (optionally .gz) in {root / 'FashionMNIST' / 'raw'} (torchvision's layout);\n"
        f"  2. set ${ENV_VAR} to a folder that holds them;\n"
        f"  3. on Debian/Ubuntu: sudo apt-get install dataset-fashion-mnist (installs {DEBIAN_DIR});\n"
        "  4. connect to the internet so torchvision can download them "
        f"(tried, gave up after at most {DOWNLOAD_TIMEOUT:.0f} s per request).")


def read_idx(path: Path) -> torch.Tensor:
    """Decode an IDX file of unsigned bytes (plain or gzipped) into a uint8 tensor."""
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise ValueError(f"{path}: not an IDX file of unsigned bytes")
    ndim = raw[3]
    shape = [int.from_bytes(raw[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim)]
    offset = 4 + 4 * ndim
    count = 1
    for size in shape:
        count *= size
    if len(raw) - offset != count:
        raise ValueError(f"{path}: header announces {count} bytes of data, file has {len(raw) - offset}")
    return torch.frombuffer(bytearray(raw[offset:]), dtype=torch.uint8).reshape(shape)


@functools.lru_cache(maxsize=8)
def load_split(folder: Path, train: bool, resize: tuple[int, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """Return (images as float in [0, 1] of shape (n, 1, h, w), int64 labels) for one split."""
    images_name, labels_name = FILES[train]
    images = read_idx(find_file(folder, images_name))
    labels = read_idx(find_file(folder, labels_name)).long()
    if images.dim() != 3 or labels.dim() != 1 or len(images) != len(labels):
        raise ValueError(f"{folder}: images {tuple(images.shape)} and labels {tuple(labels.shape)} do not match")
    X = images.unsqueeze(1).float().div_(255)
    if tuple(resize) != tuple(X.shape[-2:]):
        X = F.interpolate(X, size=tuple(resize), mode="bilinear", antialias=True, align_corners=False).clamp_(0, 1)
    return X, labels


class FashionMNIST(DataModule):
    """The Fashion-MNIST dataset, decoded once and served as in-memory minibatches."""

    def __init__(self, batch_size: int = 64, resize: tuple[int, int] = (28, 28), root: str = "../data") -> None:
        super().__init__(root=root)
        self.save_hyperparameters()
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"FashionMNIST: batch_size must be a positive integer, got {batch_size!r}")
        if (not isinstance(resize, (tuple, list)) or len(resize) != 2
                or not all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in resize)):
            raise ValueError(f"FashionMNIST: resize must be a pair of positive integers, got {resize!r}")
        self.folder = locate(root)
        self.train = tud.TensorDataset(*load_split(self.folder, True, tuple(resize)))
        self.val = tud.TensorDataset(*load_split(self.folder, False, tuple(resize)))

    def text_labels(self, indices: Sequence[int] | torch.Tensor) -> list[str]:
        """Return the text labels of numeric class indices."""
        return [LABELS[int(i)] for i in indices]

    def get_dataloader(self, train: bool) -> tud.DataLoader:
        """Return shuffled training or ordered validation minibatches from memory."""
        data = self.train if train else self.val
        return self.get_tensorloader(data.tensors, train)

    def visualize(self, batch: tuple[torch.Tensor, torch.Tensor], nrows: int = 1, ncols: int = 8,
                  labels: Sequence[str] = ()) -> None:
        """Show the first ``nrows * ncols`` images of a batch with their labels."""
        X, y = batch
        if not labels:
            labels = self.text_labels(y)
        show_images(X.squeeze(1), nrows, ncols, titles=labels)
