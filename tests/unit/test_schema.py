"""The schema is the single description of the data: the dictionary and the files follow it."""

from __future__ import annotations

import pytest
from checkout import REPO_ROOT

from rusturk.data.dictionary import render
from rusturk.data.schema import TABLES, quad_class_of


def test_every_field_is_documented_in_the_dictionary():
    text = render()
    for table in TABLES.values():
        assert f"## `{table.filename}`" in text
        for field in table.fields:
            assert f"| `{field.name}` |" in text, field.name
            assert field.description


@pytest.mark.data
def test_committed_dictionary_is_current():
    committed = (REPO_ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert committed == render(), "data/README.md is stale: run `rusturk dictionary`"


@pytest.mark.parametrize(("code", "quad"), [("01", 1), ("057", 1), ("062", 2), ("0871", 2),
                                            ("09", 3), ("138", 3), ("14", 4), ("20", 4)])
def test_quad_class_rule(code, quad):
    assert quad_class_of(code) == quad


def test_quad_class_rejects_unknown_root():
    with pytest.raises(ValueError, match="01 to 20"):
        quad_class_of("21")
