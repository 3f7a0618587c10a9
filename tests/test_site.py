"""The Jupyter Book site builds with warnings as errors, and its pages show what the notebooks hold."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from course import ROOT, notebooks, read, repository_url, toc_files


@pytest.fixture(scope="module")
def site(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("site")
    jupyter_book = Path(sys.executable).with_name("jupyter-book")  # the package has no __main__
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "--path-output", str(out), "-W", "--keep-going"],
        capture_output=True, text=True, timeout=900)
    warnings = [line for line in result.stdout.splitlines() + result.stderr.splitlines() if "WARNING" in line]
    assert result.returncode == 0, "site build failed:\n" + "\n".join(warnings or result.stdout.splitlines()[-30:])
    return out / "_build" / "html"


def test_every_toc_page_is_built(site):
    assert (site / "index.html").is_file()
    for name in toc_files():
        assert (site / f"{name}.html").is_file(), name


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_notebook_page(site, path):
    rel = path.relative_to(ROOT)
    html = (site / rel.with_suffix(".html")).read_text(encoding="utf-8")
    nb = read(path)
    owner_repo = repository_url().removeprefix("https://github.com/")
    assert f'href="https://colab.research.google.com/github/{owner_repo}/blob/main/{rel.as_posix()}"' in html
    assert "find_spec('d2lkit')" not in html, "the setup cell must be hidden on the site"
    assert html.count('<div lang="en">') == html.count('<div lang="ko">') > 0
    pngs = sum("image/png" in out.get("data", {}) for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    assert html.count('<img alt="../../_images/') == pngs
    hidden = sum("hide-cell" in c.metadata.get("tags", []) for c in nb.cells)
    assert html.count("tag_hide-cell") == hidden
    assert html.count("<summary>Solution · 풀이</summary>") >= 3
