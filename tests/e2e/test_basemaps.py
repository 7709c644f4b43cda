"""Every basemap in a real browser: markers land at the right coordinates for the tiles' system,
the intranet tile server is the only tile source when chosen, and the boundary draws."""

from __future__ import annotations

import re
from urllib.parse import urlparse

import pytest

from servicemap import basemaps, geo

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

pytestmark = pytest.mark.e2e

MUSEUM = "中国人民抗日战争纪念馆"
MUSEUM_WGS84 = (39.852276, 116.225807)
MUSEUM_GCJ02 = (39.853499, 116.231851)  # the published pair in data/sources/places-research.md
LOCAL_HOSTS = {"127.0.0.1", "localhost"}

MARKER_POSITION_JS = """(title) => {
    let found = null;
    window.map.eachLayer((layer) => {
        if (layer instanceof L.Marker && layer.options.title === title) { found = layer.getLatLng(); }
    });
    return found && [found.lat, found.lng];
}"""


def placed(sites) -> int:
    return int(sites["lat"].notna().sum())


def museum_position(dashboard) -> tuple[float, float]:
    lat, lng = dashboard.map_js().evaluate(MARKER_POSITION_JS, MUSEUM)
    return lat, lng


@pytest.mark.parametrize("code", ["osm", "carto", "amap", "amap_satellite", "none"])
def test_each_basemap_puts_the_museum_where_its_tiles_expect_it(open_dashboard, server, shipped_sites, code):
    dashboard = open_dashboard(server)
    requests: list[str] = []
    dashboard.page.on("request", lambda request: requests.append(request.url))
    dashboard.goto(f"/?basemap={code}")
    dashboard.wait_for_map(placed(shipped_sites))
    expected = MUSEUM_GCJ02 if basemaps.BASEMAPS[code].crs == "GCJ02" else MUSEUM_WGS84
    assert geo.distance_m(*museum_position(dashboard), *expected) < 1.0
    expect(dashboard.map.locator("path.sm-boundary")).not_to_have_count(0)  # the district boundary
    expect(dashboard.map.locator(".leaflet-control-attribution")).to_contain_text("Leaflet")
    # The scale in Chinese words: "2 km" was read out in English.
    expect(dashboard.map.locator(".leaflet-control-scale-line")).to_have_text(re.compile(r"^\d+(\.\d+)? (米|公里)$"))
    tile_hosts = {urlparse(url).hostname for url in requests} - LOCAL_HOSTS
    if code == "none":
        assert tile_hosts == set()
    else:
        template_host = urlparse(basemaps.BASEMAPS[code].tiles.replace("{s}", "a")).hostname
        suffix = ".".join(template_host.split(".")[-2:])
        assert tile_hosts and all(host.endswith(suffix) for host in tile_hosts), tile_hosts
        if code.startswith("amap"):
            expect(dashboard.map.locator(".leaflet-control-attribution")).to_contain_text("高德")
    dashboard.screenshot(f"20-basemap-{code}.png")


def test_intranet_tiles_come_from_the_configured_server_and_nowhere_else(
    open_dashboard, intranet_server, tile_server, shipped_sites
):
    """Where an office has set up its own tiles, a link naming no basemap opens on them: every page had opened on
    OpenStreetMap, with nine failed requests to the internet and a notice that the basemap did not load."""
    dashboard = open_dashboard(intranet_server)
    requests: list[str] = []
    dashboard.page.on("request", lambda request: requests.append(request.url))
    dashboard.goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    tiles = dashboard.map.locator("img.leaflet-tile-loaded")
    expect(tiles).not_to_have_count(0)
    assert dashboard.map_js().evaluate(
        "() => [...document.querySelectorAll('img.leaflet-tile')].every(i => i.complete && i.naturalWidth === 256)"
    )
    outside = {url for url in requests if urlparse(url).hostname not in LOCAL_HOSTS}
    assert outside == set(), outside
    assert tile_server.requests and all(re.match(r"^/tiles/\d+/\d+/\d+\.png$", path) for path in tile_server.requests)
    expect(dashboard.map.locator(".leaflet-control-attribution")).to_contain_text("测试瓦片服务")
    assert geo.distance_m(*museum_position(dashboard), *MUSEUM_WGS84) < 1.0
    expect(dashboard.map.locator(".sm-tile-notice")).to_have_count(0)
    dashboard.screenshot("21-basemap-intranet.png")


def test_the_offline_map_and_the_print_of_an_intranet_office_carry_its_intranet_tiles(
    open_dashboard, intranet_server, tile_server, shipped_sites, browser, tmp_path
):
    # Asked for with the intranet basemap, the offline file used to come with no tiles at all; and the print files
    # never had any: numbered dots on a blank district, from which nobody could find a place (staff review).
    dashboard = open_dashboard(intranet_server).goto("/?basemap=custom&section=keep")
    dashboard.wait_for_map(placed(shipped_sites))
    # The option is under both kinds of file it changes, and the two print layouts side by side.
    offline = dashboard.page.get_by_role("button", name="离线地图", exact=True).bounding_box()
    option = dashboard.page.get_by_text("文件附带在线底图（街道）").bounding_box()
    a4, a3 = (dashboard.page.get_by_role("button", name=f"{paper} 打印版").bounding_box() for paper in ("A4", "A3"))
    assert option["y"] > max(offline["y"] + offline["height"], a4["y"] + a4["height"])
    assert abs(option["x"] - a4["x"]) < 40
    assert a4["y"] == a3["y"] and a3["x"] + a3["width"] < offline["x"]
    dashboard.page.get_by_text("文件附带在线底图（街道）").click()
    expect(dashboard.page.get_by_role("checkbox", name=re.compile("文件附带在线底图"))).to_be_checked()
    # Once the page says so, the buttons hold the files with tiles, not those drawn before the tick (waiting for
    # no run in progress passed before the run had started, now and then).
    expect(dashboard.page.get_by_text("文件附带“内网瓦片服务”底图")).to_be_visible()
    for button in ("离线地图", "A4 打印版"):
        with dashboard.page.expect_download() as info:
            dashboard.page.get_by_role("button", name=button, exact=True).click()
        saved = tmp_path / info.value.suggested_filename
        info.value.save_as(saved)
        before = len(tile_server.requests)
        page = browser.new_page(viewport={"width": 1200, "height": 900})
        try:
            page.goto(saved.as_uri())
            expect(page.locator(".sm-marker")).to_have_count(placed(shipped_sites))
            expect(page.locator("img.leaflet-tile-loaded")).not_to_have_count(0)
            assert len(tile_server.requests) > before, button
            expect(page.locator(".leaflet-control-attribution")).to_contain_text("测试瓦片服务")
        finally:
            page.close()


def test_basemap_choice_and_view_survive_the_share_link(open_dashboard, server, shipped_sites):
    sender = open_dashboard(server).goto("/?basemap=amap&view=39.85228,116.22581,15")
    sender.wait_for_map(placed(shipped_sites))
    # On AMap the map centre is drawn in GCJ-02, yet the link keeps the WGS-84 view it was given.
    zoom, lat, lng = sender.map_view()
    assert zoom == 15
    # Leaflet snaps the centre to whole pixels; at zoom 15 a pixel is about 3.7 m.
    assert geo.distance_m(lat, lng, *basemaps.to_display(39.85228, 116.22581, "GCJ02")) < 4.0
    expect(sender.page).to_have_url(re.compile(r"basemap=amap"))
    expect(sender.page).to_have_url(re.compile(r"view=39\.8522[78](%2C|,)116\.2258[01](%2C|,)15"))
    receiver = open_dashboard(server).goto(sender.page.url)
    receiver.wait_for_map(placed(shipped_sites))
    expect(receiver.page.get_by_role("combobox", name="底图")).to_have_value("高德地图")
    assert geo.distance_m(*museum_position(receiver), *MUSEUM_GCJ02) < 1.0


def test_offline_tiles_get_a_visible_notice(open_dashboard, server, shipped_sites):
    dashboard = open_dashboard(server).goto("/?basemap=osm")
    dashboard.wait_for_map(placed(shipped_sites))
    # No internet here: the OSM tiles fail, and the map says so instead of showing a silent grey box.
    notice = dashboard.map.locator(".sm-tile-notice")
    expect(notice).to_contain_text("地图底图没有加载出来")
    # On a phone it may cover a marker: one tap closes it, and so does the keyboard (it is a button).
    notice.get_by_role("button", name="关闭").focus()
    dashboard.page.keyboard.press("Enter")
    expect(notice).to_have_count(0)
