"""At city scale the map draws canvas dots instead of pins; tooltips, popups, selection, filters and
the share link must still work."""

from __future__ import annotations

import re

import pytest

from servicemap.filters import Filters, apply
from servicemap.registry import load_registry

try:
    from playwright.sync_api import expect
except ImportError:
    expect = None

pytestmark = pytest.mark.e2e

COUNT_DOTS = "() => { let n = 0; window.map.eachLayer(l => { if (l instanceof L.CircleMarker) n++; }); return n; }"
DOT_POSITION = """() => {
    // The dot nearest the map's centre: on screen, clear of the zoom buttons and the legend.
    const size = window.map.getSize(), centre = L.point(size.x / 2, size.y / 2);
    let best = null, bestDistance = Infinity;
    window.map.eachLayer(l => {
        if (!(l instanceof L.CircleMarker) || l._smIndex === undefined) return;
        const d = window.map.latLngToContainerPoint(l.getLatLng()).distanceTo(centre);
        if (d < bestDistance) { best = l; bestDistance = d; }
    });
    const p = window.map.latLngToContainerPoint(best.getLatLng());
    return [p.x, p.y];
}"""
# What an empty option list shows: Streamlit's own text at size 0, and the Chinese put in its place.
NO_MATCH_SHOWN = "e => [getComputedStyle(e).fontSize, getComputedStyle(e, '::after').content]"


def wait_for_dots(dashboard, count: int) -> None:
    frame = dashboard.map_js()
    frame.wait_for_function(f"() => window.map && ({COUNT_DOTS})() === {count}", timeout=60_000)


def test_canvas_dots_keep_tooltips_popups_selection_filters_and_links(open_dashboard, scale_server, scale_registry):
    sites = load_registry(scale_registry).sites
    meal_only = apply(sites, Filters(meal="yes"))
    assert len(meal_only) > 1500, "the filtered map must still be drawn as dots"
    dashboard = open_dashboard(scale_server).goto("/?basemap=none")
    expect(dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]')).to_be_attached()
    expect(dashboard.map.locator(".leaflet-container")).to_be_attached()
    wait_for_dots(dashboard, len(sites))
    expect(dashboard.markers).to_have_count(0)  # no DOM pins at this size
    dashboard.screenshot("30-scale-dots.png")

    # Filter: only meal-service sites remain, and the metric says so.
    dashboard.page.get_by_test_id("stRadioOption").filter(has_text=re.compile("^提供助餐")).click()
    wait_for_dots(dashboard, len(meal_only))
    expect(dashboard.metric("助餐点")).to_have_text(f"{len(meal_only):,}".replace(",", ""))

    # Hover and click the first dot: a tooltip names it, the popup opens, the side panel selects it.
    dashboard.bring_map_into_view()
    x, y = dashboard.map_js().evaluate(DOT_POSITION)
    box = dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    dashboard.page.mouse.move(box["x"] + x, box["y"] + y)
    expect(dashboard.map.locator(".sm-tooltip")).to_have_text(re.compile(r"^合成站点\d{6}号$"))
    name = dashboard.map.locator(".sm-tooltip").inner_text()
    dashboard.page.mouse.click(box["x"] + x, box["y"] + y)
    expect(dashboard.map.locator(".sm-popup-title")).to_have_text(name)
    expect(dashboard.page.locator(".st-key-site_detail h3")).to_have_text(name)
    site_id = sites.loc[sites["name"] == name, "id"].iloc[0]
    expect(dashboard.page).to_have_url(re.compile(rf"site={site_id}"))
    dashboard.screenshot("31-scale-selected.png")

    # The link reproduces filter and selection in a fresh browser.
    receiver = open_dashboard(scale_server).goto(dashboard.page.url)
    expect(receiver.map.locator(".leaflet-container")).to_be_attached()
    wait_for_dots(receiver, len(meal_only))
    expect(receiver.page.locator(".st-key-site_detail h3")).to_have_text(name)

    # Narrowed to a thousand sites the site list is long again: typing filters it, and a name it lacks is
    # said to be missing in Chinese, not with Streamlit's English "No results".
    search = dashboard.page.get_by_role("textbox", name="搜索名称、地址或介绍")
    search.fill("合成站点00")
    search.press("Enter")
    narrowed = apply(sites, Filters(meal="yes", query="合成站点00"))
    assert 30 < len(narrowed) <= 2000, "the site list must be long enough to type in, short enough to offer"
    expect(dashboard.metric("助餐点")).to_have_text(str(len(narrowed)))
    picker = dashboard.page.get_by_role("combobox", name="选择站点（或点击地图上的标记）")
    picker.scroll_into_view_if_needed()
    picker.click()
    dashboard.page.keyboard.type("大瓦窑")
    empty = dashboard.page.locator('[role="listbox"][data-empty="true"] [role="option"] span')
    expect(empty).to_have_count(1)
    assert empty.evaluate(NO_MATCH_SHOWN) == ["0px", '"没有找到：列表里没有这个名称"']
