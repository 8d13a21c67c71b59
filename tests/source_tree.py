"""The package's source files and their syntax trees, for the tests that read the code itself
(the layers, the homes of shared ideas, the libraries it may import)."""

from __future__ import annotations

import ast
from functools import cache
from pathlib import Path

import rusturk

PACKAGE = Path(rusturk.__file__).resolve().parent
FILES = sorted(PACKAGE.rglob("*.py"))


@cache
def nodes(path: Path) -> tuple[ast.AST, ...]:
    """Every node of a module's syntax tree: parsed once per test worker, then shared by the
    checks (each parse of the whole package costs a third of a second)."""
    return tuple(ast.walk(ast.parse(path.read_text(encoding="utf-8"))))


def imported(path: Path) -> list[str]:
    """Every module name an `import` or `from … import` of `path` names, at the top or inside
    a function."""
    found: list[str] = []
    for node in nodes(path):
        if isinstance(node, ast.Import):
            found += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append(node.module or "")
    return found
