"""SGD, LinearRegressionScratch, LinearRegression, Classifier and SoftmaxRegression (no training loop)."""
import copy
import types

import pytest
import torch
from torch import nn
from torch.nn import functional as F

import d2lkit as d2l
from d2lkit import SGD, Classifier, LinearRegression, LinearRegressionScratch, SoftmaxRegression
from d2lkit.plotting import plt


@pytest.fixture(autouse=True)
def close_figures():
    yield
    plt.close("all")


def attach_fake_trainer(model, num_val_batches=1):
    """What Module.plot reads from a Trainer, without training."""
    model.trainer = types.SimpleNamespace(epoch=0, train_batch_idx=0, num_train_batches=1,
                                          num_val_batches=num_val_batches)


# ---- SGD ------------------------------------------------------------------------------------------------

def test_sgd_step_moves_against_gradient():
    w = torch.tensor([1.0, 2.0], requires_grad=True)
    b = torch.tensor([0.5], requires_grad=True)
    unused = torch.tensor([7.0], requires_grad=True)  # no gradient: left alone
    opt = SGD([w, b, unused], lr=0.1)
    (3 * w.sum() + 2 * b.sum()).backward()
    with torch.no_grad():
        opt.step()
    torch.testing.assert_close(w.detach(), torch.tensor([0.7, 1.7]))
    torch.testing.assert_close(b.detach(), torch.tensor([0.3]))
    assert unused.item() == 7.0 and unused.grad is None
    opt.zero_grad()
    assert w.grad.tolist() == [0.0, 0.0] and b.grad.tolist() == [0.0]
    assert unused.grad is None


def test_sgd_saves_params_list_and_lr():
    w = torch.zeros(2, requires_grad=True)
    opt = SGD((p for p in [w]), lr=1)
    assert opt.params == [w] and opt.params[0] is w
    assert opt.lr == 1 and opt.hparams == {"params": [w], "lr": 1}


@pytest.mark.parametrize("lr", [0, -0.1, "0.1", None, True, float("nan")])
def test_sgd_rejects_bad_lr(lr):
    with pytest.raises(ValueError, match="lr"):
        SGD([torch.zeros(1, requires_grad=True)], lr)


@pytest.mark.parametrize("params", [[], [1.0, 2.0], iter([])])
def test_sgd_rejects_bad_params(params):
    with pytest.raises(TypeError, match="params"):
        SGD(params, 0.1)


# ---- linear regression ----------------------------------------------------------------------------------

def test_linear_regression_scratch_parameters_forward_and_loss():
    torch.manual_seed(0)
    model = LinearRegressionScratch(3, lr=0.03, sigma=0.5)
    assert model.w.shape == (3, 1) and model.b.shape == (1,)
    assert model.w.requires_grad and model.b.requires_grad
    assert model.b.tolist() == [0.0]
    assert 0.1 < model.w.std().item() < 2  # drawn with sigma=0.5, not 0.01
    assert model.num_inputs == 3 and model.lr == 0.03 and model.sigma == 0.5
    with torch.no_grad():
        model.w.copy_(torch.tensor([[1.0], [2.0], [3.0]]))
        model.b.fill_(1.0)
    X = torch.tensor([[1.0, 1.0, 1.0], [0.0, 1.0, -1.0]])
    y_hat = model(X)
    torch.testing.assert_close(y_hat, torch.tensor([[7.0], [0.0]]))
    y = torch.tensor([[5.0], [1.0]])
    assert model.loss(y_hat, y).item() == pytest.approx((4 / 2 + 1 / 2) / 2)


def test_linear_regression_scratch_optimizer():
    model = LinearRegressionScratch(2, lr=0.5)
    opt = model.configure_optimizers()
    assert isinstance(opt, SGD)
    assert opt.params[0] is model.w and opt.params[1] is model.b and opt.lr == 0.5


@pytest.mark.parametrize("num_inputs", [0, -1, 2.0, True])
def test_linear_regression_scratch_rejects_bad_num_inputs(num_inputs):
    with pytest.raises(ValueError, match="num_inputs"):
        LinearRegressionScratch(num_inputs, lr=0.1)


@pytest.mark.parametrize("cls, args", [(LinearRegressionScratch, (2,)), (LinearRegression, ()),
                                       (SoftmaxRegression, (10,))])
@pytest.mark.parametrize("lr", [0, -1, "fast"])
def test_models_reject_bad_lr(cls, args, lr):
    with pytest.raises(ValueError, match="lr"):
        cls(*args, lr=lr)


def test_linear_regression_concise():
    model = LinearRegression(lr=0.03)
    assert isinstance(model.net, nn.LazyLinear)
    X = torch.randn(4, 2)
    y_hat = model(X)
    assert y_hat.shape == (4, 1)
    w, b = model.get_w_b()
    assert w.shape == (1, 2) and b.shape == (1,)
    torch.testing.assert_close(y_hat, X @ w.T + b)
    y = torch.zeros(4, 1)
    assert model.loss(y_hat, y).item() == pytest.approx((y_hat ** 2).mean().item())
    opt = model.configure_optimizers()
    assert isinstance(opt, torch.optim.SGD) and opt.param_groups[0]["lr"] == 0.03
    assert {id(p) for p in opt.param_groups[0]["params"]} == {id(model.net.weight), id(model.net.bias)}


def test_linear_regression_initialisation_survives_first_forward():
    """__init__ draws weights from N(0, 0.01) and zeroes the bias; the lazy layer must keep that."""
    torch.manual_seed(0)
    model = LinearRegression(lr=0.03)
    model(torch.randn(8, 2))  # materialises the LazyLinear layer
    w, b = model.get_w_b()
    assert b.tolist() == [0.0]
    assert w.abs().max().item() < 0.05  # default nn.Linear init would give up to 1/sqrt(2)


def test_linear_regression_initialises_once_also_in_a_copy():
    """A deep copy made before the first forward is initialised once, not again at every forward."""
    model = copy.deepcopy(LinearRegression(lr=0.03))
    X = torch.randn(8, 2)
    model(X)
    with torch.no_grad():
        model.net.weight.fill_(5.0)
    model(X)
    assert torch.all(model.net.weight == 5.0)
    assert type(model.net) is nn.Linear  # the lazy layer has become an ordinary one


def test_apply_init_materialises_lazy_layers_and_applies_init():
    model = LinearRegression(lr=0.1)

    def init_constant(module):
        if isinstance(module, nn.Linear):
            nn.init.constant_(module.weight, 0.5)
            nn.init.constant_(module.bias, -1.0)

    model.apply_init([torch.zeros(3, 4)], init_constant)
    w, b = model.get_w_b()
    assert w.shape == (1, 4) and torch.all(w == 0.5) and b.tolist() == [-1.0]


def test_apply_init_without_init_only_materialises():
    model = SoftmaxRegression(3, lr=0.1)
    model.apply_init([torch.zeros(2, 1, 2, 2)])
    assert model.net[1].weight.shape == (3, 4)


# ---- classification -------------------------------------------------------------------------------------

def test_accuracy_values():
    model = SoftmaxRegression(3, lr=0.1)
    Y_hat = torch.tensor([[0.1, 0.8, 0.1], [0.9, 0.05, 0.05], [0.2, 0.2, 0.6], [0.3, 0.4, 0.3]])
    Y = torch.tensor([1, 0, 0, 2])
    assert model.accuracy(Y_hat, Y).item() == pytest.approx(0.5)
    assert model.accuracy(Y_hat, Y, averaged=False).tolist() == [1.0, 1.0, 0.0, 0.0]
    assert model.accuracy(Y_hat.reshape(2, 2, 3), Y.reshape(2, 2)).item() == pytest.approx(0.5)


def test_accuracy_rejects_mismatched_counts():
    with pytest.raises(ValueError, match="3 predictions for 2 labels"):
        Classifier().accuracy(torch.zeros(3, 4), torch.zeros(2, dtype=torch.long))


def test_classifier_loss_is_cross_entropy():
    torch.manual_seed(0)
    logits, labels = torch.randn(5, 4), torch.tensor([0, 3, 1, 1, 2])
    model = Classifier()
    assert model.loss(logits, labels).item() == pytest.approx(F.cross_entropy(logits, labels).item())
    per_example = model.loss(logits, labels, averaged=False)
    assert per_example.shape == (5,)
    torch.testing.assert_close(per_example, -F.log_softmax(logits, dim=1)[torch.arange(5), labels])


def test_classifier_validation_step_plots_loss_and_accuracy():
    model = SoftmaxRegression(2, lr=0.1)
    model.board.display = False
    attach_fake_trainer(model)
    X = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
    model.apply_init([X])
    with torch.no_grad():
        model.net[1].weight.copy_(torch.eye(2))
        model.net[1].bias.zero_()
    model.validation_step((X, torch.tensor([0, 0])))
    assert list(model.board.data) == ["val_loss", "val_acc"]
    (x, acc), = model.board.data["val_acc"]
    assert x == 1.0 and acc == pytest.approx(0.5)
    (_, loss), = model.board.data["val_loss"]
    assert loss == pytest.approx(F.cross_entropy(torch.eye(2), torch.tensor([0, 0])).item())


def test_layer_summary_prints_each_layer(capsys):
    model = SoftmaxRegression(10, lr=0.1)
    model.layer_summary((2, 1, 28, 28))
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("Flatten output shape:") and "torch.Size([2, 784])" in lines[0]
    assert lines[1].startswith("Linear output shape:") and "torch.Size([2, 10])" in lines[1]


def test_softmax_regression_outputs_logits():
    model = SoftmaxRegression(num_outputs=10, lr=0.1)
    assert model.num_outputs == 10 and model.lr == 0.1
    X = torch.rand(4, 1, 28, 28)
    out = model(X)
    assert out.shape == (4, 10)
    linear = model.net[1]
    assert linear.weight.shape == (10, 784)
    torch.testing.assert_close(out, X.reshape(4, -1) @ linear.weight.T + linear.bias)


class PlainTensorClassifier(d2l.Classifier):
    """Parameters as plain tensors, as in Section 4.4."""

    def __init__(self):
        super().__init__()
        self.W = torch.normal(0, 0.1, (4, 3), requires_grad=True)

    def forward(self, X):
        return X @ self.W


def test_evaluate_is_loss_and_accuracy_over_the_whole_split():
    torch.manual_seed(0)
    X, y = torch.randn(50, 4), torch.randint(0, 3, (50,))
    for model in (d2l.SoftmaxRegression(3, lr=0.1), PlainTensorClassifier()):
        loss, acc = model.evaluate(torch.utils.data.TensorDataset(X, y))
        with torch.no_grad():
            Y_hat = model(X)
        assert loss == pytest.approx(torch.nn.functional.cross_entropy(Y_hat, y).item())
        assert acc == pytest.approx((Y_hat.argmax(1) == y).float().mean().item())


def test_loss_on_is_the_loss_of_the_whole_split_without_gradients():
    torch.manual_seed(0)
    data = d2l.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2, num_train=30, num_val=20)
    for model in (d2l.LinearRegression(lr=0.1), d2l.LinearRegressionScratch(2, lr=0.1)):
        model(data.X[:1])  # materialise lazy layers
        loss = model.loss_on(data.train)
        with torch.no_grad():
            expected = model.loss(model(data.X[:30]), data.y[:30]).item()
        assert loss == pytest.approx(expected)
        assert model.loss_on(data.val) != loss


def test_evaluate_rejects_what_is_not_a_split():
    with pytest.raises(TypeError, match="TensorDataset"):
        d2l.SoftmaxRegression(3, lr=0.1).evaluate((torch.zeros(2, 4), torch.zeros(2)))
    with pytest.raises(TypeError, match="TensorDataset"):
        d2l.LinearRegression(lr=0.1).loss_on(torch.zeros(2, 4))
    with pytest.raises(TypeError, match="TensorDataset"):
        d2l.SoftmaxRegression(3, lr=0.1).evaluate(torch.utils.data.TensorDataset(torch.zeros(2, 4)))


def test_model_device_finds_parameters_plain_tensors_or_defaults_to_cpu():
    from d2lkit.training import model_device

    assert model_device(torch.nn.Linear(2, 1)) == torch.device("cpu")
    assert model_device(PlainTensorClassifier()) == torch.device("cpu")
    assert model_device(torch.nn.ReLU()) == torch.device("cpu")
