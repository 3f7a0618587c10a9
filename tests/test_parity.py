"""Parity of d2lkit with the reference ``d2l.torch`` 1.0.3: names, call signatures, behaviour.

Skipped when d2l is not installed (``python3 -m pip install --no-deps d2l==1.0.3``).
d2l is imported once for the module: the import takes about ten seconds.
"""
from __future__ import annotations

import inspect

import pytest
import torch

import d2lkit

REFERENCE_VERSION = "1.0.3"

PROMISED = [
    "add_to_class", "HyperParameters", "ProgressBoard", "Module", "DataModule", "Trainer",
    "SyntheticRegressionData", "LinearRegressionScratch", "SGD", "LinearRegression", "Classifier",
    "SoftmaxRegression", "FashionMNIST", "plot", "set_axes", "set_figsize", "use_svg_display",
    "show_images", "Timer", "Accumulator", "cpu", "gpu", "num_gpus", "try_gpu", "try_all_gpus", "plt",
]
CALLABLES = [name for name in PROMISED if name != "plt"]
CLASSES = ["HyperParameters", "ProgressBoard", "Module", "DataModule", "Trainer", "SyntheticRegressionData",
           "LinearRegressionScratch", "SGD", "LinearRegression", "Classifier", "SoftmaxRegression",
           "FashionMNIST", "Timer", "Accumulator"]

# Deliberate, documented differences of defaults: (name, method, parameter) -> (d2l's, d2lkit's).
KNOWN_DEFAULT_DIFFERENCES = {
    # README "Devices": None trains on a GPU when one exists; d2l's 0 means the CPU.
    ("Trainer", "__init__", "num_gpus"): (0, None),
    # plot(legend=None) instead of a mutable []: both mean "no legend" (set_axes tests `if legend`).
    ("plot", None, "legend"): ([], None),
}


@pytest.fixture(scope="module")
def d2l():
    """The reference ``d2l.torch``, imported once; the module is skipped without it."""
    package = pytest.importorskip(
        "d2l", reason=f"d2l is not installed (python3 -m pip install --no-deps d2l=={REFERENCE_VERSION})")
    if getattr(package, "__version__", None) != REFERENCE_VERSION:
        pytest.skip(f"parity is checked against d2l {REFERENCE_VERSION}, found {package.__version__}")
    try:
        from d2l import torch as reference
    except ImportError as err:  # e.g. scipy missing: d2l.torch imports it at the top
        pytest.skip(f"d2l {REFERENCE_VERSION} is installed but d2l.torch does not import: {err}")
    return reference


def kind(obj) -> str:
    if inspect.isclass(obj):
        return "class"
    if inspect.ismodule(obj):
        return "module"
    if inspect.isfunction(obj) or inspect.isbuiltin(obj):
        return "function"
    return type(obj).__name__


# (a) names ---------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", PROMISED)
def test_name_exists_with_same_kind(d2l, name):
    assert hasattr(d2l, name), f"d2l.torch has no {name}"
    assert hasattr(d2lkit, name), f"d2lkit has no {name}"
    assert kind(getattr(d2lkit, name)) == kind(getattr(d2l, name))


def test_promised_names_are_exported():
    assert set(PROMISED) <= set(d2lkit.__all__)


def test_plt_is_pyplot(d2l):
    assert d2lkit.plt is d2l.plt


def test_class_hierarchy_matches(d2l):
    for sub in CLASSES:
        for base in CLASSES:
            expected = issubclass(getattr(d2l, sub), getattr(d2l, base))
            assert issubclass(getattr(d2lkit, sub), getattr(d2lkit, base)) == expected, (sub, base)
    assert issubclass(d2lkit.Module, torch.nn.Module)


# (b) signatures ----------------------------------------------------------------------------------

def same_default(ours, theirs) -> bool:
    """Equal defaults; a mutable list default of d2l's may be an equal tuple in d2lkit."""
    if ours is theirs:
        return True
    if isinstance(theirs, list) and isinstance(ours, tuple):
        return tuple(theirs) == ours
    return type(ours) is type(theirs) and ours == theirs


def check_compatible(label, name, method, theirs_fn, ours_fn):
    theirs = inspect.signature(theirs_fn).parameters
    ours = inspect.signature(ours_fn).parameters
    # positional calls bind the same: d2l's parameters come first, in d2l's order
    assert list(ours)[:len(theirs)] == list(theirs), f"{label}: parameters {list(ours)} vs d2l's {list(theirs)}"
    for pname, p in theirs.items():
        q = ours[pname]
        assert q.kind == p.kind, f"{label}({pname}): {q.kind} vs d2l's {p.kind}"
        known = KNOWN_DEFAULT_DIFFERENCES.get((name, method, pname))
        if known is not None:
            assert (p.default, q.default) == known, f"{label}({pname}): documented difference changed"
            continue
        assert same_default(q.default, p.default), f"{label}({pname}): default {q.default!r} vs d2l's {p.default!r}"
    for pname in list(ours)[len(theirs):]:  # additions must not change existing calls
        assert ours[pname].default is not inspect.Parameter.empty or ours[pname].kind in (
            inspect.Parameter.VAR_POSITIONAL, inspect.Parameter.VAR_KEYWORD), f"{label}: extra {pname} needs a default"


@pytest.mark.parametrize("name", CALLABLES)
def test_signatures_compatible(d2l, name):
    theirs, ours = getattr(d2l, name), getattr(d2lkit, name)
    if not inspect.isclass(theirs):
        check_compatible(name, name, None, theirs, ours)
        return
    check_compatible(f"{name}.__init__", name, "__init__", theirs.__init__, ours.__init__)
    for method, fn in vars(theirs).items():  # public methods d2l defines on this class
        if method.startswith("_") or not inspect.isfunction(fn):
            continue
        assert hasattr(ours, method), f"d2lkit.{name} lacks method {method}"
        check_compatible(f"{name}.{method}", name, method, fn, getattr(ours, method))


def test_documented_default_differences_still_hold(d2l):
    """Each documented difference is checked above; make sure each one still exists in d2l."""
    for (name, method, pname), (theirs, ours) in KNOWN_DEFAULT_DIFFERENCES.items():
        obj_theirs, obj_ours = getattr(d2l, name), getattr(d2lkit, name)
        if method:
            obj_theirs, obj_ours = getattr(obj_theirs, method), getattr(obj_ours, method)
        assert inspect.signature(obj_theirs).parameters[pname].default == theirs
        assert inspect.signature(obj_ours).parameters[pname].default == ours


def test_fashion_mnist_adds_root_with_d2l_default(d2l):
    ours = inspect.signature(d2lkit.FashionMNIST.__init__).parameters["root"]
    assert ours.default == inspect.signature(d2l.DataModule.__init__).parameters["root"].default


# (c) behaviour -----------------------------------------------------------------------------------

def tiny_hyperparameters(lib):
    class Tiny(lib.HyperParameters):
        def __init__(self, a, b=2, *, c="x", skipped=None, _private=1):
            local = a * 10  # noqa: F841 -- a local variable before the call is saved too, in both
            self.save_hyperparameters(ignore=["skipped"])

    return Tiny(1, c="y", skipped=3)


def test_save_hyperparameters_same_hparams(d2l):
    ours, theirs = tiny_hyperparameters(d2lkit), tiny_hyperparameters(d2l)
    assert ours.hparams == theirs.hparams == {"a": 1, "b": 2, "c": "y", "local": 10}
    assert (ours.a, ours.b, ours.c) == (theirs.a, theirs.b, theirs.c)
    assert not hasattr(ours, "skipped") and not hasattr(theirs, "skipped")


def test_model_hparams_match(d2l):
    for make in (lambda lib: lib.SoftmaxRegression(10, lr=0.1), lambda lib: lib.LinearRegressionScratch(2, 0.03),
                 lambda lib: lib.Module(), lambda lib: lib.Trainer(max_epochs=3, num_gpus=0)):
        assert make(d2lkit).hparams == make(d2l).hparams


def synthetic(lib, seed=1, **kwargs):
    torch.manual_seed(seed)
    return lib.SyntheticRegressionData(w=torch.tensor([2, -3.4]), b=4.2, **kwargs)


def test_synthetic_regression_data_identical(d2l):
    ours, theirs = synthetic(d2lkit, num_train=100, num_val=50, batch_size=8), synthetic(
        d2l, num_train=100, num_val=50, batch_size=8)
    assert ours.X.shape == theirs.X.shape == (150, 2)
    assert ours.y.shape == theirs.y.shape == (150, 1)
    assert torch.equal(ours.X, theirs.X) and torch.equal(ours.y, theirs.y)
    for train in (True, False):
        torch.manual_seed(2)
        a = list(ours.get_dataloader(train))
        torch.manual_seed(2)
        b = list(theirs.get_dataloader(train))
        assert len(a) == len(b)
        for (xa, ya), (xb, yb) in zip(a, b):  # same minibatches, shuffled the same way for the same seed
            assert torch.equal(xa, xb) and torch.equal(ya, yb)


@pytest.mark.parametrize("shape", [(64, 10), (4, 16, 5)])
def test_classifier_accuracy_and_loss_agree(d2l, shape):
    torch.manual_seed(3)
    Y_hat = torch.randn(*shape)
    Y = torch.randint(0, shape[-1], shape[:-1])
    ours, theirs = d2lkit.Classifier(), d2l.Classifier()
    for averaged in (True, False):
        a, b = ours.accuracy(Y_hat, Y, averaged=averaged), theirs.accuracy(Y_hat, Y, averaged=averaged)
        assert a.dtype == b.dtype and a.shape == b.shape and torch.equal(a, b)
        a, b = ours.loss(Y_hat, Y, averaged=averaged), theirs.loss(Y_hat, Y, averaged=averaged)
        assert a.shape == b.shape and torch.allclose(a, b)
    assert torch.equal(ours.accuracy(Y_hat, Y), theirs.accuracy(Y_hat, Y))


def test_add_to_class_registers_the_same_method(d2l):
    results = {}
    for lib in (d2lkit, d2l):
        class A:
            def __init__(self):
                self.b = 1

        @lib.add_to_class(A)
        def do(self, x=2):
            return self.b + x

        results[lib] = (A().do(), A().do(5), A.do.__name__)
        # the one difference: d2l's decorator returns None, d2lkit's returns the function
        assert (do is None) if lib is d2l else (do.__name__ == "do")
    assert results[d2lkit] == results[d2l] == (3, 6, "do")


def test_linear_regression_scratch_initial_parameters(d2l):
    models = []
    for lib in (d2lkit, d2l):
        torch.manual_seed(4)
        models.append(lib.LinearRegressionScratch(3, lr=0.03, sigma=0.1))
    ours, theirs = models
    assert torch.equal(ours.w, theirs.w) and torch.equal(ours.b, theirs.b)
    assert ours.w.shape == (3, 1) and ours.b.shape == (1,)
    assert ours.w.requires_grad and ours.b.requires_grad


def test_linear_regression_concise_keeps_the_initialisation_d2l_loses(d2l):
    """Both ask for N(0, 0.01) weights and a zero bias; d2l's lazy layer discards that at its first forward."""
    X = torch.randn(5, 2)
    weights = {}
    for lib in (d2lkit, d2l):
        torch.manual_seed(5)
        model = lib.LinearRegression(lr=0.03)
        model(X)  # materialise the lazy layer
        weights[lib.__name__] = model.get_w_b()
    w, b = weights["d2lkit"]
    assert w.shape == (1, 2) and w.abs().max() < 0.05 and b.tolist() == [0.0]
    w_d2l, b_d2l = weights[d2l.__name__]
    assert w_d2l.shape == (1, 2) and b_d2l.tolist() != [0.0]  # nn.Linear's default init won


def fit_scratch(lib):
    data = synthetic(lib)
    torch.manual_seed(6)
    model = lib.LinearRegressionScratch(2, lr=0.03)
    model.board.display = False
    lib.Trainer(max_epochs=2, num_gpus=0).fit(model, data)
    return model


def test_training_gives_the_same_model_and_curves(d2l):
    ours, theirs = fit_scratch(d2lkit), fit_scratch(d2l)
    assert torch.allclose(ours.w, theirs.w) and torch.allclose(ours.b, theirs.b)
    assert list(ours.board.data) == list(theirs.board.data) == ["train_loss", "val_loss"]
    for label, points in theirs.board.data.items():
        assert len(ours.board.data[label]) == len(points)
        for p, q in zip(ours.board.data[label], points):
            assert p.x == pytest.approx(float(q.x)) and p.y == pytest.approx(float(q.y), rel=1e-5)
    # display=False is honoured by both boards: nothing was drawn
    assert ours.board.fig is None and theirs.board.fig is None


def test_accumulator_agrees(d2l):
    ours, theirs = d2lkit.Accumulator(3), d2l.Accumulator(3)
    for acc in (ours, theirs):
        acc.add(1, 2.5, torch.tensor(3))
        acc.add(0.5, 0, 1)
    assert ours.data == theirs.data == [1.5, 2.5, 4.0]
    assert [ours[i] for i in range(3)] == [theirs[i] for i in range(3)]
    ours.reset(), theirs.reset()
    assert ours.data == theirs.data == [0.0] * 3


def test_timer_agrees(d2l):
    ours, theirs = d2lkit.Timer(), d2l.Timer()
    for timer in (ours, theirs):
        assert timer.times == []
        elapsed = timer.stop()
        assert isinstance(elapsed, float) and 0 <= elapsed < 5 and timer.times == [elapsed]
        timer.times = [1.0, 2.0, 4.5]
    assert ours.avg() == theirs.avg() and ours.sum() == theirs.sum()
    assert ours.cumsum() == theirs.cumsum() == [1.0, 3.0, 7.5]


def test_devices_agree(d2l):
    assert d2lkit.num_gpus() == d2l.num_gpus()
    assert d2lkit.cpu() == d2l.cpu()
    for i in range(3):
        assert d2lkit.gpu(i) == d2l.gpu(i)
        assert d2lkit.try_gpu(i) == d2l.try_gpu(i)
    assert d2lkit.try_gpu() == d2l.try_gpu()


def test_try_all_gpus_documented_fallback(d2l):
    """d2lkit returns [cpu()] without a GPU, as d2l's docstring says; d2l 1.0.3's code returns []."""
    if d2l.num_gpus():
        assert d2lkit.try_all_gpus() == d2l.try_all_gpus()
    else:
        assert d2l.try_all_gpus() == []
        assert d2lkit.try_all_gpus() == [d2lkit.cpu()]
