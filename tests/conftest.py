"""Fixtures shared by the site tests: the built site."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course import ROOT


@pytest.fixture(scope="session")
def site(tmp_path_factory) -> Path:
    """Build the book with warnings as errors; return its HTML folder."""
    out = tmp_path_factory.mktemp("site")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")  # the package has no __main__
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "--keep-going"],
        capture_output=True, text=True, timeout=900)
    warnings = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "WARNING" in line]
    assert result.returncode == 0, "site build failed:\n" + "\n".join(warnings or result.stdout.splitlines()[-30:])
    return out / "_build" / "html"
