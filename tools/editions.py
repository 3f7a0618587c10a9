"""Editions of every notebook, generated from the bilingual notebooks in book/.

Usage:
    python tools/editions.py            # (re)write editions/ from book/
    python tools/editions.py --check    # exit 1 if an edition is missing, stale or left over
    python tools/editions.py counts     # checked and open exercises per notebook

For each notebook ``book/DIR/NAME.ipynb`` and each language (en, ko) there are two editions,
without outputs, so that Colab can open them from GitHub:

- ``editions/LANG/DIR/NAME.ipynb``: the prose of that language only; headings in it; the code,
  its order and the cell ids exactly as in book/.
- ``editions/LANG-homework/DIR/NAME.ipynb``: the same, less every exercise's worked solution
  (its ``<details>`` prose and its code), which an empty answer cell replaces. The exercise's
  self-check (a code cell tagged ``exercise-check``, CONTRIBUTING.md) stays: it reads names
  that only the answer defines, so it says "not answered yet" until the student answers.

Generation is deterministic: running it twice changes nothing.
"""
from __future__ import annotations

import ast
import builtins
import re
import sys
from pathlib import Path

import nbformat

from notebooks import LANGUAGE_BLOCK, ROOT, site_url

BOOK, EDITIONS = ROOT / "book", ROOT / "editions"
LANGS = ("en", "ko")
CHECK_TAG, ANSWER_TAG = "exercise-check", "exercise-answer"
HEADING = re.compile(r"^(#+ )(.*?) · (.*)$")
NUMBER = re.compile(r"^\d+(?:\.\d+)*\s")
SUMMARY = "<summary>Solution · 풀이</summary>"
SOLUTION = {"en": "Solution", "ko": "풀이"}
HOMEWORK_TITLE = {"en": " — Homework", "ko": " — 숙제"}
MARKDOWN_LINK = re.compile(r"\]\((?!https?:|#)([^)\s]+?)\.md(#[^)\s]*)?\)")
ANSWER_PROSE = {"en": "**Your answer.** *Write your explanation here; your code goes in the next cell.*",
                "ko": "**답안.** *설명은 여기에, 코드는 다음 칸에 쓰세요.*"}
ANSWER_CODE = {"en": ("# Your answer.", "# The check below reads: {names}"),
               "ko": ("# 여기에 답을 쓰세요.", "# 아래 확인 칸이 읽는 이름: {names}")}


def edition_path(notebook: Path, lang: str, homework: bool) -> Path:
    """Where the edition of a book/ notebook lives."""
    return EDITIONS / (f"{lang}-homework" if homework else lang) / notebook.relative_to(BOOK)


def heading_in(text: str, lang: str) -> str:
    """'## 2.1.1 Getting Started · 시작하기' -> '## 2.1.1 Getting Started' or '## 2.1.1 시작하기'."""
    prefix, english, korean = HEADING.match(text.strip()).groups()
    if lang == "en":
        return prefix + english
    number = NUMBER.match(english)
    return prefix + (number.group(0) if number and not NUMBER.match(korean) else "") + korean


def prose_in(text: str, lang: str, page: Path) -> str:
    """A prose cell's blocks of one language, unwrapped; links to site pages made absolute."""
    kept = LANGUAGE_BLOCK.sub(lambda m: m.group(2).strip("\n") if m.group(1) == lang else "", text)
    kept = kept.replace(SUMMARY, f"<summary>{SOLUTION[lang]}</summary>")
    folder = page.parent.relative_to(ROOT).as_posix()

    def absolute(match):  # a .md page exists on the site only
        target = (Path(folder) / match.group(1)).as_posix()
        parts = []
        for part in target.split("/"):
            if part == ".." and parts:
                parts.pop()
            elif part not in (".", ""):
                parts.append(part)
        return f"]({site_url()}{'/'.join(parts)}.html{match.group(2) or ''})"

    kept = MARKDOWN_LINK.sub(absolute, kept)
    return re.sub(r"\n{3,}", "\n\n", kept).strip()


def exercises(nb) -> list[tuple[int, int]]:
    """(start, end) cell ranges of the exercises: a '### Exercise' heading up to the next heading."""
    starts = [i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and c.source.startswith("### Exercise")]
    ranges = []
    for start in starts:
        end = next((j for j in range(start + 1, len(nb.cells))
                    if nb.cells[j].cell_type == "markdown" and nb.cells[j].source.startswith("#")), len(nb.cells))
        ranges.append((start, end))
    return ranges


def is_check(cell) -> bool:
    return cell.cell_type == "code" and CHECK_TAG in cell.metadata.get("tags", [])


def is_solution(cell) -> bool:
    """Solution prose (the <details> wrapper) or solution code, inside an exercise."""
    return (SUMMARY in cell.source) if cell.cell_type == "markdown" else not is_check(cell)


def python_of(source: str) -> ast.Module:
    from IPython.core.inputtransformer2 import TransformerManager

    return ast.parse(TransformerManager().transform_cell(source))


def defined_names(sources: list[str]) -> set[str]:
    """Every name that the code cells bind at the top level of the notebook's namespace."""
    names = set()
    for source in sources:
        for node in ast.walk(python_of(source)):
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names.add(node.id)
            elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                names.add(node.name)
            elif isinstance(node, ast.alias):
                names.add((node.asname or node.name).split(".")[0])
    return names


def checked_names(source: str) -> list[str]:
    """The free names read by the answer functions (first argument) of a check cell's calls."""
    names = []
    for node in ast.walk(python_of(source)):
        if isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Lambda):
            answer = node.args[0]
            bound = {a.arg for a in answer.args.args} | {  # and the variables of comprehensions inside it
                n.id for n in ast.walk(answer.body) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
            for name in ast.walk(answer.body):
                if isinstance(name, ast.Name) and name.id not in bound and name.id not in names:
                    names.append(name.id)
    return names


def unanswered_names(nb, check_index: int) -> list[str]:
    """The names a check reads that no cell before it defines once the solutions are removed."""
    homework = homework_cells(nb)
    position = next(i for i, c in enumerate(homework) if c.get("id") == nb.cells[check_index].get("id"))
    before = defined_names([c.source for c in homework[:position] if c.cell_type == "code"])
    return [n for n in checked_names(nb.cells[check_index].source) if n not in before and not hasattr(builtins, n)]


def homework_cells(nb, lang: str | None = None) -> list:
    """The notebook's cells with every solution replaced by answer cells (names listed if lang is given)."""
    cells, exercise_of = [], {}
    for number, (start, end) in enumerate(exercises(nb)):
        for i in range(start, end):
            exercise_of[i] = (number, start, end)
    done = set()
    for i, cell in enumerate(nb.cells):
        if i not in exercise_of or not is_solution(cell):
            cells.append(cell)
            continue
        number, start, end = exercise_of[i]
        if number in done:
            continue
        done.add(number)
        heading_id = nb.cells[start].get("id", f"exercise-{number}")
        checks = [nb.cells[j] for j in range(start, end) if is_check(nb.cells[j])]
        names = []
        for check in checks:
            names += [n for n in checked_names(check.source) if n not in names]
        prose = (ANSWER_PROSE[lang] if lang else
                 "".join(f'<div lang="{k}">\n\n{ANSWER_PROSE[k]}\n\n</div>\n' for k in LANGS).strip())
        first, reads = ANSWER_CODE[lang or "en"]
        code = first + ("\n" + reads.format(names=", ".join(n for n in names if not hasattr(builtins, n)))
                        if checks else "") + "\n"
        cells.append(nbformat.v4.new_markdown_cell(prose, id=f"{heading_id}-answer-notes",
                                                   metadata={"tags": [ANSWER_TAG]}))
        cells.append(nbformat.v4.new_code_cell(code, id=f"{heading_id}-answer", metadata={"tags": [ANSWER_TAG]}))
    return cells


def edition(notebook: Path, lang: str, homework: bool) -> nbformat.NotebookNode:
    """One edition of a book/ notebook, without outputs."""
    nb = nbformat.read(notebook, as_version=4)
    cells = homework_cells(nb, lang) if homework else nb.cells
    out = nbformat.v4.new_notebook(metadata=nb.metadata)
    out.nbformat, out.nbformat_minor = nb.nbformat, max(nb.nbformat_minor, 5)
    for cell in cells:
        cell = nbformat.from_dict(dict(cell))
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        elif ANSWER_TAG not in cell.metadata.get("tags", []):
            text = cell.source
            cell.source = heading_in(text, lang) if HEADING.match(text.strip()) else prose_in(text, lang, notebook)
        out.cells.append(cell)
        if homework and cell.cell_type == "markdown" and cell.source.startswith("# "):
            cell.source += HOMEWORK_TITLE[lang]
    out.metadata["edition"] = f"{lang}-homework" if homework else lang
    return out


def book_notebooks() -> list[Path]:
    return sorted(p for p in BOOK.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def expected_files() -> dict[Path, str]:
    """Every edition file and its text, as generated from book/ now."""
    return {edition_path(nb, lang, homework): nbformat.writes(edition(nb, lang, homework)) + "\n"
            for nb in book_notebooks() for lang in LANGS for homework in (False, True)}


def stale() -> list[str]:
    """Edition files that are missing, differ from what book/ generates, or have no notebook."""
    expected = expected_files()
    present = set(EDITIONS.rglob("*.ipynb"))
    problems = [f"missing {p.relative_to(ROOT)}" for p in expected if p not in present]
    problems += [f"stale {p.relative_to(ROOT)}" for p, text in expected.items()
                 if p in present and p.read_text(encoding="utf-8") != text]
    problems += [f"left over {p.relative_to(ROOT)}" for p in sorted(present - set(expected))]
    return problems


def write() -> int:
    expected = expected_files()
    for path in set(EDITIONS.rglob("*.ipynb")) - set(expected):
        path.unlink()
    changed = 0
    for path, text in expected.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
            changed += 1
    return changed


def counts() -> list[tuple[str, int, int]]:
    """(notebook, checked exercises, open exercises) for every notebook of book/."""
    rows = []
    for path in book_notebooks():
        nb = nbformat.read(path, as_version=4)
        checked = sum(any(is_check(nb.cells[i]) for i in range(a, b)) for a, b in exercises(nb))
        rows.append((path.relative_to(BOOK).as_posix(), checked, len(exercises(nb)) - checked))
    return rows


def main(argv: list[str]) -> int:
    if argv == ["--check"]:
        problems = stale()
        print("\n".join(problems) or "every edition is up to date")
        return 1 if problems else 0
    if argv == ["counts"]:
        rows = counts()
        for name, checked, open_ in rows:
            print(f"{checked:3d} checked {open_:3d} open  {name}")
        print(f"{sum(r[1] for r in rows):3d} checked {sum(r[2] for r in rows):3d} open  in all")
        return 0
    if not argv:
        print(f"wrote {write()} edition files under {EDITIONS.relative_to(ROOT)}/")
        return 0
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
