"""ProgressBoard: averaging, drawing, user figures and display=False."""
import numpy as np
import pytest
import torch
from matplotlib.figure import Figure

from d2lkit import ProgressBoard
from d2lkit import progress
from d2lkit.plotting import plt


@pytest.fixture(autouse=True)
def close_figures():
    plt.close("all")
    yield
    plt.close("all")


@pytest.fixture
def shown(monkeypatch):
    """Record the figures the board hands to d2lkit.display.show."""
    figures = []

    def show(fig, render=None):  # as when the figure is drawn: brought up to date first
        if render is not None:
            render()
        figures.append(fig)

    monkeypatch.setattr(progress._display, "show", show)
    return figures


def test_board_saves_its_settings():
    board = ProgressBoard(xlabel="epoch", ylim=(0, 1), figsize=(4, 3), display=False)
    assert board.xlabel == "epoch" and board.ylim == (0, 1) and board.figsize == (4, 3)
    assert board.hparams["display"] is False
    assert board.fig is None and board.axes is None
    assert board.data == {} and board.raw_points == {}


def test_every_n_averages_points():
    board = ProgressBoard(display=False)
    for x, y in [(1, 10), (2, 20), (3, 30), (4, 50)]:
        board.draw(x, y, "loss", every_n=2)
    assert board.data["loss"] == [(1.5, 15.0), (3.5, 40.0)]
    assert board.data["loss"][0].x == 1.5 and board.data["loss"][1].y == 40.0
    assert board.raw_points["loss"] == []


def test_incomplete_group_is_kept_until_complete():
    board = ProgressBoard(display=False)
    board.draw(1, 1.0, "loss", every_n=3)
    board.draw(2, 2.0, "loss", every_n=3)
    assert board.data["loss"] == []
    assert board.raw_points["loss"] == [(1.0, 1.0), (2.0, 2.0)]
    board.draw(3, 6.0, "loss", every_n=3)
    assert board.data["loss"] == [(2.0, 3.0)]


def test_draw_accepts_tensors_and_numpy_scalars():
    board = ProgressBoard(display=False)
    board.draw(torch.tensor(1.0), np.float32(0.5), "acc")
    assert board.data["acc"] == [(1.0, 0.5)]
    assert all(type(v) is float for v in board.data["acc"][0])


def test_display_false_draws_nothing(shown):
    board = ProgressBoard(display=False)
    for i in range(4):
        board.draw(i, i, "loss")
    assert board.fig is None and board.axes is None
    assert shown == []
    assert len(board.data["loss"]) == 4


def test_lines_are_drawn_with_labels(shown):
    board = ProgressBoard(xlabel="epoch", ylabel="value", xlim=[0, 5], yscale="log")
    for x in range(4):
        board.draw(x, 1.0 + x, "train_loss", every_n=2)
        board.draw(x, 2.0 + x, "val_loss")
    assert isinstance(board.fig, Figure)
    assert board.axes in board.fig.axes
    lines = board.axes.get_lines()
    assert [line.get_label() for line in lines] == ["train_loss", "val_loss"]
    np.testing.assert_allclose(lines[0].get_xdata(), [0.5, 2.5])
    np.testing.assert_allclose(lines[0].get_ydata(), [1.5, 3.5])
    np.testing.assert_allclose(lines[1].get_ydata(), [2.0, 3.0, 4.0, 5.0])
    assert lines[0].get_linestyle() == "-" and lines[1].get_linestyle() == "--"
    assert [t.get_text() for t in board.axes.get_legend().get_texts()] == ["train_loss", "val_loss"]
    assert board.axes.get_xlabel() == "epoch" and board.axes.get_ylabel() == "value"
    assert board.axes.get_xlim() == (0, 5) and board.axes.get_yscale() == "log"
    # every completed point is shown: 2 averaged train points + 4 val points
    assert len(shown) == 6 and all(fig is board.fig for fig in shown)


def test_outside_ipython_board_draws_on_a_pyplot_figure(shown):
    """In a script the board's figure is a pyplot figure, so plt.show()/plt.savefig() find it."""
    board = ProgressBoard(figsize=(4, 3))
    board.draw(0, 1, "loss")
    assert plt.get_fignums() == [board.fig.number]
    assert plt.gcf() is board.fig
    assert tuple(board.fig.get_size_inches()) == (4, 3)


def test_in_ipython_board_figure_is_not_registered_with_pyplot(monkeypatch, shown):
    monkeypatch.setattr(progress._display, "in_ipython", lambda: True)
    board = ProgressBoard()
    board.draw(0, 1, "loss")
    assert isinstance(board.fig, Figure)
    assert plt.get_fignums() == []
    assert shown == [board.fig]


def test_user_supplied_axes_are_used(shown):
    fig, (ax1, ax2) = plt.subplots(1, 2)
    board = ProgressBoard(axes=ax2)
    board.draw(0, 1, "loss")
    board.draw(1, 2, "loss")
    assert board.axes is ax2 and board.fig is fig
    assert len(ax1.get_lines()) == 0
    (line,) = ax2.get_lines()
    np.testing.assert_allclose(line.get_ydata(), [1, 2])
    assert plt.fignum_exists(fig.number)  # outside IPython the user's pyplot figure stays open
    assert shown == [fig, fig]


def test_in_ipython_user_pyplot_figure_is_closed_from_pyplot(monkeypatch, shown):
    """The board shows the figure itself; pyplot must not show it a second time at the cell's end."""
    monkeypatch.setattr(progress._display, "in_ipython", lambda: True)
    fig, ax = plt.subplots()
    board = ProgressBoard(axes=ax)
    board.draw(0, 1, "loss")
    assert board.fig is fig and len(ax.get_lines()) == 1
    assert not plt.fignum_exists(fig.number)
    assert shown == [fig]


def test_user_supplied_figure_is_used(shown):
    fig = Figure()
    board = ProgressBoard(fig=fig)
    board.draw(0, 1, "loss")
    assert board.fig is fig
    assert fig.axes == [board.axes]
    assert len(board.axes.get_lines()) == 1


def test_user_supplied_figure_with_axes_reuses_first_axes(shown):
    fig = Figure()
    first = fig.add_subplot(1, 2, 1)
    fig.add_subplot(1, 2, 2)
    board = ProgressBoard(fig=fig)
    board.draw(0, 1, "loss")
    assert board.axes is first and len(fig.axes) == 2


@pytest.mark.parametrize("bad", [0, -2, 1.5, True])
def test_draw_rejects_bad_every_n(bad):
    board = ProgressBoard(display=False)
    with pytest.raises(ValueError, match="every_n"):
        board.draw(0, 1, "loss", every_n=bad)
    assert board.data == {}


def test_draw_rejects_non_string_label():
    board = ProgressBoard(display=False)
    with pytest.raises(TypeError, match="label"):
        board.draw(0, 1, 3)
