"""d2lkit.check_answer: the self-check that follows an exercise."""
from __future__ import annotations

import pytest
import torch

import d2lkit as d2l


def test_a_right_answer_prints_what_was_expected(capsys):
    c = torch.ones(3, 2, 2)
    d2l.check_answer(lambda: c.shape, (3, 2, 2))
    d2l.check_answer(lambda: torch.tensor([2.01, -3.39]), torch.tensor([2.0, -3.4]), tol=0.05)
    d2l.check_answer(lambda: 0.87, between=(0.8, 1.0))
    d2l.check_answer(lambda: abs, where=lambda f: f(-2) == 2, expect="a function with f(-2) == 2")
    lines = capsys.readouterr().out.splitlines()
    assert lines == ["✔ Correct · 정답입니다 — expected · 기대한 답: (3, 2, 2)",
                     "✔ Correct · 정답입니다 — expected · 기대한 답: within 0.05 of tensor([ 2.0000, -3.4000])",
                     "✔ Correct · 정답입니다 — expected · 기대한 답: a value between 0.8 and 1.0",
                     "✔ Correct · 정답입니다 — expected · 기대한 답: a function with f(-2) == 2"]


def test_a_name_not_defined_yet_means_not_answered():
    with pytest.raises(d2l.NotAnsweredYet, match="'my_answer' is not defined"):
        d2l.check_answer(lambda: my_answer, 1)  # noqa: F821
    with pytest.raises(d2l.NotAnsweredYet, match="'other_answer' is not defined"):  # read by the predicate
        d2l.check_answer(lambda: 1, where=lambda x: x < other_answer, expect="below the other answer")  # noqa: F821


@pytest.mark.parametrize("found, kwargs", [
    (torch.ones(3, 2), {"expected": (3, 2, 2)}),
    (torch.tensor([1, 2]), {"expected": torch.tensor([1, 3])}),
    (torch.tensor([1, 2]), {"expected": torch.tensor([1, 2, 3])}),  # shapes differ: never broadcast
    (torch.tensor([2.2, -3.4]), {"expected": torch.tensor([2.0, -3.4]), "tol": 0.05}),
    (0.5, {"between": (0.8, 1.0)}),
    (torch.tensor([0.9, 0.7]), {"between": (0.8, 1.0)}),
    (abs, {"where": lambda f: f(-2) == -2, "expect": "f(-2) == -2"}),
])
def test_a_wrong_answer_raises_with_expected_and_found(found, kwargs):
    with pytest.raises(d2l.WrongAnswer, match="expected · 기대한 답: .*; found · 찾은 답: "):
        d2l.check_answer(lambda: found, **kwargs)


def test_a_check_names_exactly_one_expectation():
    with pytest.raises(TypeError):
        d2l.check_answer(lambda: 1)
    with pytest.raises(TypeError):
        d2l.check_answer(lambda: 1, 1, between=(0, 2))
    with pytest.raises(TypeError):
        d2l.check_answer(lambda: 1, where=bool)
