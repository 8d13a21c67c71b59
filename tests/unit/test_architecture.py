"""The layout shows the architecture: each layer imports only the layers beneath it, and no
module imports itself back through others, counting imports inside functions."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from rusturk.config import REPO_ROOT

PACKAGE = REPO_ROOT / "src" / "rusturk"
# Each layer and what it may import (itself included); the package root holds __version__.
ALLOWED = {
    "config": {"config"},
    "common": {"common", "config"},
    "data": {"data", "common", "config"},
    "analysis": {"analysis", "data", "common", "config"},
    "streams": {"streams", "common", "config"},
    "notebook": {"notebook", "analysis", "streams", "data", "common", "config"},
    "report": {"report", "notebook", "analysis", "streams", "data", "common", "config"},
}


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports(path: Path) -> set[str]:
    """Every rusturk module `path` imports, at the top or inside a function."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name for a in node.names if a.name.startswith("rusturk")}
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("rusturk"):
            for alias in node.names:
                candidate = f"{node.module}.{alias.name}"
                found.add(candidate if (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(
                    ".py").exists() else node.module)
    return found


GRAPH = {module_name(p): imports(p) for p in PACKAGE.rglob("*.py")}


def layer(module: str) -> str | None:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in ALLOWED else None


def test_there_are_at_least_three_subpackages():
    assert len({p.parent for p in PACKAGE.rglob("__init__.py")} - {PACKAGE}) >= 3


@pytest.mark.parametrize("module", sorted(m for m in GRAPH if layer(m)))
def test_each_layer_imports_only_the_layers_beneath_it(module):
    own = layer(module)
    wrong = sorted(t for t in GRAPH[module]
                   if t != "rusturk" and (layer(t) or t) not in ALLOWED[own])
    assert wrong == [], f"{module} ({own}) may not import {wrong}"


def test_no_import_cycles():
    def visit(module: str, path: list[str]) -> None:
        for target in sorted(GRAPH.get(module, ())):
            if target in path:
                raise AssertionError(" -> ".join([*path[path.index(target):], target]))
            if target in GRAPH and target not in done:
                visit(target, [*path, target])
        done.add(module)

    done: set[str] = set()
    for module in sorted(GRAPH):
        visit(module, [module])
