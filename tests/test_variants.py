"""tools/variants.py: the numeric setups really differ, and a cell that depends on them is reported."""
from __future__ import annotations

import nbformat

from course import ROOT  # noqa: F401  (puts tools/ on the path)
from variants import VARIANTS, compared_text, differences


def test_compared_text_is_what_nbval_compares():
    cell = nbformat.v4.new_code_cell("x")
    cell.outputs = [nbformat.v4.new_output("stream", name="stdout", text="printed\n"),
                    nbformat.v4.new_output("display_data", data={"image/png": "iVBOR", "text/plain": "<Figure>"})]
    assert compared_text(cell) == "printed\n[text/plain] <Figure>"


def test_a_cell_that_shows_the_setup_is_reported_and_an_exact_one_is_not(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import torch\nprint(torch.arange(10.0).sum())"),
        nbformat.v4.new_code_cell("print(torch.get_num_threads(), torch.backends.cpu.get_cpu_capability())"),
    ])
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    found = differences(path)
    assert [d["cell"] for d in found] == [1] and found[0]["compared"]
    outputs = found[0]["outputs"]
    assert set(outputs) == set(VARIANTS)
    assert outputs["default"].split() == ["1", "DEFAULT"] and outputs["default, 2 threads"].split()[0] == "2"
    assert outputs["native, 2 threads"].split()[0] == "2"
