"""The whole course as one PDF per language, printed from the built site by headless Chromium.

Usage:
    python tools/pdf.py SITE OUT    # SITE: the built HTML (_build/html); writes OUT/d2l-course-en.pdf, -ko.pdf

Every page of _toc.yml is opened with ?lang=en or ?lang=ko, so the language switch hides the
other language's prose; MathJax, fonts and figures are awaited, solutions and hidden cells are
opened, and shared "English · 한국어" titles keep this language's half. The page is laid out as
on paper (print media, an A4 column), formulas and tables wider than the column are zoomed out
to fit, and anything still cut at the margin, like a figure or formula that did not render,
stops the run. Chromium prints the page with the site's print stylesheet (_static/print.css)
through DevTools' Page.printToPDF. pypdf
then puts a title and contents page in front, nests the bookmarks (chapter >
section > heading) and turns links between pages into jumps inside the PDF. Needs Debian's
chromium and chromium-driver, as the browser test does; nothing is downloaded.
"""
from __future__ import annotations

import base64
import html
import io
import sys
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from pypdf import PdfReader, PdfWriter
from pypdf.generic import ArrayObject, DictionaryObject, NameObject, TextStringObject

from headless import chromium, serve
from notebooks import ROOT, site_url

LANGS = ("en", "ko")
FILE = "d2l-course-{}.pdf"
TITLE = {"en": "Dive into Deep Learning, Chapters 2–5", "ko": "딥러닝 입문 2–5장"}
CONTENTS = {"en": "Contents", "ko": "차례"}
PAGE_WIDTH_PX = round((210 - 2 * 15) / 25.4 * 96)  # A4 less print.css's side margins, in CSS pixels
NOTE = {"en": "Printed from the course website, where every notebook also runs in Colab: {url}. "
              "Solutions follow their exercises.",
        "ko": "강좌 웹사이트에서 인쇄한 판입니다. 웹사이트에서는 모든 노트북을 Colab에서 실행할 수도 있습니다: {url}. "
              "풀이는 연습문제 바로 뒤에 있습니다."}

# Run in the page before printing: returns the page's title, its section ids and what did not render.
PREPARE = r"""
const lang = arguments[0], done = arguments[arguments.length - 1];
const article = document.querySelector('.bd-article');
const HANGUL = /[\uac00-\ud7a3]/;
// "2.1 Data Manipulation · 데이터 다루기" -> "2.1 Data Manipulation" or "2.1 데이터 다루기".
const half = text => text.split(' — ').map(part => {
  const cut = part.indexOf(' · ');
  if (cut < 0 || HANGUL.test(part.slice(0, cut)) || !HANGUL.test(part.slice(cut))) return part;
  const english = part.slice(0, cut), number = (english.match(/^\s*[\d.]+ /) || [''])[0];
  return lang === 'en' ? english : number + part.slice(cut + 3);
}).join(' — ');
const walker = document.createTreeWalker(article, NodeFilter.SHOW_TEXT);
for (let node = walker.nextNode(); node; node = walker.nextNode()) {
  if (node.data.includes(' · ') && !node.parentElement.closest('pre, code, div[lang], mjx-container, .math')) {
    node.data = half(node.data);
  }
}
article.querySelectorAll('details').forEach(d => { d.open = true; });  // solutions, hidden cells
const images = Array.from(article.querySelectorAll('img'));
images.forEach(img => { img.loading = 'eager'; });
const mathjax = () => new Promise(resolve => {
  if (!document.querySelector('script[src*="mathjax"]')) return resolve();
  const poll = () => window.MathJax && MathJax.startup && MathJax.startup.promise
    ? MathJax.startup.promise.then(resolve) : setTimeout(poll, 50);
  poll();
});
// On paper nothing scrolls: a formula, table or code block wider than the column is zoomed
// out until it fits; whatever still sticks out is reported as cut.
const column = () => article.getBoundingClientRect().right;
const right = el => Math.max(...[el, ...el.children].map(e => e.getBoundingClientRect().right));
const wide = () => Array.from(article.querySelectorAll('mjx-container[display="true"], table, pre'))
  .filter(el => right(el) > column() + 1);
const fit = () => wide().forEach(el => {
  const left = el.getBoundingClientRect().left;
  el.style.zoom = (parseFloat(el.style.zoom) || 1) * (column() - left) / (right(el) - left) * 0.99;
});
Promise.all([mathjax(), ...images.map(img => img.decode().catch(() => null))])
  .then(() => document.fonts.ready)
  .then(() => { const shrunk = wide().length; fit(); fit(); return shrunk; })
  .then(shrunk => done({
    shrunk,
    title: article.querySelector('h1').textContent.replace(/#$/, '').trim(),
    headings: Array.from(article.querySelectorAll('h1, h2, h3, h4, h5, h6'))
      .filter(h => h.getClientRects().length).map(h => h.textContent.replace(/#$/, '').trim()),
    sections: Object.fromEntries(Array.from(article.querySelectorAll('section[id]'), s =>
      [s.id, (s.querySelector('h1, h2, h3, h4, h5, h6') || {textContent: ''}).textContent.replace(/#$/, '').trim()])),
    broken: images.filter(img => !(img.naturalWidth > 0)).map(img => img.src)
      .concat(Array.from(article.querySelectorAll('mjx-merror'), e => 'math: ' + e.textContent))
      .concat(wide().map(el => 'cut at the margin: ' + el.textContent.trim().slice(0, 60))),
  }));
"""


@dataclass
class Doc:
    """One printed page of the site: its toc place, title, PDF and first page in the merged PDF."""
    name: str
    depth: int
    caption: str | None
    title: str = ""
    sections: dict[str, str] = field(default_factory=dict)  # section id -> its heading
    outline_titles: list[str] = field(default_factory=list)  # the shown headings, in order
    heading_pages: dict[str, int] = field(default_factory=dict)  # heading -> page in the merged PDF
    pdf: PdfReader | None = None
    start: int = 0


def toc_pages() -> list[Doc]:
    """The pages of _toc.yml in reading order: depth 0 for the root and chapters, 1 for sections."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    docs = [Doc(toc["root"], 0, None)]

    def walk(entries, depth, caption=None):
        for entry in entries or []:
            docs.append(Doc(entry["file"], depth, caption))
            caption = None
            walk(entry.get("sections"), depth + 1)

    for part in toc.get("parts", []):
        walk(part.get("chapters"), 0, part.get("caption"))
    walk(toc.get("chapters"), 0)
    return docs


def half(text: str, lang: str) -> str:
    """This language's half of a shared "English · 한국어" title (as PREPARE does in the page)."""
    english, _, korean = text.partition(" · ")
    return english if lang == "en" or not korean else korean


class Printer:
    """Headless Chromium printing pages of one served site."""

    def __init__(self, base: str):
        self.driver = chromium()
        self.driver.set_script_timeout(60)
        # Lay pages out as on paper: print media, as wide as an A4 page inside print.css's margins.
        self.driver.execute_cdp_cmd("Emulation.setEmulatedMedia", {"media": "print"})
        self.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride",
                                    {"width": PAGE_WIDTH_PX, "height": 1000, "deviceScaleFactor": 1, "mobile": False})
        self.base = base
        self.shrunk = 0

    def page(self, doc: Doc, lang: str) -> None:
        self.driver.get(f"{self.base}/{doc.name}.html?lang={lang}")
        report = self.driver.execute_async_script(PREPARE, lang)
        if report["broken"]:
            raise RuntimeError(f"{doc.name}: not rendered: {report['broken'][:5]}")
        doc.title, doc.sections, doc.outline_titles = report["title"], report["sections"], report["headings"]
        self.shrunk += report["shrunk"]
        doc.pdf = self.print(preferCSSPageSize=True, generateDocumentOutline=True)

    def html(self, body: str, **options) -> PdfReader:
        """Print a page of our own (the title and contents)."""
        self.driver.get("data:text/html;charset=utf-8;base64," + base64.b64encode(body.encode()).decode())
        self.driver.execute_async_script("document.fonts.ready.then(arguments[arguments.length - 1]);")
        return self.print(preferCSSPageSize=True, **options)

    def print(self, **options) -> PdfReader:
        result = self.driver.execute_cdp_cmd("Page.printToPDF", {"printBackground": True, **options})
        return PdfReader(io.BytesIO(base64.b64decode(result["data"])))

    def quit(self):
        self.driver.quit()


FRONT = """<!DOCTYPE html><html lang="{lang}"><meta charset="utf-8"><style>
@page {{ size: A4; margin: 16mm 15mm 18mm; }}
body {{ font-family: system-ui, "DejaVu Sans", "NanumGothic", sans-serif; font-size: 11pt; color: #222; }}
h1 {{ font-size: 24pt; font-weight: 500; margin: 30mm 0 4mm; }}
.note {{ color: #555; margin-bottom: 12mm; }} h2 {{ font-size: 16pt; font-weight: 500; }}
h3 {{ font-size: 11pt; margin: 5mm 0 1mm; color: #555; }} a {{ color: inherit; text-decoration: none; }}
p.toc {{ display: flex; margin: 1.2mm 0; }} p.toc span {{ flex: 1; }} .d1 {{ padding-left: 8mm; }}
.d0 {{ font-weight: 600; }}</style>
<h1>{title}</h1><p>{author}</p><p class="note">{note}</p><h2>{contents}</h2>{entries}</html>"""


def front_matter(printer: Printer, docs: list[Doc], lang: str, published: str, author: str) -> PdfReader:
    """The title and contents pages, with each entry's page number (the front pages count too)."""
    pages = 1
    while True:
        entries = []
        for doc in docs:
            if doc.caption:
                entries.append(f"<h3>{html.escape(half(doc.caption, lang))}</h3>")
            entries.append(f'<p class="toc d{doc.depth}"><span><a href="{printer.base}/{doc.name}.html">'
                           f"{html.escape(doc.title)}</a></span>{pages + doc.start + 1}</p>")
        front = printer.html(FRONT.format(
            lang=lang, title=TITLE[lang], author=html.escape(author), contents=CONTENTS[lang],
            note=html.escape(NOTE[lang].format(url=published)), entries="\n".join(entries)))
        if len(front.pages) == pages:
            return front
        pages = len(front.pages)


def flatten(items) -> list:
    return [leaf for item in items for leaf in (flatten(item) if isinstance(item, list) else [item])]


def outline(writer: PdfWriter, reader: PdfReader, items, offset: int, parent, titles, pages: dict[str, int]):
    """Copy a printed page's bookmarks (its headings) under parent; return the first one added.

    Chromium's bookmarks lose the space where a heading wraps, so each takes its title from
    ``titles``, the page's headings in the same order. ``pages`` records title -> page.
    """
    first = previous = None
    for item in items:
        if isinstance(item, list):
            outline(writer, reader, item, offset, previous, titles, pages)
            continue
        page, title = offset + reader.get_destination_page_number(item), next(titles)
        previous = writer.add_outline_item(title=title, page_number=page, parent=parent)
        pages.setdefault(title, page)
        first = first or previous
    return first


def link_targets(docs: list[Doc]) -> dict[tuple[str, str], int]:
    """(page name, #anchor) -> page in the merged PDF, for links between pages of the course."""
    targets = {("index", ""): docs[0].start}  # the site's index.html redirects to the root page
    for doc in docs:
        targets[(doc.name, "")] = doc.start
        for anchor, title in doc.sections.items():
            targets[(doc.name, anchor)] = doc.heading_pages.get(title, doc.start)
    return targets


def relink(writer: PdfWriter, base: str, published: str, targets: dict[tuple[str, str], int]) -> None:
    """Links to the served site become jumps inside the PDF, or links to the published site."""
    for page in writer.pages:
        for annotation in page.get("/Annots") or []:
            annotation = annotation.get_object()
            action = annotation.get("/A")
            uri = action.get("/URI") if action else None
            if not (uri and uri.startswith(base + "/")):
                continue
            parts = urlsplit(uri[len(base) + 1:])
            name = parts.path.removesuffix(".html") or "index"
            target = targets.get((name, parts.fragment), targets.get((name, "")))
            if target is None:
                action[NameObject("/URI")] = TextStringObject(published + uri[len(base) + 1:])
            else:
                annotation[NameObject("/A")] = DictionaryObject({
                    NameObject("/S"): NameObject("/GoTo"),
                    NameObject("/D"): ArrayObject([writer.pages[target].indirect_reference, NameObject("/Fit")])})


def build(printer: Printer, lang: str, out: Path, published: str, author: str) -> Path:
    docs = toc_pages()
    for doc in docs:
        printer.page(doc, lang)
    start = 0
    for doc in docs:
        doc.start, start = start, start + len(doc.pdf.pages)
    front = front_matter(printer, docs, lang, published, author)
    for doc in docs:
        doc.start += len(front.pages)

    writer = PdfWriter()
    writer.append(front, import_outline=False)
    parents = {}
    writer.add_outline_item(title=CONTENTS[lang], page_number=0)
    for doc in docs:
        writer.append(doc.pdf, import_outline=False)
        items = doc.pdf.outline or [doc.title]
        parent = parents.get(doc.depth - 1)
        if isinstance(items[0], str):
            parents[doc.depth] = writer.add_outline_item(title=doc.title, page_number=doc.start, parent=parent)
        else:
            if len(flatten(items)) != len(doc.outline_titles):
                raise RuntimeError(f"{doc.name}: {len(flatten(items))} bookmarks for {len(doc.outline_titles)} headings")
            parents[doc.depth] = outline(writer, doc.pdf, items, doc.start, parent,
                                         iter(doc.outline_titles), doc.heading_pages)
    relink(writer, printer.base, published, link_targets(docs))
    writer.add_metadata({"/Title": TITLE[lang], "/Author": author})
    writer._root_object[NameObject("/Lang")] = TextStringObject(lang)
    writer.page_mode = "/UseOutlines"
    writer.compress_identical_objects()
    path = out / FILE.format(lang)
    with path.open("wb") as file:
        writer.write(file)
    return path


def main(site: Path, out: Path) -> list[Path]:
    """Serve SITE on localhost and print both languages, each in its own browser, side by side."""
    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    out.mkdir(parents=True, exist_ok=True)

    def one(lang):
        printer = Printer(base)
        try:
            path = build(printer, lang, out, site_url(), config["author"])
            print(f"{path.name}: {printer.shrunk} formulas and tables wider than the page set smaller to fit")
            return path
        finally:
            printer.quit()

    with serve(site) as base, ThreadPoolExecutor(len(LANGS)) as pool:
        return list(pool.map(one, LANGS))


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    for path in main(Path(sys.argv[1]), Path(sys.argv[2])):
        print(f"{path}: {len(PdfReader(path).pages)} pages, {path.stat().st_size / 2**20:.1f} MiB")
