"""Notebook template helpers: the canonical setup cell and re-execution.

Usage:
    python tools/notebooks.py execute book/chapter_preliminaries/ndarray.ipynb [...]
    python tools/notebooks.py setup-cell        # print the canonical setup cell
    python tools/notebooks.py words [notebook ...]   # English prose words per notebook

Kernels run with KERNEL_ENV, both here and under the tests (conftest.py), so a saved
notebook and a tested one are executed alike.
"""
from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
SETUP_TAGS = ["remove-cell", "nbval-ignore-output"]

# Every notebook kernel, saved or tested, runs with these settings unless the caller set them:
# progress boards draw one final figure per cell instead of animating, and PyTorch uses one
# thread, so that `pytest -n N` kernels do not oversubscribe the cores. Compared outputs do not
# depend on either the thread count or the CPU (CONTRIBUTING.md, "Outputs that nbval compares").
KERNEL_ENV = {"D2LKIT_PLOTS": "static", "OMP_NUM_THREADS": "1"}

# Why a cell's output may be left uncompared (cell metadata "uncompared", with the
# nbval-ignore-output tag). A "rounding" cell must assert what it shows; the others show
# something that no assertion could pin down and that teaches nothing by its exact value.
UNCOMPARED_REASONS = {
    "rounding": "the printed numbers depend on floating-point rounding: trained weights, long reductions, "
                "ill-conditioned solves; the cell asserts them with bounds that hold on every machine",
    "timing": "timings differ from run to run and from machine to machine",
    "address": "memory addresses differ on every run",
    "version": "the text depends on the installed PyTorch version",
    "path": "where files live differs from machine to machine",
    "setup": "the setup cell: what pip prints depends on the machine",
}
NEEDS_ASSERT = {"rounding"}


def use_kernel_env(environ=os.environ) -> None:
    """Put KERNEL_ENV into environ (inherited by kernels started later), keeping values already set."""
    for name, value in KERNEL_ENV.items():
        environ.setdefault(name, value)


def repository_url() -> str:
    """Return the repository URL, read from its single home in _config.yml."""
    text = (ROOT / "_config.yml").read_text(encoding="utf-8")
    match = re.search(r"^repository:\s*\n\s+url:\s*(\S+)", text, re.MULTILINE)
    if match is None:
        raise ValueError("_config.yml has no repository.url")
    return match.group(1)


def site_url() -> str:
    """The course website: GitHub Pages of the repository named in _config.yml."""
    owner, repo = repository_url().removeprefix("https://github.com/").split("/")[:2]
    return f"https://{owner.lower()}.github.io/{repo}/"


def setup_cell_source() -> str:
    """Return the source of the setup cell that opens every notebook."""
    return (
        "# Setup: installs d2lkit where it is missing (e.g. on Colab); does nothing otherwise.\n"
        "import importlib.util, os, subprocess, sys\n"
        "if importlib.util.find_spec('d2lkit') is None:\n"
        f"    source = os.environ.get('D2LKIT_SOURCE', 'git+{repository_url()}')\n"
        "    subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', source], check=True)"
    )


def setup_cell() -> nbformat.NotebookNode:
    """Return a fresh setup cell (hidden on the site, output ignored by nbval)."""
    return nbformat.v4.new_code_cell(setup_cell_source(), metadata={"tags": list(SETUP_TAGS), "uncompared": "setup"})


def coalesce_streams(cell: nbformat.NotebookNode) -> None:
    """Join consecutive stdout (or stderr) outputs: a busy kernel may split one printed line in two."""
    merged = []
    for out in cell.get("outputs", []):
        if merged and out.output_type == "stream" == merged[-1].output_type and out.name == merged[-1].name:
            merged[-1].text += out.text
        else:
            merged.append(out)
    cell.outputs = merged


def run(path: Path, timeout: int = 900, allow_errors: bool = False) -> nbformat.NotebookNode:
    """Execute a notebook top to bottom in its folder, with KERNEL_ENV; return it, executed.

    With allow_errors, a failing cell stores its error as output and execution goes on.
    """
    from nbclient import NotebookClient

    use_kernel_env()
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)  # timestamps would change every saved cell on every run
    NotebookClient(nb, timeout=timeout, kernel_name="python3", record_timing=False, allow_errors=allow_errors,
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    for cell in nb.cells:
        if cell.cell_type == "code":
            coalesce_streams(cell)
    return nb


def execute(path: Path, timeout: int = 900) -> None:
    """Re-execute a notebook and save it in place."""
    nbformat.write(run(path, timeout), path)


LANGUAGE_BLOCK = re.compile(r'<div lang="(\w+)">(.*?)</div>', re.S)
MATH = re.compile(r"\$\$.*?\$\$|\$[^$\n]*\$", re.S)


def prose_blocks(nb: nbformat.NotebookNode, lang: str) -> list[str]:
    """Return the text of every <div lang=...> block of one language in a notebook's markdown cells."""
    return [body for cell in nb.cells if cell.cell_type == "markdown"
            for block_lang, body in LANGUAGE_BLOCK.findall(cell.source) if block_lang == lang]


def english_words(nb: nbformat.NotebookNode) -> int:
    """Count the words of a notebook's English prose (math left out; inline code counts as words)."""
    return sum(len(re.findall(r"[A-Za-z0-9][\w'’.-]*", MATH.sub(" ", body))) for body in prose_blocks(nb, "en"))


def main(argv: list[str]) -> int:
    if argv[:1] == ["setup-cell"]:
        print(setup_cell_source())
        return 0
    if argv[:1] == ["execute"] and len(argv) > 1:
        for name in argv[1:]:
            execute(Path(name))
            print(f"executed {name}")
        return 0
    if argv[:1] == ["words"]:
        for name in argv[1:] or sorted(str(p.relative_to(ROOT)) for p in (ROOT / "book").rglob("*.ipynb")):
            print(f"{english_words(nbformat.read(ROOT / name, as_version=4)):6d}  {name}")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
