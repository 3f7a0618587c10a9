"""Training progress outside Jupyter: one tqdm bar per ``Trainer.fit``, updated as batches finish.

Inside IPython (Jupyter, nbval) the model's progress board is the display, so no bar is shown.
"""
from __future__ import annotations

import contextlib
from typing import Any, Iterator

from .display import in_ipython


class ConsoleProgress:
    """A progress bar over all training batches of a fit: epoch, latest losses, elapsed and remaining time."""

    def __init__(self, trainer: Any, enabled: bool = True) -> None:
        self.trainer = trainer
        self.bar = None
        if enabled and not in_ipython():
            from tqdm.auto import tqdm

            self.bar = tqdm(total=trainer.max_epochs * trainer.num_train_batches, unit="batch",
                            desc=self.description(), dynamic_ncols=True)

    def __enter__(self) -> "ConsoleProgress":
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.close()

    def description(self, epoch: int = 0) -> str:
        return f"epoch {epoch + 1}/{self.trainer.max_epochs}"

    @contextlib.contextmanager
    def printing(self) -> Iterator[None]:
        """Lift the bar off the terminal while something else (a warning) is printed."""
        if self.bar is None:
            yield
            return
        with self.bar.external_write_mode():
            yield

    def batch_done(self) -> None:
        """Advance by one training batch (tqdm redraws at most about ten times a second)."""
        if self.bar is not None:
            self.bar.update(1)

    def epoch_done(self) -> None:
        """Show the epoch reached and the board's latest averaged values (train_loss, val_loss, ...)."""
        if self.bar is None:
            return
        board = getattr(self.trainer.model, "board", None)
        latest = {label: points[-1].y for label, points in getattr(board, "data", {}).items() if points}
        self.bar.set_description(self.description(min(self.trainer.epoch + 1, self.trainer.max_epochs - 1)),
                                 refresh=False)
        self.bar.set_postfix({label: f"{value:.4g}" for label, value in latest.items()})
