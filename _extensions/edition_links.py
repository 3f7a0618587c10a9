"""Sphinx extension: the notebook editions (tools/editions.py) on the site.

- The Exercises section of every notebook page links to its homework edition in English and
  in Korean, to open in Colab or to download.
- The editions are copied into the built site (``editions/``), so every download link works
  offline; ``_static/editions.js`` points the Colab and download buttons at the edition of
  the language the reader chose.
"""
from __future__ import annotations

import shutil
from pathlib import Path

from docutils import nodes

LINKS = {"en": ("English", "Open in Colab", "download"), "ko": ("한국어", "Colab에서 열기", "내려받기")}


def repository(app) -> tuple[str, str]:
    """(owner/repo, branch) of the repository the site's Colab buttons open."""
    config = app.config.html_theme_options
    return config["repository_url"].removeprefix("https://github.com/"), config.get("repository_branch", "main")


def homework_links(app, docname: str) -> str:
    owner_repo, branch = repository(app)
    up = "../" * docname.count("/")
    relative = docname.removeprefix("book/") + ".ipynb"
    parts = []
    for lang, (name, colab, download) in LINKS.items():
        path = f"editions/{lang}-homework/{relative}"
        parts.append(f'<span lang="{lang}">{name}: '
                     f'<a href="https://colab.research.google.com/github/{owner_repo}/blob/{branch}/{path}">{colab}</a>'
                     f' · <a href="{up}{path}" download>{download}</a></span>')
    return f'<p class="course-homework">Homework · 숙제 — {" | ".join(parts)}</p>'


def add_homework_links(app, doctree, docname):
    if not docname.startswith("book/") or not (Path(app.srcdir) / f"{docname}.ipynb").is_file():
        return
    for section in doctree.findall(nodes.section):
        title = section.next_node(nodes.title)
        if title is not None and title.astext().startswith("Exercises ·"):
            section.insert(section.index(title) + 1, nodes.raw("", homework_links(app, docname), format="html"))
            return


def copy_editions(app, exception):
    if exception is None and app.builder.format == "html":
        shutil.copytree(Path(app.srcdir) / "editions", Path(app.outdir) / "editions", dirs_exist_ok=True)


def setup(app):
    app.connect("doctree-resolved", add_homework_links)
    app.connect("build-finished", copy_editions)
    return {"parallel_read_safe": True, "parallel_write_safe": True}

