"""Data modules: the DataModule base class and synthetic regression data."""
from __future__ import annotations

from pathlib import Path
from typing import Sequence

import torch
from torch.utils import data as tud

from .hyperparameters import HyperParameters


DATA_FOLDER = Path(__file__).with_name("data")


def data_file(name: str) -> Path:
    """Return the path of a small data file that ships with d2lkit, e.g. ``data_file("iris.csv")`` (not in d2l).

    The files travel with the package, so a notebook opened alone (as on Colab) finds them offline.
    """
    path = DATA_FOLDER / name
    if not path.is_file():
        available = sorted(p.name for p in DATA_FOLDER.glob("*.csv"))
        raise FileNotFoundError(f"d2lkit ships no data file {name!r}; it has {available}")
    return path


class DataModule(HyperParameters):
    """The base class of data: provides training and validation data loaders."""

    def __init__(self, root: str = "../data", num_workers: int = 4) -> None:
        self.save_hyperparameters()

    def get_dataloader(self, train: bool):
        """Return the data loader of the training (``train=True``) or validation split."""
        raise NotImplementedError

    def train_dataloader(self):
        """Return the training data loader."""
        return self.get_dataloader(train=True)

    def val_dataloader(self):
        """Return the validation data loader."""
        return self.get_dataloader(train=False)

    def get_tensorloader(self, tensors: Sequence[torch.Tensor], train: bool,
                         indices: slice | torch.Tensor = slice(0, None)) -> tud.DataLoader:
        """Return a loader of minibatches of ``tensors[indices]``, shuffled when ``train``.

        Minibatches are gathered by one indexing operation each (not item by item),
        which keeps in-memory datasets fast.
        """
        if not tensors or not all(isinstance(t, torch.Tensor) for t in tensors):
            raise TypeError("get_tensorloader: tensors must be a non-empty sequence of tensors")
        tensors = tuple(t[indices] for t in tensors)
        if any(len(t) != len(tensors[0]) for t in tensors):
            raise ValueError("get_tensorloader: all tensors must have the same first dimension")
        if len(tensors[0]) == 0:
            raise ValueError("get_tensorloader: the selected data is empty")
        batch_size = getattr(self, "batch_size", None)
        if not isinstance(batch_size, int) or isinstance(batch_size, bool) or batch_size < 1:
            raise ValueError(f"get_tensorloader: batch_size must be a positive integer, got {batch_size!r}")
        dataset = tud.TensorDataset(*tensors)
        order = tud.RandomSampler(dataset) if train else tud.SequentialSampler(dataset)
        return tud.DataLoader(dataset, batch_size=None,
                              sampler=tud.BatchSampler(order, batch_size, drop_last=False))


class SyntheticRegressionData(DataModule):
    """Synthetic data for linear regression: y = Xw + b + noise."""

    def __init__(self, w: torch.Tensor, b: float, noise: float = 0.01, num_train: int = 1000,
                 num_val: int = 1000, batch_size: int = 32) -> None:
        super().__init__()
        self.save_hyperparameters()
        if not isinstance(w, torch.Tensor) or w.dim() != 1 or len(w) == 0:
            raise TypeError("SyntheticRegressionData: w must be a non-empty 1-D tensor")
        for name, value, least in (("num_train", num_train, 1), ("num_val", num_val, 0), ("batch_size", batch_size, 1)):
            if not isinstance(value, int) or isinstance(value, bool) or value < least:
                raise ValueError(f"SyntheticRegressionData: {name} must be an integer >= {least}, got {value!r}")
        if noise < 0:
            raise ValueError(f"SyntheticRegressionData: noise must be >= 0, got {noise!r}")
        n = num_train + num_val
        self.X = torch.randn(n, len(w))
        noise = torch.randn(n, 1) * noise
        self.y = torch.matmul(self.X, w.reshape((-1, 1))) + b + noise

    @property
    def train(self) -> tud.TensorDataset:
        """The training split as a dataset, like ``FashionMNIST.train`` (not in d2l)."""
        return tud.TensorDataset(self.X[:self.num_train], self.y[:self.num_train])

    @property
    def val(self) -> tud.TensorDataset:
        """The validation split as a dataset, like ``FashionMNIST.val`` (not in d2l)."""
        return tud.TensorDataset(self.X[self.num_train:], self.y[self.num_train:])

    def get_dataloader(self, train: bool) -> tud.DataLoader:
        """Return the loader of the first ``num_train`` examples (train) or of the rest (None if empty)."""
        if not train and self.num_val == 0:
            return None
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)
