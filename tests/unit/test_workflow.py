"""CI on GitHub: the workflow, the pre-commit hooks, annotations for data problems, the site."""

from __future__ import annotations

import html
import re

import pytest
import yaml
from checkout import REPO_ROOT

from rusturk.cli import main
from rusturk.common.problems import Problem, workflow_command
from rusturk.report.site import build_site

WORKFLOW = REPO_ROOT / ".github" / "workflows" / "reports.yml"


@pytest.fixture(scope="module")
def workflow() -> dict:
    return yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))


def steps(workflow: dict, job: str = "build") -> list[dict]:
    return workflow["jobs"][job]["steps"]


def uses(workflow: dict, action: str, job: str = "build") -> list[dict]:
    return [s for s in steps(workflow, job) if s.get("uses", "").startswith(action + "@")]


def make_targets(lines: str) -> list[str]:
    return re.findall(r"^\s*make\s+([\w-]+)\s*$", lines, flags=re.MULTILINE)


# -- the workflow ----------------------------------------------------------------------------

def test_triggers_cover_what_the_reports_are_built_from(workflow):
    triggers = workflow.get("on", workflow.get(True))  # YAML 1.1 reads a bare `on` as True
    wanted = {"data/**", "notebooks/**", "src/**", "reports.yaml", "pyproject.toml",
              "constraints.txt"}
    for event in ("push", "pull_request"):
        assert wanted <= set(triggers[event]["paths"]), event
    assert "workflow_dispatch" in triggers


def test_runs_the_same_make_targets_as_ci_run(workflow):
    ci = make_targets((REPO_ROOT / ".ci" / "run").read_text(encoding="utf-8"))
    assert ci, ".ci/run runs no make target?"
    ran = [t for s in steps(workflow) for t in make_targets(s.get("run", ""))]
    assert ran == ci  # same targets, same order
    assert {"lint", "hooks", "report", "test"} <= set(ran)  # report runs validate first


def test_checkout_has_history_and_python_caches_pip(workflow):
    (checkout,) = uses(workflow, "actions/checkout")
    assert checkout["with"]["fetch-depth"] == 0
    (python,) = uses(workflow, "actions/setup-python")
    assert python["with"]["cache"] == "pip"
    assert python["with"]["cache-dependency-path"].split() == ["pyproject.toml",
                                                                "constraints.txt"]
    runs = "\n".join(s.get("run", "") for s in steps(workflow))
    assert "sudo apt-get update && sudo apt-get install -y chromium" in runs


def test_uploads_the_reports_and_publishes_pages_from_main(workflow):
    (artifact,) = uses(workflow, "actions/upload-artifact")
    assert set(artifact["with"]["path"].split()) == {"reports/**/*.html", "reports/**/*.pdf"}
    (site,) = uses(workflow, "actions/upload-pages-artifact")
    on_main = "github.ref == 'refs/heads/main'"
    assert on_main in site["if"]
    deploy = workflow["jobs"]["deploy"]
    assert on_main in deploy["if"] and deploy["needs"] == "build"
    assert deploy["permissions"] == {"pages": "write", "id-token": "write"}
    assert uses(workflow, "actions/deploy-pages", job="deploy")
    assert workflow["permissions"] == {"contents": "read"}


# -- pre-commit and the Makefile -------------------------------------------------------------

def test_pre_commit_hooks_are_local_and_offline():
    config = yaml.safe_load((REPO_ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))
    (repo,) = config["repos"]
    assert repo["repo"] == "local"
    hooks = {h["id"]: h for h in repo["hooks"]}
    assert set(hooks) == {"ruff", "nbstripout", "data-dictionary"}
    assert all(h["language"] in ("system", "unsupported") for h in hooks.values())
    assert re.search(hooks["nbstripout"]["files"], "notebooks/01_overview.ipynb")
    for path in ("src/rusturk/data/schema.py", "src/rusturk/data/datapackage.py",
                 "data/README.md", "data/datapackage.json"):
        assert re.search(hooks["data-dictionary"]["files"], path), path
    assert not re.search(hooks["data-dictionary"]["files"], "data/events.csv")


def test_make_hooks_runs_pre_commit_on_every_file():
    makefile = (REPO_ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = re.search(r"^hooks:.*\n((?:\t.*\n)+)", makefile, flags=re.MULTILINE)
    assert recipe and "pre-commit run --all-files" in recipe.group(1)


# -- annotations -----------------------------------------------------------------------------

def test_annotation_names_file_line_and_column():
    problem = Problem("data/events.csv", 12, "date", "expected a date; got '2016-06-31'")
    assert workflow_command(problem) == (
        "::error file=data/events.csv,line=12,title=date::expected a date; got '2016-06-31'")


def test_annotation_escapes_per_githubs_rules():
    problem = Problem("data/a,b:c.csv", 3, "x,y:z", "50% off\r\nnext line, with: colon")
    assert workflow_command(problem) == (
        "::error file=data/a%2Cb%3Ac.csv,line=3,title=x%2Cy%3Az::"
        "50%25 off%0D%0Anext line, with: colon")


def test_annotation_for_a_whole_file_has_no_title_and_a_path_from_the_checkout(tmp_path):
    problem = Problem(str(tmp_path / "data" / "figures.csv"), 1, "-", "file not found")
    assert workflow_command(problem, tmp_path) == (
        "::error file=data/figures.csv,line=1::file not found")
    outside = Problem("/elsewhere/figures.csv", 1, "-", "file not found")
    assert workflow_command(outside, tmp_path).startswith("::error file=/elsewhere/figures.csv,")


def test_validate_annotates_problems_on_github(data_dir, edit, capsys, monkeypatch):
    edit("events", 1, "date", "2016-06-31")
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    monkeypatch.setenv("GITHUB_WORKSPACE", str(data_dir.parent))
    assert main(["validate", "--data", str(data_dir)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [
        "::error file=data/events.csv,line=3,title=date::expected date (YYYY-MM-DD, YYYY-MM "
        "or YYYY); got '2016-06-31'"]
    # The plain lines are still there for people reading the log.
    assert "events.csv:3: date: expected date" in captured.err


def test_validate_prints_no_annotations_elsewhere(data_dir, edit, capsys, monkeypatch):
    edit("events", 1, "date", "2016-06-31")
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    assert main(["validate", "--data", str(data_dir)]) == 1
    assert "::error" not in capsys.readouterr().out


# -- the Pages site --------------------------------------------------------------------------

def test_site_lists_each_report_with_its_pdf(tmp_path):
    reports = tmp_path / "reports"
    (reports / "briefing").mkdir(parents=True)
    (reports / "briefing" / "idlib.html").write_text(
        "<html><head><title>Idlib &amp; <b>escalation</b></title></head></html>",
        encoding="utf-8")
    (reports / "briefing" / "idlib.pdf").write_bytes(b"%PDF-1.7 test")
    (reports / "overview.pdf").write_bytes(b"%PDF-1.7 test")
    (reports / "notes.txt").write_text("not published", encoding="utf-8")
    (reports / "index.html").write_text("<title>old index</title>", encoding="utf-8")

    site = tmp_path / "_site"
    items = build_site(reports, site, commit="abc1234")
    assert [(i.name, i.html, i.pdf) for i in items] == [
        ("briefing/idlib", "briefing/idlib.html", "briefing/idlib.pdf"),
        ("overview", None, "overview.pdf")]
    assert (site / "briefing" / "idlib.pdf").read_bytes() == b"%PDF-1.7 test"
    assert not (site / "notes.txt").exists()

    page = (site / "index.html").read_text(encoding="utf-8")
    assert "<b>" not in page and "old index" not in page
    expected_title = html.escape("Idlib & <b>escalation</b>")
    assert f'<a href="briefing/idlib.html">{expected_title}</a>' in page
    assert '<a href="briefing/idlib.pdf">PDF</a>' in page
    assert '<a href="overview.pdf">overview</a> (PDF)' in page
    assert "abc1234" in page


def test_site_links_are_url_encoded(tmp_path):
    reports = tmp_path / "reports"
    reports.mkdir()
    (reports / 'a "b" <c>.pdf').write_bytes(b"%PDF")
    build_site(reports, tmp_path / "site")
    page = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert 'href="a%20%22b%22%20%3Cc%3E.pdf"' in page
    assert "a &#34;b&#34; &lt;c&gt;" in page  # Jinja2 writes &#34; for a double quote
