"""HyperParameters.save_hyperparameters and the add_to_class decorator."""
import pytest

from d2lkit import HyperParameters, add_to_class


class Point(HyperParameters):
    def __init__(self, x, y, scale=2.0, _cache=None, ignore_me="no"):
        self.save_hyperparameters(ignore=["ignore_me"])


def test_save_hyperparameters_sets_attributes_and_hparams():
    p = Point(1, 2)
    assert (p.x, p.y, p.scale) == (1, 2, 2.0)
    assert p.hparams == {"x": 1, "y": 2, "scale": 2.0}


def test_save_hyperparameters_skips_self_underscore_names_and_ignored():
    p = Point(1, 2, _cache="secret", ignore_me="yes")
    assert "self" not in p.hparams
    assert "_cache" not in p.hparams and not hasattr(p, "_cache")
    assert "ignore_me" not in p.hparams and not hasattr(p, "ignore_me")


def test_save_hyperparameters_without_ignore_saves_every_argument():
    class Plain(HyperParameters):
        def __init__(self, a, b=3):
            self.save_hyperparameters()

    obj = Plain(a=[1, 2])
    assert obj.hparams == {"a": [1, 2], "b": 3}
    assert obj.a == [1, 2] and obj.b == 3


def test_save_hyperparameters_keeps_values_by_identity():
    payload = object()

    class Holder(HyperParameters):
        def __init__(self, payload):
            self.save_hyperparameters()

    assert Holder(payload).payload is payload


def test_save_hyperparameters_ignore_accepts_a_tuple():
    class T(HyperParameters):
        def __init__(self, a, b):
            self.save_hyperparameters(ignore=("b",))

    assert T(1, 2).hparams == {"a": 1}


def test_save_hyperparameters_ignore_accepts_a_one_shot_iterator():
    """ignore is typed Iterable[str]; an iterator must be honoured, not silently consumed by validation."""
    class T(HyperParameters):
        def __init__(self, a, b):
            self.save_hyperparameters(ignore=iter(["b"]))

    t = T(1, 2)
    assert t.hparams == {"a": 1}
    assert not hasattr(t, "b")


def test_save_hyperparameters_rejects_a_str_ignore():
    class T(HyperParameters):
        def __init__(self, a, b):
            self.save_hyperparameters(ignore="b")

    with pytest.raises(TypeError, match="ignore"):
        T(1, 2)


def test_save_hyperparameters_rejects_non_str_names():
    class T(HyperParameters):
        def __init__(self, a):
            self.save_hyperparameters(ignore=[1])

    with pytest.raises(TypeError, match="ignore"):
        T(1)


def test_save_hyperparameters_rejects_unknown_ignore_names():
    class T(HyperParameters):
        def __init__(self, a):
            self.save_hyperparameters(ignore=["a", "typo"])

    with pytest.raises(ValueError, match="ignore.*typo"):
        T(1)


def test_add_to_class_registers_method_and_returns_function():
    class A:
        def __init__(self):
            self.value = 41

    @add_to_class(A)
    def bump(self):
        return self.value + 1

    assert A().bump() == 42
    assert A.bump is bump  # the decorator returns the function unchanged


def test_add_to_class_replaces_existing_method():
    class A:
        def who(self):
            return "old"

    @add_to_class(A)
    def who(self):
        return "new"

    assert A().who() == "new"


def test_add_to_class_rejects_an_instance():
    class A:
        pass

    with pytest.raises(TypeError, match="Class"):
        add_to_class(A())


def test_add_to_class_rejects_unnamed_or_non_callable_objects():
    class A:
        pass

    with pytest.raises(TypeError, match="named function"):
        add_to_class(A)(42)
    assert not hasattr(A, "42")
