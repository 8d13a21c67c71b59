"""scripts/agreement.py: Krippendorff's alpha against hand-computed values, retired ids resolved."""

from __future__ import annotations

import importlib.util
import subprocess
import sys

import pytest
from checkout import REPO_ROOT

SCRIPT = REPO_ROOT / "scripts" / "agreement.py"


@pytest.fixture(scope="module")
def agreement():
    pytest.importorskip("krippendorff")
    spec = importlib.util.spec_from_file_location("agreement", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_without_krippendorff_one_line_and_exit_1():
    # The optional package hidden (None in sys.modules makes its import fail), whether or not
    # it is installed here.
    hide = ("import runpy, sys; sys.modules['krippendorff'] = None; "
            f"sys.argv = [{str(SCRIPT)!r}]; runpy.run_path({str(SCRIPT)!r}, run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True,
                          timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        "scripts/agreement.py: needs the optional krippendorff package; install it with "
        "`pip install -e '.[agreement]'`"]


def test_alpha_matches_a_hand_computed_case(agreement):
    # Two coders, four units: (a,b), (b,a), (a,a), (b,b). Coincidences: o_ab = o_ba = 2,
    # o_aa = o_bb = 2, n = 8; D_o = 4/8; D_e = 2*4*4/(8*7) = 4/7; alpha = 1 - (1/2)/(4/7).
    pairs = [("a", "b"), ("b", "a"), ("a", "a"), ("b", "b")]
    assert agreement.alpha(pairs) == pytest.approx(1 - 0.5 / (4 / 7))
    assert agreement.alpha([("a", "a"), ("b", "b")]) == pytest.approx(1.0)


@pytest.mark.data
def test_a_retired_id_is_compared_with_the_row_it_was_merged_into(agreement):
    codebook = (REPO_ROOT / "data" / "CODEBOOK.md").read_text(encoding="utf-8")
    retired = agreement.retired_ids(codebook)
    assert retired["idlib-ceasefire-mar"] == "moscow-protocol"
    row = {"event_id": "moscow-protocol", "actor_initiator": "RUS", "actor_target": "TUR",
           "category": "diplomatic", "strand": "syria-diplomacy", "intent": "deliberate",
           "cameo_code": "057"}
    blind = dict(row, item="1", event_id="idlib-ceasefire-mar", actor_initiator="TUR",
                 actor_target="RUS", cameo_code="0871")
    out = agreement.compare([row], [blind], {"057": 1, "0871": 2}, retired)
    assert out["actors"][0][:2] == ("RUS>TUR", "TUR>RUS")
    assert out["quad_class"][0][:2] == ("1", "2")
    assert out["category"][0][:2] == ("diplomatic", "diplomatic")
