"""The Module base class and the Trainer that fits it, on a GPU when one exists."""
from __future__ import annotations

import warnings
from typing import Any

import torch
from torch import nn

from .console import ConsoleProgress
from .devices import cpu, select_gpus
from .hyperparameters import HyperParameters
from .progress import ProgressBoard


class DivergenceWarning(UserWarning):
    """The training loss became nan or infinite, most often because the learning rate is too high.

    Silence it with ``warnings.simplefilter("ignore", d2lkit.DivergenceWarning)``.
    """


class Module(nn.Module, HyperParameters):
    """The base class of models: forward, loss, plotting and the training/validation steps."""

    def __init__(self, plot_train_per_epoch: int = 2, plot_valid_per_epoch: int = 1) -> None:
        super().__init__()
        self.save_hyperparameters()
        self.board = ProgressBoard()

    def loss(self, y_hat: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        """Return the loss of predictions ``y_hat`` against targets ``y``."""
        raise NotImplementedError

    def forward(self, X: torch.Tensor) -> torch.Tensor:
        """Apply ``self.net`` to the input."""
        if not hasattr(self, "net"):
            raise NotImplementedError(f"{type(self).__name__} defines neither self.net nor forward()")
        return self.net(X)

    def plot(self, key: str, value: torch.Tensor, train: bool) -> None:
        """Plot ``value`` on the progress board as train_<key> or val_<key> against epochs."""
        if not hasattr(self, "trainer"):
            raise RuntimeError("Module.plot: the model is not attached to a Trainer (call trainer.fit first)")
        self.board.xlabel = "epoch"
        if train:
            x = self.trainer.train_batch_idx / self.trainer.num_train_batches
            n = self.trainer.num_train_batches / self.plot_train_per_epoch
        else:
            x = self.trainer.epoch + 1
            n = self.trainer.num_val_batches / self.plot_valid_per_epoch
        self.board.draw(x, value.detach().to(cpu()).numpy(), ("train_" if train else "val_") + key,
                        every_n=max(1, int(n)))

    def training_step(self, batch: Any) -> torch.Tensor:
        """Compute, plot and return the loss of one training minibatch."""
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=True)
        return l

    def validation_step(self, batch: Any) -> None:
        """Compute and plot the loss of one validation minibatch."""
        l = self.loss(self(*batch[:-1]), batch[-1])
        self.plot("loss", l, train=False)

    def loss_on(self, dataset: torch.utils.data.TensorDataset) -> float:
        """Return the mean loss on a whole in-memory split such as ``data.train`` (not in d2l).

        The board's curves average minibatches; this is the number to report and assert.
        """
        return self.loss(*self._outputs_on(dataset)).item()

    def _outputs_on(self, dataset: torch.utils.data.TensorDataset) -> tuple[torch.Tensor, torch.Tensor]:
        """Return the outputs and labels of a whole split, on the model's device, without gradients."""
        if not isinstance(dataset, torch.utils.data.TensorDataset) or len(dataset.tensors) < 2:
            raise TypeError("expected a TensorDataset of inputs and labels, e.g. data.val")
        *inputs, y = (t.to(model_device(self)) for t in dataset.tensors)
        with torch.no_grad():
            return self(*inputs), y

    def configure_optimizers(self) -> Any:
        """Return minibatch SGD over all parameters with learning rate ``self.lr``."""
        return torch.optim.SGD(self.parameters(), lr=self.lr)

    def apply_init(self, inputs: Any, init: Any = None) -> None:
        """Run one forward pass (to materialise lazy layers), then apply ``init`` to ``self.net``."""
        self.forward(*inputs)
        if init is not None:
            self.net.apply(init)


class Trainer(HyperParameters):
    """Fit a Module to a DataModule; uses a GPU when available unless ``num_gpus=0``.

    Outside Jupyter, ``fit`` shows a progress bar in the terminal (``enable_progress_bar=False``
    turns it off); in Jupyter the model's progress board is the display.
    """

    def __init__(self, max_epochs: int, num_gpus: int | None = None, gradient_clip_val: float = 0,
                 enable_progress_bar: bool = True) -> None:
        self.save_hyperparameters(ignore=["enable_progress_bar"])  # hparams stay d2l's
        self.enable_progress_bar = bool(enable_progress_bar)
        if not isinstance(max_epochs, int) or isinstance(max_epochs, bool) or max_epochs < 1:
            raise ValueError(f"Trainer: max_epochs must be an integer >= 1, got {max_epochs!r}")
        if (isinstance(gradient_clip_val, bool) or not isinstance(gradient_clip_val, (int, float))
                or not gradient_clip_val >= 0):
            raise ValueError(f"Trainer: gradient_clip_val must be a number >= 0, got {gradient_clip_val!r}")
        self.gpus = select_gpus(num_gpus)

    @property
    def device(self) -> torch.device:
        """The device that models and batches are moved to."""
        return self.gpus[0] if self.gpus else cpu()

    def prepare_data(self, data: Any) -> None:
        """Get the data loaders and count their batches."""
        if not hasattr(data, "train_dataloader") or not hasattr(data, "val_dataloader"):
            raise TypeError(f"Trainer.fit: data must be a DataModule, got {type(data).__name__}")
        self.train_dataloader = data.train_dataloader()
        self.val_dataloader = data.val_dataloader()
        self.num_train_batches = len(self.train_dataloader)
        if self.num_train_batches == 0:
            raise ValueError("Trainer.fit: the training data loader is empty")
        self.num_val_batches = len(self.val_dataloader) if self.val_dataloader is not None else 0

    def prepare_model(self, model: Module) -> None:
        """Attach the model and move it, plain tensor parameters included, to the device."""
        if not isinstance(model, Module):
            raise TypeError(f"Trainer.fit: model must be a d2lkit Module, got {type(model).__name__}")
        model.trainer = self
        model.board.xlim = [0, self.max_epochs]
        if self.gpus:
            model.to(self.device)
            move_tensor_attributes(model, self.device)
        self.model = model

    def fit(self, model: Module, data: Any) -> None:
        """Train ``model`` on ``data`` for ``max_epochs`` epochs."""
        self.prepare_data(data)
        self.prepare_model(model)
        self.optim = model.configure_optimizers()
        self.epoch = 0
        self.train_batch_idx = 0
        self.val_batch_idx = 0
        self.diverged = False
        with ConsoleProgress(self, enabled=self.enable_progress_bar) as self.progress:
            for self.epoch in range(self.max_epochs):
                self.fit_epoch()

    def fit_epoch(self) -> None:
        """Run one epoch of training, then one pass over the validation data."""
        self.model.train()
        for i, batch in enumerate(self.train_dataloader):
            loss = self.model.training_step(self.prepare_batch(batch))
            if not self.diverged and not torch.isfinite(loss).all():
                self.warn_divergence(loss, i)
            self.optim.zero_grad()
            with torch.no_grad():
                loss.backward()
                if self.gradient_clip_val > 0:
                    self.clip_gradients(self.gradient_clip_val, self.model)
                self.optim.step()
            self.train_batch_idx += 1
            self.progress.batch_done()
        if self.val_dataloader is not None:
            self.model.eval()
            for batch in self.val_dataloader:
                with torch.no_grad():
                    self.model.validation_step(self.prepare_batch(batch))
                self.val_batch_idx += 1
        self.progress.epoch_done()

    def warn_divergence(self, loss: torch.Tensor, batch: int) -> None:
        """Warn once per fit that the training loss is no longer finite; training goes on, as in d2l."""
        self.diverged = True
        lr = getattr(self.model, "lr", None)
        hint = f"lr={lr:g} is probably too high; try" if isinstance(lr, (int, float)) else "try"
        message = (f"the training loss became {loss.detach().float().mean().item()} at epoch {self.epoch + 1}, "
                   f"batch {batch + 1}: {hint} a smaller learning rate. Training continues (as in d2l).")
        with self.progress.printing():  # a fixed location keeps the message free of this machine's paths
            warnings.warn_explicit(message, DivergenceWarning, "d2lkit", 0)

    def prepare_batch(self, batch: Any) -> list:
        """Move every tensor of a batch to the training device."""
        return [a.to(self.device) if isinstance(a, torch.Tensor) else a for a in batch]

    def clip_gradients(self, grad_clip_val: float, model: nn.Module) -> None:
        """Rescale gradients so that their global L2 norm is at most ``grad_clip_val``."""
        params = [p for p in model.parameters() if p.requires_grad and p.grad is not None]
        if not params:
            return
        norm = torch.sqrt(sum(torch.sum(p.grad ** 2) for p in params))
        if norm > grad_clip_val:
            for param in params:
                param.grad.mul_(grad_clip_val / norm)


def move_tensor_attributes(model: nn.Module, device: torch.device) -> None:
    """Move trainable tensors stored as plain attributes (not nn.Parameter) to ``device``."""
    for module in model.modules():
        for name, value in list(vars(module).items()):
            if (isinstance(value, torch.Tensor) and not isinstance(value, nn.Parameter)
                    and value.requires_grad and value.is_leaf and value.device != device):
                setattr(module, name, value.detach().to(device).requires_grad_(True))


def model_device(model: nn.Module) -> torch.device:
    """Return the device of a model's first parameter or trainable tensor attribute (CPU if it has none)."""
    for param in model.parameters():
        return param.device
    for module in model.modules():
        for value in vars(module).values():
            if isinstance(value, torch.Tensor) and value.requires_grad:
                return value.device
    return torch.device("cpu")
