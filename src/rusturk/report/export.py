"""Executed notebooks to HTML with nbconvert: interactive for analysts, static for PDFs."""

from __future__ import annotations

import contextlib
import copy
import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import nbformat

from rusturk.common.atomic import write_text
from rusturk.config import cache_dir

VEGA_LITE = "application/vnd.vegalite.v5+json"
VL_VERSION = "5.20"  # the Vega-Lite that Altair 5.5 writes
TEMPLATES = Path(__file__).resolve().parent / "templates"
TEMPLATE_DIR = TEMPLATES / "rusturk"  # nbconvert's template for a notebook
PAGES = TEMPLATES / "pages"  # our own pages: the briefing, the site index, shared parts


@cache
def vega_bundle() -> str:
    """vega, vega-lite and vega-embed (with its tooltips) as one script, from vl-convert.

    vl-convert bundles it anew on every call (1.3 s of CPU on this project's machine, 3.6 s
    under load), and the result depends only on vl-convert's version and the Vega-Lite
    asked for: so it is kept in the cache folder under both, made once per installation.
    """
    import vl_convert

    store = cache_dir() / "vega" / f"vl-convert-{vl_convert.__version__}-vl{VL_VERSION}.js"
    with contextlib.suppress(OSError, UnicodeDecodeError):
        if cached := store.read_text(encoding="utf-8"):
            return cached
    # "</script" cannot occur inside an inline script; the bundle is minified JavaScript.
    bundle = vl_convert.javascript_bundle(vl_version=VL_VERSION).replace("</script",
                                                                         "<\\/script")
    with contextlib.suppress(OSError):  # a read-only home only costs the next build 1.3 s
        write_text(store, bundle)
    return bundle


@cache
def stylesheet() -> str:
    from pygments.formatters import HtmlFormatter

    css = (TEMPLATE_DIR / "report.css").read_text(encoding="utf-8")
    return css + HtmlFormatter(style="default").get_style_defs(".highlight")


def json_for_script(value: object) -> str:
    """JSON that is safe inside <script>: no '<', '>' or '&' can end or open a tag.

    >>> json_for_script({"t": "</script><b>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, allow_nan=False)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def css_string(text: str) -> str:
    """A CSS string literal.

    >>> css_string('a "b" \\\\ c')
    '"a \\\\"b\\\\" \\\\\\\\ c"'
    """
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


def _title(spec: dict) -> str:
    title = spec.get("title")
    if isinstance(title, dict):
        title = title.get("text")
    if isinstance(title, list):
        title = " ".join(title)
    if not title:
        inner = [s for key in ("vconcat", "hconcat", "layer") for s in spec.get(key, [])]
        title = next((_title(s) for s in inner if _title(s)), "")
    return str(title or "")


_SVG_ID = re.compile(r'\bid="([^"]+)"')


def _unique_ids(svg: str, prefix: str) -> str:
    """Rename the ids inside one SVG to `prefix` + their order of appearance.

    vl-convert numbers clip paths with a counter that runs across a whole process, so the
    same chart gets other ids depending on what was drawn before it; renaming makes the
    SVG depend only on the chart, and several charts on one page never clash.

    >>> _unique_ids('<clipPath id="clip7"/><g clip-path="url(#clip7)"/>', "f1-")
    '<clipPath id="f1-0"/><g clip-path="url(#f1-0)"/>'
    """
    names = {old: f"{prefix}{i}" for i, old in enumerate(dict.fromkeys(_SVG_ID.findall(svg)))}
    if not names:
        return svg
    pattern = re.compile(r'(id="|url\(#|href="#)(' + "|".join(
        re.escape(old) for old in sorted(names, key=len, reverse=True)) + r')(?=[")])')
    return pattern.sub(lambda m: m.group(1) + names[m.group(2)], svg)


@cache
def _svg(spec_json: str) -> str:
    import vl_convert

    return vl_convert.vegalite_to_svg(json.loads(spec_json), vl_version=VL_VERSION)


def to_svg(spec: dict, prefix: str) -> str:
    """The chart as SVG with ids unique to `prefix`. The same chart is drawn once per build,
    although a notebook's PDF and the briefing both print it."""
    return _unique_ids(_svg(json.dumps(spec, sort_keys=True)), prefix)


@dataclass
class Prepared:
    book: nbformat.NotebookNode
    figures: list[dict] = field(default_factory=list)


def prepare(book: nbformat.NotebookNode, mode: str, first_figure: int = 1,
            svg_prefix: str = "", drop_tags: frozenset[str] = frozenset()) -> Prepared:
    """Number and caption every chart; in print modes swap each chart for a static SVG.
    Cells tagged with any of `drop_tags` are left out (the briefing prints its chronology
    and its method once, and no section whose input is absent)."""
    book = copy.deepcopy(book)
    book.cells = [c for c in book.cells
                  if not drop_tags & set(c.get("metadata", {}).get("tags", []))]
    figures = []
    number = first_figure
    for cell in book.cells:
        for output in cell.get("outputs", []):
            spec = output.get("data", {}).get(VEGA_LITE)
            if spec is None:
                continue
            info = {"figure": number, "title": _title(spec),
                    "description": str(spec.get("description", ""))}
            output.setdefault("metadata", {})["rusturk"] = info
            if mode != "analyst":
                output["data"] = {"image/svg+xml": to_svg(spec, f"{svg_prefix}f{number}-")}
            figures.append(info)
            number += 1
    return Prepared(book, figures)


@cache
def _exporter():
    from nbconvert import HTMLExporter
    from nbconvert.exporters.templateexporter import TemplateExporter
    from nbconvert.filters.highlight import Highlight2HTML
    from nbconvert.filters.widgetsdatatypefilter import WidgetsDataTypeFilter
    from traitlets.config import Config

    class Exporter(HTMLExporter):
        """nbconvert's HTMLExporter without its last pass, which parses the finished page
        with BeautifulSoup's pure-Python parser and writes it out again, to give JupyterLab's
        cell classes a tabindex and images without alt text a stock one. Our template uses
        neither class and gives every image its chart's title as alt text, and the pass cost
        0.4–0.8 s a page (an analyst's page inlines the 1 MB Vega bundle): 5 s of a build."""

        def from_notebook_node(self, nb, resources=None, **kw):
            resources = self._init_resources(resources)
            info = nb.metadata.get("language_info", {})
            self.register_filter("highlight_code", self.filters.get(
                "highlight_code", Highlight2HTML(
                    pygments_lexer=info.get("pygments_lexer", info.get("name")), parent=self)))
            self.register_filter("filter_data_type", WidgetsDataTypeFilter(
                notebook_metadata=self._nb_metadata, parent=self,
                resources=resources))
            return TemplateExporter.from_notebook_node(self, nb, resources, **kw)

    # Charts must win over their text/plain repr; markup (tables, Markdown) over plain text.
    config = Config({"NbConvertBase": {"display_data_priority": [
        VEGA_LITE, "text/html", "text/markdown", "image/svg+xml", "image/png", "text/plain"]}})
    exporter = Exporter(config=config, template_name="rusturk",
                            extra_template_basedirs=[str(TEMPLATES)],
                            exclude_input_prompt=True, exclude_output_prompt=True)
    exporter.register_filter("json_for_script", json_for_script)
    return exporter


def render(book: nbformat.NotebookNode, mode: str, context: dict) -> str:
    """The notebook as HTML. `context` fills the page: title, period, edition, provenance."""
    has_charts = any(VEGA_LITE in o.get("data", {}) for c in book.cells
                     for o in c.get("outputs", []))
    rt = {"mode": mode, "vegalite": VEGA_LITE, "css": stylesheet(), "charts": has_charts,
          "vega_js": vega_bundle() if mode == "analyst" and has_charts else "",
          "render_js": (TEMPLATE_DIR / "render.js").read_text(encoding="utf-8"),
          "anchor": "report", "kicker": "", "period": "", "edition": "", "data_version": "",
          "title": "", "version": "", "provenance_html": "", "changes_html": "",
          "css_extra": ""} | context
    body, _ = _exporter().from_notebook_node(book, resources={"rusturk": rt})
    return body


def page_css(running_title: str, head: str = "") -> str:
    """The running foot (and, where given, a running head on every page but the first)."""
    css = f"@page {{ @bottom-left {{ content: {css_string(running_title)}; }} }}"
    if head:
        css += (f"\n@page {{ @top-left {{ content: {css_string(head)}; font: 8pt "
                "\"DejaVu Sans\", sans-serif; color: #5a5a5a; } }"
                "\n@page :first { @top-left { content: none; } }")
    return css
