"""Basemaps: sites land on the right street on every basemap; the link keeps WGS-84."""

from __future__ import annotations

import json

from servicemap import basemaps, geo, mapview
from servicemap.urlstate import AppState, decode, encode
from tests.maphtml import drawn_sites

MUSEUM_WGS84 = (39.852276, 116.225807)
MUSEUM_GCJ02 = (39.853499, 116.231851)  # published pair, data/sources/places-research.md


def drawn_position(html: str, name: str) -> tuple[float, float]:
    for site in drawn_sites(html):
        if site["name"] == name:
            return site["lat"], site["lon"]
    raise AssertionError(f"{name} not drawn")


def test_amap_draws_the_museum_at_its_published_gcj02_position(shipped_sites):
    for code in ("amap", "amap_satellite"):
        html = mapview.build_map(shipped_sites, basemap=basemaps.BASEMAPS[code]).get_root().render()
        lat, lon = drawn_position(html, "中国人民抗日战争纪念馆")
        assert geo.distance_m(lat, lon, *MUSEUM_GCJ02) < 1.0, code


def test_wgs84_basemaps_draw_the_museum_at_its_wgs84_position(shipped_sites):
    for code in ("osm", "carto", "none"):
        html = mapview.build_map(shipped_sites, basemap=basemaps.BASEMAPS[code]).get_root().render()
        lat, lon = drawn_position(html, "中国人民抗日战争纪念馆")
        assert geo.distance_m(lat, lon, *MUSEUM_WGS84) < 1.0, code


def test_amap_shift_around_lugouqiao_is_about_530_m():
    shifted = basemaps.to_display(*MUSEUM_WGS84, "GCJ02")
    assert 500 < geo.distance_m(*MUSEUM_WGS84, *shifted) < 560


def test_view_read_off_amap_goes_back_to_wgs84():
    lat, lon = basemaps.from_display(*MUSEUM_GCJ02, "GCJ02")
    assert geo.distance_m(lat, lon, *MUSEUM_WGS84) < 1.0
    assert basemaps.from_display(*MUSEUM_WGS84, "WGS84") == MUSEUM_WGS84


def test_each_basemap_shows_its_attribution(shipped_sites):
    for code in ("osm", "carto", "amap", "amap_satellite"):
        basemap = basemaps.BASEMAPS[code]
        html = mapview.build_map(shipped_sites, basemap=basemap).get_root().render()
        assert basemap.attribution.split("<")[0] in html or "OpenStreetMap" in html or "高德" in html
        assert basemap.tiles.split("{")[0] in html


def test_none_basemap_requests_no_tiles(shipped_sites):
    html = mapview.build_map(shipped_sites, basemap=basemaps.BASEMAPS["none"]).get_root().render()
    assert "L.tileLayer" not in html


def test_boundary_is_converted_from_gcj02_and_draws(shipped_sites):
    boundary = basemaps.load_boundary()
    assert boundary["type"] == "MultiPolygon"
    with open(basemaps.BOUNDARY_PATH, encoding="utf-8") as handle:
        raw = json.load(handle)
    first_raw = raw["coordinates"][0][0][0]
    first_wgs = boundary["coordinates"][0][0][0]
    # GCJ-02 -> WGS-84 moves points around Fengtai south-west by roughly 500 m.
    shift = geo.distance_m(first_raw[1], first_raw[0], first_wgs[1], first_wgs[0])
    assert 400 < shift < 650
    html = (
        mapview.build_map(shipped_sites.iloc[0:0], basemap=basemaps.BASEMAPS["none"], boundary=boundary)
        .get_root()
        .render()
    )
    assert "servicemapBoundary(" in html and "sm-boundary" in html


def test_boundary_on_amap_is_drawn_as_published():
    boundary = basemaps.load_boundary()
    back = basemaps.geometry_for_display(boundary, "GCJ02")
    with open(basemaps.BOUNDARY_PATH, encoding="utf-8") as handle:
        raw = json.load(handle)
    a, b = raw["coordinates"][0][0][5], back["coordinates"][0][0][5]
    assert geo.distance_m(a[1], a[0], b[1], b[0]) < 0.5


def test_basemap_round_trips_through_the_link():
    for code in basemaps.BASEMAPS:
        state = AppState(basemap=code)
        params = {key: [value] for key, value in encode(state).items()}
        assert decode(params).state.basemap == code
    assert encode(AppState()) == {}


def test_unknown_basemap_falls_back_with_a_notice():
    decoded = decode({"basemap": ["google"]})
    assert decoded.state.basemap == basemaps.DEFAULT_BASEMAP
    assert decoded.notices and "google" in decoded.notices[0]
    resolved, notice = basemaps.resolve("nonsense", None)
    assert resolved.code == "osm" and notice


def test_custom_basemap_needs_configuration():
    resolved, notice = basemaps.resolve("custom", None)
    assert resolved.code == "osm" and "SERVICEMAP_TILES_URL" in notice
    custom = basemaps.custom_basemap(
        basemaps.custom_settings_from_env(
            {
                "SERVICEMAP_TILES_URL": "http://10.0.0.5/tiles/{z}/{x}/{y}.png",
                "SERVICEMAP_TILES_ATTRIBUTION": "区政务网",
            }
        )
    )
    resolved, notice = basemaps.resolve("custom", custom)
    assert notice is None and resolved.tiles.startswith("http://10.0.0.5/") and resolved.attribution == "区政务网"
    assert resolved.crs == "WGS84"
    gcj = basemaps.custom_basemap({"url": "http://x/{z}/{x}/{y}.png", "crs": "gcj02"})
    assert gcj.crs == "GCJ02"


def test_an_intranet_server_opens_on_its_own_tiles():
    """An office had set up its intranet tiles and every page still opened on OpenStreetMap, with nine failed
    requests to the internet."""
    assert basemaps.deployment_default("", custom_configured=False) == ("osm", None)
    assert basemaps.deployment_default("", custom_configured=True) == ("custom", None)
    assert basemaps.deployment_default("none", custom_configured=False) == ("none", None)
    assert basemaps.deployment_default(" AMAP ", custom_configured=True) == ("amap", None)
    code, notice = basemaps.deployment_default("custom", custom_configured=False)
    assert code == "osm" and "SERVICEMAP_TILES_URL" in notice
    code, notice = basemaps.deployment_default("<b>google</b>", custom_configured=True)
    assert code == "custom" and "「<b>google</b>」无法识别" in notice and "none" in notice


def test_a_link_without_a_basemap_opens_on_the_servers_and_stays_short():
    assert decode({}, default_basemap="custom").state.basemap == "custom"
    assert encode(AppState(basemap="custom"), default_basemap="custom") == {}
    # Chosen against the server's default, the reader's choice travels: OpenStreetMap is then named.
    assert encode(AppState(basemap="osm"), default_basemap="custom") == {"basemap": "osm"}
    assert decode({"basemap": ["osm"]}, default_basemap="custom").state.basemap == "osm"
