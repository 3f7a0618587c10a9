"""The notebook template (CONTRIBUTING.md), checked on every notebook in book/."""
from __future__ import annotations

import ast
import re
from pathlib import Path

import nbformat
import pytest

from course import (BLOCK, HANGUL, LATIN, NEEDS_ASSERT, ROOT, UNCOMPARED_REASONS, asserts, bilingual_problems,
                    heading_problems, notebooks, read, setup_cell_source, toc_files)
from editions import exercises, is_check, unanswered_names

NOTEBOOKS = notebooks()
LAB_TITLE = re.compile(r"^# Lab (\d+): \S.* · 실습 \1: \S")
IDS = [str(p.relative_to(ROOT / "book")) for p in NOTEBOOKS]


def test_there_are_notebooks():
    assert len(NOTEBOOKS) >= 2


def test_every_notebook_is_in_the_toc_and_every_toc_entry_exists():
    listed = set(toc_files())
    for path in NOTEBOOKS:
        assert str(path.relative_to(ROOT).with_suffix("")) in listed, f"{path} is not in _toc.yml"
    for name in listed:
        assert any((ROOT / f"{name}{ext}").is_file() for ext in (".ipynb", ".md")), f"_toc.yml lists missing {name}"


def is_lab(path: Path) -> bool:
    """Labs live in book/labs/ and are numbered "Lab 1", "Lab 2", ... instead of d2l's sections."""
    return path.parent.name == "labs"


def is_lab_notebook(nb) -> bool:
    return nb.cells[1].source.startswith("# Lab ")


def test_labs_are_numbered_in_toc_order():
    labs = [ROOT / f"{name}.ipynb" for name in toc_files() if (ROOT / f"{name}.ipynb").is_file()]
    titles = [read(p).cells[1].source for p in labs if is_lab(p)]
    numbers = [int(LAB_TITLE.match(t).group(1)) for t in titles]
    assert numbers == list(range(1, len(numbers) + 1)), titles
    assert all(is_lab(p) == is_lab_notebook(read(p)) for p in labs)


def test_section_numbers_follow_the_toc():
    """Within each chapter, sections are numbered <chapter>.1, <chapter>.2, ... in toc order."""
    numbers = []
    for name in toc_files():
        path = ROOT / f"{name}.ipynb"
        if path.is_file() and not is_lab(path):
            title = read(path).cells[1].source
            numbers.append(tuple(int(n) for n in re.match(r"# (\d+)\.(\d+) ", title).groups()))
    assert numbers == sorted(numbers) and len(set(numbers)) == len(numbers), numbers


# d2l's sections (2nd edition, PyTorch): the numbering and English titles the site must keep.
D2L_SECTIONS = {
    "2.1": "Data Manipulation", "2.2": "Data Preprocessing", "2.3": "Linear Algebra", "2.4": "Calculus",
    "2.5": "Automatic Differentiation", "2.6": "Probability and Statistics", "2.7": "Documentation",
    "3.1": "Linear Regression", "3.2": "Object-Oriented Design for Implementation",
    "3.3": "Synthetic Regression Data", "3.4": "Linear Regression Implementation from Scratch",
    "3.5": "Concise Implementation of Linear Regression", "3.6": "Generalization", "3.7": "Weight Decay",
    "4.1": "Softmax Regression", "4.2": "The Image Classification Dataset", "4.3": "The Base Classification Model",
    "4.4": "Softmax Regression Implementation from Scratch", "4.5": "Concise Implementation of Softmax Regression",
    "4.6": "Generalization in Classification", "4.7": "Environment and Distribution Shift",
    "5.1": "Multilayer Perceptrons", "5.2": "Implementation of Multilayer Perceptrons",
    "5.3": "Forward Propagation, Backward Propagation, and Computational Graphs",
}
SECTION_ITEM = re.compile(r"^- (\d+\.\d+) (.+) · (.+)$", re.M)


def chapter_pages() -> dict[str, Path]:
    """Map each chapter number ("2" ... "5") to its index page, read from the page's title."""
    pages = [ROOT / f"{name}.md" for name in toc_files() if name.endswith("/index") and "chapter_" in name]
    return {re.match(r"# (\d+)\. ", page.read_text(encoding="utf-8")).group(1): page for page in pages}


def test_chapter_pages_list_all_of_d2ls_sections():
    listed = {}
    for chapter, page in chapter_pages().items():
        for number, english, _korean in SECTION_ITEM.findall(page.read_text(encoding="utf-8")):
            assert number.split(".")[0] == chapter, f"{page} lists {number}"
            listed[number] = english
    assert listed == D2L_SECTIONS


def test_notebook_titles_use_d2ls_number_and_title_in_the_right_chapter():
    folders = {chapter: page.parent for chapter, page in chapter_pages().items()}
    for path in NOTEBOOKS:
        if is_lab(path):
            continue
        number, english = re.match(r"# (\d+\.\d+) (.+) · ", read(path).cells[1].source).groups()
        assert D2L_SECTIONS.get(number) == english, f"{path.name}: {number} {english}"
        listed = chapter_pages()[number.split(".")[0]].read_text(encoding="utf-8")
        title = read(path).cells[1].source.strip().removeprefix("# ")
        assert f"\n- {title}\n" in listed, f"{path.name}: the chapter page must list '{title}'"
        assert path.parent == folders[number.split(".")[0]], f"{path.name} is not in chapter {number}'s folder"


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def nb(request):
    return read(request.param)


def test_setup_cell_comes_first_and_is_canonical(nb):
    cell = nb.cells[0]
    assert cell.cell_type == "code"
    assert cell.source == setup_cell_source()
    assert {"remove-cell", "nbval-ignore-output"} <= set(cell.metadata.get("tags", []))
    assert cell.metadata.get("uncompared") == "setup"


def test_title_is_numbered_and_bilingual(nb):
    title = nb.cells[1]
    assert title.cell_type == "markdown"
    pattern = LAB_TITLE if is_lab_notebook(nb) else re.compile(r"^# \d+\.\d+ \S")
    assert pattern.match(title.source), title.source
    assert heading_problems(title.source) == []


def test_every_markdown_cell_is_a_shared_heading_or_an_en_ko_pair(nb):
    problems = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        text = cell.source
        found = heading_problems(text) if text.lstrip().startswith("#") else bilingual_problems(text)
        problems += [f"cell {i}: {p}" for p in found]
    assert problems == []


def test_template_sections_are_present_in_order(nb):
    headings = [c.source.strip() for c in nb.cells if c.cell_type == "markdown" and c.source.startswith("#")]
    fixed = ["## Learning Objectives · 학습 목표", "## Exercises · 연습문제", "## Discussion · 토론"]
    positions = [headings.index(h) if h in headings else -1 for h in fixed]
    assert -1 not in positions and positions == sorted(positions), headings
    assert headings[-1] == "## Discussion · 토론" or headings.index("## Discussion · 토론") > positions[1]
    exercises = [h for h in headings if re.match(r"^### Exercise \d+ · 연습문제 \d+$", h)]
    assert len(exercises) >= 3, exercises


def test_every_exercise_has_a_hidden_worked_solution(nb):
    cells = nb.cells
    start = next(i for i, c in enumerate(cells) if c.source.strip() == "## Exercises · 연습문제")
    end = next(i for i, c in enumerate(cells) if c.source.strip() == "## Discussion · 토론")
    exercise_starts = [i for i in range(start, end) if cells[i].source.startswith("### Exercise")]
    for a, b in zip(exercise_starts, exercise_starts[1:] + [end]):
        block = cells[a:b]
        title = block[0].source.strip()
        assert any("<summary>Solution · 풀이</summary>" in c.source for c in block if c.cell_type == "markdown"), title
        code = [c for c in block if c.cell_type == "code"]
        assert code, f"{title}: the solution has no code"
        for c in code:
            assert "hide-cell" in c.metadata.get("tags", []), f"{title}: solution code must be tagged hide-cell"


def is_check_call(node) -> bool:
    """`d2l.check_answer(lambda: ..., ...)`, the only statement a check cell may hold (besides the import)."""
    return (isinstance(node, ast.Expr) and isinstance(node.value, ast.Call)
            and ast.unparse(node.value.func) == "d2l.check_answer"
            and bool(node.value.args) and isinstance(node.value.args[0], ast.Lambda))


def test_exercise_checks_follow_their_solutions_and_read_the_answer(nb):
    """A self-check is the last code cell of its exercise and reads a name only the solution defines."""
    inside = {i: (a, b) for a, b in exercises(nb) for i in range(a, b)}
    for i, cell in enumerate(nb.cells):
        if not is_check(cell):
            assert "exercise-check" not in cell.metadata.get("tags", []), f"cell {i}: a check is a code cell"
            continue
        assert i in inside, f"cell {i}: a check belongs to an exercise"
        start, end = inside[i]
        assert [j for j in range(start, end) if nb.cells[j].cell_type == "code"][-1] == i, \
            f"cell {i}: the check is the exercise's last code cell"
        assert "hide-cell" in cell.metadata.tags, f"cell {i}: the check sits behind the solution's toggle"
        body = [n for n in ast.parse(cell.source).body if ast.unparse(n) != "import d2lkit as d2l"]
        assert body and all(is_check_call(n) for n in body), f"cell {i}: a check holds only d2l.check_answer calls"
        assert unanswered_names(nb, i), f"cell {i}: reads only names defined outside the solution, so it passes unanswered"


def test_cells_are_executed_without_errors(nb):
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"cell {i} was never executed"
        assert all(o.output_type != "error" for o in cell.outputs), f"cell {i} stores an error"


def test_no_execution_timestamps_are_stored(nb):
    """Saved with tools/notebooks.py execute, so a re-run changes only outputs that really changed."""
    assert [i for i, cell in enumerate(nb.cells) if "execution" in cell.metadata] == []


def test_every_uncompared_cell_gives_a_listed_reason(nb):
    """nbval-ignore-output goes with metadata "uncompared": one of UNCOMPARED_REASONS (tools/notebooks.py)."""
    for i, cell in enumerate(nb.cells):
        tags = cell.metadata.get("tags", [])
        reason = cell.metadata.get("uncompared")
        assert ("nbval-ignore-output" in tags) == (reason is not None), f"cell {i}: tag and reason go together"
        assert reason is None or reason in UNCOMPARED_REASONS, f"cell {i}: unknown reason {reason!r}"
        assert (reason == "setup") == (i == 0), f"cell {i}: only the first cell is the setup cell"
        assert not {"nbval-skip", "nbval-raises-exception"} & set(tags), f"cell {i}: every cell runs and succeeds"
        assert not cell.source.startswith("# nbval"), f"cell {i}: the reason belongs in the metadata, not on the page"


def is_guard(cell) -> bool:
    """A hidden guard cell: code tagged remove-cell, collapsed in Jupyter, holding only assertions."""
    return (cell.cell_type == "code" and "remove-cell" in cell.metadata.get("tags", [])
            and cell.metadata.get("jupyter", {}).get("source_hidden") is True)


def test_uncompared_rounding_cells_assert_what_they_show(nb):
    """A cell whose numbers depend on the machine is checked by assertions (its own, or its guard's)."""
    cells = nb.cells + [nbformat.v4.new_markdown_cell("")]
    silent = [i for i, cell in enumerate(nb.cells) if cell.metadata.get("uncompared") in NEEDS_ASSERT
              and not asserts(cell.source) and not (is_guard(cells[i + 1]) and asserts(cells[i + 1].source))]
    assert silent == [], f"uncompared cells without an assert: {silent}"


def test_guard_cells_only_assert(nb):
    """Test-only checks hidden from readers must not compute anything a reader would miss."""
    for i, cell in enumerate(nb.cells[1:], start=1):
        if "remove-cell" in cell.metadata.get("tags", []):
            assert is_guard(cell), f"cell {i}: a hidden code cell is a guard (collapsed with jupyter.source_hidden)"
            body = ast.parse(cell.source).body
            assert body and all(isinstance(node, ast.Assert) for node in body), f"cell {i}: guards only assert"
            assert cell.outputs == [], f"cell {i}: a guard prints nothing"


def test_uncompared_cells_without_asserts_are_few(nb):
    """Timings, addresses, versions and paths teach by example, not by value; keep them rare."""
    exempt = [i for i, cell in enumerate(nb.cells[1:], start=1)
              if cell.metadata.get("uncompared") not in (None, *NEEDS_ASSERT)]
    assert len(exempt) <= 4, f"cells {exempt}"


def test_asserts_finds_assert_statements_only():
    assert asserts("x = 1\nassert x == 1")
    assert asserts("%matplotlib inline\nfor i in range(2):\n    assert i < 2")
    assert not asserts("print('assert x')  # assert in a string or comment does not count")


def test_compared_outputs_hold_no_addresses_devices_or_figure_reprs(nb):
    for i, cell in enumerate(nb.cells[1:], start=1):
        if cell.cell_type != "code" or "nbval-ignore-output" in cell.metadata.get("tags", []):
            continue
        for out in cell.outputs:
            text = out.get("text", "") + out.get("data", {}).get("text/plain", "")
            assert not re.search(r" at 0x[0-9a-f]+", text), f"cell {i}: {text[:80]!r}"
            assert not re.search(r"device\(type=|device='|cuda", text), f"cell {i}: device in {text[:80]!r}"
            # Jupyter shows a figure as PNG plus a stable '<Figure size ...>' text; a figure printed
            # as text alone means an expression's repr leaked (end plotting cells with `_ = ...`).
            figure_text = re.search(r"<Figure size", text)
            assert not figure_text or "image/png" in out.get("data", {}), f"cell {i}: {text[:80]!r}"
            assert "image/svg+xml" not in out.get("data", {}), f"cell {i}: SVG output (nbval compares it byte for byte)"


@pytest.mark.parametrize("page", sorted((ROOT / "book").rglob("*.md")), ids=lambda p: p.name)
def test_markdown_pages_are_bilingual(page):
    lines = page.read_text(encoding="utf-8").splitlines()
    headings = [line for line in lines if line.startswith("#")]
    body = "\n".join(line for line in lines if not line.startswith("#"))
    shared_items = [line for line in BLOCK.sub("", body).splitlines() if line.startswith("- ")]
    prose = "\n".join(line for line in body.splitlines() if line not in shared_items)
    assert bilingual_problems(prose) == []
    for line in headings:
        assert heading_problems(line) == [], line
    for item in shared_items:
        assert LATIN.search(item) and HANGUL.search(item), f"a list outside the language blocks must be bilingual: {item}"


def test_no_missing_glyph_warnings(nb):
    """Figures with Hangul need a Korean font (d2lkit adds one when installed); keep labels in English otherwise."""
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            assert "missing from font" not in out.get("text", ""), f"cell {i}: {out['text'][:120]!r}"


def test_printed_output_is_not_split_into_pieces(nb):
    """tools/notebooks.py execute joins consecutive stream outputs, so diffs show only real changes."""
    for i, cell in enumerate(nb.cells):
        outs = cell.get("outputs", [])
        pairs = zip(outs, outs[1:])
        assert not any(a.output_type == b.output_type == "stream" and a.name == b.name for a, b in pairs), f"cell {i}"
