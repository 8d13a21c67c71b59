"""What makes a build fast without changing what it makes: the order notebooks run in, one
read of a data folder per build, and validation that checks each distinct value once."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace

from conftest import write_table

from rusturk.data import dataset
from rusturk.data.validate import validate
from rusturk.report.build import longest_first


def _notebook(path: Path, code_cells: int) -> SimpleNamespace:
    cells = [{"cell_type": "markdown", "source": "x", "metadata": {}}] * 3
    cells += [{"cell_type": "code", "source": "1", "metadata": {}, "outputs": [],
               "execution_count": None}] * code_cells
    path.write_text(json.dumps({"cells": cells}), encoding="utf-8")
    return SimpleNamespace(source=path, notebook=path.stem)


def test_the_longest_notebook_runs_first_and_ties_keep_their_order(tmp_path):
    jobs = [_notebook(tmp_path / f"{name}.ipynb", n)
            for name, n in (("a", 2), ("b", 5), ("c", 2), ("d", 9))]
    assert [j.notebook for j in longest_first(jobs)] == ["d", "b", "a", "c"]


def test_an_unreadable_notebook_is_ordered_last_not_an_error(tmp_path):
    broken = tmp_path / "broken.ipynb"
    broken.write_text("{not json", encoding="utf-8")
    jobs = [SimpleNamespace(source=broken, notebook="broken"),
            _notebook(tmp_path / "fine.ipynb", 1),
            SimpleNamespace(source=tmp_path / "missing.ipynb", notebook="missing")]
    assert [j.notebook for j in longest_first(jobs)] == ["fine", "broken", "missing"]


def test_a_folder_is_read_once_until_a_file_changes(data_dir, edit, monkeypatch):
    reads = []
    real = dataset.load
    monkeypatch.setattr(dataset, "load",
                        lambda d=None, *more: reads.append(d) or real(d, *more))
    first = dataset.load_once(data_dir)
    assert dataset.load_once(data_dir) is first
    assert dataset.load_once(str(data_dir / ".." / "data")) is first  # the same folder
    assert len(reads) == 1
    edit("events", 1, "title", "Test clash, retitled")
    second = dataset.load_once(data_dir)
    assert len(reads) == 2 and second is not first
    assert "Test clash, retitled" in set(second.events["title"])


def test_a_repeated_bad_value_is_reported_on_every_row(data_dir):
    """Checking each distinct value once must still name every row that holds it."""
    from conftest import EVENTS

    rows = [dict(EVENTS[0], event_id=f"test-accord-{i}", cameo_code="9x9") for i in range(3)]
    write_table(data_dir, "events", [dict(r) for r in EVENTS] + rows)
    problems = [p for p in validate(data_dir).problems
                if p.column == "cameo_code" and "9x9" in p.message]
    assert sorted(p.row for p in problems) == [4, 5, 6]


def test_a_kernel_reads_what_its_build_validated_and_validates_anything_else(
        data_dir, edit, monkeypatch):
    from rusturk.common.problems import DataError
    from rusturk.config import VALIDATED_ENV
    from rusturk.data import checksums

    calls = []
    real = dataset.validate
    monkeypatch.setattr(dataset, "validate", lambda d: calls.append(d) or real(d))
    version = checksums.data_version(checksums.data_checksums(data_dir))
    monkeypatch.setenv(VALIDATED_ENV, f"0000000000 {version}")
    trusted = dataset.load(data_dir)
    assert calls == [] and len(trusted.events) == 2
    monkeypatch.delenv(VALIDATED_ENV)
    assert len(dataset.load(data_dir).events) == 2 and len(calls) == 1
    # Content the build did not validate is validated, and refused if bad.
    monkeypatch.setenv(VALIDATED_ENV, version)
    edit("events", 1, "date", "2016-13-45")
    try:
        dataset.load(data_dir)
    except DataError as exc:
        assert any(p.column == "date" for p in exc.problems)
    else:
        raise AssertionError("changed data was trusted")
    assert len(calls) == 2


def test_the_build_refuses_data_that_changed_since_it_planned(data_dir):
    import pytest

    from rusturk.report.build import _check_data
    from rusturk.report.plan import BuildError
    from rusturk.report.progress import Progress

    with pytest.raises(BuildError, match="changed while the build started"):
        _check_data({data_dir: "0123456789ab"}, Progress())


def test_an_urgent_print_goes_before_those_waiting_and_the_rest_keep_their_order():
    import asyncio

    from rusturk.report.pdf import _Slots

    started: list[str] = []

    async def job(gate: _Slots, name: str, urgent: bool, hold: asyncio.Event) -> None:
        await gate.acquire(urgent)
        started.append(name)
        await hold.wait()
        gate.release()

    async def main() -> None:
        gate, hold = _Slots(1), asyncio.Event()
        tasks = [asyncio.create_task(job(gate, "a", False, hold))]
        await asyncio.sleep(0)  # "a" holds the one slot
        for name, urgent in (("b", False), ("c", False), ("annex", True), ("d", False)):
            tasks.append(asyncio.create_task(job(gate, name, urgent, hold)))
            await asyncio.sleep(0)
        tasks[2].cancel()  # "c" is cancelled while it waits: its turn is skipped
        hold.set()
        await asyncio.gather(*tasks, return_exceptions=True)

    asyncio.run(main())
    assert started == ["a", "annex", "b", "d"]


def test_the_manifest_places_the_encoded_snapshot_as_one_dump_would():
    from rusturk.report.assemble import encode_snapshot, manifest_text

    # Keys on both sides of "data_snapshot", and a string holding a newline and the slot text.
    snapshot = {"tables": {"events": [{"title": 'a\n "data_snapshot": null', "n": 2}]},
                "label": "x"}
    manifest = {"changes": {}, "data_files_sha256": {"a.csv": "0"}, "data_version": "v",
                "title": "T"}
    whole = json.dumps(manifest | {"data_snapshot": snapshot}, indent=1, sort_keys=True,
                       ensure_ascii=False) + "\n"
    assert manifest_text(manifest, encode_snapshot(snapshot)) == whole
    assert json.loads(whole)["data_snapshot"] == snapshot


def test_the_vega_bundle_is_made_once_per_installation(tmp_path, monkeypatch):
    import vl_convert

    from rusturk.report import export

    calls = []
    monkeypatch.setenv("RUSTURK_CACHE", str(tmp_path))
    monkeypatch.setattr(vl_convert, "javascript_bundle",
                        lambda vl_version: calls.append(vl_version) or "a</script>b")
    export.vega_bundle.cache_clear()
    assert export.vega_bundle() == "a<\\/script>b"  # no inline script ends early
    export.vega_bundle.cache_clear()
    assert export.vega_bundle() == "a<\\/script>b"  # a second process reads the cache
    assert calls == [export.VL_VERSION]
    export.vega_bundle.cache_clear()
