"""The layout shows the architecture: each layer imports only the layers beneath it, no
module imports itself back through others (counting imports inside functions), and an idea
with one home (the date style, plurals) is spelled nowhere else."""

from __future__ import annotations

import ast
import re
from functools import cache
from pathlib import Path

import pytest
from source_tree import FILES, PACKAGE, nodes

TEXT = PACKAGE / "common" / "text.py"
# Each layer and what it may import (itself included); the package root holds __version__.
ALLOWED = {
    "config": {"config"},
    "common": {"common", "config"},
    "data": {"data", "common", "config"},
    "analysis": {"analysis", "data", "common", "config"},
    # The streams aggregate the analysed dyad: its actors come from the one definition.
    "streams": {"streams", "common", "config", "rusturk.analysis.eventset"},
    "notebook": {"notebook", "analysis", "streams", "data", "common", "config"},
    "report": {"report", "notebook", "analysis", "streams", "data", "common", "config"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every rusturk module `path` imports, at the top or inside a function."""
    found = set()
    for node in nodes(path):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("rusturk")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rusturk"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(
                    ".py").exists() else node.module)
    return found


MODULES = [module_name(p) for p in FILES]


@cache
def graph() -> dict[str, set[str]]:
    """Each module's rusturk imports: parsed when a test asks, not while every test worker
    collects this file (every module's syntax tree costs a third of a second)."""
    return {module_name(p): imports(p) for p in FILES}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_there_are_at_least_three_subpackages():
    assert len({p.parent for p in PACKAGE.rglob("__init__.py")} - {PACKAGE}) >= 3


@pytest.mark.parametrize("module", [m for m in MODULES if layer(m)])
def test_each_layer_imports_only_the_layers_beneath_it(module):
    own = layer(module)
    wrong = sorted(t for t in graph()[module] if t != "rusturk"
                   and (layer(t) or t) not in ALLOWED[own] and t not in ALLOWED[own])
    assert wrong == [], f"{module} ({own}) may not import {wrong}"


def test_no_import_cycles():
    def visit(module: str, path: list[str]) -> None:
        for target in sorted(graph().get(module, ())):
            if target in path:
                raise AssertionError(" -> ".join([*path[path.index(target):], target]))
            if target in graph() and target not in done:
                visit(target, [*path, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(graph()):
        visit(module, [module])


# A display date format: a month's name (%b, %B) or an unpadded day (%-d, %-e). Machine dates
# (ISO in CSV files and SQL) are formats of the data, not the reports' style.
DATE_STYLE = re.compile(r"%-?[bB](?![A-Za-z])|%-[de](?![A-Za-z])")


def _date_styles(path: Path) -> list[str]:
    """Every string of a module (f-string parts and format specs included) that spells a
    display date format, with its line."""
    return [f"{path.name}:{node.lineno}: {node.value!r}" for node in nodes(path)
            if isinstance(node, ast.Constant) and isinstance(node.value, str)
            and DATE_STYLE.search(node.value)]


def _plural_helpers(path: Path) -> list[str]:
    return [f"{path.name}:{node.name}" for node in nodes(path)
            if isinstance(node, ast.FunctionDef) and "plural" in node.name.lower()]


def test_the_date_style_is_spelled_in_common_text_only():
    found = [hit for path in FILES if path != TEXT for hit in _date_styles(path)]
    assert found == [], "spell dates with rusturk.common.text: " + "; ".join(found)


def test_plural_is_defined_in_common_text_only():
    found = [hit for path in FILES if path != TEXT for hit in _plural_helpers(path)]
    assert found == [], "use rusturk.common.text.plural: " + "; ".join(found)


def test_the_checks_find_what_they_look_for(tmp_path):
    # Each spelling the package once used is caught, an ISO date is not, and the one home
    # holds what the checks look for.
    module = tmp_path / "m.py"
    module.write_text('a = f"{d:%-d %b %Y}"\nb = "%B %Y"\nc = "%d %b %Y"\nd = "%Y-%m-%d"\n'
                      "def _plural(n, name):\n    return name\n", encoding="utf-8")
    assert sorted(hit.split(":")[1] for hit in _date_styles(module)) == ["1", "2", "3"]
    assert _plural_helpers(module) == ["m.py:_plural"]
    assert _date_styles(TEXT) and _plural_helpers(TEXT) == ["text.py:plural"]
