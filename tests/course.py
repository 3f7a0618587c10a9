"""Reading the book's structure: the toc, its notebooks and the template rules they follow."""
from __future__ import annotations

import ast
import re
import sys
from pathlib import Path

import nbformat
import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))
from notebooks import NEEDS_ASSERT, UNCOMPARED_REASONS, repository_url, setup_cell_source  # noqa: E402,F401

HANGUL = re.compile(r"[\uac00-\ud7a3]")
LATIN = re.compile(r"[A-Za-z]")
HEADING = re.compile(r"^(#{1,6}) (\S.*) · (\S.*)$")
BLOCK = re.compile(r'<div lang="(\w+)">(.*?)</div>', re.S)
SOLUTION_WRAPPER = re.compile(r"^\s*(<details>|</details>|<summary>Solution · 풀이</summary>)\s*$", re.M)


def toc_files() -> list[str]:
    """Return every file listed in _toc.yml, in order (without extension)."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    files = [toc["root"]]

    def walk(entries):
        for entry in entries or []:
            if "file" in entry:
                files.append(entry["file"])
            walk(entry.get("sections"))
            walk(entry.get("chapters"))

    for part in toc.get("parts", []):
        walk(part.get("chapters"))
    walk(toc.get("chapters"))
    return files


def notebooks() -> list[Path]:
    """Return every notebook under book/."""
    return sorted(p for p in (ROOT / "book").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def read(path: Path) -> nbformat.NotebookNode:
    return nbformat.read(path, as_version=4)


def asserts(source: str) -> bool:
    """True if a code cell's source (IPython syntax allowed) holds an assert statement."""
    from IPython.core.inputtransformer2 import TransformerManager

    tree = ast.parse(TransformerManager().transform_cell(source))
    return any(isinstance(node, ast.Assert) for node in ast.walk(tree))


def bilingual_problems(text: str) -> list[str]:
    """Return what is wrong with a prose block of en/ko <div> pairs (empty list if nothing)."""
    problems = []
    blocks = BLOCK.findall(text)
    outside = SOLUTION_WRAPPER.sub("", BLOCK.sub("", text)).strip()
    if not blocks:
        return ["no <div lang=...> blocks"]
    if outside:
        problems.append(f"text outside the language blocks: {outside[:60]!r}")
    langs = [lang for lang, _ in blocks]
    if langs != ["en", "ko"] * (len(langs) // 2) or len(langs) % 2:
        problems.append(f"blocks must alternate en, ko; got {langs}")
    for lang, body in blocks:
        if not (body.startswith("\n\n") and body.endswith("\n\n")):
            problems.append(f'{lang} block needs a blank line after <div lang="{lang}"> and before </div>')
        if not body.strip():
            problems.append(f"empty {lang} block")
        elif lang == "ko" and not HANGUL.search(body):
            problems.append(f"ko block without Korean: {body.strip()[:60]!r}")
        elif lang == "en" and HANGUL.search(body):
            problems.append(f"en block with Korean text: {body.strip()[:60]!r}")
        if re.search(r"^#", body, re.M):
            problems.append(f"heading inside a {lang} block (headings are shared cells)")
    return problems


def heading_problems(text: str) -> list[str]:
    """Return what is wrong with a shared heading cell (empty list if nothing)."""
    lines = text.strip().splitlines()
    match = HEADING.match(lines[0]) if len(lines) == 1 else None
    if match is None:
        return [f"a heading cell is one line 'English · 한국어': {text.strip()[:60]!r}"]
    english, korean = match.group(2), match.group(3)
    if not LATIN.search(english) or not HANGUL.search(korean):
        return [f"heading needs English then Korean: {text.strip()!r}"]
    return []
