"""Matplotlib helpers with d2l's names: plot, set_axes, set_figsize, show_images."""
from __future__ import annotations

from typing import Any, Sequence

import matplotlib

from .display import DPI, in_ipython
from .fonts import use_korean_fallback

if not in_ipython():  # scripts and tests: never open a window
    matplotlib.use("Agg")
from matplotlib import pyplot as plt  # noqa: E402

use_korean_fallback()  # a Korean label in a figure draws real glyphs where such a font is installed

__all__ = ["plt", "use_svg_display", "set_figsize", "set_axes", "plot", "show_images"]


def use_svg_display() -> None:
    """Configure crisp PNG figures in Jupyter (d2l's name; SVG would break nbval's byte-for-byte comparison)."""
    if in_ipython():
        from matplotlib_inline.backend_inline import set_matplotlib_formats

        set_matplotlib_formats("retina")
        plt.rcParams["figure.dpi"] = DPI


def set_figsize(figsize: tuple[float, float] = (3.5, 2.5)) -> None:
    """Set the default figure size for matplotlib."""
    _check_figsize(figsize)
    use_svg_display()
    plt.rcParams["figure.figsize"] = figsize


def set_axes(axes: Any, xlabel: str | None, ylabel: str | None, xlim: Any, ylim: Any,
             xscale: str, yscale: str, legend: Sequence[str] | None) -> None:
    """Set labels, limits, scales, legend and grid of matplotlib axes."""
    axes.set_xlabel(xlabel)
    axes.set_ylabel(ylabel)
    axes.set_xscale(xscale)
    axes.set_yscale(yscale)
    axes.set_xlim(xlim)
    axes.set_ylim(ylim)
    if legend:
        axes.legend(legend)
    axes.grid()


def _has_one_axis(X: Any) -> bool:
    """True if X is a 1-D array/tensor or a flat list."""
    return (hasattr(X, "ndim") and X.ndim == 1) or (
        isinstance(X, list) and (len(X) == 0 or not hasattr(X[0], "__len__")))


def plot(X: Any, Y: Any = None, xlabel: str | None = None, ylabel: str | None = None,
         legend: Sequence[str] | None = None, xlim: Any = None, ylim: Any = None,
         xscale: str = "linear", yscale: str = "linear",
         fmts: Sequence[str] = ("-", "m--", "g-.", "r:"), figsize: tuple[float, float] = (3.5, 2.5),
         axes: Any = None) -> None:
    """Plot one or more curves (d2l's plot): Y against X, or X alone against its index."""
    if _has_one_axis(X):
        X = [X]
    if Y is None:
        X, Y = [[]] * len(X), X
    elif _has_one_axis(Y):
        Y = [Y]
    if len(X) != len(Y):
        if len(X) != 1:
            raise ValueError(f"plot: got {len(X)} x-series for {len(Y)} y-series")
        X = X * len(Y)
    set_figsize(figsize)
    if axes is None:
        axes = plt.gca()
    axes.cla()
    for x, y, fmt in zip(X, Y, _cycle(fmts, len(Y))):
        if len(x) and len(x) != len(y):
            raise ValueError(f"plot: x has {len(x)} points but y has {len(y)}")
        axes.plot(x, y, fmt) if len(x) else axes.plot(y, fmt)
    set_axes(axes, xlabel, ylabel, xlim, ylim, xscale, yscale, legend)


def show_images(imgs: Any, num_rows: int, num_cols: int, titles: Sequence[str] | None = None,
                scale: float = 1.5) -> Any:
    """Show a grid of images with optional titles; returns the flattened axes."""
    for name, value in (("num_rows", num_rows), ("num_cols", num_cols)):
        if not isinstance(value, int) or isinstance(value, bool) or value < 1:
            raise ValueError(f"show_images: {name} must be a positive integer, got {value!r}")
    use_svg_display()
    _, axes = plt.subplots(num_rows, num_cols, figsize=(num_cols * scale, num_rows * scale), squeeze=False)
    axes = axes.flatten()
    for i, (ax, img) in enumerate(zip(axes, imgs)):
        if hasattr(img, "detach"):
            img = img.detach().cpu().numpy()
        ax.imshow(img, cmap="gray" if getattr(img, "ndim", 3) == 2 else None)
        ax.axes.get_xaxis().set_visible(False)
        ax.axes.get_yaxis().set_visible(False)
        if titles is not None and i < len(titles):
            ax.set_title(titles[i])
    return axes


def _cycle(items: Sequence[str], n: int) -> list[str]:
    """Repeat ``items`` to length ``n``."""
    return [items[i % len(items)] for i in range(n)]


def _check_figsize(figsize: Any) -> None:
    if (not isinstance(figsize, (tuple, list)) or len(figsize) != 2
            or not all(isinstance(v, (int, float)) and v > 0 for v in figsize)):
        raise ValueError(f"figsize must be a pair of positive numbers, got {figsize!r}")
