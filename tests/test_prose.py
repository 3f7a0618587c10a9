"""Prose rules across the course (CONTRIBUTING.md): one vocabulary, one voice, teaching not testing, credit."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from course import BLOCK, HANGUL, ROOT, notebooks, read

sys.path.insert(0, str(ROOT / "tools"))
from notebooks import MATH, english_words, prose_blocks  # noqa: E402

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT / "book")) for p in NOTEBOOKS]
PAGES = sorted((ROOT / "book").rglob("*.md"))
MAX_ENGLISH_WORDS = 2500
MAX_KOREAN_SENTENCE = 150
CREDIT = "# d2l's reference code (d2l.ai, MIT-style sample-code licence)"
MACHINERY = re.compile(r"nbval|\bCI\b|pytest|not compared|compared outputs?|outputs? (?:is|are) compared|not echoed"
                       r"|repr out of the output|비교하지 않|비교되지 않|테스트할 때|테스트 머신|CI 머신", re.I)


def glossary() -> list[tuple[str, str, list[str]]]:
    """Read (English, Korean, rejected forms) from the glossary table in CONTRIBUTING.md."""
    text = (ROOT / "CONTRIBUTING.md").read_text(encoding="utf-8")
    table = text.split("### Glossary · 용어집", 1)[1].split("\n###", 1)[0]
    rows = [line.strip("|").split("|") for line in table.splitlines() if line.startswith("| ")][1:]
    return [(en.strip(), ko.strip(), re.findall(r"`([^`]+)`", rejected)) for en, ko, rejected in rows]


def korean_text(path: Path) -> list[tuple[str, str]]:
    """Return (where, text) for every piece of Korean prose in a notebook or a Markdown page."""
    if path.suffix == ".md":
        text = path.read_text(encoding="utf-8")
        return [(path.name, body) for lang, body in BLOCK.findall(text) if lang == "ko"]
    pieces = []
    for i, cell in enumerate(read(path).cells):
        if cell.cell_type != "markdown":
            continue
        if cell.source.startswith("#"):
            pieces.append((f"cell {i}", cell.source.split(" · ", 1)[-1]))
        pieces += [(f"cell {i}", body) for lang, body in BLOCK.findall(cell.source) if lang == "ko"]
    return pieces


def starts_a_word(form: str) -> re.Pattern:
    """Match a form where it begins a word: not glued to a preceding Hangul syllable (경우도 is not 우도)."""
    return re.compile(r"(?<![\uac00-\ud7a3])" + re.escape(form))


def test_the_glossary_is_read_from_contributing():
    entries = glossary()
    assert len(entries) >= 20
    assert ("likelihood", "가능도", ["우도"]) in entries


def test_rejected_forms_start_words_only():
    assert starts_a_word("우도").search("최대 우도 추정")
    assert not starts_a_word("우도").search("이 경우도 마찬가지입니다")


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=IDS + [str(p.relative_to(ROOT)) for p in PAGES])
def test_korean_follows_the_glossary(path):
    found = []
    for _english, korean, rejected in glossary():
        for form in rejected:
            for where, text in korean_text(path):
                found += [f"{where}: {form!r} (use {korean})" for _ in starts_a_word(form).finditer(text)]
    assert found == []


@pytest.mark.parametrize("path", NOTEBOOKS + PAGES, ids=IDS + [str(p.relative_to(ROOT)) for p in PAGES])
def test_korean_asks_in_one_voice(path):
    """Exercise prompts say -해 보세요, never -하십시오."""
    assert [where for where, text in korean_text(path) if "십시오" in text] == []


def korean_sentences(text: str) -> list[str]:
    """Split Korean prose into sentences, with math and code spans shortened to one character."""
    text = re.sub(r"`[^`\n]*`", "C", MATH.sub("M", text))
    sentences = []
    for paragraph in re.split(r"\n\s*\n", text):
        lines = re.split(r"\n(?=\s*(?:[-*]|\d+\.|\|) )", paragraph)  # list items and table rows stand alone
        for line in lines:
            sentences += re.split(r"(?<=[.?!])\s+", " ".join(line.split()))
    return sentences


def test_korean_sentences_are_split_at_the_length_limit():
    long = "가" * (MAX_KOREAN_SENTENCE + 1) + "다."
    assert korean_sentences(f"짧습니다. {long}")[1] == long
    assert max(map(len, korean_sentences("$" + "x" * 400 + "$를 보세요."))) < 20


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_korean_sentences_are_not_too_long(path):
    long = [f"{where}: {len(s)} chars: {s[:50]}…" for where, text in korean_text(path)
            for s in korean_sentences(text) if len(s) > MAX_KOREAN_SENTENCE]
    assert long == []


@pytest.fixture(params=NOTEBOOKS, ids=IDS)
def nb(request):
    return read(request.param)


def discussion_cells(nb) -> list[str]:
    start = next(i for i, c in enumerate(nb.cells) if c.source.strip() == "## Discussion · 토론")
    return [c.source for c in nb.cells[start + 1:] if c.cell_type == "markdown"]


def test_discussion_lists_mistakes_and_ends_with_open_questions(nb):
    cells = discussion_cells(nb)
    mistakes = [c for c in cells if "**Mistakes students often make.**" in c]
    assert len(mistakes) == 1 and "**학생들이 자주 하는 실수.**" in mistakes[0]
    blocks = dict(BLOCK.findall(cells[-1]))
    for lang, marker in (("en", "**Questions for discussion.**"), ("ko", "**토론해 볼 질문.**")):
        assert blocks.get(lang, "").strip().startswith(marker), f"the last cell opens with {marker}"
        questions = re.findall(r"^\s*(?:[-*]|\d+\.) (.+)$", blocks[lang], re.M)
        assert 1 <= len(questions) <= 2, questions
        assert all(q.rstrip().endswith("?") for q in questions), questions


def comments(source: str) -> list[str]:
    """Return the comments of a code cell (text after a # that is not inside a string)."""
    import io
    import tokenize

    try:
        tokens = tokenize.generate_tokens(io.StringIO(source).readline)
        return [tok.string for tok in tokens if tok.type == tokenize.COMMENT]
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return re.findall(r"#.*", source)


def test_the_reader_sees_teaching_not_testing(nb):
    found = []
    for i, cell in enumerate(nb.cells):
        texts = comments(cell.source) if cell.cell_type == "code" else [body for _, body in BLOCK.findall(cell.source)]
        hidden = "remove-cell" in cell.metadata.get("tags", [])
        found += [f"cell {i}: {m.group(0)!r}" for text in texts if not hidden for m in MACHINERY.finditer(text)]
    assert found == []


def test_english_prose_is_short_enough(nb):
    assert english_words(nb) <= MAX_ENGLISH_WORDS


def d2l_reference_lines() -> set[str]:
    """Non-trivial code lines of the installed d2l/torch.py (the reference the course rebuilds)."""
    import importlib.util

    spec = importlib.util.find_spec("d2l")
    if spec is None:
        pytest.skip("d2l 1.0.3 is not installed (pip install --no-deps d2l==1.0.3)")
    source = (Path(spec.origin).parent / "torch.py").read_text(encoding="utf-8")
    return {line for line in map(normalized, source.splitlines()) if meaningful(line)}


def normalized(line: str) -> str:
    return " ".join(line.split("#", 1)[0].split()) if not line.lstrip().startswith("#") else ""


# Lines every PyTorch training loop has: sharing them with d2l is not reproducing d2l.
PYTORCH_IDIOMS = {"optimizer.zero_grad()", "optimizer.step()", "loss.backward()", "with torch.no_grad():",
                  "super().__init__()", "for epoch in range(num_epochs):", "for _ in range(num_steps):",
                  "optimizer = torch.optim.SGD(net.parameters(), lr=lr)"}


def meaningful(line: str) -> bool:
    return len(line) >= 15 and not line.startswith(("import ", "from "))


def distinctive(line: str) -> bool:
    return meaningful(line) and line not in PYTORCH_IDIOMS


def test_d2l_reference_code_is_credited(nb):
    reference = d2l_reference_lines()
    wrong = []
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "code":
            continue
        lines = [line for line in map(normalized, cell.source.splitlines()) if meaningful(line) and line in reference]
        copied = sum(map(distinctive, lines))
        credited = cell.source.startswith(CREDIT)
        if copied >= 5 and not credited:
            wrong.append(f"cell {i} shares {copied} lines with d2l/torch.py but does not open with the credit line")
        if credited and not re.search(r"^(class|def) \w+|^@d2l\.add_to_class", cell.source, re.M):
            wrong.append(f"cell {i} credits d2l but defines no class or function")
    assert wrong == []


def test_machinery_patterns_catch_what_they_should():
    for text in ("not compared when tested", "nbval ignores it", "on the CI machine", "테스트할 때 비교하지 않습니다"):
        assert MACHINERY.search(text), text
    assert not MACHINERY.search("Compared with SGD, the two curves of the circuit")
    assert comments("x = '# not a comment'  # nbval") == ["# nbval"]
    assert HANGUL.search(prose_blocks(read(NOTEBOOKS[0]), "ko")[0])
