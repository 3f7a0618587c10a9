"""Showing figures in Jupyter: live animation, or one final figure per cell.

In a live kernel a figure is shown once and then updated in place while it is
redrawn. With ``D2LKIT_PLOTS=static`` (set by the tests and by
``tools/notebooks.py execute``) nothing is shown until the cell ends, and then
each pending figure exactly once. Outside IPython nothing is shown at all.
"""
from __future__ import annotations

import base64
import io
import os
import time
from typing import Any, Callable

DPI = 96            # logical resolution of figures on a page
MIN_INTERVAL = 0.2  # seconds between two live redraws of one figure

_pending: dict[int, Any] = {}   # id(figure) -> figure, to show when the cell ends
_renderers: dict[int, dict] = {}  # id(figure) -> {render: None}, what brings it up to date before showing
_handles: dict[int, Any] = {}   # id(figure) -> live display handle in the running cell
_last_update: dict[int, float] = {}
_hooked = False


def in_ipython() -> bool:
    """True when running inside an IPython kernel or shell."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    return get_ipython() is not None


def static_mode() -> bool:
    """True when figures must not animate (``D2LKIT_PLOTS=static``)."""
    return os.environ.get("D2LKIT_PLOTS", "").lower() == "static"


def png_bundle(fig: Any) -> tuple[dict, dict]:
    """Render a figure as a crisp (2x) PNG display bundle with its logical size."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=2 * DPI, bbox_inches="tight")
    png = buffer.getvalue()
    width, height = int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
    data = {"image/png": base64.b64encode(png).decode("ascii")}
    return data, {"image/png": {"width": width // 2, "height": height // 2}}


def show(fig: Any, render: Callable[[], None] | None = None) -> None:
    """Show ``fig`` now (live) or when the cell ends (static); outside IPython only ``render`` it.

    ``render`` updates the figure; it is called just before the figure is drawn, so frequent
    updates that are never shown (static mode, or within MIN_INTERVAL) cost nothing.
    """
    if not in_ipython():
        if render is not None:
            render()
        return
    _hook_cell_end()
    key = id(fig)
    _pending[key] = fig
    if render is not None:  # several boards may share one figure: keep each one's render
        _renderers.setdefault(key, {})[render] = None
    if static_mode() or time.monotonic() - _last_update.get(key, 0.0) < MIN_INTERVAL:
        return
    _update(key, fig)


def _update(key: int, fig: Any) -> None:
    from IPython.display import display

    for render in _renderers.get(key, ()):
        render()
    data, metadata = png_bundle(fig)
    if key in _handles:
        _handles[key].update(data, metadata=metadata, raw=True)
    else:
        _handles[key] = display(data, metadata=metadata, raw=True, display_id=True)
    _last_update[key] = time.monotonic()


def flush() -> None:
    """Show the final state of every pending figure once; forget this cell's displays."""
    try:
        for key, fig in list(_pending.items()):
            _update(key, fig)
    finally:
        _pending.clear()
        _renderers.clear()
        _handles.clear()
        _last_update.clear()


def _hook_cell_end() -> None:
    global _hooked
    if not _hooked:
        from IPython import get_ipython

        get_ipython().events.register("post_execute", flush)
        _hooked = True
