"""The project is found from the working directory or named explicitly, never from where the
package is installed: a package copied away from the checkout (as a wheel installs it) works."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import rusturk
from rusturk import config
from rusturk.cli import main

REPORTS = "reports:\n  - name: mine\n    notebooks: [only]\n"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A hand-made project folder: notebooks/ with one notebook, reports.yaml, a nested dir."""
    root = tmp_path / "proj"
    (root / "notebooks").mkdir(parents=True)
    (root / "notebooks" / "only.ipynb").write_text(
        '{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}', encoding="utf-8")
    (root / "reports.yaml").write_text(REPORTS, encoding="utf-8")
    (root / "deep" / "er").mkdir(parents=True)
    return root


@pytest.fixture
def clean_env(monkeypatch):
    monkeypatch.delenv(config.ROOT_ENV, raising=False)
    monkeypatch.delenv(config.DATA_ENV, raising=False)


def test_the_project_is_the_working_directory_or_the_nearest_above(project, monkeypatch,
                                                                    clean_env):
    monkeypatch.chdir(project / "deep" / "er")
    assert config.project_root() == project.resolve()
    assert config.notebooks_dir() == project.resolve() / "notebooks"
    assert config.variants_file() == project.resolve() / "reports.yaml"
    assert config.reports_dir() == project.resolve() / "reports"
    assert config.default_data_dir() == project.resolve() / "data"


def test_rusturk_root_names_the_project_wherever_the_command_runs(project, tmp_path,
                                                                  monkeypatch, clean_env):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv(config.ROOT_ENV, str(project))
    assert config.project_root() == project.resolve()
    monkeypatch.setenv(config.ROOT_ENV, str(tmp_path))
    with pytest.raises(config.ProjectNotFound, match=r"RUSTURK_ROOT=.*expected a folder"):
        config.project_root()


def test_no_project_is_one_line_and_exit_2(tmp_path, monkeypatch, clean_env, capsys):
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    assert main(["build", "--no-pdf"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("rusturk build: no notebooks/ and reports.yaml in ")
    assert "--root DIR" in err
    assert main(["validate"]) == 2  # no data folder is guessed either
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("rusturk validate: no notebooks/")


def test_root_option_reads_that_projects_reports(project, tmp_path, monkeypatch, clean_env,
                                                 capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["--root", str(project), "build", "--only", "nope", "--no-pdf"]) == 2
    assert "--only nope: no such report; reports: mine" in capsys.readouterr().err
    assert config.ROOT_ENV not in os.environ  # --root holds for that one command


def test_a_package_copied_away_from_the_checkout_finds_the_project_from_cwd(project,
                                                                            tmp_path):
    # The layout of a non-editable install: the package alone in a site folder.
    site = tmp_path / "site"
    shutil.copytree(Path(rusturk.__file__).parent, site / "rusturk",
                    ignore=shutil.ignore_patterns("__pycache__"))
    env = {k: v for k, v in os.environ.items() if k not in (config.ROOT_ENV, config.DATA_ENV)}
    env["PYTHONPATH"] = str(site)
    probe = ("import rusturk, rusturk.config as c; "
             "print(rusturk.__file__); print(c.notebooks_dir()); print(c.default_data_dir())")
    result = subprocess.run([sys.executable, "-c", probe], cwd=project / "deep",
                            capture_output=True, text=True, env=env, check=True)
    package, notebooks, data = result.stdout.splitlines()
    assert Path(package).is_relative_to(site)
    assert Path(notebooks) == project.resolve() / "notebooks"
    assert Path(data) == project.resolve() / "data"
    result = subprocess.run([sys.executable, "-m", "rusturk", "build", "--only", "nope"],
                            cwd=tmp_path, capture_output=True, text=True, env=env, check=False)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and "no notebooks/ and reports.yaml" in result.stderr
