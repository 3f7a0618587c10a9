"""Timer and Accumulator."""
import types

import pytest

from d2lkit import Accumulator, Timer
from d2lkit import timing


@pytest.fixture
def clock(monkeypatch):
    """Replace the timer's clock by one that returns the given readings in turn."""
    def set_readings(*readings):
        values = iter(readings)
        monkeypatch.setattr(timing, "time", types.SimpleNamespace(perf_counter=lambda: next(values)))
    return set_readings


def test_timer_records_elapsed_times(clock):
    clock(10.0, 11.5, 20.0, 22.5)
    timer = Timer()               # start at 10.0
    assert timer.stop() == pytest.approx(1.5)
    timer.start()                 # 20.0
    assert timer.stop() == pytest.approx(2.5)
    assert timer.times == pytest.approx([1.5, 2.5])
    assert timer.sum() == pytest.approx(4.0)
    assert timer.avg() == pytest.approx(2.0)
    assert timer.cumsum() == pytest.approx([1.5, 4.0])
    assert isinstance(timer.cumsum(), list)


def test_timer_with_real_clock_is_non_negative():
    timer = Timer()
    elapsed = timer.stop()
    assert isinstance(elapsed, float) and elapsed >= 0
    assert timer.times == [elapsed]


def test_timer_avg_without_times_raises():
    timer = Timer()
    assert timer.sum() == 0 and timer.cumsum() == []
    with pytest.raises(ValueError, match="no time recorded"):
        timer.avg()


def test_accumulator_adds_and_resets():
    acc = Accumulator(3)
    assert acc.data == [0.0, 0.0, 0.0]
    acc.add(1, 2.5, True)
    acc.add(2, 0.5, False)
    assert acc.data == [3.0, 3.0, 1.0]
    assert all(isinstance(v, float) for v in acc.data)
    assert (acc[0], acc[1], acc[-1]) == (3.0, 3.0, 1.0)
    acc.reset()
    assert acc.data == [0.0, 0.0, 0.0]


def test_accumulator_accepts_zero_dim_tensors():
    import torch

    acc = Accumulator(2)
    acc.add(torch.tensor(1.5), torch.tensor(2))
    assert acc.data == [1.5, 2.0]


@pytest.mark.parametrize("bad", [0, -1, 2.0, True, "2"])
def test_accumulator_rejects_bad_n(bad):
    with pytest.raises(ValueError, match=r"\bn must"):
        Accumulator(bad)


def test_accumulator_add_rejects_wrong_count():
    acc = Accumulator(2)
    with pytest.raises(ValueError, match="expected 2 values, got 1"):
        acc.add(1.0)
    assert acc.data == [0.0, 0.0]
