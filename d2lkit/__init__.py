"""d2lkit: helpers for the course, with the names and call shapes of ``d2l.torch``.

Code written against ``from d2l import torch as d2l`` runs with ``import d2lkit as d2l``.
"""
from .data import DataModule, SyntheticRegressionData, data_file
from .devices import cpu, gpu, num_gpus, try_all_gpus, try_gpu
from .fashion_mnist import FashionMNIST
from .hyperparameters import HyperParameters, add_to_class
from .models import SGD, Classifier, LinearRegression, LinearRegressionScratch, SoftmaxRegression
from .plotting import plot, plt, set_axes, set_figsize, show_images, use_svg_display
from .progress import ProgressBoard
from .timing import Accumulator, Timer
from .training import Module, Trainer

__version__ = "0.1.0"

__all__ = [
    "Accumulator", "Classifier", "DataModule", "FashionMNIST", "HyperParameters", "LinearRegression",
    "LinearRegressionScratch", "Module", "ProgressBoard", "SGD", "SoftmaxRegression",
    "SyntheticRegressionData", "Timer", "Trainer", "add_to_class", "cpu", "data_file", "gpu", "num_gpus", "plot",
    "plt", "set_axes", "set_figsize", "show_images", "try_all_gpus", "try_gpu", "use_svg_display",
]
