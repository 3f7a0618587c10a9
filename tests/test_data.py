"""DataModule.get_tensorloader and SyntheticRegressionData."""
import math

import pytest
import torch

import d2lkit
from d2lkit import DataModule, SyntheticRegressionData


class TensorData(DataModule):
    """A tiny DataModule over given tensors: the first ``num_train`` rows train, the rest validate."""

    def __init__(self, X, y, num_train, batch_size):
        super().__init__()
        self.save_hyperparameters()

    def get_dataloader(self, train):
        i = slice(0, self.num_train) if train else slice(self.num_train, None)
        return self.get_tensorloader((self.X, self.y), train, i)


def make(n=10, num_train=7, batch_size=3):
    X = torch.arange(n, dtype=torch.float32).reshape(n, 1) * torch.ones(1, 2)
    y = torch.arange(n)
    return TensorData(X, y, num_train, batch_size)


def test_datamodule_defaults_and_abstract_loader():
    data = DataModule()
    assert data.root == "../data" and data.num_workers == 4
    assert data.hparams == {"root": "../data", "num_workers": 4}
    with pytest.raises(NotImplementedError):
        data.train_dataloader()
    with pytest.raises(NotImplementedError):
        data.val_dataloader()


def test_train_and_val_dataloader_delegate_to_get_dataloader():
    class Recorder(DataModule):
        def get_dataloader(self, train):
            return ("loader", train)

    data = Recorder(root="/tmp/x", num_workers=0)
    assert data.train_dataloader() == ("loader", True)
    assert data.val_dataloader() == ("loader", False)
    assert data.root == "/tmp/x"


def test_tensorloader_val_batches_are_ordered_and_last_is_smaller():
    data = make()
    batches = list(data.val_dataloader())
    assert [len(X) for X, _ in batches] == [3]
    X, y = batches[0]
    assert y.tolist() == [7, 8, 9]
    assert X.shape == (3, 2) and X[:, 0].tolist() == [7.0, 8.0, 9.0]
    whole = make(n=10, batch_size=4)
    ordered = list(whole.get_tensorloader((whole.X, whole.y), train=False))
    assert [len(y) for _, y in ordered] == [4, 4, 2]
    assert torch.cat([y for _, y in ordered]).tolist() == list(range(10))


def test_tensorloader_train_shuffles_every_example_once():
    data = make(n=20, num_train=20, batch_size=6)
    loader = data.train_dataloader()
    assert len(loader) == 4
    torch.manual_seed(0)
    batches = list(loader)
    assert [len(y) for _, y in batches] == [6, 6, 6, 2]
    order = torch.cat([y for _, y in batches]).tolist()
    assert sorted(order) == list(range(20))
    assert order != list(range(20))
    for X, y in batches:  # features stay paired with their labels
        assert X[:, 1].tolist() == y.float().tolist()
    torch.manual_seed(0)
    assert torch.cat([y for _, y in loader]).tolist() == order  # seeded: reproducible
    assert torch.cat([y for _, y in loader]).tolist() != order  # next epoch: a new order


def test_tensorloader_accepts_index_tensors():
    data = make(batch_size=10)
    (X, y), = list(data.get_tensorloader((data.X, data.y), False, torch.tensor([9, 0, 4])))
    assert y.tolist() == [9, 0, 4]


@pytest.mark.parametrize("tensors", [(), [], (torch.zeros(3), [1, 2, 3])])
def test_tensorloader_rejects_non_tensors(tensors):
    with pytest.raises(TypeError, match="tensors"):
        make().get_tensorloader(tensors, True)


def test_tensorloader_rejects_mismatched_lengths():
    with pytest.raises(ValueError, match="first dimension"):
        make().get_tensorloader((torch.zeros(3, 2), torch.zeros(4)), True)


def test_tensorloader_rejects_empty_selection():
    data = make(n=5, num_train=5)
    with pytest.raises(ValueError, match="empty"):
        data.val_dataloader()


@pytest.mark.parametrize("batch_size", [0, -1, 2.0, True, None])
def test_tensorloader_rejects_bad_batch_size(batch_size):
    data = make(batch_size=batch_size)
    with pytest.raises(ValueError, match="batch_size"):
        data.train_dataloader()


def test_tensorloader_without_batch_size_attribute():
    class NoBatch(DataModule):
        pass

    with pytest.raises(ValueError, match="batch_size"):
        NoBatch().get_tensorloader((torch.zeros(2),), False)


def test_synthetic_data_shapes_and_hparams():
    w = torch.tensor([2.0, -3.4, 1.0])
    data = SyntheticRegressionData(w, 4.2, num_train=30, num_val=20, batch_size=8)
    assert data.X.shape == (50, 3) and data.y.shape == (50, 1)
    assert data.w is w and data.b == 4.2 and data.noise == 0.01 and data.batch_size == 8
    assert set(data.hparams) == {"w", "b", "noise", "num_train", "num_val", "batch_size"}
    assert data.root == "../data"  # from DataModule.__init__


def test_synthetic_data_follows_the_linear_model():
    torch.manual_seed(1)
    w = torch.tensor([2.0, -3.4])
    exact = SyntheticRegressionData(w, 4.2, noise=0.0, num_train=50, num_val=10)
    torch.testing.assert_close(exact.y, exact.X @ w.reshape(-1, 1) + 4.2)
    noisy = SyntheticRegressionData(w, 4.2, noise=0.5, num_train=2000, num_val=0)
    residual = noisy.y - (noisy.X @ w.reshape(-1, 1) + 4.2)
    assert residual.std().item() == pytest.approx(0.5, rel=0.1)
    assert abs(residual.mean().item()) < 0.05


def test_synthetic_data_loaders_split_train_and_val():
    torch.manual_seed(2)
    data = SyntheticRegressionData(torch.tensor([1.0]), 0.0, num_train=10, num_val=5, batch_size=4)
    train = data.train_dataloader()
    assert len(train) == math.ceil(10 / 4)
    train_X = torch.cat([X for X, _ in train])
    assert sorted(train_X[:, 0].tolist()) == sorted(data.X[:10, 0].tolist())
    val = list(data.val_dataloader())
    assert [len(X) for X, _ in val] == [4, 1]
    torch.testing.assert_close(torch.cat([X for X, _ in val]), data.X[10:])
    torch.testing.assert_close(torch.cat([y for _, y in val]), data.y[10:])


def test_synthetic_data_without_validation_returns_none():
    data = SyntheticRegressionData(torch.tensor([1.0]), 0.0, num_train=10, num_val=0)
    assert data.val_dataloader() is None
    assert len(data.train_dataloader()) == 1


@pytest.mark.parametrize("w", [[1.0, 2.0], torch.tensor(1.0), torch.ones(2, 2), torch.ones(0)])
def test_synthetic_data_rejects_bad_w(w):
    with pytest.raises(TypeError, match="w must"):
        SyntheticRegressionData(w, 0.0)


@pytest.mark.parametrize("name, value", [("num_train", 0), ("num_train", 1.5), ("num_val", -1),
                                         ("num_val", True), ("batch_size", 0), ("batch_size", "32")])
def test_synthetic_data_rejects_bad_sizes(name, value):
    with pytest.raises(ValueError, match=name):
        SyntheticRegressionData(torch.ones(2), 0.0, **{name: value})


def test_synthetic_data_rejects_negative_noise():
    with pytest.raises(ValueError, match="noise"):
        SyntheticRegressionData(torch.ones(2), 0.0, noise=-0.1)


def test_synthetic_splits_are_datasets_that_follow_X_and_y():
    torch.manual_seed(0)
    data = SyntheticRegressionData(w=torch.tensor([1.0, 2.0]), b=0.5, num_train=7, num_val=3)
    assert [len(data.train), len(data.val)] == [7, 3]
    assert torch.equal(data.train.tensors[0], data.X[:7]) and torch.equal(data.val.tensors[1], data.y[7:])
    data.X = torch.zeros(10, 2)  # replaced data is seen at once, as by get_dataloader
    assert torch.equal(data.train.tensors[0], torch.zeros(7, 2))


def test_iris_ships_with_the_package_and_is_fishers():
    import pandas as pd

    iris = pd.read_csv(d2lkit.data_file("iris.csv"))
    assert iris.shape == (150, 5) and iris.isna().sum().sum() == 0
    assert iris["species"].value_counts().to_dict() == {"setosa": 50, "versicolor": 50, "virginica": 50}
    means = iris.drop(columns="species").mean().round(3).to_dict()
    assert means == {"sepal_length": 5.843, "sepal_width": 3.057, "petal_length": 3.758, "petal_width": 1.199}
    assert iris.iloc[34].tolist() == [4.9, 3.1, 1.5, 0.2, "setosa"]  # Fisher's values (UCI's copy differs here)


def test_an_unknown_data_file_is_a_clear_error():
    with pytest.raises(FileNotFoundError, match=r"no data file 'irs.csv'; it has \['iris.csv'\]"):
        d2lkit.data_file("irs.csv")
