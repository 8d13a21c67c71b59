"""scripts/agreement.py: Krippendorff's alpha against hand-computed values, retired ids resolved."""

from __future__ import annotations

import importlib.util

import pytest
from checkout import REPO_ROOT

pytest.importorskip("krippendorff")
_spec = importlib.util.spec_from_file_location("agreement", REPO_ROOT / "scripts" / "agreement.py")
agreement = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(agreement)


def test_alpha_matches_a_hand_computed_case():
    # Two coders, four units: (a,b), (b,a), (a,a), (b,b). Coincidences: o_ab = o_ba = 2,
    # o_aa = o_bb = 2, n = 8; D_o = 4/8; D_e = 2*4*4/(8*7) = 4/7; alpha = 1 - (1/2)/(4/7).
    pairs = [("a", "b"), ("b", "a"), ("a", "a"), ("b", "b")]
    assert agreement.alpha(pairs) == pytest.approx(1 - 0.5 / (4 / 7))
    assert agreement.alpha([("a", "a"), ("b", "b")]) == pytest.approx(1.0)


@pytest.mark.data
def test_a_retired_id_is_compared_with_the_row_it_was_merged_into():
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
