"""d2lkit: helpers for the course, with the names and call shapes of ``d2l.torch``.

Code written against ``from d2l import torch as d2l`` runs with ``import d2lkit as d2l``.
"""
import sys

from .aliases import (abs, arange, argmax, astype, batch_matmul, concat, cos, cosh, exp, expand_dims, eye,  # noqa: A004
                      float32, int32, int64, linspace, log, matmul, meshgrid, nn_Module, normal, numpy, ones,
                      ones_like, rand, randn, reduce_mean, reduce_sum, repeat, reshape, sigmoid, sin, sinh, size,
                      stack, swapaxes, tanh, tensor, to, transpose, zeros, zeros_like)
from .coverage import COVERED, EXTRAS, not_covered
from .data import DataModule, SyntheticRegressionData, data_file
from .exercises import NotAnsweredYet, WrongAnswer, check_answer
from .devices import cpu, gpu, num_gpus, try_all_gpus, try_gpu
from .fashion_mnist import FashionMNIST
from .hyperparameters import HyperParameters, add_to_class
from .models import SGD, Classifier, LinearRegression, LinearRegressionScratch, SoftmaxRegression
from .plotting import plot, plt, set_axes, set_figsize, show_images, use_svg_display
from .progress import ProgressBoard
from .timing import Accumulator, Timer
from .training import DivergenceWarning, Module, Trainer

__version__ = "0.1.0"

__all__ = COVERED + EXTRAS


def __getattr__(name: str):
    """Explain a name of a later d2l chapter; anything else fails as usual (with "Did you mean")."""
    module = sys.modules[__name__]
    reason = not_covered(name)
    raise AttributeError(reason or f"module {__name__!r} has no attribute {name!r}", name=name, obj=module)
