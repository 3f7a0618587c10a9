"""Self-checks for exercises: compare a student's answer with the expected one, in both languages.

A check cell follows each checkable exercise::

    d2l.check_answer(lambda: c.shape, (3, 2, 2))                 # equal
    d2l.check_answer(lambda: w_hat, torch.tensor([2.0, -3.4]), tol=0.05)   # every entry within tol
    d2l.check_answer(lambda: accuracy, between=(0.8, 1.0))       # inside a range
    d2l.check_answer(lambda: f, where=lambda f: f(2) == 4, expect="a function with f(2) == 4")

The answer is passed as a function, so that a name the student has not defined yet reads as
"not answered yet" instead of a NameError. A right answer prints a verdict that does not depend
on the machine; a missing or wrong one raises, so "Run all" stops at the first exercise left to
do. The verdict says what was expected and what was found, never how to get there.
"""
from __future__ import annotations

from typing import Any, Callable

import torch

__all__ = ["check_answer", "NotAnsweredYet", "WrongAnswer"]


class NotAnsweredYet(Exception):
    """The answer cell above the check has not defined the names the check reads."""


class WrongAnswer(AssertionError):
    """The answer is defined but differs from the expected one."""


def _short(value: Any, limit: int = 200) -> str:
    text = repr(value)
    return text if len(text) <= limit else text[:limit] + " …"


def _equal(found: Any, expected: Any) -> bool:
    if isinstance(expected, torch.Tensor) or isinstance(found, torch.Tensor):
        found, expected = torch.as_tensor(found), torch.as_tensor(expected)
        return found.shape == expected.shape and bool((found == expected).all())
    result = found == expected
    return bool(result.all()) if hasattr(result, "all") else bool(result)


def _within(found: Any, expected: Any, tol: float) -> bool:
    found = torch.as_tensor(found, dtype=torch.float64).detach().cpu()
    expected = torch.as_tensor(expected, dtype=torch.float64)
    return found.shape == expected.shape and bool(((found - expected).abs() <= tol).all())


def _between(found: Any, low: float, high: float) -> bool:
    value = torch.as_tensor(found, dtype=torch.float64).detach().cpu()
    return value.numel() > 0 and bool(((value >= low) & (value <= high)).all())


def check_answer(answer: Callable[[], Any], expected: Any = None, *, tol: float | None = None,
                 between: tuple[float, float] | None = None, where: Callable[[Any], bool] | None = None,
                 expect: str | None = None) -> None:
    """Check ``answer()`` against exactly one of: ``expected`` (within ``tol`` if given), ``between``
    or the predicate ``where`` (described by ``expect``); print the verdict or raise."""
    __tracebackhide__ = True  # IPython shows the student's cell, not this function
    given = [expected is not None, between is not None, where is not None]
    if sum(given) != 1:
        raise TypeError("check_answer needs exactly one of expected, between= or where=")
    if where is not None and not expect:
        raise TypeError("check_answer(where=...) needs expect='what a right answer satisfies'")
    try:
        found = answer()
        right = bool(where(found)) if where is not None else None  # a predicate may read other answers
    except NameError as error:
        raise NotAnsweredYet(f"Not answered yet · 아직 답하지 않았습니다: {error.name!r} is not defined. "
                             f"Write your answer in the cell above, run it, then run this check again. · "
                             f"위 칸에 답을 쓰고 실행한 다음, 이 확인 칸을 다시 실행하세요.") from None
    if where is not None:
        wanted = expect
    elif between is not None:
        low, high = between
        right, wanted = _between(found, low, high), f"a value between {low} and {high}"
    elif tol is not None:
        right, wanted = _within(found, expected, tol), f"within {tol} of {_short(expected)}"
    else:
        right, wanted = _equal(found, expected), _short(expected)
    if not right:
        raise WrongAnswer(f"Not yet · 아직 아닙니다 — expected · 기대한 답: {wanted}; "
                          f"found · 찾은 답: {_short(found)}")
    print(f"✔ Correct · 정답입니다 — expected · 기대한 답: {wanted}")
