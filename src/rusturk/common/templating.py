"""The one way the project writes HTML: Jinja2 templates with autoescaping.

Data text is passed to templates as plain strings, so autoescaping shows it as text; only
our own HTML (`Markup` from the analysis layer, nbconvert's rendering of a notebook) is
inserted as markup. Markdown is rendered only for the project's own prose, never for data.
Each layer keeps its templates beside its code and names the folder.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

import jinja2
from markupsafe import Markup


def prose(text: str) -> Markup:
    """The project's own Markdown prose (method notes, caveats) as HTML; never data text."""
    from nbconvert.filters.markdown_mistune import markdown2html_mistune

    return Markup(markdown2html_mistune(text))


@cache
def environment(folder: Path) -> jinja2.Environment:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(folder), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["prose"] = prose
    return env


def render(folder: Path, template: str, **context: object) -> str:
    """A whole page or fragment from `folder/template`."""
    return environment(folder).get_template(template).render(**context)


def macro(folder: Path, template: str, name: str, *args: object) -> Markup:
    """One macro of a template, called with `args`: a piece of HTML for another page."""
    return Markup(getattr(environment(folder).get_template(template).module, name)(*args))
