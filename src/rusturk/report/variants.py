"""The reports to build, declared once in `reports.yaml`, with their parameters checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, ValidationError, field_validator

from rusturk.common import safe_yaml
from rusturk.common.problems import display_path
from rusturk.common.shapes import plain_value, shape_errors
from rusturk.config import notebooks_dir, variants_file
from rusturk.report.params import Parameter, ParameterError, notebook_parameters, resolve

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# A notebook is named by its file name in the notebooks folder, without `.ipynb`: no folder,
# no `..`, nothing papermill could write over.
NOTEBOOK = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]*$")


@dataclass(frozen=True)
class Variant:
    """One report: its notebooks and the parameters they run with."""

    name: str
    title: str
    subtitle: str
    notebooks: tuple[str, ...]
    parameters: dict[str, object] = field(default_factory=dict)
    notebooks_dir: Path = field(default_factory=notebooks_dir)

    def notebook_path(self, notebook: str) -> Path:
        return self.notebooks_dir / f"{notebook}.ipynb"


class _Report(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    name: Annotated[str, Field(pattern=NAME.pattern)]
    title: str | None = None
    subtitle: str | None = None
    notebooks: Annotated[list[Annotated[str, Field(pattern=NOTEBOOK.pattern)]],
                         Field(min_length=1)]
    parameters: dict[str, Annotated[object, PlainValidator(plain_value)]] | None = None

    @field_validator("notebooks")
    @classmethod
    def _once(cls, notebooks: list[str]) -> list[str]:
        twice = sorted({n for n in notebooks if notebooks.count(n) > 1})
        if twice:
            raise ValueError(f"{', '.join(twice)} listed twice; a report runs a notebook once")
        return notebooks


class _ReportsFile(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)

    notebooks_dir: str | None = None
    reports: Annotated[list[_Report], Field(min_length=1)]


def load_variants(path: Path | None = None) -> list[Variant]:
    """Read the variants file (by default the project's reports.yaml); every mistake is one
    line naming the file and the key."""
    import yaml

    path = path if path is not None else variants_file()
    where = display_path(path)
    if not path.is_file():
        raise ParameterError(f"{where}: no such file; it lists the reports to build")
    try:
        doc = safe_yaml.load_file(path)
    except (OSError, yaml.YAMLError) as exc:
        raise ParameterError(f"{where}: not valid YAML: {_yaml_error(exc)}") from None
    try:
        shape = _ReportsFile.model_validate(doc)
    except ValidationError as exc:
        raise ParameterError(*shape_errors(where, exc)) from None
    # Notebooks live in the project's notebooks/ unless the file names another folder.
    folder = ((path.parent / shape.notebooks_dir).resolve() if shape.notebooks_dir
              else notebooks_dir())
    variants, problems, seen = [], [], set()
    for i, entry in enumerate(shape.reports, start=1):
        key = f"{where}: reports.#{i}"
        if entry.name in seen:
            problems.append(f"{key}.name: {entry.name!r} names two reports; names are unique")
        seen.add(entry.name)
        for notebook in entry.notebooks:
            found = folder / f"{notebook}.ipynb"
            if not found.is_file() or found.is_symlink():
                known = sorted(p.stem for p in folder.glob("*.ipynb") if p.is_file())
                problems.append(f"{key}.notebooks: {notebook!r} is no notebook in "
                                f"{display_path(folder)}; there are {', '.join(known) or 'none'}")
        variants.append(Variant(entry.name, entry.title or entry.name, entry.subtitle or "",
                                tuple(entry.notebooks), dict(entry.parameters or {}), folder))
    if problems:
        raise ParameterError(*problems)
    return variants


def _yaml_error(exc: Exception) -> str:
    """A YAML or file error in one line."""
    import yaml

    if isinstance(exc, safe_yaml.RefusedYAML):
        return str(exc)
    if isinstance(exc, yaml.MarkedYAMLError) and exc.problem_mark is not None:
        return f"line {exc.problem_mark.line + 1}: {exc.problem}"
    if isinstance(exc, OSError):
        return exc.strerror or str(exc)
    return " ".join(str(exc).split())


def declared_parameters(variant: Variant) -> dict[str, dict[str, Parameter]]:
    """Each notebook's declared parameters, by notebook name."""
    out = {}
    for notebook in variant.notebooks:
        path = variant.notebook_path(notebook)
        if not path.exists():
            raise ParameterError(f"report {variant.name}: notebook {path} does not exist")
        out[notebook] = notebook_parameters(path)
    return out


def notebook_values(variant: Variant, overrides: dict[str, object],
                    declared: dict[str, dict[str, Parameter]] | None = None
                    ) -> dict[str, dict[str, object]]:
    """The checked parameters each notebook of `variant` runs with.

    A name applies to every notebook that declares it and must be declared by at least one;
    command-line values override the variants file. `declared` saves re-reading notebooks.
    """
    declared = declared or declared_parameters(variant)
    given = variant.parameters | overrides
    valid = set().union(*(set(p) for p in declared.values()))
    unknown = sorted(set(given) - valid)
    if unknown:
        raise ParameterError(f"report {variant.name}: unknown parameter(s) "
                             f"{', '.join(unknown)}; valid: {', '.join(sorted(valid))}")
    return {notebook: resolve(params, {k: v for k, v in given.items() if k in params},
                              f"report {variant.name}, notebook {notebook}")
            for notebook, params in declared.items()}


def parse_assignments(items: list[str]) -> dict[str, str]:
    """`KEY=VALUE` strings from `-p`, as a mapping.

    >>> parse_assignments(["start_date=2020-02-01", "include_syria=false"])
    {'start_date': '2020-02-01', 'include_syria': 'false'}
    """
    out = {}
    for item in items:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise ParameterError(f"-p {item!r}: expected KEY=VALUE")
        out[key.strip()] = value
    return out


# What every report is about, for a title made from a window.
SUBJECT = "Russia–Turkey relations"


def as_built(variant: Variant, overrides: dict[str, object], name: str | None = None,
               title: str | None = None) -> Variant:
    """The report as built: a window set on the command line (`start_date`, `end_date`)
    makes a report of its own, named and titled by its window unless `name` and `title`
    say otherwise, so it neither carries a title that names another period nor overwrites
    the report it was made from.

    Examples:
        >>> v = Variant("full", "Russia–Turkey relations, November 2015 to March 2020",
        ...             "From the shoot-down", ("01_overview",))
        >>> w = as_built(v, {"start_date": "2016-06-27", "end_date": "2016-12-31"})
        >>> w.name, w.subtitle
        ('full-2016-06-27-to-2016-12-31', '')
        >>> w.title
        'Russia–Turkey relations, 27 Jun 2016 to 31 Dec 2016'
        >>> as_built(v, {"start_date": "2016-06-27"}).title  # the notebooks' own end
        'Russia–Turkey relations, 27 Jun 2016 to 31 Mar 2020'
        >>> as_built(v, {}, title="Mine").title, as_built(v, {}).name
        ('Mine', 'full')
    """
    from rusturk.common.text import day

    window = {k: overrides[k] for k in ("start_date", "end_date") if k in overrides}
    changes: dict[str, object] = {}
    if window:
        def given(key: str) -> str:
            if key in window:
                return str(window[key])
            if key in variant.parameters:
                return str(variant.parameters[key])
            defaults = [p.default for params in declared_parameters(variant).values()
                        for k, p in params.items() if k == key]
            return str(min(defaults) if key == "start_date" else max(defaults)) \
                if defaults else ""

        start, end = given("start_date"), given("end_date")
        try:
            label = " to ".join(day(d) for d in (start, end)) if start and end else ""
        except ValueError:  # not a date: the parameter check names it, in its own words
            label = ""
        changes = {"name": f"{variant.name}-{start or 'start'}-to-{end or 'end'}",
                   "title": f"{SUBJECT}, {label}" if label else variant.title,
                   "subtitle": ""}
    if name is not None:
        if not NAME.match(name):
            raise ValueError(f"--name {name!r}: expected lower-case letters, digits, - and _")
        changes["name"] = name
    if title is not None:
        changes["title"] = " ".join(title.split())[:200]
    return replace(variant, **changes) if changes else variant
