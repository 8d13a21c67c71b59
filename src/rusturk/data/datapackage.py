"""Render the Frictionless Data Package descriptor (data/datapackage.json) from the schema."""

from __future__ import annotations

import json

from rusturk import __version__
from rusturk.data.schema import (
    SLUG,
    TABLES,
    TODAY,
    UCDP_END,
    UCDP_GED,
    UCDP_RELEASE,
    UCDP_START,
    Field,
    Table,
)

FILENAME = "datapackage.json"
CC_BY = {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
         "path": "https://creativecommons.org/licenses/by/4.0/"}
# What the package's licence covers and what it does not: data/LICENSE says it in full.
LICENCE_NOTE = ("Our coding is CC BY 4.0; the quoted excerpts (`evidence`, "
                "`exact_date_evidence`, quotations in `note`) and the documents in `raw/` "
                "remain the property of their publishers and are quoted for citation. See "
                "LICENSE in this folder.")
DESCRIPTION = (
    "Russia–Turkey relations from the Su-24 shoot-down (24 November 2015) to the Moscow "
    "ceasefire (March 2020): every event, figure and phase names its source and keeps the "
    "source's exact words; where sources disagree each reading is kept. Coded by CODEBOOK.md; "
    "every column is described in README.md, and `rusturk validate` checks rules across "
    "columns and tables that this descriptor cannot state. " + LICENCE_NOTE)

# The Table Schema type of each kind of field; ids, codes and partial dates stay strings so
# that leading zeros and the precision written are kept.
TYPES = {"slug": "string", "text": "string", "date": "date", "partial_date": "string",
         "category": "string", "integer": "integer", "number": "number", "list": "string",
         "code": "string"}


def _pattern(regex: str) -> str:
    """A regex as Table Schema writes it (XML Schema's dialect, no `(?:`); same matches.

    Examples:
        >>> _pattern(r"\\d{4}(?:-\\d{2}(?:-\\d{2})?)?")
        '\\\\d{4}(-\\\\d{2}(-\\\\d{2})?)?'
    """
    return regex.replace("(?:", "(")


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def field_descriptor(field: Field) -> dict:
    """One column as a Table Schema field: type, description and the constraints it can state.

    Examples:
        >>> field_descriptor(Field("n", "integer", "How many.", unit="people", minimum=0))
        {'name': 'n', 'type': 'integer', 'description': 'How many. Unit: people.', \
'constraints': {'required': True, 'minimum': 0}}
        >>> field_descriptor(Field("ids", "list", "Sources.", required=False))["constraints"]
        {'pattern': '[a-z0-9]+(-[a-z0-9]+)*( *; *[a-z0-9]+(-[a-z0-9]+)*)*'}
    """
    described = field.description + (f" Unit: {field.unit}." if field.unit else "")
    constraints: dict[str, object] = {}
    if field.required:
        constraints["required"] = True
    if field.unique:
        constraints["unique"] = True
    if field.allowed:
        constraints["enum"] = list(field.allowed)
    if field.kind == "list":
        constraints["pattern"] = _pattern(f"{SLUG}( *; *{SLUG})*")
    elif field.pattern and field.kind != "date":
        constraints["pattern"] = _pattern(field.pattern)
    if field.minimum is not None:
        constraints["minimum"] = _number(field.minimum)
    if field.maximum is not None:
        constraints["maximum"] = _number(field.maximum)
    if field.kind == "date" and field.earliest:
        constraints["minimum"] = field.earliest
    if field.kind == "date" and field.latest and field.latest != TODAY:
        constraints["maximum"] = field.latest
    out: dict[str, object] = {"name": field.name, "type": TYPES[field.kind],
                              "description": described}
    if field.kind == "date":
        out["format"] = "%Y-%m-%d"
    if constraints:
        out["constraints"] = constraints
    return out


def _foreign_keys(table: Table) -> list[dict]:
    """A reference of a single-id column; list columns are checked by `rusturk validate`."""
    keys = []
    for field in table.fields:
        if field.references and field.kind != "list":
            resource, column = field.references.split(".")
            keys.append({"fields": [field.name],
                         "reference": {"resource": "" if resource == table.name else resource,
                                       "fields": [column]}})
    return keys


def resource(table: Table) -> dict:
    """One table as a tabular data resource."""
    schema: dict[str, object] = {"fields": [field_descriptor(f) for f in table.fields],
                                 "missingValues": [""], "primaryKey": list(table.key)}
    if foreign := _foreign_keys(table):
        schema["foreignKeys"] = foreign
    out: dict[str, object] = {
        "name": table.name, "path": table.filename, "profile": "tabular-data-resource",
        "title": table.filename, "description": table.description, "format": "csv",
        "mediatype": "text/csv", "encoding": "utf-8", "schema": schema}
    if table is UCDP_GED:
        out["sources"] = [{"title": f"UCDP Georeferenced Event Dataset (GED), Syria release "
                                    f"{UCDP_RELEASE} ({UCDP_START} to {UCDP_END})"}]
        out["licenses"] = [CC_BY]
    return out


def descriptor() -> dict:
    """The whole data package: every table of the schema, in the dictionary's order."""
    return {
        "profile": "tabular-data-package",
        "name": "rusturk",
        "title": "Russia–Turkey relations, 2015–2020: a curated, sourced event dataset",
        "description": DESCRIPTION,
        "version": __version__,
        "licenses": [CC_BY],
        "contributors": [{"title": "The rusturk authors", "role": "author"}],
        "keywords": ["Russia", "Turkey", "Syria", "Idlib", "event data", "CAMEO"],
        "resources": [resource(t) for t in TABLES.values()],
    }


def render() -> str:
    """The descriptor as committed: keys in the schema's order, UTF-8, one trailing newline."""
    return json.dumps(descriptor(), ensure_ascii=False, indent=2) + "\n"
