"""Time one training epoch of the concise MLP with d2lkit and with d2l 1.0.3, on the same machine.

Usage:  python benchmarks/epoch_speed.py [--epochs N]

Both libraries train the same model (Flatten, LazyLinear(256), ReLU, LazyLinear(10) as a
Classifier, lr 0.1, batch size 256) from the same initial weights on the CPU. Datasets and
models are built and the lazy layers warmed up outside the timed region; only ``trainer.fit``
is timed. Progress plots are switched off for both (``model.board.display = False``) so the
figures measure the data pipeline and training, not matplotlib. d2l keeps its shipped defaults
(a DataLoader that decodes every image with PIL in 4 worker processes, every epoch).

d2l's FashionMNIST asks torchvision for '../data' with download=True. To run offline, the four
IDX files that d2lkit finds are decompressed into ``<tmp>/data/FashionMNIST/raw`` and d2l runs
with the working directory ``<tmp>/work``, so torchvision finds them and downloads nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import gzip
import importlib.util
import os
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path

import torch
from torch import nn

import d2lkit

SEED = 0
BATCH_SIZE = 256
LR = 0.1


def make_model(lib):
    """The concise MLP of the multilayer-perceptron chapter, on ``lib.Classifier``."""

    class MLP(lib.Classifier):
        def __init__(self, num_outputs, num_hiddens, lr):
            super().__init__()
            self.save_hyperparameters()
            self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_hiddens), nn.ReLU(),
                                     nn.LazyLinear(num_outputs))

    torch.manual_seed(SEED)
    model = MLP(num_outputs=10, num_hiddens=256, lr=LR)
    with torch.no_grad():
        model(torch.zeros(1, 1, 28, 28))  # materialise the lazy layers outside the timed region
    model.board.display = False  # both ProgressBoard.draw implementations return before plotting
    return model


def evaluate(model, loader) -> float:
    """Accuracy over the whole loader, computed with the model's own accuracy()."""
    model.eval()
    correct, total = 0.0, 0
    with torch.no_grad():
        for X, y in loader:
            correct += float(model.accuracy(model(X), y, averaged=False).sum())
            total += y.numel()
    return correct / total


def time_fit(lib, data, epochs: int) -> tuple[float, float]:
    """Return (seconds per epoch of trainer.fit, validation accuracy afterwards)."""
    model = make_model(lib)
    trainer = lib.Trainer(max_epochs=epochs, num_gpus=0)
    torch.manual_seed(SEED)  # same shuffling for both
    start = time.perf_counter()
    trainer.fit(model, data)
    seconds = time.perf_counter() - start
    return seconds / epochs, evaluate(model, data.val_dataloader())


@contextlib.contextmanager
def offline_fashion_mnist():
    """Yield a working directory whose '../data' holds Fashion-MNIST in torchvision's layout."""
    source = d2lkit.fashion_mnist.locate("../data")
    with tempfile.TemporaryDirectory(prefix="epoch_speed_") as tmp:
        raw = Path(tmp) / "data" / "FashionMNIST" / "raw"
        raw.mkdir(parents=True)
        for names in d2lkit.fashion_mnist.FILES.values():
            for name in names:
                found = d2lkit.fashion_mnist.find_file(source, name)
                opener = gzip.open if found.suffix == ".gz" else open
                with opener(found, "rb") as src, open(raw / name, "wb") as dst:
                    shutil.copyfileobj(src, dst)
        work = Path(tmp) / "work"
        work.mkdir()
        previous = os.getcwd()
        os.chdir(work)
        try:
            yield work
        finally:
            os.chdir(previous)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=1, help="epochs to time (default 1)")
    args = parser.parse_args()
    if args.epochs < 1:
        parser.error("--epochs must be at least 1")

    if importlib.util.find_spec("d2l") is None:
        print("error: d2l is not installed; install the reference with:\n"
              "    pip install --no-deps d2l==1.0.3", file=sys.stderr)
        return 2
    try:
        from d2l import torch as d2l
    except ImportError as err:
        print(f"error: cannot import d2l.torch ({err}); install the reference with:\n"
              "    pip install --no-deps d2l==1.0.3  (it also needs scipy)", file=sys.stderr)
        return 2
    import d2l as d2l_package

    print(f"torch {torch.__version__}, {torch.get_num_threads()} threads, {os.cpu_count()} CPUs; "
          f"d2l {getattr(d2l_package, '__version__', '?')}; {args.epochs} epoch(s), batch size {BATCH_SIZE}")
    print("both on the CPU, plots off; d2l keeps its DataLoader defaults (num_workers=4, PIL decoding)")

    data = d2lkit.FashionMNIST(batch_size=BATCH_SIZE)
    kit_time, kit_acc = time_fit(d2lkit, data, args.epochs)
    print(f"d2lkit:    {kit_time:.2f} s/epoch, val acc {kit_acc:.4f}", flush=True)

    with offline_fashion_mnist(), warnings.catch_warnings():
        # torch warns when a DataLoader has more workers than CPUs; d2l's 4 workers are kept as shipped.
        warnings.filterwarnings("ignore", message="This DataLoader will create", category=UserWarning)
        data = d2l.FashionMNIST(batch_size=BATCH_SIZE)
        ref_time, ref_acc = time_fit(d2l, data, args.epochs)
    print(f"d2l 1.0.3: {ref_time:.2f} s/epoch, val acc {ref_acc:.4f}", flush=True)

    print(f"d2lkit: {kit_time:.2f} s/epoch, val acc {kit_acc:.4f} | "
          f"d2l 1.0.3: {ref_time:.2f} s/epoch, val acc {ref_acc:.4f} | "
          f"speed-up {ref_time / kit_time:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())
