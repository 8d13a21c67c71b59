"""A kernel handed from one notebook of a build to the next: the second starts as in a new
kernel (empty namespace, prompts from 1, warnings shown again), in the same process."""

from __future__ import annotations

import nbformat
from nbformat.v4 import new_code_cell, new_notebook

from rusturk.report import execute


def _book(path, *sources: str):
    book = new_notebook(cells=[new_code_cell(s) for s in sources])
    book.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                   "language": "python"}
    nbformat.write(book, path)
    return path


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")


def test_a_reset_kernel_runs_the_next_notebook_as_a_new_one_would(tmp_path):
    # A library's warning is shown once per place in the library, for the whole process.
    (tmp_path / "library.py").write_text(
        "import warnings\n\ndef go():\n    warnings.warn('once', UserWarning)\n")
    warn = f"import sys\nsys.path.insert(0, {str(tmp_path)!r})\nimport library\nlibrary.go()"
    first = _book(tmp_path / "a.ipynb", "x = 1\nimport os\nprint(os.getpid())", warn, "x")
    second = _book(tmp_path / "b.ipynb", "import os\nprint(os.getpid())",
                   "print('x' in dir(), 'os' in dir())", warn)
    kernels = execute.Kernels(1, wanted=2)
    try:
        ran = []
        for source in (first, second):
            km = kernels.take()
            target = tmp_path / f"out-{source.name}"
            execute.execute(source, target, {}, source.name, km=km, timeout=60,
                            release=kernels.give_back)
            ran.append(nbformat.read(target, as_version=4))
    finally:
        kernels.stop()
        kernels.close()
    a, b = ([c for c in book.cells if c.cell_type == "code"] for book in ran)
    assert _text(a[0]) == _text(b[0]), "the same kernel process ran both"
    assert [c.execution_count for c in b] == [1, 2, 3]
    assert _text(b[1]).split() == ["False", "True"]  # x is gone; os imported again above
    assert any(o.get("name") == "stderr" and "UserWarning" in o.get("text", "")
               for o in b[2].outputs), "a warning shown in the first is shown again"
