"""Parity of d2lkit with the reference ``d2l.torch`` 1.0.3: names, call signatures, behaviour.

Skipped when d2l is not installed (``python3 -m pip install --no-deps d2l==1.0.3``).
d2l is imported once for the module: the import takes about ten seconds.
"""
from __future__ import annotations

import ast
import inspect
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch

import d2lkit
import d2lkit.aliases
import d2lkit.coverage

REFERENCE_VERSION = "1.0.3"

PROMISED = d2lkit.coverage.COVERED  # sections 2.1-5.3 and the framework aliases, in one place
CALLABLES = [name for name in PROMISED if name not in d2lkit.aliases.NAMES and name != "plt"]
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


# d2l's section labels for 2.1-5.3 ("Defined in :numref:`...`" in d2l/torch.py's docstrings).
COVERED_LABELS = {"sec_calculus", "sec_oo-design", "subsec_oo-design-models", "sec_synthetic-regression-data",
                  "sec_linear_scratch", "sec_linear_concise", "sec_fashion_mnist", "sec_classification",
                  "sec_softmax_concise"}


def reference_names(d2l) -> dict[str, str]:
    """Map each public top-level name of d2l/torch.py to its section label ('alias' for the alias block)."""
    source = Path(inspect.getsourcefile(d2l)).read_text(encoding="utf-8")
    alias_line = source[:source.index("# Alias defined in config.ini")].count("\n") + 1
    names = {}
    for node in ast.parse(source).body:
        if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
            label = re.search(r"Defined in :numref:`([^`]+)`", ast.get_docstring(node) or "")
            names.setdefault(node.name, label.group(1) if label else "")
        elif isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    names[target.id] = "alias" if node.lineno > alias_line else names.get(target.id, "")
    return {name: label for name, label in names.items() if not name.startswith("_") and name != "d2l"}


def test_every_name_of_sections_2_1_to_5_3_and_every_alias_is_covered(d2l):
    names = reference_names(d2l)
    wanted = {name for name, label in names.items() if label in COVERED_LABELS | {"alias"}} | {"HyperParameters"}
    assert len(wanted) == 59  # d2l 1.0.3: 18 classes and functions of 2.1-5.3, 41 aliases
    assert sorted(wanted - set(d2lkit.coverage.COVERED)) == []
    assert sorted(set(d2lkit.aliases.NAMES)) == sorted(n for n, label in names.items() if label == "alias")


def test_every_other_name_of_d2l_is_placed_in_a_later_chapter(d2l):
    names = set(reference_names(d2l))
    later = set(d2lkit.coverage.CHAPTER_OF)
    assert sorted(names - set(d2lkit.coverage.COVERED) - later) == [], "add these to d2lkit.coverage.LATER"
    assert sorted(later - names) == [] and not later & set(d2lkit.coverage.COVERED)


def test_a_later_chapter_name_says_where_it_belongs():
    with pytest.raises(AttributeError, match=r"'RNNScratch': it belongs to d2l's chapter 9, Recurrent Neural "
                                             r"Networks\. d2lkit covers sections 2\.1-5\.3 only.*pip install d2l"):
        d2lkit.RNNScratch
    assert not hasattr(d2lkit, "load_data_fashion_mnist")


def test_an_unknown_name_keeps_pythons_error_and_suggestion():
    run = subprocess.run([sys.executable, "-c", "import d2lkit; d2lkit.Trainr"], capture_output=True, text=True)
    assert run.returncode == 1
    assert run.stderr.strip().endswith("AttributeError: module 'd2lkit' has no attribute 'Trainr'. "
                                       "Did you mean: 'Trainer'?"), run.stderr


def alias_calls():
    """(alias, arguments) as d2l's own code and the book's source call them."""
    x = torch.arange(6, dtype=torch.float32).reshape(2, 3) - 2.5
    return [
        ("ones", ((2, 3),)), ("zeros", ((2, 3),)), ("ones_like", (x,)), ("zeros_like", (x,)),
        ("tensor", ([[1.0, 2.0], [3.0, 4.0]],)), ("arange", (0, 5, 0.5)), ("linspace", (0, 1, 5)),
        ("eye", (3,)), ("meshgrid", (torch.arange(2), torch.arange(3))),
        ("sin", (x,)), ("sinh", (x,)), ("cos", (x,)), ("cosh", (x,)), ("tanh", (x,)), ("exp", (x,)),
        ("log", (x.abs() + 1,)), ("abs", (x,)), ("sigmoid", (x,)), ("matmul", (x, x.T)),
        ("batch_matmul", (x[None], x.T[None])), ("concat", ((x, x),)), ("stack", ((x, x),)),
        ("numpy", (x,)), ("size", (x,)), ("reshape", (x, (3, 2))), ("reshape", (x, -1)),
        ("to", (x, torch.float64)), ("to", (x, "cpu")), ("reduce_sum", (x,)), ("argmax", (x,)),
        ("astype", (x, torch.int64)), ("transpose", (x,)), ("reduce_mean", (x,)), ("expand_dims", (x, 0)),
        ("swapaxes", (x, 0, 1)), ("repeat", (x, 2, 1)),
    ]


@pytest.mark.filterwarnings("ignore:torch.meshgrid")  # d2l's alias is called without indexing=, as d2l does
@pytest.mark.parametrize("name, args", alias_calls(), ids=lambda v: v if isinstance(v, str) else "")
def test_aliases_give_d2ls_results(d2l, name, args):
    ours, theirs = getattr(d2lkit, name)(*args), getattr(d2l, name)(*args)
    assert_same(ours, theirs)


@pytest.mark.parametrize("name, kwargs", [("reduce_sum", {"axis": 0}), ("reduce_sum", {"axis": 1, "keepdims": True}),
                                           ("reduce_mean", {"axis": 0}), ("argmax", {"axis": 1})])
def test_aliases_take_d2ls_keyword_arguments(d2l, name, kwargs):
    x = torch.tensor([[1.0, 5.0, 3.0], [4.0, 2.0, 6.0]])
    assert_same(getattr(d2lkit, name)(x, **kwargs), getattr(d2l, name)(x, **kwargs))


def test_random_aliases_draw_the_same_numbers(d2l):
    for name, args in (("normal", (0, 1, (2, 3))), ("rand", (2, 3)), ("randn", (2, 3))):
        torch.manual_seed(3)
        ours = getattr(d2lkit, name)(*args)
        torch.manual_seed(3)
        assert_same(ours, getattr(d2l, name)(*args))


def test_dtype_and_module_aliases_are_torchs(d2l):
    for name in ("int32", "int64", "float32", "nn_Module"):
        assert getattr(d2lkit, name) is getattr(d2l, name)


def assert_same(ours, theirs):
    if isinstance(theirs, (tuple, list)):
        assert len(ours) == len(theirs)
        for a, b in zip(ours, theirs):
            assert_same(a, b)
    elif isinstance(theirs, torch.Tensor):
        assert ours.dtype == theirs.dtype and ours.device == theirs.device and torch.equal(ours, theirs)
    else:
        assert type(ours) is type(theirs)
        assert (ours == theirs).all() if hasattr(theirs, "all") else ours == theirs


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
