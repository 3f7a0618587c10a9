"""Fashion-MNIST with small generated IDX files: discovery order, decoding, loaders. No network, no /usr/share."""
import gzip
import socket
import struct
from pathlib import Path

import pytest
import torch

from d2lkit import FashionMNIST
from d2lkit import fashion_mnist as fm
from d2lkit.plotting import plt

N_TRAIN, N_TEST = 12, 6
STEP = 14  # pixel value step between images: 14 * 17 < 256
REAL_DOWNLOAD = fm.download  # the autouse fixture replaces fm.download by a fake


def idx_bytes(array: torch.Tensor) -> bytes:
    """Encode a uint8 tensor as an IDX file (magic 0x0000 08 ndim, big-endian sizes, raw bytes)."""
    header = bytes([0, 0, 0x08, array.dim()]) + b"".join(struct.pack(">I", n) for n in array.shape)
    return header + array.contiguous().numpy().tobytes()


def write_idx(path: Path, array: torch.Tensor, gz: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = idx_bytes(array)
    if gz:
        path = path.with_name(path.name + ".gz")
        path.write_bytes(gzip.compress(data))
    else:
        path.write_bytes(data)
    return path


def images(n: int, offset: int = 0) -> torch.Tensor:
    """n images of 28x28; image i is filled with STEP * (i + offset), so it can be recognised later."""
    return (torch.arange(n, dtype=torch.uint8) + offset).mul(STEP).reshape(n, 1, 1).expand(n, 28, 28).clone()


def labels(n: int) -> torch.Tensor:
    return torch.arange(n, dtype=torch.uint8) % 10


def write_dataset(folder: Path, gz: bool = False) -> Path:
    """Write the four Fashion-MNIST files (12 train, 6 test images) into ``folder``."""
    write_idx(folder / "train-images-idx3-ubyte", images(N_TRAIN), gz)
    write_idx(folder / "train-labels-idx1-ubyte", labels(N_TRAIN), gz)
    write_idx(folder / "t10k-images-idx3-ubyte", images(N_TEST, offset=N_TRAIN), gz)
    write_idx(folder / "t10k-labels-idx1-ubyte", labels(N_TEST), gz)
    return folder


@pytest.fixture
def downloads(monkeypatch):
    """Replace the download by a fake: records each call and returns ``result`` (None = failed)."""
    calls = []
    state = {"result": None}

    def fake_download(root):
        calls.append(root)
        return state["result"]

    monkeypatch.setattr(fm, "download", fake_download)
    fake_download.calls = calls
    fake_download.state = state
    return fake_download


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path, downloads):
    """Never look at the real Debian folder, $D2LKIT_FASHION_MNIST or the network; fresh caches and figures."""
    monkeypatch.setattr(fm, "DEBIAN_DIR", tmp_path / "debian")
    monkeypatch.delenv(fm.ENV_VAR, raising=False)
    fm.load_split.cache_clear()
    plt.close("all")
    yield
    fm.load_split.cache_clear()
    plt.close("all")


@pytest.fixture
def root(tmp_path):
    """A root in torchvision's layout holding the plain IDX files."""
    write_dataset(tmp_path / "root" / "FashionMNIST" / "raw")
    return tmp_path / "root"


# ---- finding the files ----------------------------------------------------------------------------------

def test_find_file_prefers_plain_then_gz(tmp_path):
    assert fm.find_file(tmp_path, "x") is None
    (tmp_path / "x.gz").write_bytes(b"")
    assert fm.find_file(tmp_path, "x") == tmp_path / "x.gz"
    (tmp_path / "x").write_bytes(b"")
    assert fm.find_file(tmp_path, "x") == tmp_path / "x"


def test_has_dataset_needs_all_four_files(tmp_path):
    folder = write_dataset(tmp_path / "d", gz=True)
    assert fm.has_dataset(folder)
    (folder / "t10k-labels-idx1-ubyte.gz").unlink()
    assert not fm.has_dataset(folder)
    assert not fm.has_dataset(tmp_path / "missing")


def test_locate_prefers_root_layout(tmp_path, root, monkeypatch, downloads):
    monkeypatch.setenv(fm.ENV_VAR, str(write_dataset(tmp_path / "env")))
    write_dataset(fm.DEBIAN_DIR)
    assert fm.locate(root) == root / "FashionMNIST" / "raw"
    assert fm.locate(str(root)) == root / "FashionMNIST" / "raw"
    assert downloads.calls == []


def test_locate_then_environment_variable(tmp_path, monkeypatch, downloads):
    env = write_dataset(tmp_path / "env", gz=True)
    monkeypatch.setenv(fm.ENV_VAR, str(env))
    write_dataset(fm.DEBIAN_DIR)
    assert fm.locate(tmp_path / "empty-root") == env
    assert downloads.calls == []


def test_locate_skips_incomplete_root(tmp_path, monkeypatch):
    raw = write_dataset(tmp_path / "root" / "FashionMNIST" / "raw")
    (raw / "train-images-idx3-ubyte").unlink()
    env = write_dataset(tmp_path / "env")
    monkeypatch.setenv(fm.ENV_VAR, str(env))
    assert fm.locate(tmp_path / "root") == env


def test_locate_then_debian_folder(tmp_path, monkeypatch, downloads):
    monkeypatch.setenv(fm.ENV_VAR, str(tmp_path / "env-without-files"))
    write_dataset(fm.DEBIAN_DIR, gz=True)
    assert fm.locate(tmp_path / "empty-root") == fm.DEBIAN_DIR
    assert downloads.calls == []


def test_locate_ignores_empty_environment_variable(tmp_path, monkeypatch):
    monkeypatch.setenv(fm.ENV_VAR, "")
    write_dataset(fm.DEBIAN_DIR)
    assert fm.locate(tmp_path / "empty-root") == fm.DEBIAN_DIR


def test_locate_then_download(tmp_path, downloads):
    downloaded = write_dataset(tmp_path / "downloaded")
    downloads.state["result"] = downloaded
    assert fm.locate(str(tmp_path / "r")) == downloaded
    assert downloads.calls == [tmp_path / "r"]
    assert isinstance(downloads.calls[0], Path)


def test_locate_missing_everywhere_names_all_four_ways(tmp_path, downloads):
    with pytest.raises(FileNotFoundError) as info:
        fm.locate(tmp_path / "r")
    message = str(info.value)
    assert str(tmp_path / "r" / "FashionMNIST" / "raw") in message
    assert "$D2LKIT_FASHION_MNIST" in message
    assert "apt-get install dataset-fashion-mnist" in message
    assert "download" in message
    assert downloads.calls == [tmp_path / "r"]  # the download was tried before giving up


def test_fashion_mnist_missing_raises_file_not_found(tmp_path, downloads):
    with pytest.raises(FileNotFoundError, match="Fashion-MNIST not found"):
        FashionMNIST(root=str(tmp_path / "nowhere"))
    assert len(downloads.calls) == 1


def test_download_uses_torchvision_and_restores_socket_timeout(tmp_path, monkeypatch):
    """The real download(), with torchvision's dataset replaced by a fake that 'downloads' our files."""
    import torchvision

    calls = []

    def fake_dataset(root, train, download):
        calls.append((root, train, download, socket.getdefaulttimeout()))
        write_dataset(Path(root) / "FashionMNIST" / "raw", gz=True)

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", fake_dataset)
    socket.setdefaulttimeout(None)
    assert REAL_DOWNLOAD(tmp_path) == tmp_path / "FashionMNIST" / "raw"
    assert calls == [(str(tmp_path), True, True, fm.DOWNLOAD_TIMEOUT),
                     (str(tmp_path), False, True, fm.DOWNLOAD_TIMEOUT)]
    assert socket.getdefaulttimeout() is None


def test_download_failure_returns_none_and_restores_timeout(tmp_path, monkeypatch):
    import torchvision

    def offline(root, train, download):
        raise OSError("no network")

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", offline)
    socket.setdefaulttimeout(3.0)
    try:
        assert REAL_DOWNLOAD(tmp_path) is None
        assert socket.getdefaulttimeout() == 3.0
    finally:
        socket.setdefaulttimeout(None)


def test_download_without_files_returns_none(tmp_path, monkeypatch):
    import torchvision

    monkeypatch.setattr(torchvision.datasets, "FashionMNIST", lambda root, train, download: None)
    assert REAL_DOWNLOAD(tmp_path) is None


# ---- decoding -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_round_trips(tmp_path, gz):
    torch.manual_seed(0)
    original = torch.randint(0, 256, (3, 4, 5), dtype=torch.uint8)
    path = write_idx(tmp_path / "data-idx3-ubyte", original, gz)
    decoded = fm.read_idx(path)
    assert decoded.dtype == torch.uint8
    assert torch.equal(decoded, original)
    vector = write_idx(tmp_path / "labels", torch.tensor([0, 9, 255], dtype=torch.uint8), gz)
    assert fm.read_idx(vector).tolist() == [0, 9, 255]


@pytest.mark.parametrize("content", [
    b"",                                                   # empty
    b"\x00\x00",                                           # shorter than the magic number
    b"\x01\x00\x08\x01\x00\x00\x00\x01\x07",               # bad first byte
    b"\x00\x00\x0d\x01\x00\x00\x00\x01\x07\x07\x07\x07",  # float data, not unsigned bytes
], ids=["empty", "short", "bad-magic", "not-ubyte"])
def test_read_idx_rejects_bad_magic(tmp_path, content):
    path = tmp_path / "bad"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="not an IDX file"):
        fm.read_idx(path)


@pytest.mark.parametrize("gz", [False, True])
def test_read_idx_rejects_truncated_data(tmp_path, gz):
    data = idx_bytes(images(3))[:-10]
    path = tmp_path / ("t.gz" if gz else "t")
    path.write_bytes(gzip.compress(data) if gz else data)
    with pytest.raises(ValueError, match="header announces 2352 bytes"):
        fm.read_idx(path)


def test_read_idx_rejects_trailing_bytes(tmp_path):
    path = tmp_path / "long"
    path.write_bytes(idx_bytes(labels(4)) + b"\x00")
    with pytest.raises(ValueError, match="header announces 4 bytes of data, file has 5"):
        fm.read_idx(path)


def test_load_split_returns_scaled_images_and_int64_labels(root):
    folder = root / "FashionMNIST" / "raw"
    X, y = fm.load_split(folder, True, (28, 28))
    assert X.shape == (N_TRAIN, 1, 28, 28) and X.dtype == torch.float32
    assert 0.0 <= X.min().item() and X.max().item() <= 1.0
    torch.testing.assert_close(X[:, 0], images(N_TRAIN).float() / 255)
    assert y.dtype == torch.int64 and y.tolist() == labels(N_TRAIN).tolist()
    Xv, yv = fm.load_split(folder, False, (28, 28))
    assert Xv.shape == (N_TEST, 1, 28, 28) and yv.shape == (N_TEST,)
    assert Xv[0, 0, 0, 0].item() == pytest.approx(STEP * N_TRAIN / 255)


def test_load_split_is_cached(root):
    folder = root / "FashionMNIST" / "raw"
    first = fm.load_split(folder, True, (28, 28))
    assert fm.load_split(folder, True, (28, 28)) is first
    assert fm.load_split.cache_info().hits == 1


def test_load_split_resizes(tmp_path):
    folder = write_dataset(tmp_path / "gz", gz=True)
    X, y = fm.load_split(folder, True, (32, 32))
    assert X.shape == (N_TRAIN, 1, 32, 32) and len(y) == N_TRAIN
    assert 0.0 <= X.min().item() and X.max().item() <= 1.0
    # constant images stay constant when resized
    torch.testing.assert_close(X[:, 0].amax(dim=(1, 2)), images(N_TRAIN)[:, 0, 0].float() / 255)
    torch.testing.assert_close(X[:, 0].amin(dim=(1, 2)), images(N_TRAIN)[:, 0, 0].float() / 255)


def test_load_split_rejects_mismatched_images_and_labels(tmp_path):
    folder = write_dataset(tmp_path / "d")
    write_idx(folder / "train-labels-idx1-ubyte", labels(N_TRAIN - 1))
    with pytest.raises(ValueError, match="do not match"):
        fm.load_split(folder, True, (28, 28))


# ---- the data module ------------------------------------------------------------------------------------

def test_fashion_mnist_minibatches(root):
    data = FashionMNIST(batch_size=5, root=str(root))
    assert data.folder == root / "FashionMNIST" / "raw"
    assert data.batch_size == 5 and data.resize == (28, 28) and data.root == str(root)
    assert len(data.train) == N_TRAIN and len(data.val) == N_TEST
    train = list(data.train_dataloader())
    assert [len(X) for X, _ in train] == [5, 5, 2]
    X, y = train[0]
    assert X.shape == (5, 1, 28, 28) and X.dtype == torch.float32 and y.dtype == torch.int64
    val = list(data.val_dataloader())
    assert [len(y) for _, y in val] == [5, 1]


def test_fashion_mnist_train_shuffles_val_keeps_order(root):
    data = FashionMNIST(batch_size=5, root=str(root))
    torch.manual_seed(0)
    train_X = torch.cat([X for X, _ in data.train_dataloader()])
    order = [round(v * 255 / STEP) for v in train_X[:, 0, 0, 0].tolist()]
    assert sorted(order) == list(range(N_TRAIN))
    assert order != list(range(N_TRAIN))
    val_X = torch.cat([X for X, _ in data.val_dataloader()])
    val_order = [round(v * 255 / STEP) for v in val_X[:, 0, 0, 0].tolist()]
    assert val_order == list(range(N_TRAIN, N_TRAIN + N_TEST))
    val_y = torch.cat([y for _, y in data.val_dataloader()])
    assert val_y.tolist() == labels(N_TEST).tolist()


def test_fashion_mnist_resize(root):
    data = FashionMNIST(batch_size=4, resize=(32, 32), root=str(root))
    X, _ = next(iter(data.val_dataloader()))
    assert X.shape == (4, 1, 32, 32)
    data_list = FashionMNIST(batch_size=4, resize=[16, 20], root=str(root))
    assert next(iter(data_list.train_dataloader()))[0].shape == (4, 1, 16, 20)


def test_fashion_mnist_text_labels(root):
    data = FashionMNIST(root=str(root))
    assert data.text_labels([0, 9, 5]) == ["t-shirt", "ankle boot", "sandal"]
    assert data.text_labels(torch.tensor([1, 2])) == ["trouser", "pullover"]
    assert data.text_labels(range(10)) == fm.LABELS and len(set(fm.LABELS)) == 10


def test_fashion_mnist_visualize_draws_images(root):
    data = FashionMNIST(batch_size=6, root=str(root))
    batch = next(iter(data.val_dataloader()))
    data.visualize(batch, nrows=2, ncols=3)
    axes = plt.gcf().axes
    assert len(axes) == 6
    assert [ax.get_title() for ax in axes] == data.text_labels(batch[1])
    assert all(len(ax.get_images()) == 1 for ax in axes)
    torch.testing.assert_close(torch.as_tensor(axes[1].get_images()[0].get_array()), batch[0][1, 0])


def test_fashion_mnist_visualize_with_given_labels(root):
    data = FashionMNIST(batch_size=6, root=str(root))
    batch = next(iter(data.val_dataloader()))
    data.visualize(batch, ncols=2, labels=["a", "b"])
    assert [ax.get_title() for ax in plt.gcf().axes] == ["a", "b"]


@pytest.mark.parametrize("batch_size", [0, -5, 2.5, True, "64"])
def test_fashion_mnist_rejects_bad_batch_size(root, batch_size):
    with pytest.raises(ValueError, match="batch_size"):
        FashionMNIST(batch_size=batch_size, root=str(root))


@pytest.mark.parametrize("resize", [28, (28,), (28, 0), (28, -1), (28.0, 28), (True, 28), "28"])
def test_fashion_mnist_rejects_bad_resize(root, resize):
    with pytest.raises(ValueError, match="resize"):
        FashionMNIST(resize=resize, root=str(root))
