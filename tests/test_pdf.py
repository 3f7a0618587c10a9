"""The course PDFs (tools/pdf.py), printed from the built site: one per language, complete and searchable.

tools/pdf.py itself stops with an error on a figure or formula that did not render and on a
formula, table or code block cut at the right margin, so printing both is part of the test.
"""
from __future__ import annotations

import re
import subprocess
import sys
import time
import unicodedata

import nbformat
import pytest
from pypdf import PdfReader

from course import ROOT, toc_files
from notebooks import site_url
from pdf import FILE, LANGS, flatten

HANGUL = re.compile(r"[\uac00-\ud7a3]")


@pytest.fixture(scope="module")
def pdfs(site, tmp_path_factory):
    out = tmp_path_factory.mktemp("pdf")
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "tools" / "pdf.py"), str(site), str(out)], check=True, timeout=600)
    print(f"\nPDFs printed in {time.monotonic() - started:.0f} s")
    readers = {}
    for lang in LANGS:
        path = out / FILE.format(lang)
        readers[lang] = PdfReader(path)
        print(f"{path.name}: {len(readers[lang].pages)} pages, {path.stat().st_size / 2**20:.1f} MiB")
    return readers


@pytest.fixture(scope="module")
def texts(pdfs):
    """Each PDF's text, its ligatures (ﬀ) undone and its whitespace runs made single spaces."""
    return {lang: words("".join(page.extract_text() for page in reader.pages)) for lang, reader in pdfs.items()}


def words(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text))


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", unicodedata.normalize("NFKC", text))


def notebook_titles() -> list[str]:
    """The first heading of every notebook in the toc, in reading order."""
    titles = []
    for name in toc_files():
        path = ROOT / f"{name}.ipynb"
        if path.exists():
            first = next(c.source for c in nbformat.read(path, as_version=4).cells
                         if c.cell_type == "markdown" and c.source.startswith("# "))
            titles.append(first.splitlines()[0][2:])
    return titles


def prose_samples(lang: str) -> list[str]:
    """Six plain words (no math, code or markup) from each prose block of the first notebooks."""
    block = re.compile(rf'<div lang="{lang}">\s*(.+?)</div>', re.S)
    plain = re.compile(r"(?:\w[\w’'-]*[,.]? ){5}\w[\w’'-]*")
    code = squeeze("".join(cell.source for path in ROOT.glob("book/**/*.ipynb")
                           for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"))
    samples = []
    for path in sorted((ROOT / "book" / "chapter_preliminaries").glob("*.ipynb"))[:4]:
        for cell in nbformat.read(path, as_version=4).cells:
            for text in block.findall(cell.source):
                found = plain.search(re.sub(r"\$[^$]*\$|`[^`]*`|\[[^]]*\]\([^)]*\)|[*#]", "|", text))
                if found and squeeze(found.group(0)) not in code:  # code comments are in both PDFs
                    samples.append(found.group(0))
    return samples


def math_only_commands() -> set[str]:
    """TeX commands of the notebooks' prose that no code cell or output contains."""
    prose, code = [], []
    for path in ROOT.glob("book/**/*.ipynb"):
        for cell in nbformat.read(path, as_version=4).cells:
            (prose if cell.cell_type == "markdown" else code).append(cell.source)
            code.extend(str(output) for output in cell.get("outputs", []))
    code = "\n".join(code)
    return {command for command in re.findall(r"\\[a-zA-Z]+", "\n".join(prose)) if command not in code}


def test_page_counts(pdfs):
    for lang, reader in pdfs.items():
        assert 150 < len(reader.pages) < 1500, (lang, len(reader.pages))


def section_titles(lang: str) -> list[str]:
    """Each notebook's title in one language: "2.1 Data Manipulation" or "2.1 데이터 다루기"."""
    titles = []
    for title in notebook_titles():
        english, _, korean = title.partition(" · ")
        number = re.match(r"[\d.]* ?", english).group(0)  # "2.1 ", or "" for "Lab 1: ..."
        titles.append(english if lang == "en" or not korean else number + korean)
    return titles


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_every_section_title_in_its_language(texts, lang):
    titles = section_titles(lang)
    assert len(titles) > 20
    assert [title for title in titles if squeeze(title) not in squeeze(texts[lang])] == []


@pytest.mark.parametrize("lang, other", [("en", "ko"), ("ko", "en")])
def test_other_language_prose_absent(texts, lang, other):
    """Sentences of this language are there with the spaces between their words; the other's are not."""
    samples = prose_samples(other)
    assert len(samples) >= 3
    assert [s for s in samples if squeeze(s) in squeeze(texts[lang])] == []
    assert [s for s in prose_samples(lang) if words(s) not in texts[lang]] == []


def test_korean_text_extractable(texts):
    assert len(HANGUL.findall(texts["ko"])) > 20000
    assert len(HANGUL.findall(texts["en"])) < len(HANGUL.findall(texts["ko"])) / 20
    assert "\x01" not in texts["ko"]  # a space drawn with a glyph that maps to no character


def test_math_rendered(texts):
    """No TeX source of the prose is left in the text: MathJax typeset every formula."""
    commands = math_only_commands()
    assert len(commands) > 20
    for lang, text in texts.items():
        assert "$$" not in text and sorted(c for c in commands if c in text) == [], lang


def fonts(reader: PdfReader):
    """Every font the pages use: (name, subtype, how its glyphs are embedded or None)."""
    found = {}
    for page in reader.pages:
        for font in (page["/Resources"].get("/Font") or {}).values():
            font = font.get_object()
            if font["/Subtype"] == "/Type3":  # glyphs drawn by the PDF's own procedures
                found[id(font)] = ("Type3", "/Type3", "/CharProcs" if font.get("/CharProcs") else None)
                continue
            for descendant in font.get("/DescendantFonts") or [font]:
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                files = {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor)
                found[id(descendant)] = (str(font["/BaseFont"]), str(font["/Subtype"]), min(files, default=None))
    return list(found.values())


def test_fonts_embedded(pdfs):
    for lang, reader in pdfs.items():
        used = fonts(reader)
        assert used and [font for font in used if font[2] is None] == [], lang
    assert any("Nanum" in name for name, _, _ in fonts(pdfs["ko"]))  # Hangul glyphs


def test_figures_present(pdfs):
    figures = sum(output.get("data", {}).get("image/png") is not None
                  for path in ROOT.glob("book/**/*.ipynb")
                  for cell in nbformat.read(path, as_version=4).cells if cell.cell_type == "code"
                  for output in cell.outputs)
    assert figures > 40
    for lang, reader in pdfs.items():
        images = sum(xobject.get_object().get("/Subtype") == "/Image"
                     for page in reader.pages
                     for xobject in (page["/Resources"].get("/XObject") or {}).values())
        assert images >= figures, (lang, images, figures)


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_bookmarks_nested(pdfs, lang):
    """Chapters hold their sections, sections their headings; every section has a bookmark."""
    outline = pdfs[lang].outline
    nested = [item for item in outline if isinstance(item, list)]
    assert len(outline) - len(nested) >= 5
    assert any(isinstance(sub, list) for item in nested for sub in item)
    bookmarks = {squeeze(item.title) for item in flatten(outline)}
    assert [title for title in section_titles(lang) if squeeze(title) not in bookmarks] == []


def test_home_page_links_both(site):
    home = (site / "book" / "intro.html").read_text(encoding="utf-8")
    assert set(re.findall(r'href="([^"]+\.pdf)"', home)) == {site_url() + FILE.format(lang) for lang in LANGS}


@pytest.mark.parametrize("lang", ["en", "ko"])
def test_links_jump_inside_or_to_the_published_site(pdfs, lang):
    jumps, uris = 0, []
    for page in pdfs[lang].pages:
        for annotation in page.get("/Annots") or []:
            action = annotation.get_object().get("/A") or {}
            if action.get("/S") == "/GoTo":
                jumps += 1
            elif "/URI" in action:
                uris.append(str(action["/URI"]))
    assert jumps > len(toc_files())  # every entry of the contents page, and references between sections
    assert [uri for uri in uris if "127.0.0.1" in uri or not uri.startswith(("https://", "http://", "mailto:"))] == []
