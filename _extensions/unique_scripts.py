"""Sphinx extension: keep one copy of each <script> on a page.

sphinx-thebe registers its inline configuration (``const THEBE_JS_URL = ...``) after the
HTML builder exists, so Sphinx 7 puts it on every page twice; the second copy declares
the same ``const`` again and the browser reports a SyntaxError.
"""


def drop_repeated_scripts(app, pagename, templatename, context, doctree):
    seen, unique = set(), []
    for script in context.get("script_files", []):
        # An inline script is registered once with filename None and once with '': same script.
        key = repr((script.filename or "", sorted(script.attributes.items())))
        if key not in seen:
            seen.add(key)
            unique.append(script)
    context["script_files"] = unique


def setup(app):
    app.connect("html-page-context", drop_repeated_scripts, priority=900)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
