"""Run notebooks under several numeric setups and report every cell whose text output differs.

Usage:
    python tools/variants.py book/chapter_linear-regression/*.ipynb [--jobs 2] [--json /tmp/variants.json]

Each variant changes what decides the rounding of floating-point results on one machine:
PyTorch's CPU kernel family (ATEN_CPU_CAPABILITY), MKL's instruction set and the thread count.
A compared cell (one without the nbval-ignore-output tag) that differs between variants would
fail nbval on some other machine: print only what is exact there, or mark the cell "rounding"
and assert its numbers (CONTRIBUTING.md). The values each variant printed help to choose bounds.
Notebooks run in parallel (--jobs), the variants of one notebook one after another.
"""
from __future__ import annotations

import argparse
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import nbformat

from notebooks import run

VARIANTS = {
    "native": {},
    "native, 2 threads": {"OMP_NUM_THREADS": "2"},
    "avx2": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2"},
    "avx2, 2 threads": {"ATEN_CPU_CAPABILITY": "avx2", "MKL_ENABLE_INSTRUCTIONS": "AVX2", "OMP_NUM_THREADS": "2"},
    "default": {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2"},
    "default, 2 threads": {"ATEN_CPU_CAPABILITY": "default", "MKL_ENABLE_INSTRUCTIONS": "SSE4_2",
                           "OMP_NUM_THREADS": "2"},
}
NOT_COMPARED = ("image/png", "image/jpeg")  # as nbval: pictures are not compared


def compared_text(cell: nbformat.NotebookNode) -> str:
    """Return what nbval compares of a code cell's outputs, as one string."""
    parts = []
    for out in cell.get("outputs", []):
        if "text" in out:
            parts.append(out.text)
        for kind, value in out.get("data", {}).items():
            if kind not in NOT_COMPARED:
                parts.append(f"[{kind}] {value}")
        if out.output_type == "error":
            parts.append(f"[error] {out.ename}: {out.evalue}")
    return "".join(parts)


def outputs_under(path: Path, env: dict[str, str]) -> dict[int, str]:
    """Execute the notebook with env added to the environment; map code-cell index -> compared text."""
    saved = os.environ.copy()
    os.environ.update(env)
    try:
        nb = run(path, allow_errors=True)  # an assertion that fails in one variant is a difference too
    finally:
        os.environ.clear()
        os.environ.update(saved)
    return {i: compared_text(c) for i, c in enumerate(nb.cells) if c.cell_type == "code"}


def differences(path: Path) -> list[dict]:
    """Return one entry per code cell whose output is not the same under every variant."""
    runs = {name: outputs_under(path, env) for name, env in VARIANTS.items()}
    nb = nbformat.read(path, as_version=4)
    found = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        texts = {name: outputs[i] for name, outputs in runs.items()}
        if len(set(texts.values())) > 1:
            found.append({"notebook": str(path), "cell": i,
                          "compared": "nbval-ignore-output" not in cell.metadata.get("tags", []),
                          "outputs": texts})
    return found


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write every difference, with each variant's output")
    args = parser.parse_args(argv)
    found = []
    with ProcessPoolExecutor(args.jobs) as pool:
        for ds in pool.map(differences, args.notebooks):
            for d in ds:
                d["fails"] = any("[error]" in text for text in d["outputs"].values())
                print(f"{d['notebook']} cell {d['cell']}: {'COMPARED' if d['compared'] else 'uncompared'}, "
                      f"{len(set(d['outputs'].values()))} different outputs{', FAILS in some' if d['fails'] else ''}",
                      flush=True)
            found += ds
    if args.json:
        args.json.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
    compared, fails = sum(d["compared"] for d in found), sum(d["fails"] for d in found)
    print(f"{len(args.notebooks)} notebooks, {len(VARIANTS)} variants: {len(found)} cells differ, "
          f"{compared} of them compared, {fails} failing in some variant")
    return 1 if compared or fails else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
