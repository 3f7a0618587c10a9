"""Hyperparameter bookkeeping and the add_to_class decorator."""
from __future__ import annotations

import inspect
from typing import Any, Callable, Iterable


def add_to_class(Class: type) -> Callable[[Callable], Callable]:
    """Register the decorated function as a method of ``Class`` (d2l style)."""
    if not isinstance(Class, type):
        raise TypeError(f"add_to_class: Class must be a class, got {type(Class).__name__}")

    def wrapper(obj: Callable) -> Callable:
        if not callable(obj) or not hasattr(obj, "__name__"):
            raise TypeError("add_to_class: the decorated object must be a named function")
        setattr(Class, obj.__name__, obj)
        return obj

    return wrapper


class HyperParameters:
    """Base class that saves the caller's arguments as attributes."""

    def save_hyperparameters(self, ignore: Iterable[str] = ()) -> None:
        """Save the calling function's local variables (minus ``ignore``) as attributes and in ``hparams``."""
        if isinstance(ignore, str):
            raise TypeError("save_hyperparameters: ignore must be a list of argument names, not one string")
        ignore = set(ignore)
        if not all(isinstance(name, str) for name in ignore):
            raise TypeError("save_hyperparameters: ignore must be a list of argument names (strings)")
        frame = inspect.currentframe().f_back
        try:
            local_vars = dict(frame.f_locals)
        finally:
            del frame
        unknown = sorted(ignore - set(local_vars))
        if unknown:
            raise ValueError(f"save_hyperparameters: ignore names {unknown} are not arguments of the caller")
        self.hparams: dict[str, Any] = {
            k: v for k, v in local_vars.items()
            if k not in ignore | {"self"} and not k.startswith("_")
        }
        for k, v in self.hparams.items():
            setattr(self, k, v)
