"""Plotting helpers (Agg backend) and d2lkit.display (static and live figure display)."""
import base64
import types

import matplotlib
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

import d2lkit
from d2lkit import display, plotting
from d2lkit.plotting import plt


@pytest.fixture(autouse=True)
def clean_matplotlib():
    plt.close("all")
    with matplotlib.rc_context():  # set_figsize/use_svg_display change rcParams: restore them
        yield
    plt.close("all")


# ---- plotting -------------------------------------------------------------------------------------------

def test_agg_backend_outside_ipython():
    assert not display.in_ipython()
    assert matplotlib.get_backend().lower() == "agg"
    assert d2lkit.plt is plt is matplotlib.pyplot


def test_set_figsize_changes_rcparams():
    d2lkit.set_figsize((5, 4))
    assert tuple(plt.rcParams["figure.figsize"]) == (5.0, 4.0)
    d2lkit.set_figsize()
    assert tuple(plt.rcParams["figure.figsize"]) == (3.5, 2.5)


@pytest.mark.parametrize("bad", [(3,), (3, 0), (3, -1), "35", (3, "2"), 3.5])
def test_set_figsize_rejects_bad_sizes(bad):
    before = tuple(plt.rcParams["figure.figsize"])
    with pytest.raises(ValueError, match="figsize"):
        d2lkit.set_figsize(bad)
    assert tuple(plt.rcParams["figure.figsize"]) == before


def test_use_svg_display_does_nothing_outside_ipython():
    plt.rcParams["figure.dpi"] = 50
    d2lkit.use_svg_display()
    assert plt.rcParams["figure.dpi"] == 50


def test_use_svg_display_in_ipython_selects_retina(monkeypatch):
    from matplotlib_inline import backend_inline

    calls = []
    monkeypatch.setattr(plotting, "in_ipython", lambda: True)
    monkeypatch.setattr(backend_inline, "set_matplotlib_formats", lambda *fmts: calls.append(fmts))
    d2lkit.use_svg_display()
    assert calls == [("retina",)]
    assert plt.rcParams["figure.dpi"] == display.DPI


def test_set_axes_sets_everything():
    fig, ax = plt.subplots()
    ax.plot([1, 2, 3], [1, 4, 9])
    ax.plot([1, 2, 3], [2, 3, 4])
    d2lkit.set_axes(ax, "x", "y", (1, 3), (0.5, 10), "linear", "log", ["a", "b"])
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "y")
    assert ax.get_xlim() == (1, 3) and ax.get_ylim() == pytest.approx((0.5, 10))
    assert (ax.get_xscale(), ax.get_yscale()) == ("linear", "log")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["a", "b"]


def test_set_axes_without_legend():
    fig, ax = plt.subplots()
    ax.plot([1, 2], [3, 4])
    d2lkit.set_axes(ax, None, None, None, None, "linear", "linear", None)
    assert ax.get_legend() is None


def test_plot_one_curve_against_its_index():
    d2lkit.plot([3.0, 1.0, 2.0], figsize=(4, 3))
    ax = plt.gca()
    (line,) = ax.get_lines()
    assert list(line.get_xdata()) == [0, 1, 2]
    assert list(line.get_ydata()) == [3.0, 1.0, 2.0]
    assert tuple(plt.rcParams["figure.figsize"]) == (4, 3)


def test_plot_several_curves_with_labels_and_legend():
    x = torch.arange(0, 3, 0.5)
    d2lkit.plot(x, [x ** 2, 2 * x - 1, torch.zeros_like(x)], "x", "f(x)", legend=["x^2", "2x-1", "0"])
    ax = plt.gca()
    lines = ax.get_lines()
    assert len(lines) == 3
    np.testing.assert_allclose(lines[0].get_xdata(), x.numpy())
    np.testing.assert_allclose(lines[1].get_ydata(), (2 * x - 1).numpy())
    assert [l.get_linestyle() for l in lines] == ["-", "--", "-."]
    assert lines[1].get_color() == "m"
    assert (ax.get_xlabel(), ax.get_ylabel()) == ("x", "f(x)")
    assert [t.get_text() for t in ax.get_legend().get_texts()] == ["x^2", "2x-1", "0"]


def test_plot_pairs_each_x_with_its_y_and_cycles_formats():
    xs = [np.arange(3), np.arange(4), np.arange(2), np.arange(5), np.arange(1)]
    ys = [x * 1.0 for x in xs]
    d2lkit.plot(xs, ys)
    lines = plt.gca().get_lines()
    assert [len(l.get_xdata()) for l in lines] == [3, 4, 2, 5, 1]
    assert lines[4].get_linestyle() == lines[0].get_linestyle() == "-"  # fmts repeat after four curves


def test_plot_uses_given_axes_and_clears_them():
    fig, (ax1, ax2) = plt.subplots(1, 2)
    ax2.plot([0, 1], [1, 0])
    d2lkit.plot([1, 2, 3], [4, 5, 6], axes=ax2)
    assert len(ax1.get_lines()) == 0
    (line,) = ax2.get_lines()
    assert list(line.get_ydata()) == [4, 5, 6]


def test_plot_mismatched_points_raise():
    with pytest.raises(ValueError, match="x has 3 points but y has 2"):
        d2lkit.plot([1, 2, 3], [1, 2])


def test_plot_mismatched_series_counts_raise():
    with pytest.raises(ValueError, match="2 x-series for 3 y-series"):
        d2lkit.plot([np.arange(2), np.arange(2)], [np.arange(2)] * 3)


def test_show_images_returns_axes_with_titles():
    imgs = torch.rand(5, 8, 8)
    axes = d2lkit.show_images(imgs, 2, 3, titles=["a", "b", "c", "d", "e"], scale=1.0)
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes] == ["a", "b", "c", "d", "e", ""]
    assert len(axes[0].get_images()) == 1 and len(axes[5].get_images()) == 0
    np.testing.assert_allclose(axes[2].get_images()[0].get_array(), imgs[2].numpy())
    assert axes[0].get_images()[0].get_cmap().name == "gray"
    assert not axes[0].get_xaxis().get_visible()
    assert tuple(axes[0].figure.get_size_inches()) == (3.0, 2.0)


def test_show_images_single_image_and_rgb():
    axes = d2lkit.show_images([np.zeros((4, 4, 3))], 1, 1)
    assert len(axes) == 1
    assert axes[0].get_images()[0].get_array().shape == (4, 4, 3)
    assert axes[0].get_title() == ""


@pytest.mark.parametrize("name, rows, cols", [("num_rows", 0, 2), ("num_cols", 2, 0),
                                              ("num_rows", 1.0, 1), ("num_cols", 1, True)])
def test_show_images_rejects_bad_grid(name, rows, cols):
    with pytest.raises(ValueError, match=name):
        d2lkit.show_images(torch.zeros(1, 2, 2), rows, cols)


# ---- display --------------------------------------------------------------------------------------------

def png_size(png: bytes) -> tuple[int, int]:
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def test_png_bundle_is_base64_png_with_half_size_metadata():
    fig = Figure(figsize=(3, 2))
    fig.add_subplot().plot([0, 1], [1, 0])
    data, metadata = display.png_bundle(fig)
    png = base64.b64decode(data["image/png"])
    width, height = png_size(png)
    assert width > 300 and height > 200  # rendered at twice the logical DPI
    assert metadata == {"image/png": {"width": width // 2, "height": height // 2}}


def test_static_mode_reads_environment(monkeypatch):
    monkeypatch.setenv("D2LKIT_PLOTS", "Static")
    assert display.static_mode()
    monkeypatch.setenv("D2LKIT_PLOTS", "live")
    assert not display.static_mode()
    monkeypatch.delenv("D2LKIT_PLOTS")
    assert not display.static_mode()


class FakeHandle:
    def __init__(self, log):
        self.log = log

    def update(self, data, metadata=None, raw=False):
        self.log.append(("update", self, data, metadata, raw))


@pytest.fixture
def fake_ipython(monkeypatch):
    """Pretend to run in IPython; record display() calls and handle updates instead of showing."""
    import IPython.display

    log = []

    def fake_display(data, metadata=None, raw=False, display_id=None):
        handle = FakeHandle(log)
        log.append(("display", handle, data, metadata, raw, display_id))
        return handle

    monkeypatch.setattr(display, "in_ipython", lambda: True)
    monkeypatch.setattr(display, "_hook_cell_end", lambda: None)
    monkeypatch.setattr(IPython.display, "display", fake_display)
    states = (display._pending, display._renderers, display._handles, display._last_update)
    for state in states:
        state.clear()
    yield log
    for state in states:
        state.clear()


def small_figure():
    fig = Figure(figsize=(1, 1))
    fig.add_subplot().plot([0, 1])
    return fig


def test_show_outside_ipython_does_nothing(monkeypatch):
    import IPython.display

    calls = []
    monkeypatch.setattr(IPython.display, "display", lambda *a, **k: calls.append(a))
    monkeypatch.setattr(display, "_hook_cell_end", lambda: calls.append("hook"))
    display.show(small_figure())
    assert calls == [] and display._pending == {}


def test_static_mode_shows_once_at_flush(monkeypatch, fake_ipython):
    monkeypatch.setenv("D2LKIT_PLOTS", "static")
    fig = small_figure()
    display.show(fig)
    display.show(fig)
    assert fake_ipython == []
    assert list(display._pending.values()) == [fig]
    display.flush()
    assert [entry[0] for entry in fake_ipython] == ["display"]
    _, _, data, metadata, raw, display_id = fake_ipython[0]
    assert "image/png" in data and "image/png" in metadata and raw is True and display_id is True
    assert display._pending == {} and display._handles == {} and display._last_update == {}
    display.flush()  # nothing pending any more
    assert len(fake_ipython) == 1


def test_render_runs_only_when_the_figure_is_drawn(monkeypatch, fake_ipython):
    """Static mode: a hundred updates cost one redraw, at the end of the cell; both boards of a shared figure."""
    monkeypatch.setenv("D2LKIT_PLOTS", "static")
    fig, calls = small_figure(), []

    class Board:
        def __init__(self, name):
            self.name = name

        def render(self):
            calls.append(self.name)

    left, right = Board("left"), Board("right")
    for _ in range(100):
        display.show(fig, render=left.render)
        display.show(fig, render=right.render)
    assert calls == []
    display.flush()
    assert calls == ["left", "right"] and display._renderers == {}


def test_outside_ipython_render_runs_at_once():
    calls = []
    display.show(small_figure(), render=lambda: calls.append(1))
    assert calls == [1] and display._pending == {}


def test_static_mode_shows_each_pending_figure(monkeypatch, fake_ipython):
    monkeypatch.setenv("D2LKIT_PLOTS", "static")
    display.show(small_figure())
    display.show(small_figure())
    display.flush()
    assert [entry[0] for entry in fake_ipython] == ["display", "display"]


def test_live_mode_shows_now_and_flush_updates_same_handle(monkeypatch, fake_ipython):
    monkeypatch.delenv("D2LKIT_PLOTS", raising=False)
    fig = small_figure()
    display.show(fig)
    assert [entry[0] for entry in fake_ipython] == ["display"]
    handle = fake_ipython[0][1]
    display.show(fig)  # within MIN_INTERVAL: not redrawn yet
    assert len(fake_ipython) == 1
    display.flush()
    assert [entry[0] for entry in fake_ipython] == ["display", "update"]
    assert fake_ipython[1][1] is handle
    assert display._pending == {} and display._handles == {} and display._last_update == {}


def test_live_mode_redraws_in_place_after_interval(monkeypatch, fake_ipython):
    monkeypatch.setenv("D2LKIT_PLOTS", "live")
    monkeypatch.setattr(display, "MIN_INTERVAL", 0.0)
    fig = small_figure()
    display.show(fig)
    display.show(fig)
    assert [entry[0] for entry in fake_ipython] == ["display", "update"]
    assert fake_ipython[1][1] is fake_ipython[0][1]


def test_flush_clears_state_even_if_display_fails(monkeypatch, fake_ipython):
    import IPython.display

    monkeypatch.setenv("D2LKIT_PLOTS", "static")
    display.show(small_figure())

    def broken(*args, **kwargs):
        raise RuntimeError("frontend gone")

    monkeypatch.setattr(IPython.display, "display", broken)
    with pytest.raises(RuntimeError, match="frontend gone"):
        display.flush()
    assert display._pending == {} and display._handles == {}


def test_hook_cell_end_registers_flush_once(monkeypatch):
    import IPython

    registered = []
    shell = types.SimpleNamespace(events=types.SimpleNamespace(
        register=lambda event, fn: registered.append((event, fn))))
    monkeypatch.setattr(IPython, "get_ipython", lambda: shell)
    monkeypatch.setattr(display, "_hooked", False)
    display._hook_cell_end()
    display._hook_cell_end()
    assert registered == [("post_execute", display.flush)]
