"""Open in Colab: one notebook per chapter runs alone in a Colab-like environment.

The environment is a fresh virtual environment with only Colab's preinstalled stack
(torch, torchvision, numpy, pandas, matplotlib and a kernel) and no d2lkit. Each
notebook is copied alone into an empty folder and executed there; its setup cell must
install d2lkit, here from a copy of this checkout (``$D2LKIT_SOURCE``) instead of GitHub. Each
runs as the bilingual notebook, as its Korean edition and as its English homework edition.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

from course import ROOT, toc_files
from editions import CHECK_TAG, edition_path

COLAB_STACK = ["torch==2.14.1", "torchvision==0.29.1", "numpy", "pandas", "matplotlib", "ipykernel"]


def first_notebook_of_each_folder() -> list[Path]:
    """The first notebook listed in the toc for every chapter folder (and for the labs)."""
    chosen = {}
    for name in toc_files():
        path = ROOT / f"{name}.ipynb"
        if path.is_file():
            chosen.setdefault(path.parent, path)
    return list(chosen.values())


@pytest.fixture(scope="module")
def colab_python(tmp_path_factory) -> Path:
    """A fresh venv holding Colab's stack and a Jupyter kernel spec named 'colab'."""
    env_dir = tmp_path_factory.mktemp("colab-venv")
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "-q", "--disable-pip-version-check", *COLAB_STACK],
                   check=True, timeout=1500)
    spec = env_dir / "share" / "jupyter" / "kernels" / "colab"
    spec.mkdir(parents=True)
    argv = [str(python), "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "colab", "language": "python"}))
    return python


def installed_d2lkit(python: Path) -> str | None:
    """Where the venv's d2lkit is installed, or None."""
    probe = "import importlib.util as u; s = u.find_spec('d2lkit'); print(s.origin if s else '')"
    found = subprocess.run([str(python), "-c", probe], capture_output=True, text=True, check=True, cwd="/")
    return found.stdout.strip() or None


EDITIONS = ["book", "ko", "en-homework"]  # the bilingual notebook, a one-language and a homework edition


def opened_in_colab(path: Path, edition: str) -> Path:
    """The file that Colab opens for a book/ notebook in the given edition (tools/editions.py)."""
    if edition == "book":
        return path
    lang, _, homework = edition.partition("-")
    return edition_path(path, lang, homework=bool(homework))


@pytest.mark.parametrize("edition", EDITIONS)
@pytest.mark.parametrize("path", first_notebook_of_each_folder(), ids=lambda p: p.name)
def test_notebook_runs_alone_in_a_colab_like_environment(colab_python, path, edition, tmp_path, monkeypatch):
    """A homework edition runs up to its first self-check, which stops it: no answer has been written."""
    from jupyter_client import KernelManager
    from jupyter_client.kernelspec import KernelSpecManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    subprocess.run([str(colab_python), "-m", "pip", "uninstall", "-q", "-y", "d2lkit"], check=True)
    assert installed_d2lkit(colab_python) is None, "the Colab-like environment must start without d2lkit"

    work = tmp_path / "content"  # Colab's working folder: the notebook and nothing else
    work.mkdir()
    notebook = work / path.name
    shutil.copy(opened_in_colab(path, edition), notebook)
    nb = nbformat.read(notebook, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None

    source = tmp_path / "checkout"  # pip builds inside the folder it installs: give it a copy, not the repository
    shutil.copytree(ROOT / "d2lkit", source / "d2lkit", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):  # what the package build reads
        shutil.copy(ROOT / name, source / name)
    monkeypatch.setenv("D2LKIT_SOURCE", str(source))
    monkeypatch.delenv("D2LKIT_PLOTS", raising=False)  # Colab animates progress boards
    monkeypatch.setenv("PYTHONNOUSERSITE", "1")
    kernels = KernelSpecManager(kernel_dirs=[str(colab_python.parents[1] / "share" / "jupyter" / "kernels")])
    kernel = KernelManager(kernel_name="colab", kernel_spec_manager=kernels)
    client = NotebookClient(nb, km=kernel, timeout=900, resources={"metadata": {"path": str(work)}})
    checks = [i for i, c in enumerate(nb.cells) if CHECK_TAG in c.metadata.get("tags", [])]
    if edition.endswith("homework") and checks:
        with pytest.raises(CellExecutionError) as stopped:
            client.execute()
        assert stopped.value.ename == "NotAnsweredYet", stopped.value
        ran = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and c.execution_count is not None]
        assert ran[-1] == checks[0], "the run stops at the first self-check"
        nb.cells = nb.cells[:checks[0]]
    else:
        client.execute()

    errors = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs if o.output_type == "error"]
    assert errors == []
    assert all(c.execution_count is not None for c in nb.cells if c.cell_type == "code")
    origin = installed_d2lkit(colab_python)
    assert origin and Path(origin).is_relative_to(colab_python.parents[1]), origin
    assert sorted(p.name for p in work.iterdir() if p.suffix == ".ipynb") == [path.name]
