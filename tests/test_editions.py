"""The notebook editions (tools/editions.py): fresh, one language each, and homework that checks."""
from __future__ import annotations

import shutil

import nbformat
import pytest

from course import HANGUL, ROOT, notebooks, read
from editions import (ANSWER_TAG, CHECK_TAG, LANGS, edition_path, exercises, is_check, is_solution, stale,
                      unanswered_names)

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT / "book")) for p in NOTEBOOKS]


def code(cells) -> list[str]:
    return [c.source for c in cells if c.cell_type == "code"]


def test_editions_are_committed_and_fresh():
    """`python tools/editions.py` regenerates them; run it after changing a notebook in book/."""
    assert stale() == []


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_a_language_edition_has_the_same_code_and_one_language(path, lang):
    book, one = read(path), read(edition_path(path, lang, homework=False))
    assert code(one.cells) == code(book.cells) and [c.id for c in one.cells] == [c.id for c in book.cells]
    assert all(c.outputs == [] and c.execution_count is None for c in one.cells if c.cell_type == "code")
    prose = [c.source for c in one.cells if c.cell_type == "markdown"]
    assert not any('<div lang="' in text or " · " in text for text in prose)
    if lang == "en":
        assert not any(HANGUL.search(text) for text in prose)
    else:
        assert all(HANGUL.search(text) for text in prose)


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_a_homework_edition_drops_every_solution_and_keeps_every_check(path, lang):
    book, homework = read(path), read(edition_path(path, lang, homework=True))
    in_exercise = {i for a, b in exercises(book) for i in range(a, b)}
    kept = [c for i, c in enumerate(book.cells) if not (i in in_exercise and is_solution(c))]
    assert code(c for c in homework.cells if ANSWER_TAG not in c.metadata.get("tags", [])) == code(kept)
    assert not any("<summary>" in c.source for c in homework.cells)
    answers = [c for c in homework.cells if c.cell_type == "code" and ANSWER_TAG in c.metadata.get("tags", [])]
    assert len(answers) == len(exercises(book))
    checks = [i for i, c in enumerate(book.cells) if is_check(c)]
    assert sum(is_check(c) for c in homework.cells) == len(checks)
    for i in checks:  # each check reads a name that, unanswered, nothing defines
        assert unanswered_names(book, i), f"cell {i} can pass without an answer"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_every_check_fails_until_the_exercise_is_answered(path, tmp_path):
    """Run the English homework edition alone: teaching code runs, and every check says the answer is missing."""
    from notebooks import run

    shutil.copy(edition_path(path, "en", homework=True), tmp_path / path.name)
    executed = run(tmp_path / path.name, allow_errors=True)
    errors = {i: [o.ename for o in c.outputs if o.output_type == "error"]
              for i, c in enumerate(executed.cells) if c.cell_type == "code"}
    checks = [i for i, c in enumerate(executed.cells) if CHECK_TAG in c.metadata.get("tags", [])]
    assert all(errors[i] in (["NotAnsweredYet"], ["WrongAnswer"]) for i in checks), {i: errors[i] for i in checks}
    assert {i: e for i, e in errors.items() if e and i not in checks} == {}


def test_every_edition_is_a_valid_notebook():
    for path in NOTEBOOKS:
        for lang in LANGS:
            for homework in (False, True):
                nbformat.validate(nbformat.read(edition_path(path, lang, homework), as_version=4))
