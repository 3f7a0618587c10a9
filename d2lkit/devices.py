"""Device helpers: CPU, GPUs and the fallback when fewer GPUs exist than asked for."""
from __future__ import annotations

import warnings

import torch


def cpu() -> torch.device:
    """Return the CPU device."""
    return torch.device("cpu")


def gpu(i: int = 0) -> torch.device:
    """Return the i-th CUDA device (it need not exist)."""
    if not isinstance(i, int) or isinstance(i, bool) or i < 0:
        raise ValueError(f"gpu: i must be a non-negative integer, got {i!r}")
    return torch.device(f"cuda:{i}")


def num_gpus() -> int:
    """Return the number of available CUDA devices."""
    return torch.cuda.device_count()


def try_gpu(i: int = 0) -> torch.device:
    """Return gpu(i) if it exists, otherwise cpu()."""
    return gpu(i) if num_gpus() >= i + 1 else cpu()


def try_all_gpus() -> list[torch.device]:
    """Return all available GPUs, or [cpu()] if there is none."""
    return [gpu(i) for i in range(num_gpus())] or [cpu()]


def select_gpus(requested: int | None) -> list[torch.device]:
    """Return the GPUs to train on: one if ``requested`` is None and any exists, else up to ``requested``."""
    if requested is not None and (not isinstance(requested, int) or isinstance(requested, bool) or requested < 0):
        raise ValueError(f"num_gpus must be None or a non-negative integer, got {requested!r}")
    available = num_gpus()
    wanted = min(1, available) if requested is None else requested
    if wanted > available:
        warnings.warn(f"asked for {wanted} GPU(s) but {available} available; using {available or 'the CPU'}",
                      stacklevel=3)
        wanted = available
    return [gpu(i) for i in range(wanted)]
