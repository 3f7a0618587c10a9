"""Sphinx extension: names for two theme controls whose accessible name is wrong or missing.

- myst-nb's "Show code cell source" toggle carries ``aria-label="Toggle hidden content"``,
  which hides its visible text from assistive technology (axe: label-content-name-mismatch);
  here the toggle is named by what it shows.
- pydata-sphinx-theme's chevrons that open a chapter's sections in the sidebar are
  ``<summary>`` elements with an icon only (axe: summary-name); here each is named after
  its chapter.
- myst-nb gives a code cell's figure its file name as ``alt``; here it is named as the figure
  drawn by the code cell above, in its section.

The theme's search button is fixed in ``_templates/search-button-field.html``.
"""
from __future__ import annotations

import html

from docutils import nodes
from myst_nb.sphinx_ import HideCodeCellNode, depart_HideCellInput


def visit_hide_cell(self, node):
    self.body.append(f'<details class="admonition hide {" ".join(node["classes"])}">\n<summary>\n'
                     f'<p class="collapsed admonition-title">{html.escape(node["prompt_show"])}</p>\n'
                     f'<p class="expanded admonition-title">{html.escape(node["prompt_hide"])}</p>\n'
                     "</summary>\n")


def name_sidebar_chevrons(app, pagename, templatename, context, doctree):
    generate = context.get("generate_toctree_html")
    if generate is None:
        return

    def generate_named(*args, **kwargs):
        soup = generate(*args, **kwargs)  # the theme's BeautifulSoup tree of the sidebar
        for summary in soup.select("li > a.reference + details > summary"):
            if not summary.get_text(strip=True):
                chapter = summary.parent.find_previous_sibling("a").get_text(" ", strip=True)
                summary["aria-label"] = f"Sections of {chapter}"
        return soup

    context["generate_toctree_html"] = generate_named


def name_cell_figures(app, doctree):
    for image in doctree.findall(nodes.image):
        output = image.parent
        while output is not None and "cell_output" not in output.get("classes", []):
            output = output.parent
        if output is None or image.get("alt") not in (None, image["uri"]):
            continue
        section = output.parent
        while section is not None and not isinstance(section, nodes.section):
            section = section.parent
        title = section[0].astext() if section is not None else ""
        image["alt"] = f"Figure drawn by the code cell above, in “{title}” · 위 코드 셀이 그린 그림"


def setup(app):
    app.connect("doctree-read", name_cell_figures)
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell, depart_HideCellInput))
    app.connect("html-page-context", name_sidebar_chevrons, priority=900)  # after the theme adds the function
    return {"parallel_read_safe": True, "parallel_write_safe": True}
