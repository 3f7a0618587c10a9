"""The framework aliases of ``d2l.torch``: short names that d2l's own code and the book's source use.

d2l writes ``d2l.reshape(X, (2, 3))`` or ``d2l.reduce_sum(x, axis=0)`` so that one text serves several
frameworks. With PyTorch each alias is a torch function, or a method called on its first argument.
Bound here one by one, as in ``d2l/torch.py`` 1.0.3 (nothing else of torch is re-exported).
"""
from __future__ import annotations

from typing import Any

import torch
from torch import nn

nn_Module = nn.Module

# Creating tensors
ones_like = torch.ones_like
ones = torch.ones
zeros_like = torch.zeros_like
zeros = torch.zeros
tensor = torch.tensor
arange = torch.arange
meshgrid = torch.meshgrid
linspace = torch.linspace
eye = torch.eye
normal = torch.normal
rand = torch.rand
randn = torch.randn

# Elementwise and linear-algebra functions
sin = torch.sin
sinh = torch.sinh
cos = torch.cos
cosh = torch.cosh
tanh = torch.tanh
exp = torch.exp
log = torch.log
abs = torch.abs
sigmoid = torch.sigmoid
matmul = torch.matmul
batch_matmul = torch.bmm
concat = torch.cat
stack = torch.stack

# Data types
int32 = torch.int32
int64 = torch.int64
float32 = torch.float32


# Methods called on the first argument, as d2l's lambdas do
def numpy(x: torch.Tensor, *args: Any, **kwargs: Any):
    """``x.detach().numpy()``: a NumPy array sharing memory with a CPU tensor."""
    return x.detach().numpy(*args, **kwargs)


def size(x: torch.Tensor, *args: Any, **kwargs: Any) -> int:
    """``x.numel()``: the number of elements (not the shape)."""
    return x.numel(*args, **kwargs)


def reshape(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.reshape(shape)``."""
    return x.reshape(*args, **kwargs)


def to(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.to(device_or_dtype)``."""
    return x.to(*args, **kwargs)


def reduce_sum(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.sum(...)``; d2l passes ``axis=`` (NumPy's name for ``dim``)."""
    return x.sum(*args, **kwargs)


def reduce_mean(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.mean(...)``; d2l passes ``axis=``."""
    return x.mean(*args, **kwargs)


def argmax(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.argmax(...)``; d2l passes ``axis=``."""
    return x.argmax(*args, **kwargs)


def astype(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.type(dtype)``: a copy converted to ``dtype``."""
    return x.type(*args, **kwargs)


def transpose(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.t()``: the transpose of a matrix (at most 2 dimensions)."""
    return x.t(*args, **kwargs)


def expand_dims(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.unsqueeze(dim)``: insert an axis of length 1."""
    return x.unsqueeze(*args, **kwargs)


def swapaxes(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.swapaxes(a, b)``."""
    return x.swapaxes(*args, **kwargs)


def repeat(x: torch.Tensor, *args: Any, **kwargs: Any) -> torch.Tensor:
    """``x.repeat(*sizes)``: tile the tensor."""
    return x.repeat(*args, **kwargs)


NAMES = [
    "nn_Module", "ones_like", "ones", "zeros_like", "zeros", "tensor", "arange", "meshgrid", "linspace", "eye",
    "normal", "rand", "randn", "sin", "sinh", "cos", "cosh", "tanh", "exp", "log", "abs", "sigmoid", "matmul",
    "batch_matmul", "concat", "stack", "int32", "int64", "float32", "numpy", "size", "reshape", "to",
    "reduce_sum", "reduce_mean", "argmax", "astype", "transpose", "expand_dims", "swapaxes", "repeat",
]
