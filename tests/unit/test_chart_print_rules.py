"""Charts for print, checked on their specs: time ticks chosen for the window, no band of
summed extremes, human legend words, and a map whose labels never overlap."""

from __future__ import annotations

import itertools
import json
import math

import pandas as pd
import pytest

from rusturk.notebook import charts

DAY = pd.Timestamp


def _labels(start, end, monthly=False, max_ticks=8):
    ticks, fmt = charts.time_ticks(DAY(start), DAY(end), max_ticks, monthly=monthly)
    return ticks, [t.strftime(fmt) for t in ticks]


@pytest.mark.parametrize(("start", "end", "unit"), [
    ("2020-02-01", "2020-02-29", 7),     # a month: weeks
    ("2020-02-01", "2020-02-08", 1),     # a week: days
    ("2019-12-01", "2020-01-31", 14),    # two months: fortnights
])
def test_short_windows_are_ticked_in_days_or_weeks(start, end, unit):
    ticks, labels = _labels(start, end)
    steps = {(b - a).days for a, b in itertools.pairwise(ticks)}
    assert steps == {unit}
    assert 3 <= len(ticks) <= 8 and len(set(labels)) == len(labels)
    assert DAY(start) <= ticks[0] and ticks[-1] <= DAY(end)


def test_a_year_or_two_is_ticked_in_months_and_a_longer_span_in_years():
    _, labels = _labels("2019-01-01", "2020-03-31")
    assert labels[:3] == ["Jan 2019", "Mar 2019", "May 2019"] and len(labels) <= 8
    _, labels = _labels("2015-11-24", "2020-03-31")
    assert labels == ["2016", "2017", "2018", "2019", "2020"]


def test_a_single_month_of_monthly_data_has_one_label_mid_month():
    ticks, labels = _labels("2020-02-01", "2020-03-01", monthly=True)
    assert labels == ["Feb 2020"] and ticks == [DAY("2020-02-15")]


def _x_axes(spec):
    """Every x encoding with explicit tick values in a (possibly layered) spec."""
    found = []
    for node in [spec, *spec.get("layer", [])]:
        x = node.get("encoding", {}).get("x", {})
        if isinstance(x, dict) and "axis" in x and x["axis"] and "values" in x["axis"]:
            found.append(x)
    return found


def _events(days):
    n = len(days)
    return pd.DataFrame({
        "event_id": [f"e{i}" for i in range(n)], "date_best": pd.to_datetime(days),
        "date_precision": ["day"] * n, "title": ["t"] * n, "description": ["d"] * n,
        "category": ["military"] * n, "quad_class_label": ["material conflict"] * n,
        "goldstein": [-10.0] * n, "source_ids": [["s"]] * n})


def test_timeline_of_a_month_keeps_its_axis_to_the_month():
    phases = pd.DataFrame({"phase_id": ["p"], "name": ["Long phase"],
                           "start": [DAY("2019-12-01")], "end": [DAY("2020-03-05")]})
    spec = charts.timeline(_events(["2020-02-03", "2020-02-27"]), phases).to_dict()
    (x,) = _x_axes(spec)
    lo, hi = x["scale"]["domain"]
    assert DAY("2020-02-01", tz="UTC").value // 10**6 <= lo
    assert hi <= DAY("2020-02-29", tz="UTC").value // 10**6
    days = [(v - x["axis"]["values"][0]) // charts.MS_PER_DAY for v in x["axis"]["values"]]
    assert days == [0, 7, 14, 21]


def test_cumulative_chart_draws_no_band_and_takes_the_old_call():
    cumulative = pd.DataFrame({"date": pd.to_datetime(["2020-02-03", "2020-02-27"]),
                               "headline": [8.0, 42.0], "low": [4.0, 26.0],
                               "high": [8.0, 108.0]})
    spec = charts.cumulative_chart(cumulative).to_dict()
    text = json.dumps(spec)
    assert '"y2"' not in text and "108" not in text and "area" not in text
    tallies = pd.DataFrame({"date_ref": pd.to_datetime(["2020-02-28"]), "value": [54],
                            "publisher": ["Reuters (via X)"], "official": [False]})
    spec = charts.cumulative_chart(cumulative, tallies).to_dict()
    points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    assert points and points[0]["data"]["values"][0]["value"] == 54
    labels = [v["label"] for layer in spec["layer"] if layer["mark"]["type"] == "text"
              for v in layer["data"]["values"]]
    assert labels == ["54: Reuters"]
    # A frame of readings (low, high) instead of values: single numbers drawn, ranges not.
    readings = pd.DataFrame({"date_ref": pd.to_datetime(["2020-02-28", "2020-03-01"]),
                             "low": [54, 50], "high": [54, 60], "publisher": ["A", "B"],
                             "official": [True, False]})
    spec = charts.cumulative_chart(cumulative, readings).to_dict()
    points = [layer for layer in spec["layer"] if layer["mark"]["type"] == "point"]
    assert [v["value"] for v in points[0]["data"]["values"]] == [54]


def test_displacement_legend_reads_words_not_codes():
    series = pd.DataFrame({"date_ref": pd.to_datetime(["2020-02-10", "2020-02-20"]),
                           "source_id": ["a", "b"], "low": [100, 200], "qualifier": ["", ""]})
    spec = charts.displacement_chart(series, pd.Series({"a": "un", "b": "news"})).to_dict()
    kinds = {v["kind"] for v in spec["data"]["values"]}
    assert kinds == {"United Nations", "news outlet"}


# -- the map ---------------------------------------------------------------------------------

def _placed(names_counts):
    towns = charts.places().set_index("name")
    rows = [{"title": "t", "place": f"{name}, Syria", "date_best": DAY("2020-02-10"),
             "latitude": towns.loc[name, "latitude"], "longitude": towns.loc[name, "longitude"],
             "quad_class_label": "material conflict"}
            for name, n in names_counts for _ in range(n)]
    return pd.DataFrame(rows)


def test_projection_matches_d3_mercator_by_hand():
    view = charts.MAIN_VIEW
    lon0, lat0 = view.centre
    assert view.project(lon0, lat0) == pytest.approx((235, 200))
    # One degree east of the centre is scale × π / 180 pixels to the right.
    assert view.project(lon0 + 1, lat0)[0] == pytest.approx(235 + 12400 * math.pi / 180)
    assert view.unproject(*view.project(36.3, 35.8)) == pytest.approx((36.3, 35.8))


def _km(a, b):
    """Great-circle distance (haversine) between two (lon, lat) points."""
    (lon1, lat1), (lon2, lat2) = [(math.radians(x), math.radians(y)) for x, y in (a, b)]
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(
        (lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


def test_scale_bar_is_fifty_km_on_the_ground():
    bar = charts.map_layout(charts.event_places(_placed([("Idlib", 1)])))["scale_bar"]
    ends = list(zip(bar["longitude"], bar["latitude"], strict=True))[1:3]
    assert _km(*ends) == pytest.approx(50, rel=0.01)


def test_events_are_gathered_by_place_with_counts():
    sites = charts.event_places(_placed([("Idlib", 40), ("Saraqib", 3), ("Ariha", 1)]))
    assert list(zip(sites["name"], sites["events"], strict=True)) == [
        ("Idlib", 40), ("Saraqib", 3), ("Ariha", 1)]
    layout = charts.map_layout(sites)
    assert {"Idlib 40", "Saraqib 3", "Ariha 1"} <= set(layout["labels"]["text"])
    areas = layout["marks"].set_index("name")["area"]
    assert areas["Idlib"] == pytest.approx(40 * areas["Ariha"])


@pytest.mark.parametrize("names_counts", [
    [], [("Idlib", 12), ("Saraqib", 9), ("Ariha", 2), ("Jisr al-Shughur", 2)],
    [("Maarat al-Numan", 5), ("Khan Shaykhun", 4), ("Morek", 3), ("Taftanaz", 2)]])
def test_map_labels_overlap_no_label_and_no_mark(names_counts):
    layout = charts.map_layout(charts.event_places(_placed(names_counts)))
    labels = layout["labels"]
    boxes = [charts.Box(r.x0, r.y0, r.x1, r.y1) for r in labels.itertuples()]
    for a, b in itertools.combinations(boxes, 2):
        assert not a.overlaps(b), (a, b)
    view = charts.MAIN_VIEW
    for m in layout["marks"].itertuples():
        x, y = view.project(m.longitude, m.latitude)
        r = math.sqrt(m.area / math.pi)
        mark = charts.Box(x - r, y - r, x + r, y + r)
        assert not any(mark.overlaps(b) for b in boxes), m.name
    # Each name lies nearer its own mark than any other mark.
    marks = {m.name: (*view.project(m.longitude, m.latitude), math.sqrt(m.area / math.pi))
             for m in layout["marks"].itertuples()}
    for r in labels.itertuples():
        name = r.text.rsplit(" ", 1)[0] if r.text[-1].isdigit() else r.text
        if name not in marks:
            continue  # a country, the sea or the scale
        box = charts.Box(r.x0, r.y0, r.x1, r.y1)

        def gap(mark, box=box):
            x, y, radius = mark
            return math.hypot(max(box.x0 - x, 0, x - box.x1),
                              max(box.y0 - y, 0, y - box.y1)) - radius
        assert min(marks, key=lambda n: gap(marks[n])) == name, r.text
    # The known collision: both towns named, side by side.
    assert {"Jisr al-Shughur", "Ariha"} <= {t.rsplit(" ", 1)[0] if t[-1].isdigit() else t
                                            for t in labels["text"]}
    assert layout["dropped"] == []


def test_map_names_the_countries_and_says_whether_posts_are_drawn():
    spec = charts.event_map(_placed([("Idlib", 2)])).to_dict()
    text = json.dumps(spec, ensure_ascii=False)
    for name in ("TURKEY", "SYRIA", "Lebanon", "Iraq", "50 km"):
        assert f'"{name}"' in text
    assert "observation posts are not drawn" in spec["description"]
