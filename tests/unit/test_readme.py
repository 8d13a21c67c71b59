"""Every command of README.md runs as written, or names a target, subcommand and options that exist.

The commands are read from the README itself: each line of a fenced bash block and each inline
code span that starts with a program the project ships or documents. The cheap ones run for
real (`make help`, `rusturk validate`, `rusturk stream --bigquery-sql`); the others are checked
without running them: a make target with `make -n` (the recipe it would run), a `rusturk`
command against the command line's own parser, a notebook parameter against the notebook.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import shlex
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest
import yaml
from checkout import REPO_ROOT

from rusturk.cli import build_parser

# The README's commands run on the repository as shipped, bundled data included: the data tier.
pytestmark = pytest.mark.data

README = REPO_ROOT / "README.md"
BIN = Path(sys.executable).parent  # what the README calls .venv/bin
FENCE = re.compile(r"^```(?:bash|sh|shell)\n(.*?)^```", re.DOTALL | re.MULTILINE)
INLINE = re.compile(r"`([^`\n]+)`")
# An inline code span is a command when it starts with one of these (after `.venv/bin/`).
PROGRAMS = ("make", "rusturk", "python", "papermill", "pip", "source", "bq", "frictionless",
            "pre-commit")
# Words that stand for a folder or file of the reader's: what the checks put in their place.
DATA_DIR_WORDS = ("DIR",)
DATA_COPY_WORDS = ("/path/to/copy", "/path/to/data/copy")


def readme_commands() -> list[list[str]]:
    """The README's commands as argument lists, in the order they first appear."""
    text = README.read_text(encoding="utf-8")
    found: list[list[str]] = []
    for block in FENCE.findall(text):
        for line in block.replace("\\\n", " ").splitlines():
            if words := shlex.split(line, comments=True):
                found.append(words)
    for span in INLINE.findall(text):
        words = shlex.split(span)
        program = words[0].removeprefix(".venv/bin/") if words else ""
        if program in PROGRAMS and len(words) > 1:
            found.extend(part for part in _split_and(words))
    return list({" ".join(words): words for words in found}.values())


def _split_and(words: list[str]) -> list[list[str]]:
    """`a && b` as two commands."""
    parts, current = [], []
    for word in words:
        if word == "&&":
            parts.append(current)
            current = []
        else:
            current.append(word)
    return [*parts, current]


COMMANDS = readme_commands()


def test_the_readme_commands_are_found():
    # The extraction itself must not go quiet: a few commands every README version has.
    lines = [" ".join(c) for c in COMMANDS]
    for expected in ("make report", "make test", "make help", "make validate DATA=/path/to/copy",
                     "make report DATA=/path/to/copy", "make lab PORT=8890 LAB_ARGS=--no-browser",
                     ".venv/bin/rusturk validate --data DIR",
                     ".venv/bin/rusturk build --only idlib-feb-2020",
                     ".venv/bin/rusturk changes --since HEAD"):
        assert expected in lines, expected
    assert not [c for c in lines if "python -m rusturk.changes" in c]  # the one that never ran
    assert len(COMMANDS) >= 30


@pytest.fixture(scope="module")
def data_copy(tmp_path_factory) -> Path:
    """Where the README's "another copy of the data" lies: only named, never read, since
    `rusturk validate` runs for real on data/ and the copy only has to reach the command."""
    return tmp_path_factory.mktemp("readme") / "data-copy"


_validated: dict[Path, subprocess.CompletedProcess] = {}


def validate(folder: str) -> subprocess.CompletedProcess:
    """`rusturk validate --data FOLDER`, run once per folder however often the README says it
    (about 5 s of CPU each)."""
    where = (REPO_ROOT / folder).resolve()
    if where not in _validated:
        _validated[where] = run([str(BIN / "rusturk"), "validate", "--data", str(where)])
    return _validated[where]


def substitute(words: list[str], copy: Path) -> list[str]:
    out = []
    for word in words:
        for placeholder in DATA_COPY_WORDS:
            word = word.replace(placeholder, str(copy))
        out.append("data" if word in DATA_DIR_WORDS else word)
    return out


def run(argv: list[str], timeout: int = 300) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items()
                   if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "RUSTURK_DATA")}
    return subprocess.run(argv, cwd=REPO_ROOT, capture_output=True, text=True,
                          timeout=timeout, env=environment, check=False)


# -- the checks, one per program -------------------------------------------------------------

def check_make(words: list[str], copy: Path) -> None:
    targets = [w for w in words[1:] if "=" not in w]
    assignments = [w for w in words[1:] if "=" in w]
    assert targets, "make without a target"
    dry = run(["make", "-n", *targets, *assignments])
    assert dry.returncode == 0, f"make -n {' '.join(words[1:])}:\n{dry.stderr}"
    recipe = dry.stdout
    values = dict(a.split("=", 1) for a in assignments)
    if "help" in targets:
        shown = run(["make", "help"])
        assert shown.returncode == 0 and "make report" in shown.stdout
    if "validate" in targets:
        # The recipe's command checks the folder given; on data/ it runs.
        (line,) = [ln for ln in recipe.splitlines() if " validate --data " in ln]
        argv = shlex.split(line)
        assert Path(argv[0]).name == "rusturk" and argv[1:3] == ["validate", "--data"]
        assert argv[3] == values.get("DATA", "data")
        if argv[3] == "data":
            done = validate(argv[3])
            assert done.returncode == 0, done.stderr
    if "report" in targets:
        (line,) = [ln for ln in recipe.splitlines() if " build" in ln and "rusturk" in ln]
        if "DATA" in values:  # the build reads the folder validate checked
            assert f"-p data_dir={Path(values['DATA']).resolve()}" in line
        else:
            assert "data_dir" not in line
    if "lab" in targets:
        (line,) = [ln for ln in recipe.replace("\\\n", " ").splitlines() if " lab " in ln]
        if "PORT" in values:
            assert f"--port={values['PORT']}" in line
        for arg in shlex.split(values.get("LAB_ARGS", "")):
            assert arg in shlex.split(line)


def declared_parameters() -> set[str]:
    import papermill

    names: set[str] = set()
    for notebook in sorted((REPO_ROOT / "notebooks").glob("*.ipynb")):
        names |= set(papermill.inspect_notebook(str(notebook)))
    return names


def check_rusturk(words: list[str], copy: Path) -> None:
    argv = words[1:]
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
        try:
            args = build_parser().parse_args(argv)
        except SystemExit:
            pytest.fail(f"rusturk {' '.join(argv)}: {stderr.getvalue().strip()}")
    if args.command == "validate":
        done = validate(str(args.data or "data"))
        assert done.returncode == 0, done.stderr
    if args.command == "stream" and args.bigquery_sql:
        done = run([str(BIN / "rusturk"), *argv])
        assert done.returncode == 0, done.stderr
        assert "SELECT" in done.stdout
    if args.command == "build":
        variants = yaml.safe_load((REPO_ROOT / "reports.yaml").read_text(encoding="utf-8"))
        names = {r["name"] for r in variants["reports"]}
        assert set(args.only) <= names, f"--only names no report of reports.yaml: {args.only}"
        declared = declared_parameters()
        for assignment in args.param:
            assert assignment.split("=", 1)[0] in declared, assignment


def check_python(words: list[str], copy: Path) -> None:
    if words[1:3] == ["-m", "pip"]:
        # An extra of this project must exist; another package is the reader's choice.
        extras = tomllib.loads((REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8"))[
            "project"]["optional-dependencies"]
        for word in words[3:]:
            if match := re.fullmatch(r"\.\[([\w,-]+)\]", word):
                assert set(match.group(1).split(",")) <= set(extras), word
        return
    assert words[1] == "-m", f"{' '.join(words)}: expected python -m MODULE"
    done = run([sys.executable, "-m", words[2], "--help"])
    assert done.returncode == 0, done.stderr


def check_papermill(words: list[str], copy: Path) -> None:
    assert (BIN / "papermill").exists()
    notebook = REPO_ROOT / words[1]
    assert notebook.is_file(), words[1]
    import papermill

    declared = set(papermill.inspect_notebook(str(notebook)))
    given = [words[i + 1] for i, w in enumerate(words) if w in ("-p", "--parameters")]
    assert given and set(given) <= declared, given


def check_source(words: list[str], copy: Path) -> None:
    assert words[1] == ".venv/bin/activate" and (BIN / "activate").is_file()


def check_tool(words: list[str], copy: Path) -> None:
    """A tool the project installs into .venv/bin: it must be there."""
    assert (BIN / words[0]).exists(), f"{words[0]} is not installed in .venv/bin"
    for word in words[1:]:
        if word.startswith("data/"):
            assert (REPO_ROOT / word).exists(), word


def check_bq(words: list[str], copy: Path) -> None:
    """Google's BigQuery client is the reader's; the query it is given must exist."""
    query = words[words.index("<") + 1]
    assert (REPO_ROOT / query).is_file(), query


CHECKS = {"make": check_make, "rusturk": check_rusturk, "python": check_python,
          "papermill": check_papermill, "source": check_source, "bq": check_bq,
          "frictionless": check_tool, "pre-commit": check_tool}


@pytest.mark.parametrize("words", COMMANDS, ids=[" ".join(c) for c in COMMANDS])
def test_readme_command(words, data_copy):
    words = substitute(words, data_copy)
    program = words[0].removeprefix(".venv/bin/")
    assert program in CHECKS, f"no check for {program}: add one"
    CHECKS[program]([program, *words[1:]], data_copy)
