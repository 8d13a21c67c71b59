"""data/datapackage.json: generated from the schema, and frictionless checks data with it."""

from __future__ import annotations

import json

import pytest
from checkout import REPO_ROOT
from conftest import write_table

from rusturk.data import datapackage
from rusturk.data.schema import TABLES


def resource(name: str) -> dict:
    return next(r for r in datapackage.descriptor()["resources"] if r["name"] == name)


def field(table: str, name: str) -> dict:
    return next(f for f in resource(table)["schema"]["fields"] if f["name"] == name)


@pytest.mark.data
def test_committed_package_is_current():
    committed = (REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    assert committed == datapackage.render(), "data/datapackage.json is stale: run " \
        "`rusturk dictionary`"


def test_every_table_and_column_in_the_schemas_order():
    package = datapackage.descriptor()
    assert [(r["name"], r["path"]) for r in package["resources"]] == [
        ("events", "events.csv"), ("sources", "sources.csv"), ("figures", "figures.csv"),
        ("attributions", "attributions.csv"), ("phases", "phases.csv"),
        ("cameo", "cameo.csv"), ("ucdp_ged", "ucdp_ged_nw_syria.csv")]
    for r in package["resources"]:
        assert [f["name"] for f in r["schema"]["fields"]] == TABLES[r["name"]].columns
    assert package["licenses"][0]["name"] == "CC-BY-4.0"


def test_columns_typed_and_constrained_as_the_codebook_says():
    # Hand-written expectations, one per kind of column.
    assert field("events", "cameo_code") == {
        "name": "cameo_code", "type": "string",
        "description": "CAMEO event code; QuadClass and Goldstein score are looked up from "
                       "it in cameo.csv.",
        "constraints": {"required": True, "pattern": r"\d{2,4}"}}
    assert field("events", "date")["type"] == "string"  # a partial date keeps its precision
    assert field("events", "date")["constraints"]["pattern"] == r"\d{4}(-\d{2}(-\d{2})?)?"
    assert field("events", "exact_date")["type"] == "date"
    assert field("events", "exact_date")["constraints"] == {
        "minimum": "2015-01-01", "maximum": "2020-12-31"}
    # Read on or before the day validation runs: no fixed maximum to state.
    assert field("sources", "access_date")["constraints"] == {"required": True,
                                                              "minimum": "1900-01-01"}
    assert field("figures", "value_best")["constraints"] == {"minimum": 0,
                                                             "maximum": 10_000_000_000}
    assert field("figures", "value_best")["type"] == "integer"
    assert field("cameo", "goldstein")["constraints"] == {"required": True, "minimum": -10,
                                                          "maximum": 10}
    assert field("events", "intent")["constraints"]["enum"] == ["deliberate", "accidental",
                                                                "unclear"]
    assert field("events", "event_id")["constraints"]["unique"] is True
    assert resource("figures")["schema"]["primaryKey"] == [
        "event_id", "source_id", "measure", "as_of", "claimant"]


def test_references_are_foreign_keys_except_lists():
    keys = resource("events")["schema"]["foreignKeys"]
    assert {"fields": ["cameo_code"],
            "reference": {"resource": "cameo", "fields": ["cameo_code"]}} in keys
    assert not [k for k in keys if k["fields"] == ["source_ids"]]  # a ';' list: validate's job
    assert field("events", "source_ids")["type"] == "string"
    phases = resource("phases")["schema"]["foreignKeys"]
    assert {"fields": ["opening_event_id"],
            "reference": {"resource": "events", "fields": ["event_id"]}} in phases


# -- frictionless reads the data with it ------------------------------------------------------

@pytest.fixture
def package(data_dir):
    write_table(data_dir, "ucdp_ged", [])  # the optional table, present and empty
    path = data_dir / datapackage.FILENAME
    path.write_text(datapackage.render(), encoding="utf-8")
    return path


def errors(path) -> list[tuple[str, str, int | None, str | None]]:
    # Imported here: its 0.16 s would fall on every test worker collecting this file.
    frictionless = pytest.importorskip("frictionless")
    report = frictionless.validate(str(path))
    return [(task.name, e.type, getattr(e, "row_number", None), getattr(e, "field_name", None))
            for task in report.tasks for e in task.errors]


def test_the_hand_made_data_is_valid(package):
    assert errors(package) == []


def test_each_broken_cell_is_named_by_table_row_and_kind(package, edit):
    # Several cells broken at once, one validation (each takes 0.25 s): rows count from 2,
    # the header being row 1.
    edit("events", 0, "category", "diplomacy")  # not in the closed list
    edit("events", 1, "date", "2016-5")  # not a partial date
    edit("events", 1, "exact_date", "2021-01-01")  # after the study
    edit("figures", 0, "value_best", "7.5")  # not a whole number
    edit("figures", 1, "source_id", "nobody")  # no such source
    assert sorted(errors(package), key=str) == sorted([
        ("events", "constraint-error", 2, "category"),
        ("events", "constraint-error", 3, "date"),
        ("events", "constraint-error", 3, "exact_date"),
        ("figures", "type-error", 2, "value_best"),
        ("figures", "foreign-key", 3, None),
    ], key=str)


def test_a_negative_count_breaks_its_constraint(package, edit):
    edit("figures", 0, "value_best", "-1")
    assert errors(package) == [("figures", "constraint-error", 2, "value_best")]


@pytest.mark.data
def test_the_committed_package_is_json_with_one_trailing_newline():
    text = (REPO_ROOT / "data" / "datapackage.json").read_text(encoding="utf-8")
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert json.loads(text)["name"] == "rusturk"
