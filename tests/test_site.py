"""The Jupyter Book site builds with warnings as errors, and its pages show what the notebooks hold."""
from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from course import ROOT, notebooks, read, repository_url, toc_files


def test_every_toc_page_is_built(site):
    assert (site / "index.html").is_file()
    for name in toc_files():
        assert (site / f"{name}.html").is_file(), name


@pytest.mark.parametrize("path", notebooks(), ids=lambda p: p.name)
def test_notebook_page(site, path):
    rel = path.relative_to(ROOT)
    html = (site / rel.with_suffix(".html")).read_text(encoding="utf-8")
    nb = read(path)
    owner_repo = repository_url().removeprefix("https://github.com/")
    assert f'href="https://colab.research.google.com/github/{owner_repo}/blob/main/{rel.as_posix()}"' in html
    assert "find_spec('d2lkit')" not in html, "the setup cell must be hidden on the site"
    assert html.count('<div lang="en">') == html.count('<div lang="ko">') > 0
    pngs = sum("image/png" in out.get("data", {}) for c in nb.cells if c.cell_type == "code" for out in c.outputs)
    assert len(re.findall(r'<img [^>]*src="../../_images/', html)) == pngs
    hidden = sum("hide-cell" in c.metadata.get("tags", []) for c in nb.cells)
    assert html.count("tag_hide-cell") == hidden
    assert html.count("<summary>Solution · 풀이</summary>") >= 3
    download = f'href="../../_sources/{rel.as_posix()}"'
    assert download in html and (site / "_sources" / rel).is_file(), "the page offers its notebook for download"
    assert 'src="../../_static/language-switch.js' in html and "_static/mathjax/startup.js" in html


class Links(HTMLParser):
    """Collects the link targets and the ids of one HTML page."""

    def __init__(self):
        super().__init__()
        self.targets, self.ids = [], set()

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            if name == "id" and value:
                self.ids.add(value)
            if name in ("href", "src") and value and not (tag == "link" and ("rel", "canonical") in attrs):
                self.targets.append(value)


def parse(path: Path) -> Links:
    links = Links()
    links.feed(path.read_text(encoding="utf-8"))
    return links


def test_internal_links_and_anchors_resolve(site):
    """A local crawl (no network): every relative href/src names a built file, and its #anchor exists there."""
    pages = {path: parse(path) for path in site.rglob("*.html") if "_static" not in path.parts}
    broken, checked = [], 0
    for page, links in pages.items():
        for target in links.targets:
            parts = urlsplit(target)
            if parts.scheme or target.startswith("//"):  # external (http, mailto, javascript): not crawled
                continue
            path = (page.parent / unquote(parts.path)).resolve() if parts.path else page
            if path.is_dir():
                path = path / "index.html"
            checked += 1
            if not path.is_file():
                broken.append(f"{page.relative_to(site)} -> {target}")
            elif parts.fragment and path.suffix == ".html":
                ids = (pages.get(path) or parse(path)).ids
                if unquote(parts.fragment) not in ids:
                    broken.append(f"{page.relative_to(site)} -> {target} (no such anchor)")
    assert checked > 100 and broken == [], broken[:20]


def test_report_site_size(site):
    """Prints the size of the built site (for the record); fails if it grows past a sane bound."""
    size = sum(p.stat().st_size for p in site.rglob("*") if p.is_file())
    print(f"built site: {size / 2**20:.1f} MiB in {sum(1 for _ in site.rglob('*.html'))} HTML pages")
    assert size < 200 * 2**20
