"""The models of chapters 3 and 4: linear regression, SGD, classification, softmax regression."""
from __future__ import annotations

from typing import Iterable

import torch
from torch import nn
from torch.nn import functional as F

from .hyperparameters import HyperParameters
from .training import Module


def _check_lr(lr: float, who: str) -> None:
    if isinstance(lr, bool) or not isinstance(lr, (int, float)) or not lr > 0:
        raise ValueError(f"{who}: lr must be a positive number, got {lr!r}")


class SmallInitLazyLinear(nn.LazyLinear):
    """A LazyLinear whose weights start at N(0, 0.01) and bias at 0 once its input size is known.

    d2l initialises its lazy layer in ``__init__``; materialising the layer silently undoes that.
    """

    def reset_parameters(self) -> None:
        """Initialise the materialised weights (the lazy layer calls this once shapes are known)."""
        if not self.has_uninitialized_params() and self.in_features != 0:
            nn.init.normal_(self.weight, 0, 0.01)
            nn.init.zeros_(self.bias)


class SGD(HyperParameters):
    """Minibatch stochastic gradient descent on a list of tensors."""

    def __init__(self, params: Iterable[torch.Tensor], lr: float) -> None:
        params = list(params)
        _check_lr(lr, "SGD")
        if not params or not all(isinstance(p, torch.Tensor) for p in params):
            raise TypeError("SGD: params must be a non-empty list of tensors")
        self.save_hyperparameters()

    def step(self) -> None:
        """Move every parameter against its gradient, scaled by lr."""
        for param in self.params:
            if param.grad is not None:
                param -= self.lr * param.grad

    def zero_grad(self) -> None:
        """Set every parameter's gradient to zero."""
        for param in self.params:
            if param.grad is not None:
                param.grad.zero_()


class LinearRegressionScratch(Module):
    """Linear regression with weights and bias as plain tensors."""

    def __init__(self, num_inputs: int, lr: float, sigma: float = 0.01) -> None:
        super().__init__()
        self.save_hyperparameters()
        if not isinstance(num_inputs, int) or isinstance(num_inputs, bool) or num_inputs < 1:
            raise ValueError(f"LinearRegressionScratch: num_inputs must be a positive integer, got {num_inputs!r}")
        _check_lr(lr, "LinearRegressionScratch")
        self.w = torch.normal(0, sigma, (num_inputs, 1), requires_grad=True)
        self.b = torch.zeros(1, requires_grad=True)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Return Xw + b."""
        return torch.matmul(X, self.w) + self.b

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the mean of half the squared errors."""
        return ((y_hat - y) ** 2 / 2).mean()

    def configure_optimizers(self) -> SGD:
        """Return our from-scratch SGD over w and b."""
        return SGD([self.w, self.b], self.lr)


class LinearRegression(Module):
    """Linear regression with nn.LazyLinear."""

    def __init__(self, lr: float) -> None:
        super().__init__()
        self.save_hyperparameters()
        _check_lr(lr, "LinearRegression")
        self.net = SmallInitLazyLinear(1)

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Apply the linear layer."""
        return self.net(X)

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the mean squared error."""
        return nn.MSELoss()(y_hat, y)

    def get_w_b(self) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the learned weight and bias."""
        return self.net.weight.data, self.net.bias.data


class Classifier(Module):
    """The base class of classification models: cross-entropy loss and accuracy."""

    def validation_step(self, batch: tuple) -> None:
        """Plot validation loss and accuracy of one minibatch."""
        Y_hat = self(*batch[:-1])
        self.plot("loss", self.loss(Y_hat, batch[-1]), train=False)
        self.plot("acc", self.accuracy(Y_hat, batch[-1]), train=False)

    def accuracy(self, Y_hat: torch.Tensor, Y: torch.Tensor, averaged: bool = True) -> torch.Tensor:
        """Return the fraction (or, if not averaged, the 0/1 vector) of correct predictions."""
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        if Y_hat.shape[0] != Y.numel():
            raise ValueError(f"accuracy: {Y_hat.shape[0]} predictions for {Y.numel()} labels")
        preds = Y_hat.argmax(dim=1).type(Y.dtype)
        compare = (preds == Y.reshape(-1)).type(torch.float32)
        return compare.mean() if averaged else compare

    def loss(self, Y_hat: torch.Tensor, Y: torch.Tensor, averaged: bool = True) -> torch.Tensor:
        """Return the cross-entropy loss of logits ``Y_hat`` against labels ``Y``."""
        Y_hat = Y_hat.reshape((-1, Y_hat.shape[-1]))
        return F.cross_entropy(Y_hat, Y.reshape((-1,)), reduction="mean" if averaged else "none")

    def evaluate(self, dataset: torch.utils.data.TensorDataset) -> tuple[float, float]:
        """Return (mean loss, accuracy) on a whole in-memory split such as ``data.val`` (not in d2l)."""
        Y_hat, y = self._outputs_on(dataset)
        return self.loss(Y_hat, y).item(), self.accuracy(Y_hat, y).item()

    def layer_summary(self, X_shape: tuple[int, ...]) -> None:
        """Print the output shape of each layer of ``self.net`` for a random input."""
        X = torch.randn(*X_shape)
        for layer in self.net:
            X = layer(X)
            print(layer.__class__.__name__, "output shape:\t", X.shape)


class SoftmaxRegression(Classifier):
    """Softmax regression: flatten, then one linear layer producing logits."""

    def __init__(self, num_outputs: int, lr: float) -> None:
        super().__init__()
        self.save_hyperparameters()
        _check_lr(lr, "SoftmaxRegression")
        self.net = nn.Sequential(nn.Flatten(), nn.LazyLinear(num_outputs))

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Return the logits."""
        return self.net(X)
