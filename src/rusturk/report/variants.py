"""The reports to build, declared once in `reports.yaml`, with their parameters checked."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from rusturk.config import NOTEBOOKS_DIR, VARIANTS_FILE
from rusturk.report.params import Parameter, ParameterError, notebook_parameters, resolve

NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


@dataclass(frozen=True)
class Variant:
    """One report: its notebooks and the parameters they run with."""

    name: str
    title: str
    subtitle: str
    notebooks: tuple[str, ...]
    parameters: dict[str, object] = field(default_factory=dict)
    notebooks_dir: Path = NOTEBOOKS_DIR

    def notebook_path(self, notebook: str) -> Path:
        return self.notebooks_dir / f"{notebook}.ipynb"


def load_variants(path: Path = VARIANTS_FILE) -> list[Variant]:
    """Read the variants file; every mistake is named with the file and the report."""
    import yaml

    if not path.exists():
        raise ParameterError(f"{path}: no such file; it lists the reports to build")
    try:
        doc = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ParameterError(f"{path}: not valid YAML: {exc}") from None
    entries = doc.get("reports") if isinstance(doc, dict) else None
    # Notebooks live in the repository's notebooks/ unless the file names another folder.
    folder = (path.parent / str(doc.get("notebooks_dir"))).resolve() if isinstance(
        doc, dict) and doc.get("notebooks_dir") else NOTEBOOKS_DIR
    if not isinstance(entries, list) or not entries:
        raise ParameterError(f"{path}: expected a top-level `reports:` list")
    variants, seen = [], set()
    for i, entry in enumerate(entries, start=1):
        where = f"{path}: report {i}"
        if not isinstance(entry, dict):
            raise ParameterError(f"{where}: expected a mapping with name, title, notebooks")
        unknown = set(entry) - {"name", "title", "subtitle", "notebooks", "parameters"}
        if unknown:
            raise ParameterError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        name = str(entry.get("name", ""))
        if not NAME.match(name) or name in seen:
            raise ParameterError(f"{where}: name {name!r} must be unique, lower case, digits, "
                                 "- or _")
        seen.add(name)
        notebooks = entry.get("notebooks")
        if not isinstance(notebooks, list) or not notebooks:
            raise ParameterError(f"{where} ({name}): `notebooks` must be a non-empty list")
        parameters = entry.get("parameters") or {}
        if not isinstance(parameters, dict):
            raise ParameterError(f"{where} ({name}): `parameters` must be a mapping")
        variants.append(Variant(name, str(entry.get("title") or name),
                                str(entry.get("subtitle") or ""),
                                tuple(str(n) for n in notebooks), dict(parameters), folder))
    return variants


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
