"""Outside Jupyter: the progress bar of Trainer.fit, the divergence warning, and saving the board."""
import subprocess
import sys
import warnings

import pytest
import torch

import d2lkit
from d2lkit import console

SCRIPT = """
import torch, d2lkit
torch.manual_seed(0)
data = d2lkit.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2)
model = d2lkit.LinearRegression(lr={lr})
d2lkit.Trainer(max_epochs=2{options}).fit(model, data)
model.board.save({path!r})
"""


def run_script(tmp_path, lr=0.03, options=""):
    path = tmp_path / "loss.png"
    code = SCRIPT.format(lr=lr, options=options, path=str(path))
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120), path


def test_a_script_shows_progress_and_saves_the_board(tmp_path):
    run, png = run_script(tmp_path)
    assert run.returncode == 0, run.stderr
    final = run.stderr.replace("\r", "\n").strip().splitlines()[-1]
    assert final.startswith("epoch 2/2: 100%") and "64/64" in final, final
    assert "train_loss=" in final and "val_loss=" in final and "batch/s" in final
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_bar_can_be_switched_off(tmp_path):
    run, _ = run_script(tmp_path, options=", enable_progress_bar=False")
    assert run.returncode == 0 and run.stderr == "", run.stderr


def test_no_bar_inside_ipython(monkeypatch):
    monkeypatch.setattr(console, "in_ipython", lambda: True)
    trainer = d2lkit.Trainer(max_epochs=1)
    trainer.num_train_batches = 3
    assert console.ConsoleProgress(trainer).bar is None


def test_trainer_hparams_stay_d2ls():
    assert d2lkit.Trainer(max_epochs=2, enable_progress_bar=False).hparams == {
        "max_epochs": 2, "num_gpus": None, "gradient_clip_val": 0}


def fit(lr, epochs=2):
    torch.manual_seed(0)
    data = d2lkit.SyntheticRegressionData(w=torch.tensor([2.0, -3.4]), b=4.2)
    model = d2lkit.LinearRegression(lr=lr)
    model.board.display = False
    trainer = d2lkit.Trainer(max_epochs=epochs, enable_progress_bar=False)
    trainer.fit(model, data)
    return trainer, model


def test_divergence_warns_once_and_training_goes_on():
    with pytest.warns(d2lkit.DivergenceWarning) as records:
        trainer, model = fit(lr=1e3)
    # pytest.warns records every warning, also a ResourceWarning from an earlier test's sockets
    # that the garbage collector happens to close meanwhile: count only ours.
    divergence = [record for record in records if record.category is d2lkit.DivergenceWarning]
    assert len(divergence) == 1, [f"{record.category.__name__}: {record.message}" for record in records]
    message = str(divergence[0].message)
    assert "at epoch 1, batch" in message and "lr=1000 is probably too high" in message
    assert trainer.train_batch_idx == 2 * trainer.num_train_batches  # every batch of every epoch ran
    assert not torch.isfinite(model.net.weight).all()  # as in d2l: the weights are nan, nothing is undone


def test_divergence_warning_can_be_silenced_and_a_good_run_says_nothing():
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning would fail here
        fit(lr=0.03)
        warnings.simplefilter("ignore", d2lkit.DivergenceWarning)
        fit(lr=1e3)


def test_divergence_warning_names_no_path(tmp_path):
    run, _ = run_script(tmp_path, lr=1e3, options=", enable_progress_bar=False")
    assert run.returncode == 0
    assert run.stderr.startswith("d2lkit:0: DivergenceWarning: the training loss became"), run.stderr
    assert str(tmp_path) not in run.stderr and "site-packages" not in run.stderr


def test_save_before_training_is_a_clear_error(tmp_path):
    with pytest.raises(RuntimeError, match="nothing has been drawn yet"):
        d2lkit.ProgressBoard().save(tmp_path / "x.png")
