"""The citable product: licences, citation, changelog and data package agree on one version."""

from __future__ import annotations

import re
import tomllib

import pytest
import yaml
from checkout import REPO_ROOT

from rusturk.data import datapackage

PYPROJECT = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))
VERSION = PYPROJECT["project"]["version"]


@pytest.mark.data
def test_licence_files_say_what_pyproject_and_the_package_say():
    code = (REPO_ROOT / "LICENSE").read_text(encoding="utf-8")
    assert PYPROJECT["project"]["license"] == "MIT"
    assert code.startswith("MIT License\n") and "The rusturk authors" in code
    data = " ".join((REPO_ROOT / "data" / "LICENSE").read_text(encoding="utf-8").split())
    assert "CC BY 4.0" in data and "remain the property of their publishers" in data
    assert [lic["name"] for lic in datapackage.descriptor()["licenses"]] == ["CC-BY-4.0"]


def test_citation_is_cff_1_2_with_the_projects_version():
    citation = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    for key in ("message", "title", "authors", "version", "date-released", "license"):
        assert citation[key], key
    assert citation["version"] == VERSION
    assert set(citation["license"]) == {"MIT", "CC-BY-4.0"}


def test_changelog_releases_are_dated_and_the_newest_is_the_projects_version():
    text = (REPO_ROOT / "CHANGELOG.md").read_text(encoding="utf-8")
    headings = re.findall(r"^## \[([^\]]+)\](?: - (\S+))?$", text, flags=re.MULTILINE)
    assert headings[0] == ("Unreleased", "")
    released = headings[1:]
    assert released and released[0][0] == VERSION
    for version, day in released:
        assert re.fullmatch(r"\d+\.\d+\.\d+", version), version
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", day), (version, day)
    citation = yaml.safe_load((REPO_ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["date-released"] == released[0][1]
