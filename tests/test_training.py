"""Module and Trainer: fitting on the CPU, validation, gradient clipping, students' overrides."""
import types

import pytest
import torch
from torch import nn

from d2lkit import (DataModule, LinearRegression, LinearRegressionScratch, Module, SoftmaxRegression,
                    SyntheticRegressionData, Trainer, add_to_class)
from d2lkit.plotting import plt

TRUE_W, TRUE_B = torch.tensor([2.0, -3.4]), 4.2


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")  # outside IPython every progress board draws on a pyplot figure


class Blobs(DataModule):
    """Three well separated Gaussian blobs in the plane: a linearly separable 3-class problem."""

    def __init__(self, num_train=300, num_val=150, batch_size=32):
        super().__init__()
        self.save_hyperparameters()
        centers = torch.tensor([[4.0, 0.0], [-4.0, 4.0], [-4.0, -4.0]])
        n = num_train + num_val
        self.y = torch.arange(n) % 3
        self.X = centers[self.y] + torch.randn(n, 2)

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


class EmptyTrain(DataModule):
    def train_dataloader(self):
        return torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.zeros(0, 2)), batch_size=4)

    def val_dataloader(self):
        return None


def regression_data(**kwargs):
    return SyntheticRegressionData(TRUE_W, TRUE_B, **kwargs)


# ---- Module ---------------------------------------------------------------------------------------------

def test_module_defaults():
    model = Module()
    assert model.plot_train_per_epoch == 2 and model.plot_valid_per_epoch == 1
    assert model.hparams == {"plot_train_per_epoch": 2, "plot_valid_per_epoch": 1}
    assert model.board.data == {}


def test_module_base_loss_and_forward_are_abstract():
    model = Module()
    with pytest.raises(NotImplementedError):
        model.loss(torch.zeros(1), torch.zeros(1))
    with pytest.raises(NotImplementedError, match="net"):
        model(torch.zeros(1))


def test_module_forward_applies_net_and_optimizer_uses_lr():
    model = Module()
    model.net = nn.Linear(3, 2)
    model.lr = 0.25
    X = torch.randn(4, 3)
    torch.testing.assert_close(model(X), model.net(X))
    opt = model.configure_optimizers()
    assert isinstance(opt, torch.optim.SGD) and opt.param_groups[0]["lr"] == 0.25
    assert len(opt.param_groups[0]["params"]) == 2


def test_module_plot_without_trainer_raises():
    with pytest.raises(RuntimeError, match="Trainer"):
        Module().plot("loss", torch.tensor(1.0), train=True)


def test_module_plot_positions_and_averaging():
    model = Module(plot_train_per_epoch=2, plot_valid_per_epoch=1)
    model.board.display = False
    model.trainer = types.SimpleNamespace(epoch=1, train_batch_idx=0, num_train_batches=4, num_val_batches=3)
    for idx, value in enumerate([1.0, 3.0, 5.0, 7.0]):
        model.trainer.train_batch_idx = idx
        model.plot("loss", torch.tensor(value), train=True)
    assert model.board.data["train_loss"] == [(0.125, 2.0), (0.625, 6.0)]  # every 4 / 2 = 2 batches
    for value in [1.0, 2.0, 6.0]:
        model.plot("acc", torch.tensor(value), train=False)
    assert model.board.data["val_acc"] == [(2.0, 3.0)]  # epoch + 1, mean of the 3 val batches
    assert model.board.xlabel == "epoch"


def test_training_step_returns_and_plots_loss():
    model = LinearRegressionScratch(2, lr=0.1)
    model.board.display = False
    model.trainer = types.SimpleNamespace(epoch=0, train_batch_idx=0, num_train_batches=1, num_val_batches=1)
    X, y = torch.ones(3, 2), torch.zeros(3, 1)
    loss = model.training_step((X, y))
    assert loss.requires_grad
    assert loss.item() == pytest.approx(model.loss(model(X), y).item())
    assert model.board.data["train_loss"] == [(0.0, pytest.approx(loss.item()))]
    model.validation_step((X, y))
    assert model.board.data["val_loss"][0].x == 1.0


# ---- Trainer arguments ----------------------------------------------------------------------------------

def test_trainer_saves_hyperparameters():
    trainer = Trainer(max_epochs=3, num_gpus=0, gradient_clip_val=0.5)
    assert (trainer.max_epochs, trainer.num_gpus, trainer.gradient_clip_val) == (3, 0, 0.5)
    assert trainer.device == torch.device("cpu")


@pytest.mark.parametrize("max_epochs", [0, -1, 1.5, True, "3"])
def test_trainer_rejects_bad_max_epochs(max_epochs):
    with pytest.raises(ValueError, match="max_epochs"):
        Trainer(max_epochs=max_epochs, num_gpus=0)


@pytest.mark.parametrize("value", [-0.1, -1, "1", None, True, float("nan")])
def test_trainer_rejects_bad_gradient_clip_val(value):
    with pytest.raises(ValueError, match="gradient_clip_val"):
        Trainer(max_epochs=1, num_gpus=0, gradient_clip_val=value)


def test_fit_rejects_non_datamodule_and_non_module():
    trainer = Trainer(max_epochs=1, num_gpus=0)
    with pytest.raises(TypeError, match="data must be a DataModule"):
        trainer.fit(LinearRegression(lr=0.1), [(torch.zeros(1, 2), torch.zeros(1, 1))])
    with pytest.raises(TypeError, match="model must be a d2lkit Module"):
        trainer.fit(nn.Linear(2, 1), regression_data(num_train=10, num_val=0))


def test_fit_with_empty_training_loader_raises():
    with pytest.raises(ValueError, match="training data loader is empty"):
        Trainer(max_epochs=1, num_gpus=0).fit(LinearRegression(lr=0.1), EmptyTrain())


# ---- fitting --------------------------------------------------------------------------------------------

def test_fit_linear_regression_scratch_recovers_w_and_b():
    torch.manual_seed(0)
    data = regression_data()  # 1000 train + 1000 val examples, batches of 32
    model = LinearRegressionScratch(2, lr=0.1)
    trainer = Trainer(max_epochs=3, num_gpus=0)
    trainer.fit(model, data)
    assert (model.w.reshape(-1) - TRUE_W).abs().max().item() < 0.02
    assert abs(model.b.item() - TRUE_B) < 0.02
    assert model.trainer is trainer and trainer.model is model
    assert trainer.num_train_batches == 32 and trainer.num_val_batches == 32
    assert trainer.train_batch_idx == 3 * 32 and trainer.val_batch_idx == 3 * 32
    assert trainer.epoch == 2
    # 2 averaged training points and 1 validation point per epoch
    assert len(model.board.data["train_loss"]) == 6
    assert [p.x for p in model.board.data["val_loss"]] == [1.0, 2.0, 3.0]
    assert model.board.data["val_loss"][-1].y < 0.01 < model.board.data["train_loss"][0].y
    assert model.board.xlim == [0, 3]


def test_fit_linear_regression_concise_recovers_w_and_b():
    torch.manual_seed(0)
    model = LinearRegression(lr=0.03)
    Trainer(max_epochs=3, num_gpus=0).fit(model, regression_data())
    w, b = model.get_w_b()
    assert (w.reshape(-1) - TRUE_W).abs().max().item() < 0.05
    assert abs(b.item() - TRUE_B) < 0.05


def test_fit_softmax_regression_separates_blobs():
    torch.manual_seed(0)
    data = Blobs()
    model = SoftmaxRegression(num_outputs=3, lr=0.1)
    Trainer(max_epochs=5, num_gpus=0).fit(model, data)
    with torch.no_grad():
        accuracy = model.accuracy(model(data.X[300:]), data.y[300:]).item()
    assert accuracy > 0.95
    val_acc = model.board.data["val_acc"]
    assert len(val_acc) == 5 and val_acc[-1].y > 0.95
    assert list(model.board.data) == ["train_loss", "val_loss", "val_acc"]


def test_fit_without_validation_data():
    torch.manual_seed(0)
    data = regression_data(num_train=64, num_val=0, batch_size=16)
    model = LinearRegression(lr=0.03)
    trainer = Trainer(max_epochs=2, num_gpus=0)
    trainer.fit(model, data)
    assert trainer.val_dataloader is None and trainer.num_val_batches == 0
    assert trainer.train_batch_idx == 8 and trainer.val_batch_idx == 0
    assert "val_loss" not in model.board.data and len(model.board.data["train_loss"]) == 4


# ---- gradient clipping ----------------------------------------------------------------------------------

class NormRecordingRegression(LinearRegression):
    """Records the global gradient norm each time the optimizer steps (after any clipping)."""

    def __init__(self, lr):
        super().__init__(lr)
        self.norms = []

    def configure_optimizers(self):
        optimizer = super().configure_optimizers()
        step = optimizer.step

        def recording_step(*args, **kwargs):
            grads = [p.grad for p in self.parameters() if p.grad is not None]
            self.norms.append(torch.sqrt(sum((g ** 2).sum() for g in grads)).item())
            return step(*args, **kwargs)

        optimizer.step = recording_step
        return optimizer


@pytest.mark.parametrize("clip", [0, 1.0])
def test_gradient_clipping_bounds_global_norm(clip):
    torch.manual_seed(0)
    data = SyntheticRegressionData(torch.tensor([30.0, -40.0]), 50.0, num_train=128, num_val=0, batch_size=32)
    model = NormRecordingRegression(lr=0.001)
    Trainer(max_epochs=2, num_gpus=0, gradient_clip_val=clip).fit(model, data)
    assert len(model.norms) == 8
    if clip:
        assert max(model.norms) <= clip * (1 + 1e-5)
        assert min(model.norms) == pytest.approx(clip, rel=1e-4)  # all of these gradients were clipped
    else:
        assert min(model.norms) > 10  # without clipping these gradients are large


def test_clip_gradients_rescales_to_the_bound():
    model = Module()
    model.net = nn.Linear(1, 2)
    model.net.weight.grad = torch.tensor([[3.0], [0.0]])
    model.net.bias.grad = torch.tensor([0.0, 4.0])
    trainer = Trainer(max_epochs=1, num_gpus=0)
    trainer.clip_gradients(10.0, model)  # norm 5 <= 10: untouched
    assert model.net.weight.grad.tolist() == [[3.0], [0.0]]
    trainer.clip_gradients(1.0, model)
    torch.testing.assert_close(model.net.weight.grad, torch.tensor([[0.6], [0.0]]))
    torch.testing.assert_close(model.net.bias.grad, torch.tensor([0.0, 0.8]))


def test_clip_gradients_ignores_parameters_without_gradient():
    model = Module()
    model.net = nn.Sequential(nn.Linear(1, 1, bias=False), nn.Linear(1, 1, bias=False))
    model.net[0].weight.grad = torch.tensor([[2.0]])
    model.net[1].weight.requires_grad_(False)
    model.net[1].weight.grad = torch.tensor([[100.0]])  # frozen: neither counted nor changed
    Trainer(max_epochs=1, num_gpus=0).clip_gradients(1.0, model)
    assert model.net[0].weight.grad.item() == pytest.approx(1.0)
    assert model.net[1].weight.grad.item() == 100.0
    Trainer(max_epochs=1, num_gpus=0).clip_gradients(1.0, Module())  # no parameters: nothing to do


def test_clip_gradients_handles_scalar_parameters():
    """A 0-dim nn.Parameter (e.g. a learnable scalar bias) must be clipped like any other."""
    model = Module()
    model.scale = nn.Parameter(torch.tensor(1.0))
    model.scale.grad = torch.tensor(5.0)
    Trainer(max_epochs=1, num_gpus=0).clip_gradients(1.0, model)
    assert model.scale.grad.item() == pytest.approx(1.0)


# ---- students' overrides --------------------------------------------------------------------------------

def test_fit_calls_fit_epoch_overridden_with_add_to_class(monkeypatch):
    original = Trainer.fit_epoch
    monkeypatch.setattr(Trainer, "fit_epoch", original)  # restored after the test
    epochs = []

    @add_to_class(Trainer)
    def fit_epoch(self):
        epochs.append(self.epoch)
        original(self)

    torch.manual_seed(0)
    model = LinearRegressionScratch(2, lr=0.03)
    trainer = Trainer(max_epochs=3, num_gpus=0)
    trainer.fit(model, regression_data(num_train=64, num_val=32, batch_size=32))
    assert epochs == [0, 1, 2]
    assert trainer.train_batch_idx == 6


def test_student_fit_epoch_replaces_the_loop(monkeypatch):
    monkeypatch.setattr(Trainer, "fit_epoch", Trainer.fit_epoch)

    @add_to_class(Trainer)
    def fit_epoch(self):  # a student's loop that only counts batches
        self.seen = getattr(self, "seen", 0) + sum(len(X) for X, _ in self.train_dataloader)

    model = LinearRegressionScratch(2, lr=0.03)
    w_before = model.w.detach().clone()
    trainer = Trainer(max_epochs=2, num_gpus=0)
    trainer.fit(model, regression_data(num_train=40, num_val=0, batch_size=16))
    assert trainer.seen == 80
    assert torch.equal(model.w.detach(), w_before)  # the built-in loop did not run


def test_fit_calls_prepare_batch_overridden_with_add_to_class(monkeypatch):
    monkeypatch.setattr(Trainer, "prepare_batch", Trainer.prepare_batch)
    calls = []

    @add_to_class(Trainer)
    def prepare_batch(self, batch):
        calls.append(len(batch[0]))
        X, y = batch
        return [X, torch.zeros_like(y)]  # train on zero targets instead

    torch.manual_seed(0)
    model = LinearRegression(lr=0.1)
    Trainer(max_epochs=3, num_gpus=0).fit(model, regression_data(num_train=64, num_val=16, batch_size=32))
    assert calls == [32, 32, 16] * 3  # two training batches, then one validation batch, per epoch
    w, b = model.get_w_b()
    assert w.abs().max().item() < 0.5 and abs(b.item()) < 0.5  # learned the zero targets, not TRUE_W


def test_overrides_do_not_leak_between_tests():
    assert Trainer.fit_epoch.__qualname__ == "Trainer.fit_epoch"
    assert Trainer.prepare_batch.__qualname__ == "Trainer.prepare_batch"


# ---- devices --------------------------------------------------------------------------------------------

def test_prepare_batch_moves_tensors_and_keeps_others():
    trainer = Trainer(max_epochs=1, num_gpus=0)
    X = torch.ones(2)
    out = trainer.prepare_batch((X, "label", 3))
    assert isinstance(out, list) and out[0] is X and out[1:] == ["label", 3]


def test_prepare_model_moves_parameters_and_plain_tensors_to_device(monkeypatch):
    """Simulate a GPU with the 'meta' device: the model and its plain tensors w, b must follow."""
    monkeypatch.setattr(Trainer, "device", property(lambda self: torch.device("meta")))
    trainer = Trainer(max_epochs=4, num_gpus=0)
    trainer.gpus = [torch.device("meta")]
    model = LinearRegressionScratch(2, lr=0.1)
    model.extra = nn.Linear(2, 2)
    trainer.prepare_model(model)
    assert model.trainer is trainer and trainer.model is model
    assert model.board.xlim == [0, 4]
    assert model.w.device.type == "meta" and model.w.requires_grad and model.w.is_leaf
    assert model.b.device.type == "meta" and model.b.requires_grad
    assert model.extra.weight.device.type == "meta"
    batch = trainer.prepare_batch((torch.ones(2), torch.zeros(2)))
    assert all(t.device.type == "meta" for t in batch)


def test_prepare_model_on_cpu_keeps_tensors():
    model = LinearRegressionScratch(2, lr=0.1)
    w = model.w
    Trainer(max_epochs=1, num_gpus=0).prepare_model(model)
    assert model.w is w
