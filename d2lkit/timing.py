"""Small utilities for measuring: Timer and Accumulator."""
from __future__ import annotations

import time

import numpy as np


class Timer:
    """Record multiple running times."""

    def __init__(self) -> None:
        self.times: list[float] = []
        self.start()

    def start(self) -> None:
        """Start the timer."""
        self.tik = time.perf_counter()

    def stop(self) -> float:
        """Stop the timer, record the elapsed time and return it."""
        self.times.append(time.perf_counter() - self.tik)
        return self.times[-1]

    def avg(self) -> float:
        """Return the average recorded time."""
        if not self.times:
            raise ValueError("Timer.avg: no time recorded yet (call stop() first)")
        return sum(self.times) / len(self.times)

    def sum(self) -> float:
        """Return the sum of recorded times."""
        return sum(self.times)

    def cumsum(self) -> list[float]:
        """Return the accumulated times."""
        return np.array(self.times).cumsum().tolist()


class Accumulator:
    """Accumulate sums over ``n`` variables."""

    def __init__(self, n: int) -> None:
        if not isinstance(n, int) or isinstance(n, bool) or n < 1:
            raise ValueError(f"Accumulator: n must be a positive integer, got {n!r}")
        self.data = [0.0] * n

    def add(self, *args: float) -> None:
        """Add one value to each of the ``n`` sums."""
        if len(args) != len(self.data):
            raise ValueError(f"Accumulator.add: expected {len(self.data)} values, got {len(args)}")
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def reset(self) -> None:
        """Set every sum back to zero."""
        self.data = [0.0] * len(self.data)

    def __getitem__(self, idx: int) -> float:
        return self.data[idx]
