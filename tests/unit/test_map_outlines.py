"""The event map's bundled country outlines: present, well-formed, loaded without GDAL."""

from __future__ import annotations

import itertools
import json
import math
import sys
from importlib import resources

import pandas as pd
import pytest
from source_tree import FILES, imported

from rusturk.notebook import charts

GEO = resources.files("rusturk.notebook").joinpath("geo")
EXPECTED = {"Turkey", "Syria", "Iraq", "Lebanon", "Israel", "Jordan", "Cyprus"}


def _events() -> pd.DataFrame:
    return pd.DataFrame({"title": ["a", "b"], "place": ["Idlib", "Afrin"],
                         "date_best": pd.to_datetime(["2020-02-27", "2018-03-18"]),
                         "latitude": [35.93, 36.51], "longitude": [36.63, 36.87],
                         "quad_class_label": ["material conflict", "material conflict"]})


def _polygons(geometry: dict) -> list:
    if geometry["type"] == "Polygon":
        return [geometry["coordinates"]]
    return geometry["coordinates"]


def _signed_area(ring: list) -> float:
    return sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring)) / 2


@pytest.fixture(scope="module")
def outlines() -> dict:
    return charts.country_outlines()


def test_file_is_bundled_and_loads(outlines):
    text = GEO.joinpath(charts.OUTLINES).read_text(encoding="ascii")
    assert json.loads(text) == outlines
    assert outlines["type"] == "FeatureCollection"
    assert len(text.encode()) < 20_000
    assert GEO.joinpath("README.md").is_file()


def test_holds_the_countries_the_map_needs(outlines):
    names = [feature["properties"]["name"] for feature in outlines["features"]]
    assert set(names) >= {"Turkey", "Syria"}
    assert set(names) >= EXPECTED
    assert names == sorted(names)
    codes = {f["properties"]["name"]: f["properties"]["iso_a3"] for f in outlines["features"]}
    assert codes["Turkey"] == "TUR" and codes["Syria"] == "SYR"
    assert all(set(f["properties"]) == {"name", "iso_a3"} for f in outlines["features"])


def test_geometries_are_polygons_inside_the_world(outlines):
    for feature in outlines["features"]:
        geometry = feature["geometry"]
        assert feature["type"] == "Feature"
        assert geometry["type"] in {"Polygon", "MultiPolygon"}
        for polygon in _polygons(geometry):
            for ring in polygon:
                assert len(ring) >= 4 and ring[0] == ring[-1]
                for lon, lat in ring:
                    assert -180 <= lon <= 180 and -90 <= lat <= 90
                    assert round(lon, 4) == lon and round(lat, 4) == lat
            # d3-geo (Vega) reads a counter-clockwise exterior as "the rest of the globe".
            assert _signed_area(polygon[0]) < 0, feature["properties"]["name"]


def test_every_outline_touches_the_inset_locating_the_map(outlines):
    spec = charts.event_map(_events()).to_dict()["hconcat"][1]
    projection = spec["projection"]
    assert projection["type"] == "mercator"
    (lon0, lat0), scale = projection["center"], projection["scale"]
    half_lon = math.degrees(spec["width"] / 2 / scale)
    y0 = math.log(math.tan(math.pi / 4 + math.radians(lat0) / 2))

    def lat(y):
        return math.degrees(2 * math.atan(math.exp(y)) - math.pi / 2)

    west, east = lon0 - half_lon, lon0 + half_lon
    south, north = lat(y0 - spec["height"] / 2 / scale), lat(y0 + spec["height"] / 2 / scale)
    for feature in outlines["features"]:
        points = [p for polygon in _polygons(feature["geometry"]) for p in polygon[0]]
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        assert min(lons) < east and max(lons) > west, feature["properties"]["name"]
        assert min(lats) < north and max(lats) > south, feature["properties"]["name"]


def test_map_uses_the_bundled_outlines(outlines):
    spec = charts.event_map(_events()).to_dict()
    assert spec["hconcat"][0]["layer"][0]["data"]["values"] == outlines["features"]


GIS = ("pyogrio", "shapely", "geopandas", "fiona", "osgeo")


def test_no_module_of_the_package_imports_a_gis_library():
    """The outlines are bundled as plain data: no module imports GDAL's readers or shapely,
    at the top or inside a function."""
    found = [f"{path.name}: {name}" for path in FILES for name in imported(path)
             if name.split(".")[0] in GIS]
    assert any(path.name == "charts.py" for path in FILES)  # the map's own module is read
    assert found == []


def test_map_builds_with_pyogrio_and_shapely_unavailable(monkeypatch):
    for name in GIS:
        monkeypatch.setitem(sys.modules, name, None)  # any import of them now fails
    spec = charts.event_map(_events().head(1)).to_dict()
    assert spec["hconcat"][0]["layer"][0]["data"]["values"], "no outlines"
