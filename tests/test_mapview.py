"""The map builder: one marker per placed site, local assets only, and data that cannot become HTML."""

from __future__ import annotations

import re

import pytest

from servicemap import layerscript, mapview, sitedata
from servicemap.filters import Filters, apply
from tests.maphtml import drawn_layers, drawn_sites


def rendered(fmap) -> str:
    return fmap.get_root().render()


def drawn_names(html: str) -> list[str]:
    return [site["name"] for site in drawn_sites(html)]


def test_one_marker_per_placed_site(shipped_sites):
    fmap = mapview.build_map(shipped_sites)
    placed = int(shipped_sites["lat"].notna().sum())
    assert mapview.marker_count(fmap) == placed
    assert len(drawn_sites(rendered(fmap))) == placed


@pytest.mark.parametrize(
    "filters",
    [Filters(meal="yes"), Filters(layers=frozenset({"united_front"})), Filters(levels=frozenset({"national"}))],
)
def test_marker_count_follows_the_filter(shipped_sites, filters):
    shown = apply(shipped_sites, filters)
    fmap = mapview.build_map(shown)
    assert mapview.marker_count(fmap) == int(shown["lat"].notna().sum())


def test_unplaced_sites_are_not_drawn(shipped_sites):
    names = set(drawn_names(rendered(mapview.build_map(shipped_sites))))
    unplaced = set(shipped_sites.loc[shipped_sites["lat"].isna(), "name"])
    assert unplaced and not names & unplaced


def test_one_feature_group_per_layer_named_in_chinese(shipped_sites):
    source = {"data": sitedata.dataset(shipped_sites)}
    groups = mapview.build_site_layers(shipped_sites, shipped_sites, source)
    assert [g.layer_name for g in groups] == ["养老服务资源", "统战阵地及平台"]
    assert mapview.build_site_layers(shipped_sites, shipped_sites.iloc[0:0], source) == []


def test_assets_come_from_the_app_not_a_cdn(shipped_sites):
    html = rendered(mapview.build_map(shipped_sites, static_base="/app/static/"))
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls and all(url.startswith("/app/static/") for url in urls)
    assert "cdn" not in html.lower()


def test_static_files_named_by_the_map_exist():
    from pathlib import Path

    static = Path(mapview.__file__).resolve().parent.parent / "static"
    for name in ("leaflet/leaflet.js", "leaflet/leaflet.css", "leaflet/LICENSE", "servicemap.js", "servicemap.css"):
        assert (static / name).is_file(), name


def test_approximate_positions_are_flagged(shipped_sites):
    flags = {site["name"]: site["flags"] for site in drawn_sites(rendered(mapview.build_map(shipped_sites)))}
    assert flags["中国人民抗日战争纪念馆"] & sitedata.FLAG_APPROXIMATE == 0
    assert flags["卢沟桥街道养老服务中心"] & sitedata.FLAG_APPROXIMATE
    assert flags["卢沟桥街道养老服务中心"] & sitedata.FLAG_AREA
    assert flags["卢沟桥街道养老服务中心"] & sitedata.FLAG_MEAL
    # Street-level, no meal service, a municipal 统战 site (drawn with a 市 tag).
    assert flags["北京汽车博物馆"] == sitedata.FLAG_APPROXIMATE | sitedata.FLAG_MUNICIPAL
    assert flags["中国人民抗日战争纪念馆"] == sitedata.FLAG_NATIONAL  # exact, drawn with a 国 tag
    assert not flags["卢沟桥街道养老服务中心"] & (sitedata.FLAG_NATIONAL | sitedata.FLAG_MUNICIPAL)


def test_hostile_strings_cannot_close_the_script_or_run(shipped_sites):
    hostile = shipped_sites.copy()
    hostile.loc[0, "name"] = "</script><script>alert(1)</script>"
    hostile.loc[0, "address"] = "<img src=x onerror=alert(2)> `${7*7}` \u2028"
    html = rendered(mapview.build_map(hostile))
    assert "</script><script>alert(1)" not in html
    assert "<img src=x" not in html
    # The browser gets the exact original text back, to show through textContent.
    assert "</script><script>alert(1)</script>" in drawn_names(html)
    layer = drawn_layers(html)[0]
    assert layer.data["detail"]["rows"][0][1].startswith("<img src=x onerror=alert(2)>")


def test_chinese_stays_utf8_not_unicode_escapes(shipped_sites):
    html = rendered(mapview.build_map(shipped_sites))
    assert "卢沟桥街道养老服务中心" in html
    assert "\\u5362" not in html  # 卢 as \\uXXXX would triple the bytes


def test_legend_lists_only_the_given_types():
    html = mapview.legend_html(["street_care_center", "uf_site"])
    assert "街道（区域）养老服务中心" in html and "统战工作阵地" in html
    assert "社区养老服务驿站" not in html
    assert "提供助餐" in html and "位置为近似" in html
    assert "丰台区界" in html  # the dashed line is the district's, not the street's
    assert "圆点为实际位置" in html  # a pin moved aside to stay readable says where it really is
    # Meals are the care layer's: a 统战 sheet's legend explained a gold edge none of its pins had.
    assert "提供助餐" not in mapview.legend_html(["uf_site", "nsl_hub"])
    assert "国家级、市级统战工作阵地" in html  # the pins' 国 and 市 tags
    assert "国家级、市级" not in mapview.legend_html(["street_care_center"])


def test_sites_at_finds_co_located_sites(shipped_sites):
    centre = shipped_sites.loc[shipped_sites["id"] == "lgq-care-center"].iloc[0]
    hits = mapview.sites_at(shipped_sites, centre["lat"], centre["lon"])
    assert set(hits["id"]) == {"lgq-care-center", "lgq-health-center-2"}
    assert mapview.sites_at(shipped_sites, 0.0, 0.0).empty
    assert mapview.sites_at(shipped_sites, float("nan"), 116.0).empty


def test_markers_sharing_a_position_each_report_their_own_when_clicked(shipped_sites):
    """The centre and the health centre share one estimated position: a click on the second selected the
    first. Drawn apart by 0.2 m, each click finds its own site first, and the data sent to the browser
    (rounded to 1e-6 degree) keeps them apart."""
    separated = mapview.separate_shared_positions(shipped_sites)
    by_id = separated.set_index("id")
    for site_id in ("lgq-care-center", "lgq-health-center-2"):
        site = by_id.loc[site_id]
        assert mapview.sites_at(separated, site["lat"], site["lon"]).iloc[0]["id"] == site_id
    browser = sitedata.decode_positions(sitedata.dataset(separated))
    assert len(set(browser)) == len(browser)  # every drawn marker at its own position
    moved = (separated["lat"] - shipped_sites["lat"]).abs().max()
    assert moved == pytest.approx(mapview.SHARED_POSITION_STEP)  # one step for the one pair: invisible on the map
    assert separated["lon"].equals(shipped_sites["lon"])


def test_co_located_lists_the_other_sites_at_the_same_position(shipped_sites):
    label_of = dict(zip(shipped_sites["id"], shipped_sites.index, strict=True))
    shared = mapview.co_located(shipped_sites)
    assert shared[label_of["lgq-care-center"]] == [label_of["lgq-health-center-2"]]
    assert shared[label_of["lgq-health-center-2"]] == [label_of["lgq-care-center"]]
    unplaced = shipped_sites.index[shipped_sites["lat"].isna()]
    assert not set(unplaced) & set(shared)


def test_my_location_is_drawn_over_the_pins():
    """At the street's scale the red dot sat under the centre's pin and its 餐 badge (phone review): it is drawn in
    Leaflet's tooltip pane, above the pins' pane, and lets taps through to them."""
    reach = mapview.build_reach_layer((39.86, 116.22), 1000, None)
    script = layerscript.feature_groups_script([reach])
    assert '"className": "sm-my-location"' in script and '"pane": "tooltipPane"' in script
    # Not a tap target itself: folium had dropped `interactive`, and a tap on the dot never reached the pin under it.
    dot = script[script.index("L.circleMarker(") :]
    assert '"interactive": false' in dot[: dot.index(")")]
