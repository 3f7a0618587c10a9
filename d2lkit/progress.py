"""ProgressBoard: a figure that plots data points as they arrive."""
from __future__ import annotations

import collections
from typing import Any, Sequence

from matplotlib.figure import Figure

from . import display as _display
from .hyperparameters import HyperParameters
from .plotting import plt

Point = collections.namedtuple("Point", ["x", "y"])


class ProgressBoard(HyperParameters):
    """The board that plots data points: animated in a live kernel, one final figure otherwise."""

    def __init__(self, xlabel: str | None = None, ylabel: str | None = None, xlim: Any = None,
                 ylim: Any = None, xscale: str = "linear", yscale: str = "linear",
                 ls: Sequence[str] = ("-", "--", "-.", ":"), colors: Sequence[str] = ("C0", "C1", "C2", "C3"),
                 fig: Figure | None = None, axes: Any = None, figsize: tuple[float, float] = (3.5, 2.5),
                 display: bool = True) -> None:
        self.save_hyperparameters()
        self.raw_points: dict[str, list[Point]] = collections.OrderedDict()
        self.data: dict[str, list[Point]] = collections.OrderedDict()
        self._lines: dict[str, Any] = {}

    def draw(self, x: float, y: float, label: str, every_n: int = 1) -> None:
        """Add point (x, y) to the curve ``label``; plot the mean of every ``every_n`` points."""
        if not isinstance(every_n, int) or isinstance(every_n, bool) or every_n < 1:
            raise ValueError(f"ProgressBoard.draw: every_n must be a positive integer, got {every_n!r}")
        if not isinstance(label, str):
            raise TypeError(f"ProgressBoard.draw: label must be a string, got {type(label).__name__}")
        points = self.raw_points.setdefault(label, [])
        line = self.data.setdefault(label, [])
        points.append(Point(float(x), float(y)))
        if len(points) < every_n:
            return
        line.append(Point(sum(p.x for p in points) / len(points), sum(p.y for p in points) / len(points)))
        points.clear()
        if self.display:
            self._ensure_figure()
            _display.show(self.fig, render=self._render)  # redrawn only when it is shown

    def save(self, path: str, **savefig_options: Any) -> None:
        """Save the board as it stands (e.g. after ``trainer.fit`` in a script): ``board.save("loss.png")``."""
        if not self.data:
            raise RuntimeError("ProgressBoard.save: nothing has been drawn yet (call trainer.fit first)")
        self._ensure_figure()
        self._render()
        self.fig.savefig(path, **{"bbox_inches": "tight", **savefig_options})

    def _ensure_figure(self) -> None:
        """Create the board's figure and axes on first use."""
        if self.axes is None:
            if self.fig is None:  # in a script, a pyplot figure so that plt.show()/savefig find it
                self.fig = Figure(figsize=self.figsize) if _display.in_ipython() else plt.figure(figsize=self.figsize)
            self.axes = self.fig.axes[0] if self.fig.axes else self.fig.add_subplot()
        if self.fig is None:
            self.fig = self.axes.figure
        if _display.in_ipython() and plt.fignum_exists(getattr(self.fig, "number", -1)):
            plt.close(self.fig)  # the board shows it; keep pyplot from showing it a second time

    def _render(self) -> None:
        """Redraw every curve on the board's axes."""
        for i, (label, points) in enumerate(self.data.items()):
            xs, ys = [p.x for p in points], [p.y for p in points]
            if label in self._lines:
                self._lines[label].set_data(xs, ys)
            else:
                self._lines[label], = self.axes.plot(xs, ys, linestyle=self.ls[i % len(self.ls)],
                                                     color=self.colors[i % len(self.colors)], label=label)
        axes = self.axes
        axes.set_xscale(self.xscale)
        axes.set_yscale(self.yscale)
        axes.relim()
        axes.autoscale_view()
        if self.xlim:
            axes.set_xlim(self.xlim)
        if self.ylim:
            axes.set_ylim(self.ylim)
        if self.xlabel:
            axes.set_xlabel(self.xlabel)
        if self.ylabel:
            axes.set_ylabel(self.ylabel)
        axes.legend(loc="best")
