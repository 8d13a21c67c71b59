"""A hand-made UCDP GED extract and the curated events set beside it, for the unit tests of
`analysis.ucdp` and of the GED quantities in `analysis.registry`. Every monthly total, yearly
sum and Sochi-test mean on it can be worked out by hand (the tests say how). The rows are
synthetic fixtures, not facts: no row is GED's.

Idlib's best deaths per month, one row a month unless said (every other month is 0):
    Jan 2016 5 · Feb 2016 3 · Jun 2017 4 · Sep 2017 130 · Oct 70 · Nov 100 · Dec 100 ·
    Jan 2018 100 · Feb 100 · Mar 60 + 40 · Apr–Aug 100 · Sep 2018 (the signing) 500 ·
    Oct 10 · Nov 20 · Dec 30 · Jan 2019 40 · Feb 50 · Mar 60 · Apr 100 · May–Nov 200.
Left out of the months: two rows spanning months (8 in 2016, 999 in 2018) and one that began on
GED's last day and ended in December 2019 (7); Hama's rows are not Idlib's.
"""

from __future__ import annotations

import pandas as pd

from rusturk.data.dataset import _typed
from rusturk.data.schema import UCDP_GED

IDLIB, HAMA, ALEPPO = "Idlib Governorate", "Hamah Governorate", "Aleppo Governorate"
SYRIA_GOV, TURKEY_GOV, USA_GOV = ("Government of Syria", "Government of Turkey",
                                  "Government of United States of America")
HTS, REBELS = "Hayat Tahrir al-Sham", "Syrian insurgents"


def row(gid: int, start: str, end: str | None = None, best: int = 100, *,
        low: int | None = None, high: int | None = None, adm: str = IDLIB, violence: int = 1,
        side_a: str = SYRIA_GOV, side_b: str = REBELS, where: str = "Kafr Nabl town",
        where_prec: int = 1, date_prec: int = 1, note: str = "",
        parties: tuple[int, int, int, int] | None = None) -> dict[str, str]:
    """One GED row as the CSV file holds it. By default low is best − 1 and high best + 2,
    and side A's deaths are all the deaths (`parties` gives side A, B, civilians, unknown)."""
    a, b, c, u = parties or (best, 0, 0, 0)
    return {
        "ged_id": str(gid), "year": start[:4], "type_of_violence": str(violence),
        "conflict_name": "Syria: Government", "dyad_name": f"{side_a} - {side_b}",
        "side_a": side_a, "side_b": side_b, "date_start": start, "date_end": end or start,
        "date_prec": str(date_prec), "event_clarity": "1", "adm_1": adm, "adm_2": "",
        "where_coordinates": where, "where_prec": str(where_prec), "latitude": "35.9",
        "longitude": "36.6", "number_of_sources": "1", "deaths_a": str(a), "deaths_b": str(b),
        "deaths_civilians": str(c), "deaths_unknown": str(u),
        "low": str(best - 1 if low is None else low), "best": str(best),
        "high": str(best + 2 if high is None else high), "source_article": "synthetic",
        "note": note}


def rows() -> list[dict[str, str]]:
    monthly_100 = ["2017-11-15", "2017-12-15", "2018-01-15", "2018-02-15", "2018-05-15",
                   "2018-06-15", "2018-07-15"]
    return [
        # 2016: 3 Idlib rows (one spans January–February), best 5 + 8 + 3 = 16.
        row(1, "2016-01-01", best=5, low=4, high=7, parties=(2, 1, 2, 0)),
        row(2, "2016-01-31", "2016-02-01", best=8, low=8, high=8, date_prec=2),
        row(3, "2016-02-10", best=3, low=2, high=6, violence=2, side_a=HTS,
            side_b="Ahrar al-Sham", parties=(1, 1, 0, 1)),
        row(4, "2016-01-05", best=50, adm=HAMA),
        # 2017: 5 rows, best 4 + 130 + 70 + 100 + 100 = 404; one with low above best.
        row(5, "2017-06-10", best=4, low=5, high=4, violence=3, side_a=TURKEY_GOV,
            side_b="Civilians", note="As released: low above best", parties=(0, 0, 4, 0)),
        row(6, "2017-09-15", best=130),
        row(7, "2017-10-15", best=70),
        *[row(8 + i, day) for i, day in enumerate(monthly_100)],  # ids 8–14
        # March 2018: two rows, 60 + 40 = 100 (low 50 + 30, high 70 + 60).
        row(15, "2018-03-03", best=60, low=50, high=70),
        row(16, "2018-03-20", best=40, low=30, high=60, violence=2, side_a=HTS,
            side_b="Ahrar al-Sham"),
        # April 2018: one row dated to the whole month, still inside it.
        row(17, "2018-04-01", "2018-04-30", date_prec=4),
        row(18, "2018-04-12", best=777, adm=HAMA),
        row(19, "2018-05-28", "2018-06-03", best=999, date_prec=5),  # spans May–June
        row(20, "2018-08-31", side_a=USA_GOV, side_b="IS"),  # August's last day
        row(21, "2018-09-01", best=500),  # the month of signing
        row(22, "2018-10-15", best=10),
        row(23, "2018-11-15", best=20),
        row(24, "2018-12-15", best=30),
        # 2019
        row(25, "2019-01-15", best=40),
        row(26, "2019-02-15", best=50),
        row(27, "2019-03-15", best=60),
        row(28, "2019-04-30", best=100),
        *[row(29 + i, f"2019-{m:02d}-10", best=200) for i, m in enumerate(range(5, 11))],
        row(35, "2019-11-30", best=200),  # GED's last day
        row(36, "2019-11-30", "2019-12-02", best=7, low=7, high=7, date_prec=2),
        # For the triangulation: a Hama row at a named place, within two days of a curated act.
        row(37, "2018-10-06", best=3, adm=HAMA, where="Sheir Maghar village"),
    ]


def ged() -> pd.DataFrame:
    """The extract typed as `Dataset.ucdp_ged` holds it."""
    return _typed(pd.DataFrame(rows(), dtype=str), UCDP_GED)


SOCHI, OFFENSIVE, ASTANA = ("sochi-idlib-memorandum", "northwest-syria-offensive-2019-04-30",
                            "astana-de-escalation-zones")


def events() -> pd.DataFrame:
    """Curated events: the three markers, and acts of force for the triangulation."""
    rows = [  # id, date, quad class, location, precision, initiator, target
        (OFFENSIVE, "2019-04-30", 4, "Hama and Idlib, Syria", "day", "SYR", "SYR_OPP"),
        (SOCHI, "2018-09-17", 1, "Sochi, Russia", "day", "RUS", "TUR"),
        (ASTANA, "2017-05-04", 1, "Astana, Kazakhstan", "day", "RUS", "TUR"),
        # GED's row 37 is at Sheir Maghar the next day.
        ("t-post", "2018-10-05", 4, "Sheir Maghar post, Hama, Syria", "day", "SYR", "TUR"),
        ("t-none", "2016-06-15", 4, "Afrin, Aleppo, Syria", "day", "TUR", "SYR_KRD"),
        ("t-month", "2018-10-01", 4, "Idlib, Syria", "month", "SYR", "TUR"),
        ("t-abroad", "2019-10-10", 4, "Ras al-Ain, Hasakah, Syria", "day", "TUR", "SYR_KRD"),
        ("t-late", "2020-02-27", 4, "Balyun, Idlib, Syria", "day", "SYR", "TUR"),
        ("t-talk", "2018-10-05", 1, "Sheir Maghar post, Hama, Syria", "day", "RUS", "TUR"),
    ]
    return pd.DataFrame({
        "event_id": [r[0] for r in rows], "date_best": pd.to_datetime([r[1] for r in rows]),
        "quad_class": [r[2] for r in rows], "location_name": [r[3] for r in rows],
        "date_precision": [r[4] for r in rows], "exact_date": pd.NaT,
        "actor_initiator": [r[5] for r in rows], "actor_target": [r[6] for r in rows],
        "title": [f"Title {r[0]}" for r in rows], "intent": "deliberate",
        "goldstein": [-10.0 if r[2] == 4 else 4.0 for r in rows]})
