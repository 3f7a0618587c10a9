"""Devices without a GPU: simulated GPU counts, selection and fallback, moving plain tensors."""
import warnings

import pytest
import torch
from torch import nn

import d2lkit
from d2lkit import devices
from d2lkit.training import Trainer, move_tensor_attributes


@pytest.fixture
def gpus(monkeypatch):
    """Simulate ``n`` CUDA devices: call gpus(n)."""
    def set_count(n):
        monkeypatch.setattr(torch.cuda, "device_count", lambda: n)
    return set_count


def test_cpu_and_gpu_devices():
    assert d2lkit.cpu() == torch.device("cpu")
    assert d2lkit.gpu() == torch.device("cuda:0")
    assert d2lkit.gpu(3) == torch.device("cuda", 3)


@pytest.mark.parametrize("bad", [-1, 1.0, True, "0"])
def test_gpu_rejects_bad_index(bad):
    with pytest.raises(ValueError, match="i must"):
        d2lkit.gpu(bad)


@pytest.mark.parametrize("n", [0, 1, 2])
def test_num_gpus_follows_torch(gpus, n):
    gpus(n)
    assert d2lkit.num_gpus() == n


def test_try_gpu_and_try_all_gpus_without_gpu(gpus):
    gpus(0)
    assert d2lkit.try_gpu() == torch.device("cpu")
    assert d2lkit.try_gpu(1) == torch.device("cpu")
    assert d2lkit.try_all_gpus() == [torch.device("cpu")]


def test_try_gpu_and_try_all_gpus_with_two_gpus(gpus):
    gpus(2)
    assert d2lkit.try_gpu() == torch.device("cuda:0")
    assert d2lkit.try_gpu(1) == torch.device("cuda:1")
    assert d2lkit.try_gpu(2) == torch.device("cpu")
    assert d2lkit.try_all_gpus() == [torch.device("cuda:0"), torch.device("cuda:1")]


def test_num_gpus_patch_on_module_is_honoured(monkeypatch):
    monkeypatch.setattr(devices, "num_gpus", lambda: 1)
    assert devices.try_gpu() == torch.device("cuda:0")
    assert devices.select_gpus(None) == [torch.device("cuda:0")]


@pytest.mark.parametrize("n, expected", [(0, []), (1, ["cuda:0"]), (2, ["cuda:0"])])
def test_select_gpus_none_picks_one_gpu_when_present(gpus, n, expected):
    gpus(n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert devices.select_gpus(None) == [torch.device(d) for d in expected]


def test_select_gpus_explicit_counts(gpus):
    gpus(2)
    assert devices.select_gpus(0) == []
    assert devices.select_gpus(2) == [torch.device("cuda:0"), torch.device("cuda:1")]


@pytest.mark.parametrize("bad", [-1, 1.5, True, "1"])
def test_select_gpus_rejects_bad_requests(gpus, bad):
    gpus(2)
    with pytest.raises(ValueError, match="num_gpus"):
        devices.select_gpus(bad)


def test_trainer_falls_back_with_one_warning_when_too_few_gpus(gpus):
    gpus(1)
    with pytest.warns(UserWarning, match=r"asked for 4 GPU\(s\) but 1 available") as record:
        trainer = Trainer(max_epochs=1, num_gpus=4)
    assert len(record) == 1
    message = str(record[0].message)
    assert "\n" not in message
    assert record[0].filename == __file__  # stacklevel points at the caller of Trainer
    assert trainer.gpus == [torch.device("cuda:0")]
    assert trainer.device == torch.device("cuda:0")


def test_trainer_falls_back_to_cpu_without_gpu(gpus):
    gpus(0)
    with pytest.warns(UserWarning, match="the CPU") as record:
        trainer = Trainer(max_epochs=1, num_gpus=2)
    assert len(record) == 1 and "\n" not in str(record[0].message)
    assert trainer.gpus == []
    assert trainer.device == torch.device("cpu")


@pytest.mark.parametrize("n, expected", [(0, "cpu"), (1, "cuda:0"), (2, "cuda:0")])
def test_trainer_default_device(gpus, n, expected):
    gpus(n)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trainer = Trainer(max_epochs=1)
    assert trainer.device == torch.device(expected)


def test_trainer_num_gpus_zero_stays_on_cpu_with_gpus(gpus):
    gpus(2)
    trainer = Trainer(max_epochs=1, num_gpus=0)
    assert trainer.gpus == [] and trainer.device == torch.device("cpu")


def test_trainer_negative_num_gpus_raises(gpus):
    gpus(1)
    with pytest.raises(ValueError, match="num_gpus"):
        Trainer(max_epochs=1, num_gpus=-1)


class Holder(nn.Module):
    def __init__(self):
        super().__init__()
        self.w = torch.ones(2, requires_grad=True)          # plain trainable tensor: moved
        self.const = torch.ones(2)                            # no grad: untouched
        self.param = nn.Parameter(torch.ones(2))              # nn.Parameter: left to model.to()
        self.derived = self.w * 2                             # not a leaf: untouched
        self.child = nn.Sequential(nn.Linear(2, 2))
        self.child.extra = torch.zeros(3, requires_grad=True)  # in a submodule: moved


def test_move_tensor_attributes_moves_plain_trainable_tensors():
    model = Holder()
    const, param, derived = model.const, model.param, model.derived
    move_tensor_attributes(model, torch.device("meta"))
    for t in (model.w, model.child.extra):
        assert t.device.type == "meta"
        assert t.requires_grad and t.is_leaf
    assert model.w.shape == (2,) and model.child.extra.shape == (3,)
    assert model.const is const and model.const.device.type == "cpu"
    assert model.param is param and model.param.device.type == "cpu"
    assert model.derived is derived and model.derived.device.type == "cpu"
    assert model.child[0].weight.device.type == "cpu"


def test_move_tensor_attributes_leaves_tensors_already_on_device():
    model = Holder()
    w = model.w
    move_tensor_attributes(model, torch.device("cpu"))
    assert model.w is w
