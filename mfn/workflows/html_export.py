"""An executed notebook as an HTML report that renders offline (ADR 0015).

:func:`export_html` writes nbconvert's lab page with the BokehJS and Panel files embedded
(:func:`inline_resources`), MathJax kept only for a notebook with TeX (:func:`has_math`), and
empty displays and the HoloViews extension's info mark left out.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from mfn.workflows.parameters import existing_notebook

__all__ = ["export_html", "has_math", "inline_resources"]


def export_html(notebook: str | os.PathLike, target: str | os.PathLike | None = None) -> Path:
    """Export an executed notebook to HTML (default: same name, ``.html``) and return its path.

    The page is complete offline: the BokehJS and Panel files that HoloViews/Panel outputs
    load from their CDNs are embedded (:func:`inline_resources`), and static figures are
    embedded images, so every figure shows without a network. nbconvert's page asks a CDN
    for require.js and MathJax: require.js is left out (Bokeh and Panel load without it),
    and MathJax is kept only for a notebook with math (:func:`has_math`), which then needs
    the network to typeset it. Displays without any data
    (Panel's extension leaves one) are left out: nbconvert would warn that it cannot
    represent them, and no front end shows anything for them. The HoloViews extension's
    "Extension loaded" note, an 'ⓘ' (U+24D8) that no font of a plain Linux machine has
    (the report showed a missing-glyph box there), is left out too.
    """
    import jinja2
    import nbformat
    from nbconvert import HTMLExporter

    from mfn.core.io import atomic_path

    path = existing_notebook(notebook)
    node = nbformat.read(path, as_version=4)
    for cell in node.cells:  # empty displays (Panel leaves one per extension load) show nothing anywhere
        if cell.cell_type == "code":
            cell.outputs = [o for o in cell.outputs if o.output_type != "display_data" or o.get("data")]
            for out in cell.outputs:
                if "text/html" in out.get("data", {}):
                    out.data["text/html"] = _EXTENSION_NOTE.sub("", out.data["text/html"])
    exporter = HTMLExporter(extra_loaders=[jinja2.DictLoader({"mfn_report.html.j2": _REPORT_TEMPLATE})])
    exporter.template_file = "mfn_report.html.j2"
    body, _ = exporter.from_notebook_node(node, resources={"mfn_math": has_math(node)})
    body = inline_resources(body)
    target = Path(target) if target is not None else path.with_suffix(".html")
    with atomic_path(target) as tmp:
        tmp.write_text(body, encoding="utf-8")
    return target


_REPORT_TEMPLATE = """\
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js_requirejs -%}{%- endblock html_head_js_requirejs -%}
{%- block html_head_js_mathjax -%}
{%- if resources.mfn_math -%}{{ super() }}{%- endif -%}
{%- endblock html_head_js_mathjax -%}
"""
"""nbconvert's lab page without the CDN scripts a report does not need (see :func:`export_html`)."""

_EXTENSION_NOTE = re.compile(r"<span[^>]*title=\"Extension loaded[^>]*>\s*\u24d8\s*</span>")
"""The HoloViews extension's info mark (:func:`export_html` leaves it out)."""

_MATH = re.compile(r"\$|\\\(|\\\[|\\begin\{")


def has_math(node: Any) -> bool:
    """Whether a notebook has TeX for MathJax.

    That is ``$``, ``\\(``, ``\\[`` or ``\\begin{`` in a Markdown cell, or a LaTeX output.

    Examples
    --------
    >>> import nbformat
    >>> nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(r"growth rate $\\sigma(k)$")])
    >>> has_math(nb)
    True
    """
    for cell in node.cells:
        if cell.cell_type == "markdown" and _MATH.search(cell.source):
            return True
        if cell.cell_type == "code" and any("text/latex" in o.get("data", {}) for o in cell.get("outputs", [])):
            return True
    return False


def inline_resources(html: str) -> str:
    """Replace the BokehJS and Panel CDN addresses in ``html`` by the installed files, as data URLs.

    HoloViews and Panel outputs load their JavaScript and CSS from ``cdn.bokeh.org`` and
    ``cdn.holoviz.org`` (the loader injects a tag per address), so an exported report shows
    no figure without a network. Each address of the *installed* Bokeh or Panel version is
    replaced by a ``data:`` URL holding the file shipped inside the package; the loader then
    injects the same files from the page itself. Addresses of other versions, or files the
    packages do not ship, are left as they are. Without Bokeh or Panel installed, ``html``
    is returned unchanged.

    Examples
    --------
    >>> inline_resources("no CDN here")
    'no CDN here'
    """
    import base64
    import importlib.util
    import re

    roots = []
    for name, pattern, local in (
        (
            "bokeh",
            r"https://cdn\.bokeh\.org/bokeh/release/(bokeh(?:-[a-z]+)?)-{v}\.min\.js",
            r"server/static/js/\1.min.js",
        ),
        ("panel", r"https://cdn\.holoviz\.org/panel/{v}/dist/([^\"'?\s]+)(?:\?[^\"'\s]*)?", r"dist/\1"),
    ):
        spec = importlib.util.find_spec(name)
        if spec is None or spec.origin is None:
            continue
        from importlib.metadata import version

        roots.append((re.compile(pattern.format(v=re.escape(version(name)))), local, Path(spec.origin).parent))

    def data_url(match: re.Match, local: str, root: Path) -> str:
        path = root / match.expand(local)
        if not path.is_file():
            return match.group(0)
        kind = "text/css" if path.suffix == ".css" else "text/javascript"
        return f"data:{kind};base64," + base64.b64encode(path.read_bytes()).decode("ascii")

    for pattern, local, root in roots:
        html = pattern.sub(lambda m, local=local, root=root: data_url(m, local, root), html)
    return html
