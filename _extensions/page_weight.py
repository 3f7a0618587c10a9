"""Sphinx extension: a lighter first view of each page, still served wholly from the site.

- MathJax is loaded as its parts (startup, TeX input, HTML output, the hidden MathML that
  screen readers read) instead of ``tex-chtml.js``, which bundles a 0.4 MB context menu;
- Font Awesome's brand font (118 kB) is replaced by one cut down to the brand icons the
  pages show (the GitHub mark), written at the end of the build;
- figures load when they are scrolled near (``loading="lazy"``), not all with the page;
- figures are stored with a palette of 256 colours (about a quarter of the bytes of the
  notebooks' full-colour PNGs; matplotlib's lines and dots look the same);
- in highlighted code, a token whose style is plain text's in both the light and the dark
  theme (names, punctuation) loses its ``<span>``: it looks the same, and a page's code
  is about a third lighter.

Font Awesome's JavaScript renderer and, except on the search page, the search index are
left out by ``_templates/layout.html``.
"""
from __future__ import annotations

import re
from pathlib import Path

MATHJAX_PARTS = ["input/tex", "output/chtml", "a11y/assistive-mml"]
WEBFONTS = Path("_static/vendor/fontawesome/webfonts")
BRANDS_CSS = "brand-icons.css"
BRANDS_FONT = "fa-brands-used.woff"


def load_mathjax_in_parts(app, config):
    config.mathjax_path = "mathjax/startup.js"  # sphinx-mathjax-offline sets tex-chtml.js
    config.mathjax3_config = {**(config.mathjax3_config or {}), "loader": {"load": MATHJAX_PARTS}}


def brand_icons(outdir: Path) -> set[int]:
    """The code points of the brand icons that the built pages use (``fab fa-NAME``)."""
    names = set()
    for page in outdir.rglob("*.html"):
        for classes in re.findall(r'class="([^"]*\b(?:fab|fa-brands)\b[^"]*)"', page.read_text(encoding="utf-8")):
            names.update(re.findall(r"\bfa-([a-z0-9-]+)", classes))
    names.discard("brands")
    css = (outdir / "_static/styles/pydata-sphinx-theme.css").read_text(encoding="utf-8")
    points = set()
    for selectors, point in re.findall(r'([^{}]+)\{content:"\\([0-9a-f]+)"\}', css):
        if names & set(re.findall(r"\.fa-([a-z0-9-]+):before", selectors)):
            points.add(int(point, 16))
    return points


def write_brand_font(app, exception):
    if exception is not None or app.builder.format != "html":
        return
    from fontTools import subset

    outdir = Path(app.outdir)
    font = subset.load_font(str(outdir / WEBFONTS / "fa-brands-400.ttf"), subset.Options())
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(unicodes=brand_icons(outdir))
    subsetter.subset(font)
    font.flavor = "woff"  # zlib; woff2 would need brotli
    font.save(str(outdir / WEBFONTS / BRANDS_FONT))
    # Declared after the theme's rule for the same face, so this one is used.
    (outdir / "_static" / BRANDS_CSS).write_text(
        '@font-face{font-family:"Font Awesome 6 Brands";font-style:normal;font-weight:400;'
        f'font-display:block;src:url(vendor/fontawesome/webfonts/{BRANDS_FONT}) format("woff")}}\n',
        encoding="utf-8")


def load_figures_lazily(app, pagename, templatename, context, doctree):
    if "body" in context:
        context["body"] = re.sub(r'<img (?=[^>]*src="[^"]*_images/)', '<img loading="lazy" ', context["body"])


def plain_token_classes(light: str, dark: str) -> str:
    """The Pygments classes that both styles draw exactly as plain text, as a regex alternation."""
    from pygments.styles import get_style_by_name
    from pygments.token import STANDARD_TYPES, Token

    styles = [get_style_by_name(name) for name in (light, dark)]
    plain = [token for token, name in STANDARD_TYPES.items() if name and all(
        style.style_for_token(token) == style.style_for_token(Token.Text) for style in styles)]
    return "|".join(sorted(STANDARD_TYPES[token] for token in plain))


def unwrap_plain_tokens(app, pagename, templatename, context, doctree):
    if "body" not in context:
        return
    classes = plain_token_classes(context["theme_pygments_light_style"], context["theme_pygments_dark_style"])
    span = re.compile(rf'<span class="(?:{classes})">([^<]*)</span>')
    context["body"] = re.sub(r'<div class="highlight[^"]*"><pre>.*?</pre>',
                             lambda block: span.sub(r"\1", block.group(0)), context["body"], flags=re.S)


def shrink_figures(app, exception):
    """Re-save every figure of the built site with a 256-colour palette, where that is smaller."""
    if exception is not None or app.builder.format != "html":
        return
    import io

    from PIL import Image

    for path in (Path(app.outdir) / "_images").glob("*.png"):
        palette = io.BytesIO()
        with Image.open(path) as image:
            image.quantize(colors=256, method=Image.Quantize.FASTOCTREE).save(palette, "PNG", optimize=True)
        if palette.tell() < path.stat().st_size:
            path.write_bytes(palette.getvalue())


def setup(app):
    app.connect("config-inited", load_mathjax_in_parts)
    app.add_css_file(BRANDS_CSS)
    app.connect("build-finished", write_brand_font)
    app.connect("build-finished", shrink_figures)
    app.connect("html-page-context", load_figures_lazily)
    app.connect("html-page-context", unwrap_plain_tokens)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
