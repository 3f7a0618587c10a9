"""Time one training epoch of the concise MLP: a bare PyTorch loop, d2lkit, and d2l 1.0.3.

Usage:  python benchmarks/epoch_speed.py [--epochs N] [--repeats R]

All train the same model (Flatten, LazyLinear(256), ReLU, LazyLinear(10), lr 0.1, batch size
256) from the same initial weights on the CPU. Models are built and the lazy layers warmed up
outside the timed region; only the training (with its validation pass) is timed.

1. The bare loop: ``torch.optim.SGD`` and ``F.cross_entropy`` over d2lkit's in-memory batches,
   with the validation loss and accuracy computed but not plotted.
2. d2lkit as users have it: the progress board on, in a script (no terminal bar, then with the
   bar, whose cost is reported) and in Jupyter's static mode (an IPython shell with
   ``D2LKIT_PLOTS=static``). The variants run interleaved, R times, and medians are reported,
   so a noisy machine slows all of them alike.
3. d2l 1.0.3 with plots off (``model.board.display = False``) and its shipped defaults (a
   DataLoader that decodes every image with PIL in 4 worker processes, every epoch).

d2l's FashionMNIST asks torchvision for '../data' with download=True. To run offline, the four
IDX files that d2lkit finds are decompressed into ``<tmp>/data/FashionMNIST/raw`` and d2l runs
with the working directory ``<tmp>/work``, so torchvision finds them and downloads nothing.
"""
from __future__ import annotations

import argparse
import contextlib
import statistics
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


def make_model(lib, board: bool = False):
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
    model.board.display = board  # off: both ProgressBoard.draw implementations return before plotting
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


def time_fit(lib, data, epochs: int, **trainer_options) -> tuple[float, float]:
    """Return (seconds per epoch of trainer.fit, validation accuracy afterwards)."""
    model = make_model(lib, board=lib is d2lkit)
    trainer = lib.Trainer(max_epochs=epochs, num_gpus=0, **trainer_options)
    torch.manual_seed(SEED)  # same shuffling for both
    start = time.perf_counter()
    trainer.fit(model, data)
    seconds = time.perf_counter() - start
    return seconds / epochs, evaluate(model, data.val_dataloader())


def time_bare_loop(data, epochs: int) -> tuple[float, float]:
    """Return (seconds per epoch, validation accuracy) of a plain PyTorch loop over the same batches."""
    model = make_model(d2lkit)
    optimizer = torch.optim.SGD(model.parameters(), lr=LR)
    torch.manual_seed(SEED)
    start = time.perf_counter()
    for _ in range(epochs):
        model.train()
        for X, y in data.train_dataloader():
            loss = nn.functional.cross_entropy(model.net(X), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            for X, y in data.val_dataloader():
                y_hat = model.net(X)
                nn.functional.cross_entropy(y_hat, y).item()
                (y_hat.argmax(dim=1) == y).float().mean().item()
    seconds = time.perf_counter() - start
    return seconds / epochs, evaluate(model, data.val_dataloader())


_shell = None


def time_static_mode(data, epochs: int) -> float:
    """Seconds per epoch of d2lkit's fit inside an IPython shell in static mode, as under Jupyter's tests."""
    from IPython.core.interactiveshell import InteractiveShell

    previous = os.environ.get("D2LKIT_PLOTS")
    os.environ["D2LKIT_PLOTS"] = "static"
    global _shell
    if _shell is None:
        _shell = InteractiveShell.instance()
    InteractiveShell._instance = shell = _shell  # the same shell every time, active only in here
    shell.user_ns.update(time_fit=time_fit, d2lkit=d2lkit, data=data, epochs=epochs)
    try:
        with contextlib.redirect_stdout(open(os.devnull, "w")):  # the final figure's text repr
            shell.run_cell("result = time_fit(d2lkit, data, epochs)", store_history=False)
        return shell.user_ns["result"][0]
    finally:
        InteractiveShell.clear_instance()  # or the script variants that follow would run "inside IPython"
        if previous is None:
            os.environ.pop("D2LKIT_PLOTS")
        else:
            os.environ["D2LKIT_PLOTS"] = previous


def compare_with_bare_loop(data, epochs: int, repeats: int) -> dict[str, float]:
    """Run the bare loop and d2lkit's variants interleaved ``repeats`` times; return median s/epoch."""
    variants = {
        "bare loop": lambda: time_bare_loop(data, epochs)[0],
        "d2lkit, script": lambda: time_fit(d2lkit, data, epochs, enable_progress_bar=False)[0],
        "d2lkit, script + bar": lambda: time_fit(d2lkit, data, epochs, enable_progress_bar=True)[0],
        "d2lkit, static": lambda: time_static_mode(data, epochs),
    }
    variants["bare loop"]()  # warm-up: first touches of the data and of the kernels
    times = {name: [] for name in variants}
    for _ in range(repeats):
        for name, run in variants.items():
            times[name].append(run())
    return {name: statistics.median(values) for name, values in times.items()}


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
    parser.add_argument("--repeats", type=int, default=3, help="interleaved runs of each variant (default 3)")
    args = parser.parse_args()
    if args.epochs < 1 or args.repeats < 1:
        parser.error("--epochs and --repeats must be at least 1")

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
    print("all on the CPU; d2lkit with its progress board on, d2l with plots off and its DataLoader defaults "
          "(num_workers=4, PIL decoding)")

    data = d2lkit.FashionMNIST(batch_size=BATCH_SIZE)
    medians = compare_with_bare_loop(data, args.epochs, args.repeats)
    bare = medians["bare loop"]
    for name, seconds in medians.items():
        print(f"{name:22s} {seconds:.3f} s/epoch  {seconds / bare:.2f}x the bare loop", flush=True)
    bar = medians["d2lkit, script + bar"] / medians["d2lkit, script"] - 1
    print(f"progress bar: {100 * bar:+.1f}% of an epoch (medians of {args.repeats} interleaved runs)")
    kit_time, kit_acc = time_fit(d2lkit, data, args.epochs, enable_progress_bar=False)
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
