"""UCDP GED's deaths by party and the findings as printed, on hand-made rows and numbers."""

from __future__ import annotations

import pandas as pd

from rusturk.analysis import ucdp

IDLIB = "Idlib Governorate"


def _ged() -> pd.DataFrame:
    rows = [  # start, end, governorate, side A, side B, civilians, unknown
        ("2016-01-03", "2016-01-03", IDLIB, 2, 1, 4, 0),
        ("2016-01-20", "2016-01-21", IDLIB, 0, 3, 0, 1),
        ("2016-03-10", "2016-03-10", IDLIB, 1, 0, 0, 0),
        ("2016-02-25", "2016-03-02", IDLIB, 9, 9, 9, 9),  # spans two months: left out
        ("2016-01-05", "2016-01-05", "Hamah Governorate", 5, 5, 5, 5),  # another governorate
    ]
    return pd.DataFrame({
        "date_start": pd.to_datetime([r[0] for r in rows]),
        "date_end": pd.to_datetime([r[1] for r in rows]), "adm_1": [r[2] for r in rows],
        "deaths_a": [r[3] for r in rows], "deaths_b": [r[4] for r in rows],
        "deaths_civilians": [r[5] for r in rows], "deaths_unknown": [r[6] for r in rows]})


def test_monthly_deaths_by_party_in_long_form():
    got = ucdp.monthly_deaths_by_party(_ged())
    assert got.columns.tolist() == ["month", "party", "deaths"]
    jan = got[got["month"] == pd.Timestamp("2016-01-01")].set_index("party")["deaths"]
    assert jan.to_dict() == {"civilians": 4, "side A": 2, "side B": 4, "unknown": 1}
    march = got[got["month"] == pd.Timestamp("2016-03-01")].set_index("party")["deaths"]
    assert march.to_dict() == {"civilians": 0, "side A": 1, "side B": 0, "unknown": 0}
    assert set(got["month"]) == {pd.Timestamp("2016-01-01"), pd.Timestamp("2016-03-01")}
    assert got["party"].tolist()[:4] == ["civilians", "side A", "side B", "unknown"]
    assert got.index.tolist() == list(range(8))
    hamah = ucdp.monthly_deaths_by_party(_ged(), "Hamah Governorate")
    assert hamah["deaths"].tolist() == [5, 5, 5, 5]


def _f(name, value, unit, low=float("nan"), high=float("nan"), n=12):
    return ucdp.Finding(name, value, n, unit, low, high)


def test_facts_print_each_kind_of_finding():
    found = {
        "ged_share": _f("ged_share", -0.456, "share", -0.71, 0.12),
        "ged_share_bare": _f("ged_share_bare", 0.05, "share"),
        "ged_quiet_months": _f("ged_quiet_months", 4.0, "months", n=4),
        "ged_change": _f("ged_change", -12.34, "months", -20.0, -1.26),
        "ged_pre_slope": _f("ged_pre_slope", 1.0, "months"),
        "ged_mean": _f("ged_mean", -1234.56, "months", 1000.0, 1500.04, n=6),
        "ged_idlib_best_2019": _f("ged_idlib_best_2019", 12345.0, "events", n=800),
    }
    facts = ucdp.facts(found)
    assert facts["ged_end"] == "30 Nov 2019"
    assert facts["ged_share"] == "−46%" and facts["ged_share_interval"] == "−71% to +12%"
    assert facts["ged_share_bare"] == "+5%" and "ged_share_bare_interval" not in facts
    assert facts["ged_quiet_months"] == "4" and "ged_quiet_months_n" not in facts
    assert facts["ged_change"] == "−12.3"
    assert facts["ged_change_interval"] == "−20.0 to −1.3"
    assert facts["ged_change_n"] == "12"
    assert facts["ged_pre_slope"] == "+1.0" and "ged_pre_slope_interval" not in facts
    assert facts["ged_mean"] == "−1,234.6" and facts["ged_mean_interval"] == "1,000.0 to 1,500.0"
    assert facts["ged_mean_n"] == "6"
    assert facts["ged_idlib_best_2019"] == "12,345"
    assert "ged_idlib_best_2019_n" not in facts
