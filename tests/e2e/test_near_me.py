"""Near me, keep and print, and 大字模式 in a real browser."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from pandas import read_csv

from servicemap import filters, geo, nearby, vocab

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails, where browsers are required)
    expect = None

pytestmark = pytest.mark.e2e

BRIDGE = "卢沟桥（古桥）"
MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
ONE_MAP_WITH_LOCATE = """(selector) => {
    const frames = document.querySelectorAll(selector);
    if (frames.length !== 1) return false;
    const doc = frames[0].contentDocument;
    return !!(doc && doc.querySelector('.sm-locate'));
}"""
# The nearest care service from the bridge (the museum is nearer, but 我附近 lists care services).
CARE_CENTRE = "卢沟桥街道养老服务中心"


def placed(sites) -> int:
    return int(sites["lat"].notna().sum())


# The nearest services: a plain table (cells wrap on a phone), so its first column is the name.
NEAREST_LIST = '[data-testid="stTable"]'
FIRST_NAME = "tbody tr:first-child td:first-child"
FITS_SIDEWAYS = "e => e.scrollWidth <= e.clientWidth + 1"


def walk_twenty_minutes(dashboard):
    """Set the walk to 20 minutes at the default pace (a 1,340 m circle); returns the minutes box."""
    minutes = dashboard.page.get_by_role("spinbutton", name="步行时间（分钟）")
    minutes.fill("20")
    minutes.press("Enter")
    expect(dashboard.page.get_by_text(re.compile(r"步行圈半径约 1,340 米"))).to_be_visible()
    return minutes


def nearest_list(page):
    return page.locator(NEAREST_LIST).filter(has_text="距离（直线）")


def test_choosing_a_place_lists_the_nearest_services_and_draws_the_circle(open_dashboard, server, shipped_sites):
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    # The legend's line for "my location" (the legend itself starts folded on a map this narrow).
    near_legend = dashboard.map.get_by_text("红点和红圈：我的位置和步行圈（直线距离）")
    expect(near_legend).to_have_css("display", "none")  # nothing red to explain yet
    picker = dashboard.page.get_by_role("combobox", name=re.compile("作为“我的位置”"))
    # Scroll first, as a reader does: the dropdown closes on scroll, so scroll-and-click in one go loses it.
    picker.scroll_into_view_if_needed()
    expect(picker).to_be_in_viewport()
    picker.click()
    places = len(read_csv(nearby.GAZETTEER_PATH)) + placed(shipped_sites)
    expect(dashboard.page.get_by_role("listbox").get_by_role("option")).to_have_count(places)
    dashboard.page.get_by_role("option", name=BRIDGE, exact=True).click()
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.84917(%2C|,)116\.21306"))
    expect(nearest_list(dashboard.page).locator(FIRST_NAME)).to_have_text(CARE_CENTRE)
    expect(dashboard.map.locator("path.sm-my-location")).to_have_count(1)
    dashboard.map.get_by_text("图例", exact=True).click()
    expect(near_legend).to_be_visible()  # a family asked what the red dot and circle were
    # The map moves to hold the new location and the nearest meal point (the bridge was at the edge).
    dashboard.map_js().wait_for_function(
        """() => { const b = window.map.getBounds();
                   return b.contains([39.84917, 116.21306]) && b.contains([39.865, 116.240])
                          && window.map.getZoom() >= 12; }"""
    )
    expect(dashboard.page.get_by_text(re.compile(r"步行圈半径约 1,005 米，为直线距离"))).to_be_visible()
    dashboard.screenshot("40-near-me-list.png")

    # The link carries the point: a fresh browser sees the same list.
    receiver = open_dashboard(server).goto(dashboard.page.url)
    receiver.wait_for_map(placed(shipped_sites))
    expect(nearest_list(receiver.page).locator(FIRST_NAME)).to_have_text(CARE_CENTRE)
    expect(receiver.map.locator("path.sm-my-location")).to_have_count(1)


def test_a_place_chosen_from_the_keyboard_keeps_the_focus(open_dashboard, server, shipped_sites):
    # The answer appears at the top of the page once a location is chosen; the box chosen from was drawn anew
    # with it, and a keyboard reader's focus fell back to the page's first control, fifty Tabs away.
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    # The map's first report of its view reruns the page: a list opened during that rerun closes again.
    expect(dashboard.page).to_have_url(re.compile(r"view="))
    dashboard.wait_for_rerun()
    dashboard.page.bring_to_front()  # the keyboard goes to the window in front (an earlier test's may be)
    picker = dashboard.page.get_by_role("combobox", name=re.compile("作为“我的位置”"))
    # Scrolled to first, as a reader's Tab scrolls before she presses a key: the list closes on a scroll, and
    # one from focus() itself arrived after the list had opened.
    picker.scroll_into_view_if_needed()
    expect(picker).to_be_in_viewport()
    picker.focus()
    expect(picker).to_be_focused()
    dashboard.page.keyboard.press("ArrowDown")  # opens the list
    expect(dashboard.page.get_by_role("option", name=BRIDGE, exact=True)).to_be_visible()
    # Down through the list to the bridge, as the reader hears each option named.
    highlighted = "e => document.getElementById(e.getAttribute('aria-activedescendant'))?.textContent ?? ''"
    for _ in range(len(read_csv(nearby.GAZETTEER_PATH)) + placed(shipped_sites)):
        if picker.evaluate(highlighted) == BRIDGE:
            break
        dashboard.page.keyboard.press("ArrowDown")
    dashboard.page.keyboard.press("Enter")
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.84917(%2C|,)116\.21306"))
    expect(dashboard.page.get_by_test_id("stAlert").filter(has_text="最近的助餐点：")).to_have_count(1)
    expect(picker).to_be_focused()
    expect(picker).to_have_value(BRIDGE)
    # ... and the answer, put in at the page's top, is said: a box put in is not read out (accessibility review).
    said = dashboard.page.locator(".sm-said")
    expect(said).to_have_text(re.compile(r"^最近的助餐点：卢沟桥街道养老服务中心；多远：.+；从哪里算：卢沟桥（古桥）$"))
    # ... and again for another place with the same nearest meal point: it was said once only (regression review).
    picker.press("ArrowDown")
    dashboard.page.get_by_role("option", name=BRIDGE, exact=True).wait_for()
    options = dashboard.page.get_by_role("listbox").get_by_role("option")
    another = options.filter(has_not_text=re.compile(f"未选择|{re.escape(BRIDGE)}")).first
    another_name = another.inner_text()
    another.click()
    expect(said).to_have_text(re.compile(f"；从哪里算：{re.escape(another_name)}$"))


# Every chart's words for a screen reader: some, and no Latin letter among them.
CHARTS_SAID_IN_CHINESE = """() => {
  const said = [...document.querySelectorAll('[data-testid="stVegaLiteChart"] [aria-label]')]
    .map((element) => element.getAttribute('aria-label'));
  return said.length > 0 && said.every((words) => !/[A-Za-z]/.test(words));
}"""


def test_parts_below_the_map_switch_keep_their_settings_and_enter_the_link(open_dashboard, server, shipped_sites):
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    minutes = walk_twenty_minutes(dashboard)

    dashboard.show_section("统计与报道")
    expect(dashboard.heading("报道中的数字", 2)).to_be_visible()
    expect(dashboard.page.get_by_test_id("stVegaLiteChart")).to_have_count(2)  # care, united front
    expect(dashboard.page.get_by_test_id("stVegaLiteChart").first).to_be_visible()
    # What a screen reader is told of the charts is each bar in Chinese, not Vega's English for the axes ("X-axis
    # titled '站点数' for a linear scale…").
    dashboard.page.wait_for_function(CHARTS_SAID_IN_CHINESE)
    # The reported figures beside the registry's, whose figure each is, as text (a grey box until drawn).
    reported = dashboard.page.get_by_test_id("stTable").first.locator("tbody tr").first
    expect(reported).to_contain_text("辖区养老机构总数（各类型）")
    expect(reported).to_contain_text("卢沟桥街道")
    expect(reported).to_contain_text("12 家")
    expect(minutes).to_have_count(0)  # only the part being read is drawn
    expect(dashboard.page).to_have_url(re.compile(r"section=stats"))
    dashboard.screenshot("45-figures-and-reports.png")

    # A colleague opening the link lands on the same part; back on 我附近 the walking time is still 20.
    receiver = open_dashboard(server).goto(dashboard.page.url)
    receiver.wait_for_map(placed(shipped_sites))
    expect(receiver.heading("报道中的数字", 2)).to_be_visible()
    dashboard.show_section("我附近：步行圈")
    expect(minutes).to_have_value("20")
    expect(dashboard.page.get_by_text(re.compile(r"步行圈半径约 1,340 米"))).to_be_visible()


def test_the_links_within_the_page_take_the_keyboard_with_them(open_dashboard, server, shipped_sites):
    # The page scrolled to 找最近的助餐点, but the focus stayed on the link: the next Tab went back up to the
    # figures, and the place box was 25 stops away; a screen reader heard nothing (accessibility review).
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.page.get_by_role("link", name="选择我的位置，看最近的助餐点 ↓").focus()
    dashboard.page.keyboard.press("Enter")
    expect(dashboard.heading("找最近的助餐点", 2)).to_be_focused()
    dashboard.page.keyboard.press("Tab")
    places = dashboard.page.get_by_role("combobox", name="选择小区、地标或站点作为“我的位置”")
    expect(places).to_be_focused()
    expect(places).to_be_in_viewport()
    # ... and back up from the answer under the map, to the page's title above the full answer.
    dashboard.goto("/?near=39.84917,116.21306")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.page.get_by_role("link", name="开放时间、电话和价格见页面最上方 ↑").focus()
    dashboard.page.keyboard.press("Enter")
    expect(dashboard.page.locator("h1")).to_be_focused()
    expect(dashboard.page.locator("h1")).to_be_in_viewport()


def test_the_walk_is_kept_through_a_visit_to_another_page(open_dashboard, server, shipped_sites):
    """Streamlit forgets a widget's value after a run that does not draw it: back from 资源清单 the walk was
    1 minute at 20 m/min, and the link carried a 50 m circle."""
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    minutes = walk_twenty_minutes(dashboard)
    dashboard.page_link("资源清单").click()
    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    dashboard.page_link("地图").click()
    expect(minutes).to_have_value("20")
    expect(dashboard.page.get_by_role("spinbutton", name="步速（米/分钟）")).to_have_value("67")
    expect(dashboard.page.get_by_text(re.compile(r"步行圈半径约 1,340 米"))).to_be_visible()
    expect(dashboard.page).to_have_url(re.compile(r"[?&]radius=1340(&|$)"))


def test_an_untouched_walk_from_a_link_is_kept_through_a_visit_to_another_page(open_dashboard, server, shipped_sites):
    """The walk a link gives, never touched, came back from 资源清单 as 1 minute at 20 m/min, with radius=50 in
    the link the reader then shares, and 继续查看 with no part chosen."""
    dashboard = open_dashboard(server).goto("/?near=39.872,116.247")
    dashboard.wait_for_map(placed(shipped_sites))
    minutes = dashboard.page.get_by_role("spinbutton", name="步行时间（分钟）")
    expect(minutes).to_have_value("15")
    dashboard.page_link("资源清单").click()
    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    dashboard.page_link("地图").click()
    dashboard.wait_for_map(placed(shipped_sites))
    expect(minutes).to_have_value("15")
    expect(dashboard.page.get_by_role("spinbutton", name="步速（米/分钟）")).to_have_value("67")
    expect(dashboard.page.get_by_text(re.compile(r"步行圈半径约 1,005 米"))).to_be_visible()
    assert "radius=" not in dashboard.page.url  # the default walk is left out of the link
    expect(dashboard.page.get_by_test_id("stButtonGroup").get_by_role("radio", checked=True)).to_have_text(
        "我附近：步行圈"
    )


def test_clicking_the_map_or_geolocation_sets_my_location(open_dashboard, server, shipped_sites, browser):
    dashboard = open_dashboard(server).goto("/?view=39.85228,116.22581,15")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.page.get_by_text("在地图上点选或定位我的位置").click()
    # The map re-mounts with the 定位到我 button: wait until the new map is the only one on the page.
    dashboard.page.wait_for_function(ONE_MAP_WITH_LOCATE, arg=MAP_IFRAME)
    dashboard.wait_for_map(placed(shipped_sites))
    expect(dashboard.map.locator(".sm-locate")).to_be_visible()
    # Where to tap is said where the switch is: the map is above, out of view on a phone.
    where_to_tap = dashboard.page.get_by_text(re.compile("^请往上滑到地图，在自己家附近点一下"))
    expect(where_to_tap).to_be_visible()
    dashboard.bring_map_into_view()
    box = dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    dashboard.page.mouse.click(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.75)
    # Kept to about 100 m (3 decimals): a tapped point is often the reader's home, and travels in every link.
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.8\d\d0*(%2C|,)116\.\d\d\d0*(&|$)"))
    expect(dashboard.map.locator("path.sm-my-location")).to_have_count(1)
    expect(where_to_tap).to_have_count(0)  # one point chosen: the map is back to selecting sites
    # Tapped closer than the view a place chosen from the list opens on, the map is not brought closer: it
    # keeps the reader's zoom, or steps out as far as the point's circle and its nearest meal point need
    # (here 14: the meal point is 2 km away). The link then carries the view the reader sees. (It had asserted
    # 15, read before the map's step out reached the address bar: under load the step won, and it failed.)
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.map_js().wait_for_function(IN_FRAME_WITH_MARGIN, arg=[[CARE_CENTRE], 8], timeout=30_000)
    settled_zoom = dashboard.map_js().evaluate("() => window.map.getZoom()")
    assert settled_zoom <= 15
    expect(dashboard.page).to_have_url(re.compile(rf"view=[\d.]+(%2C|,)[\d.]+(%2C|,){settled_zoom}\b"))
    # The share box says the link carries it, before the reader posts it to a group.
    dashboard.page.get_by_role("button", name=re.compile("复制分享链接")).first.click()
    expect(dashboard.page.get_by_text(re.compile("链接里有“我的位置”（精确到约 100 米）"))).to_be_visible()
    dashboard.page.keyboard.press("Escape")

    # The browser's own position (granted here; a resident's phone asks first).
    with located_at(browser, server, "/", READER_AT) as page:
        expect(page).to_have_url(re.compile(r"near=39\.852\d*(%2C|,)116\.23"), timeout=30_000)


READER_AT = (39.8520, 116.2300)


@contextmanager
def located_at(browser, server, path: str, position: tuple[float, float]) -> Iterator:
    """A page at `path` whose browser gives `position` (WGS-84), after a press on 定位到我."""
    latitude, longitude = position
    context = browser.new_context(
        viewport={"width": 1366, "height": 768},
        geolocation={"latitude": latitude, "longitude": longitude},
        permissions=["geolocation"],
    )
    try:
        page = context.new_page()
        page.goto(server.url + path)
        # Wait for the map's first report (it writes the view into the link) so the click does not land
        # in the middle of that rerun and get lost.
        expect(page).to_have_url(re.compile(r"view="))
        page.get_by_text("在地图上点选或定位我的位置").click()
        page.wait_for_function(ONE_MAP_WITH_LOCATE, arg=MAP_IFRAME)
        locate = page.frame_locator(MAP_IFRAME).locator(".sm-locate")
        expect(locate).to_be_visible()
        locate.click()
        yield page
    finally:
        context.close()


def test_geolocation_on_the_amap_basemap_puts_my_location_where_the_reader_is(browser, server):
    """The browser gives WGS-84; 高德's tiles are in GCJ-02. Taken as a click in the map's own system, the
    position landed about 530 m from the reader (39.85078,116.22395 for 39.8520,116.2300)."""
    with located_at(browser, server, "/?basemap=amap", READER_AT) as page:
        expect(page).to_have_url(re.compile(r"near=39\.852\d*(%2C|,)116\.23"), timeout=30_000)
        near = parse_qs(urlparse(page.url).query)["near"][0]
        lat, lon = (float(part) for part in near.split(","))
        assert geo.distance_m(lat, lon, *READER_AT) < 5, near
        # The map's JavaScript shift into GCJ-02 is the one servicemap.geo uses (asked of the map drawn anew
        # once the location is set, when it alone is on the page).
        expect(page.locator(MAP_IFRAME)).to_have_count(1)
        frame = page.locator(MAP_IFRAME).element_handle().content_frame()
        frame.wait_for_function("() => typeof window.servicemapWgs84ToGcj02 === 'function'")
        for point in (READER_AT, (39.9042, 116.4074), (22.5431, 114.0579)):
            in_js = frame.evaluate("(p) => window.servicemapWgs84ToGcj02(p[0], p[1])", list(point))
            in_python = geo.wgs84_to_gcj02(*point)
            assert abs(in_js[0] - in_python[0]) < 1e-9 and abs(in_js[1] - in_python[1]) < 1e-9, point


def test_a_tap_on_a_phones_map_shows_the_answer_it_gives(open_dashboard, server, shipped_sites):
    # On a phone the map is two screens below the answer about the nearest meal point: after a tap chose
    # "my location", the answer appeared above the screen and the reader saw only the red dot.
    dashboard = open_dashboard(server, phone=True).goto("/?view=39.85228,116.22581,12")
    dashboard.wait_for_map(placed(shipped_sites))
    switch = dashboard.page.get_by_text("在地图上点选或定位我的位置")
    switch.scroll_into_view_if_needed()
    switch.click()
    dashboard.page.wait_for_function(ONE_MAP_WITH_LOCATE, arg=MAP_IFRAME)
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.bring_map_into_view()
    answer = dashboard.page.get_by_test_id("stAlert").filter(has_text="最近的助餐点：")
    expect(answer).to_have_count(0)
    box = dashboard.page.locator(MAP_IFRAME).bounding_box()
    dashboard.page.touchscreen.tap(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.8"))
    expect(answer).to_be_in_viewport()
    # Tapped at the district's scale, the map opens closer, on the point, its circle and its nearest meal
    # point: left at that scale, the 15-minute circle was a small ring around a dot.
    expect(dashboard.page).to_have_url(re.compile(r"view=[\d.]+(%2C|,)[\d.]+(%2C|,)1[3-6]\b"))
    # Its first line, the meal point's name, is not hidden under the page's header.
    header_bottom = dashboard.page.get_by_test_id("stHeader").bounding_box()
    assert answer.bounding_box()["y"] >= header_bottom["y"] + header_bottom["height"] - 1
    dashboard.screenshot_of_screen("50-phone-after-map-tap.png")

    # Choosing a place in 我附近's own list, which repeats the answer there, leaves the reader where they are.
    dashboard.show_section("我附近：步行圈")
    picker = dashboard.page.get_by_role("combobox", name=re.compile("作为“我的位置”"))
    picker.scroll_into_view_if_needed()
    picker.click()
    dashboard.page.get_by_role("option", name=BRIDGE, exact=True).click()
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.84917(%2C|,)116\.21306"))
    expect(nearest_list(dashboard.page).locator(FIRST_NAME)).to_have_text(CARE_CENTRE)
    expect(picker).to_be_in_viewport()
    expect(answer).not_to_be_in_viewport()
    # Its gist there, right under the box it was chosen in (it was a screen further down, under the walk's
    # settings; phone review), links up to the whole answer, two thousand pixels above.
    gist = dashboard.page.get_by_role("link", name="开放时间、电话和价格见页面最上方 ↑")
    expect(gist).to_be_in_viewport()
    assert gist.bounding_box()["y"] - picker.bounding_box()["y"] < 300
    gist.tap()
    expect(answer).to_be_in_viewport()


def download(dashboard, button_name: str, folder: Path) -> Path:
    dashboard.show_section("下载与打印")
    with dashboard.page.expect_download() as info:
        dashboard.page.get_by_role("button", name=button_name, exact=True).click()
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def test_offline_map_file_opens_with_the_network_blocked(open_dashboard, server, shipped_sites, browser, tmp_path):
    meal_only = filters.apply(shipped_sites, filters.Filters(meal="yes"))
    dashboard = open_dashboard(server).goto("/?meal=yes")
    dashboard.wait_for_map(placed(meal_only))
    saved = download(dashboard, "离线地图", tmp_path)
    assert saved.name.endswith(".html")

    context = browser.new_context(viewport={"width": 1200, "height": 900})
    blocked: list[str] = []

    def only_the_file(route) -> None:  # noqa: ANN001 - playwright Route
        if route.request.url.startswith("file://"):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    context.route("**/*", only_the_file)
    try:
        page = context.new_page()
        page.goto(saved.as_uri())
        expect(page.locator(".sm-marker")).to_have_count(placed(meal_only))
        # A single site is framed in the middle of the map, not zoomed into a corner.
        map_box = page.locator(".folium-map").bounding_box()
        pin = page.locator(".sm-marker").first.bounding_box()
        assert map_box["x"] + 40 < pin["x"] < map_box["x"] + map_box["width"] - 40
        assert map_box["y"] + 40 < pin["y"] < map_box["y"] + map_box["height"] - 40
        expect(page.locator("h1")).to_have_text("卢街颐养 养老服务资源分布图")
        expect(page.locator(".sm-export-meta").first).to_contain_text("助餐：提供助餐")
        expect(page.locator(".sm-legend")).to_contain_text("图例")
        expect(page.locator("path.sm-boundary")).to_have_count(1)
        assert blocked == []  # nothing was even attempted: no CDN, no tiles by default
        page.screenshot(path=str(Path(__file__).parent / "screenshots" / "41-offline-export.png"), full_page=True)
    finally:
        context.close()


@contextmanager
def print_file_offline(browser, saved: Path, markers: int) -> Iterator:
    """A downloaded file opened as a reader opens it, with nothing but the file reachable, once its
    `markers` are drawn."""
    context = browser.new_context()
    context.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
    try:
        page = context.new_page()
        page.goto(saved.as_uri())
        expect(page.locator(".sm-marker")).to_have_count(markers)
        yield page
    finally:
        context.close()


def test_print_layout_renders_to_pdf_with_map_and_list(
    open_dashboard, server, shipped_sites, browser, tmp_path, pins_apart
):
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    with print_file_offline(browser, download(dashboard, "A4 打印版", tmp_path), placed(shipped_sites)) as page:
        expect(page.locator(".sm-export-list tbody tr")).to_have_count(len(shipped_sites))  # unpinned ones too
        # A sheet handed to leaders says what it lacks, as the page does.
        expect(page.locator(".sm-export-caveat")).to_contain_text("本图不完整：据2025年1月报道，街道现有 12 家")
        # It has no metric row to say the district's totals under: the caveat does.
        expect(page.locator(".sm-export-caveat")).to_contain_text("丰台区有 24 个市级统战工作阵地，本图只收录 2 个")
        # And the page's figures, which a briefing quoted from memory.
        expect(page.locator(".sm-export-figures")).to_have_text(
            "本图收录：养老服务资源 4 处，其中助餐点 1 处，托老床位 18 张（1 处有床位数）；"
            "统战阵地及平台 12 处（国家级阵地 5 个，市级阵地 2 个）。"
        )
        numbers = page.locator(".sm-disc").all_inner_texts()
        assert sorted(int(n) for n in numbers) == list(range(1, placed(shipped_sites) + 1))
        # Every number stays readable: no pin covers another (5 once vanished under 6).
        pins_apart(page)
        page.emulate_media(media="print")
        page.screenshot(path=str(Path(__file__).parent / "screenshots" / "42-print-a4.png"), full_page=True)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        assert pdf.startswith(b"%PDF")
        pages = pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages")
        assert pages == 2  # the map and its heading on one sheet, the numbered list on the next
        (tmp_path / "print.pdf").write_bytes(pdf)


def test_the_print_for_a_resident_carries_my_location_and_where_to_eat(
    open_dashboard, server, shipped_sites, browser, tmp_path
):
    """At the 居委会 counter: a location chosen, the printed sheet shows its dot and circle and the answer
    about the nearest meal point, on one sheet with the map."""
    dashboard = open_dashboard(server).goto("/?near=39.84917,116.21306")
    dashboard.wait_for_map(placed(shipped_sites))
    with print_file_offline(browser, download(dashboard, "A4 打印版", tmp_path), placed(shipped_sites)) as page:
        answer = page.locator(".sm-export-near")
        expect(answer.locator("strong")).to_have_text(f"最近的助餐点：{CARE_CENTRE}")
        expect(answer).to_contain_text("开放时间：早、午、晚三餐时段")
        expect(answer).to_contain_text("红圈为约 1,005 米的步行圈")
        expect(page.locator("path.sm-my-location")).to_have_count(1)
        page.emulate_media(media="print")
        page.screenshot(path=str(Path(__file__).parent / "screenshots" / "49-print-for-a-resident.png"), full_page=True)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        # Still one sheet for the map with the answer above it: sized by a guess at the answer's height, the
        # map spilled onto a sheet of its own (three sheets in all) once the answer grew a line or two.
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 2
        # All of the map on that sheet, every pin inside it.
        page.set_viewport_size({"width": 1062, "height": 733})  # A4 landscape less the 8 mm margins
        page.wait_for_function(PINS_IN_FRAME, arg=placed(shipped_sites))
        sheet = page.locator(".sm-first-sheet").bounding_box()
        assert sheet["height"] <= 733
        # A size up from the sheet's small print (it had been 13 px, 10 pt on paper; phone review), and the map under
        # it still a map: at 16 px it was a strip, most of it under the legend (regression review).
        assert font_px(answer) >= 14
        assert page.locator(".sm-first-sheet .folium-map").bounding_box()["height"] >= 280
    # Printed from 大字模式, larger all through, and still the map and its answer on one sheet.
    large = open_dashboard(server).goto("/?near=39.84917,116.21306&large=1")
    large.wait_for_map(placed(shipped_sites))
    with print_file_offline(browser, download(large, "A4 打印版", tmp_path), placed(shipped_sites)) as page:
        answer = page.locator(".sm-export-near")
        expect(answer.locator("strong")).to_have_text(f"最近的助餐点：{CARE_CENTRE}")
        assert font_px(answer) >= 20 and font_px(page.locator(".sm-export-list table")) >= 15
        page.emulate_media(media="print")
        page.screenshot(path=str(Path(__file__).parent / "screenshots" / "49b-print-in-large-type.png"), full_page=True)
        pdf = page.pdf(prefer_css_page_size=True, print_background=True)
        # The answer on the first sheet, the map on all of the second (under the answer in large type, it had been a
        # strip with its legend cut off), the list from the third.
        assert pdf.count(b"/Type /Page") - pdf.count(b"/Type /Pages") == 3
        page.set_viewport_size({"width": 1062, "height": 733})
        assert page.locator(".sm-export-head").bounding_box()["height"] <= 733
        assert page.locator(".sm-first-sheet .folium-map").bounding_box()["height"] >= 700
        page.wait_for_function(PINS_IN_FRAME, arg=placed(shipped_sites))


def font_px(locator) -> float:
    return float(locator.evaluate("(element) => parseFloat(getComputedStyle(element).fontSize)"))


# Every pin inside the map's frame, as drawn on screen.
PINS_IN_FRAME = """(count) => {
  const frame = document.querySelector('.folium-map').getBoundingClientRect();
  const pins = [...document.querySelectorAll('.sm-marker')].map((p) => p.getBoundingClientRect());
  return pins.length === count && pins.every((p) => p.left >= frame.left && p.right <= frame.right
    && p.top >= frame.top && p.bottom <= frame.bottom);
}"""


# The pins the open legend covers, in whole or in part.
PINS_UNDER_LEGEND = """() => {
  const legend = document.querySelector('.sm-legend').getBoundingClientRect();
  return [...document.querySelectorAll('.sm-marker')].map((p) => p.getBoundingClientRect())
    .filter((p) => p.right > legend.left && p.left < legend.right && p.bottom > legend.top && p.top < legend.bottom)
    .length;
}"""


# Resolves once the page has drawn twice, so events already queued have been handled.
NEXT_FRAMES = "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"


def test_the_print_file_frames_every_site_on_a_phone_and_on_paper(
    open_dashboard, server, shipped_sites, browser, tmp_path
):
    # Fitted once for the window it opened in, the file cut a site off on a phone, and printed from a
    # 1920-pixel window it lost the easternmost one: it is fitted again for the paper.
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    saved = download(dashboard, "A4 打印版", tmp_path)
    for width, height in ((390, 844), (1366, 768), (1920, 1000)):
        page = browser.new_page(viewport={"width": width, "height": height})
        try:
            page.goto(saved.as_uri())
            page.wait_for_function(PINS_IN_FRAME, arg=placed(shipped_sites))
            if width > 1000:  # its legend open: on a laptop site 4 was under it, 7 numbers of the 8 listed in sight
                page.wait_for_load_state("load")
                page.evaluate(NEXT_FRAMES)
                assert page.evaluate(PINS_UNDER_LEGEND) == 0
            page.emulate_media(media="print")
            # The page takes the print media in before the paper's width arrives, as a browser does when it
            # prints: fitted only on the media change, the map kept the window's frame (a CI run caught it).
            page.evaluate(NEXT_FRAMES)
            page.set_viewport_size({"width": 1062, "height": 733})  # A4 landscape less the 8 mm margins
            page.wait_for_function(PINS_IN_FRAME, arg=placed(shipped_sites))
        finally:
            page.close()


def test_a_link_naming_a_site_opens_on_a_phone_with_its_gist_first(open_dashboard, server, shipped_sites):
    # The brother a daughter sent the centre's link to saw the title and the figures; the centre's details were
    # two screens down, under the map. Its gist comes first, with the way down to the rest.
    link = "/?meal=yes&site=lgq-care-center&from=singlemessage&isappinstalled=0"
    dashboard = open_dashboard(server, phone=True).goto(link)
    dashboard.wait_for_map(placed(shipped_sites.loc[shipped_sites["meal_service"] == "yes"]))
    card = dashboard.page.get_by_test_id("stAlert").filter(has_text="链接分享的站点：卢沟桥街道养老服务中心")
    expect(card).to_be_in_viewport()
    expect(card).to_contain_text("价格：早餐均价6元")
    down = card.get_by_role("link", name="地图上的位置和全部信息见下方 ↓")
    down.click()
    expect(dashboard.page.get_by_role("heading", name="站点详情")).to_be_in_viewport()
    # On a wide screen the details are beside the map already: no card.
    wide = open_dashboard(server).goto(link)
    wide.wait_for_map(placed(shipped_sites.loc[shipped_sites["meal_service"] == "yes"]))
    expect(wide.page.get_by_text("链接分享的站点：卢沟桥街道养老服务中心")).to_be_hidden()


def test_a_link_opened_on_a_phone_answers_where_the_nearest_meal_is(open_dashboard, server, shipped_sites):
    dashboard = open_dashboard(server, phone=True).goto("/?near=39.84917,116.21306")
    dashboard.wait_for_map(placed(shipped_sites))
    answer = dashboard.page.get_by_text("地址：丰台区张仪村路227号院1号楼")  # the full answer, with the address
    expect(answer).to_be_visible()
    # Above the map: on a phone the map and the walking settings are screens long.
    assert answer.bounding_box()["y"] < dashboard.page.locator(MAP_IFRAME).bounding_box()["y"]
    # No phone in the sources: the hotline to ask is one tap away.
    hotline = dashboard.page.get_by_test_id("stAlert").get_by_role("link", name=vocab.HOTLINE)
    expect(hotline).to_have_attribute("href", f"tel:{vocab.HOTLINE}")
    # Nothing runs off the side of a narrow screen.
    widths = dashboard.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=\"stMain\"]').scrollWidth]"
    )
    assert max(widths) <= 390 + 1, widths
    # The nearest-services list shows every column on the phone: no column hides off its right edge.
    near_list = nearest_list(dashboard.page)
    near_list.scroll_into_view_if_needed()
    expect(near_list.locator("th")).to_have_count(4)
    assert near_list.locator("table").evaluate(FITS_SIDEWAYS)
    assert near_list.bounding_box()["x"] + near_list.bounding_box()["width"] <= 390 + 1
    dashboard.screenshot("46-phone.png")


# Every drawn pin inside what the map shows (Leaflet's own bounds of the visible frame).
ALL_PINS_IN_VIEW = """(count) => {
  const inView = [];
  window.map.eachLayer((layer) => {
    if (layer instanceof L.Marker) inView.push(window.map.getBounds().contains(layer.getLatLng()));
  });
  return inView.length === count && inView.every(Boolean);
}"""


POPUP_INSIDE_MAP = """() => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const popup = document.querySelector('.leaflet-popup');
  if (!popup) return false;
  const box = popup.getBoundingClientRect();
  // Its close button is not under the 图例 button (on a phone a tap on × opened the legend instead).
  const close = popup.querySelector('.leaflet-popup-close-button').getBoundingClientRect();
  const legend = document.querySelector('.sm-legend summary').getBoundingClientRect();
  const apart = close.top >= legend.bottom || close.right <= legend.left;
  return box.left >= map.left && box.right <= map.right && apart;
}"""


# Every pin at least a pin's width inside the map's frame.
PINS_CLEAR_OF_EDGES = """() => {
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  const pins = [...document.querySelectorAll('.sm-marker')].map((p) => p.getBoundingClientRect());
  return pins.length > 0 && pins.every((p) => p.left - frame.left >= 28 && frame.right - p.right >= 28
    && p.top - frame.top >= 28 && frame.bottom - p.bottom >= 28);
}"""


def test_a_filtered_link_on_a_phone_shows_its_sites_clear_of_the_maps_edges(open_dashboard, server, shipped_sites):
    # 只看助餐 opened on a phone with its one meal point 15 px from the map's left edge.
    dashboard = open_dashboard(server, phone=True).goto("/?meal=yes")
    dashboard.wait_for_map(placed(shipped_sites.loc[shipped_sites["meal_service"] == "yes"]))
    dashboard.map_js().wait_for_function(PINS_CLEAR_OF_EDGES, timeout=30_000)


def test_a_phone_opening_the_dashboard_sees_every_placed_site(open_dashboard, server, shipped_sites):
    # The district view on a 390-pixel screen left 2 of the 8 placed sites outside the frame, under a
    # note saying 8 处已上图: the map moves once to hold them all.
    dashboard = open_dashboard(server, phone=True).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.map_js().wait_for_function(ALL_PINS_IN_VIEW, arg=placed(shipped_sites), timeout=30_000)
    # The view it moved to is the link's, so a shared link shows the same.
    expect(dashboard.page).to_have_url(re.compile(r"view="))
    dashboard.screenshot("47-phone-all-sites.png")
    # A tapped site's popup fits the phone's map: at 320 px its text and close button ran off the side.
    dashboard.map.get_by_title("卢沟桥街道养老服务中心", exact=True).click()
    expect(dashboard.map.locator(".leaflet-popup")).to_be_visible()
    expect(dashboard.map.locator(".sm-tooltip")).to_have_count(0)  # no hover label left cut off beside it
    expect(dashboard.map.locator(".sm-tile-notice")).to_be_hidden()  # the no-tiles notice covered its foot
    # The sources give no phone: the popup says so and whom to ask, as the detail panel does.
    popup_table = dashboard.map.locator(".sm-popup-table")
    expect(popup_table).to_contain_text(vocab.NOT_GIVEN_ASK)
    hotline = popup_table.get_by_role("link", name=vocab.HOTLINE)
    expect(hotline).to_have_attribute("href", f"tel:{vocab.HOTLINE}")
    # A finger's size, yet in the lines of its sentence: as a 44 px high box it set "来源未给出；可拨打 12345"
    # apart from "市民服务热线…" by a gap of a line.
    height, line_step = hotline.evaluate(HOTLINE_FIT)
    assert height >= 40 and line_step < 25, (height, line_step)
    # What a family asks first on tapping a meal point: the prices and who may eat there.
    expect(popup_table).to_contain_text("午晚餐均价15元，60岁以上老人每道菜优惠1元")
    # Once the map has panned to show it (Leaflet animates the pan), the popup lies inside the map, below
    # the 图例 button.
    dashboard.map_js().wait_for_function(POPUP_INSIDE_MAP)
    # Where to ask from is two screens down, after the figures and the map: the first lines link there,
    # without a history entry of its own (back had stayed on the page).
    entries = dashboard.page.evaluate("() => history.length")
    dashboard.page.get_by_role("link", name="选择我的位置，看最近的助餐点 ↓").tap()
    expect(dashboard.page.get_by_role("combobox", name="选择小区、地标或站点作为“我的位置”")).to_be_in_viewport()
    assert dashboard.page.evaluate("() => history.length") == entries


# The hotline link's height, and the largest step from one line of its cell's text to the next (px).
HOTLINE_FIT = """(link) => {
  const text = document.createRange();
  text.selectNodeContents(link.parentElement);
  const tops = [...new Set([...text.getClientRects()].map((r) => Math.round(r.top)))].sort((a, b) => a - b);
  const steps = tops.slice(1).map((top, i) => top - tops[i]);
  return [link.getBoundingClientRect().height, Math.max(0, ...steps)];
}"""


# The named pins and "my location" inside the map's frame, at least `margin` px from its edges.
IN_FRAME_WITH_MARGIN = """([names, margin]) => {
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  const boxes = names.map((n) => document.querySelector(`.leaflet-marker-icon[title="${n}"]`))
    .concat([document.querySelector('path.sm-my-location')]).map((e) => e && e.getBoundingClientRect());
  return boxes.every((b) => b && b.left >= frame.left + margin && b.right <= frame.right - margin
    && b.top >= frame.top + margin && b.bottom <= frame.bottom - margin);
}"""


def test_a_narrow_map_keeps_my_location_and_its_meal_point_in_view(open_dashboard, server, shipped_sites, browser):
    """A laptop at 150% with the sidebar open draws a map narrower than a phone's: the nearest meal point
    sat at its edge and the pin beside it was cut off. The browser now fits them in."""
    context = browser.new_context(viewport={"width": 911, "height": 512}, device_scale_factor=1.5)
    try:
        page = context.new_page()
        page.goto(server.url + "/?near=39.84917,116.21306")
        frame = page.frame_locator(MAP_IFRAME)
        expect(frame.locator(".sm-marker")).to_have_count(placed(shipped_sites), timeout=30_000)
        page.locator(MAP_IFRAME).element_handle().content_frame().wait_for_function(
            IN_FRAME_WITH_MARGIN, arg=[[CARE_CENTRE, "卢沟桥第二社区卫生服务中心"], 8], timeout=30_000
        )
    finally:
        context.close()


MAIN_SCROLL = "() => document.querySelector('[data-testid=\"stMain\"]').scrollTop"
# Resolves once the page has stopped scrolling (the same position five frames running): a swipe's fling goes on
# after the finger is lifted.
SCROLL_AT_REST = f"""async () => {{
  for (let last = -1, same = 0; same < 5; ) {{
    const now = ({MAIN_SCROLL})();
    same = now === last ? same + 1 : 0;
    last = now;
    await new Promise((resolve) => requestAnimationFrame(resolve));
  }}
}}"""
# How far (m) the map's centre is from where it was: a swipe across the map moves it kilometres.
MOVED_M = "(before) => window.map.distance(window.map.getCenter(), before)"


def touch_swipe(dashboard, fingers: int, lift: bool = True):
    """Swipe up 250 px over the map's lower part with real touch events (Chromium's CDP), `fingers` side by
    side; with `lift`, the fingers are lifted at the end."""
    box = dashboard.page.locator(MAP_IFRAME).bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] * 0.7
    touch = dashboard.page.context.new_cdp_session(dashboard.page)

    def points(dy: float) -> list[dict]:
        return [{"x": x + 60 * finger, "y": y - dy, "id": finger} for finger in range(fingers)]

    touch.send("Input.dispatchTouchEvent", {"type": "touchStart", "touchPoints": points(0)})
    for step in range(1, 11):
        touch.send("Input.dispatchTouchEvent", {"type": "touchMove", "touchPoints": points(25 * step)})
    if lift:
        touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    return touch


def test_one_finger_on_a_phones_map_scrolls_the_page(open_dashboard, server, shipped_sites):
    """The map fills most of a phone's screen: a swipe meant to scroll the page moved the map 5 km, and
    "my location" out of view. One finger now scrolls the page (saying two move the map); two move the map."""
    dashboard = open_dashboard(server, phone=True).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    # First the one move the map makes itself, to hold every site on a phone, and its report to the link.
    dashboard.map_js().wait_for_function(ALL_PINS_IN_VIEW, arg=placed(shipped_sites))
    expect(dashboard.page).to_have_url(re.compile(r"view="))
    dashboard.bring_map_into_view()
    centre = dashboard.map_js().evaluate("() => window.map.getCenter()")
    scrolled = dashboard.page.evaluate(MAIN_SCROLL)

    touch = touch_swipe(dashboard, fingers=1, lift=False)
    expect(dashboard.map.get_by_text("用两个手指移动地图")).to_have_css("opacity", "1")  # while the finger is down
    touch.send("Input.dispatchTouchEvent", {"type": "touchEnd", "touchPoints": []})
    dashboard.page.wait_for_function(f"(before) => ({MAIN_SCROLL})() > before + 100", arg=scrolled)
    # The view the app set from the link's rounded numbers may nudge it by metres, never by a swipe's kilometres.
    assert dashboard.map_js().evaluate(MOVED_M, centre) < 200

    # Swiped where the map is, with the page at rest: on a busy machine the fling still carried the page, and the
    # two fingers landed beside the map (the map did not move, 1 full run in 3).
    dashboard.page.evaluate(SCROLL_AT_REST)
    dashboard.bring_map_into_view()
    dashboard.page.evaluate(SCROLL_AT_REST)
    touch_swipe(dashboard, fingers=2)
    dashboard.map_js().wait_for_function(f"(before) => ({MOVED_M})(before) > 1000", arg=centre)


def test_in_large_text_a_tap_on_the_map_sets_my_location_with_no_switch(open_dashboard, server, shipped_sites):
    # An older reader taps rather than types: her tap did nothing, with no word why, as the switch that makes a
    # tap count was three screens down. In 大字模式 a tap counts, and 定位到我 is on the map from the start.
    dashboard = open_dashboard(server, phone=True).goto("/?view=39.85228,116.22581,12&large=1")
    dashboard.wait_for_map(placed(shipped_sites))
    expect(dashboard.map.locator(".sm-locate")).to_be_visible()
    expect(dashboard.page.get_by_role("switch", name="在地图上点选或定位我的位置")).to_have_count(0)
    dashboard.bring_map_into_view()
    box = dashboard.page.locator(MAP_IFRAME).bounding_box()
    dashboard.page.touchscreen.tap(box["x"] + box["width"] * 0.5, box["y"] + box["height"] * 0.6)
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.8"))
    expect(dashboard.page.get_by_test_id("stAlert").filter(has_text="最近的助餐点：")).to_be_in_viewport()
    # Tapped at the district's scale, the map itself comes closer, on the point and its circle (only the link did,
    # and the circle stayed a dot: in 大字模式 the map is not opened anew after a tap).
    dashboard.map_js().wait_for_function("() => window.map.getZoom() >= 13")
    # A second tap moves it: she tapped a street off, and taps again where she lives.
    first_lat, first_lon = parse_qs(urlparse(dashboard.page.url).query)["near"][0].split(",")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.bring_map_into_view()
    box = dashboard.page.locator(MAP_IFRAME).bounding_box()
    dashboard.page.touchscreen.tap(box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.4)
    expect(dashboard.page).not_to_have_url(re.compile(rf"near={re.escape(first_lat)}(%2C|,){re.escape(first_lon)}"))


def test_in_large_text_a_stray_tap_on_the_map_is_undone_to_the_place_chosen_before(
    open_dashboard, server, shipped_sites
):
    # A finger scrolling moved the mother's location off the place her daughter had set, and the only way back
    # offered, 清除, left her with none (phone review).
    wanping = next(place for place in nearby.load_gazetteer() if place.label.startswith("宛平城"))
    dashboard = open_dashboard(server, phone=True).goto(f"/?near={wanping.lat},{wanping.lon}&large=1")
    answer = dashboard.page.get_by_test_id("stAlert").filter(has_text="最近的助餐点：")
    expect(answer).to_contain_text(f"从哪里算：{wanping.label}")
    expect(dashboard.page.get_by_role("button", name=re.compile("不是这里"))).to_have_count(0)  # chosen, not tapped
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.bring_map_into_view()
    box = dashboard.page.locator(MAP_IFRAME).bounding_box()
    dashboard.page.touchscreen.tap(box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.35)
    expect(answer).to_contain_text("从哪里算：地图上红点标出的“我的位置”")
    back = dashboard.page.get_by_role("button", name=f"不是这里？回到刚才的“{wanping.label}”")
    back.scroll_into_view_if_needed()
    dashboard.wait_for_rerun()
    back.tap()
    expect(answer).to_contain_text(f"从哪里算：{wanping.label}")
    expect(dashboard.page).to_have_url(re.compile(rf"near={wanping.lat:.5f}(%2C|,){wanping.lon:.5f}"))
    expect(back).to_have_count(0)
    expect(dashboard.page.get_by_role("combobox", name=re.compile("作为“我的位置”"))).to_have_value(wanping.label)


def test_in_large_text_closing_a_popup_or_missing_a_pin_sets_no_location(open_dashboard, server, shipped_sites):
    # Most people close a popup with a tap on the map: in 大字模式, where a tap on the map sets "my location",
    # that tap set one 16 km away and jumped the page to its answer. A tap just beside a pin missed it.
    dashboard = open_dashboard(server, phone=True).goto("/?view=39.85228,116.22581,13&large=1")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.bring_map_into_view()
    clicked = "() => window.__GLOBAL_DATA__.lat_lng_clicked"  # what the map component reports to the page
    frame = dashboard.page.locator(MAP_IFRAME).bounding_box()
    open_spot = (frame["x"] + frame["width"] * 0.12, frame["y"] + frame["height"] * 0.75)
    dashboard.page.touchscreen.tap(*open_spot)  # a tap on the open map counts
    expect(dashboard.page).to_have_url(re.compile(r"near=39\.8"))
    dashboard.wait_for_map(placed(shipped_sites))
    reported = dashboard.map_js().evaluate(clicked)
    pin = dashboard.map.get_by_title("中国人民抗日战争纪念馆", exact=True)
    pin.tap()
    expect(dashboard.map.locator(".leaflet-popup")).to_be_visible()
    dashboard.page.touchscreen.tap(*open_spot)  # closes the popup, and only that
    expect(dashboard.map.locator(".leaflet-popup")).to_have_count(0)
    assert dashboard.map_js().evaluate(clicked) == reported
    # Beside a pin (told to the map as Leaflet tells it a tap, so no double-tap timing decides it).
    beside = """(name) => {
      const pin = [...document.querySelectorAll('.sm-marker')].find((m) => m.title === name).getBoundingClientRect();
      const point = L.point(pin.right + 6, (pin.top + pin.bottom) / 2);
      window.map.fire('click', {containerPoint: point, latlng: window.map.containerPointToLatLng(point)});
    }"""
    dashboard.map_js().evaluate(beside, "中国人民抗日战争纪念馆")
    assert dashboard.map_js().evaluate(clicked) == reported


def test_a_tap_on_a_phone_in_large_text_selects_the_site(open_dashboard, server, shipped_sites):
    """大字模式 on a phone, opened from a 我附近 link: a tap on the health centre's pin (moved aside from the
    centre's) threw in the pins' re-layout (no tooltip where there is no hover), so the tap selected
    nothing; and its popup, taller than the map, panned the map 9 km away."""
    dashboard = open_dashboard(server, phone=True).goto("/?near=39.84917,116.21306&large=1")
    dashboard.wait_for_map(placed(shipped_sites))
    expect(dashboard.page).to_have_url(re.compile(r"view="))  # the map has settled and reported its view
    dashboard.bring_map_into_view()
    centre = dashboard.map_js().evaluate("() => window.map.getCenter()")
    name = "卢沟桥第二社区卫生服务中心"
    dashboard.map.get_by_title(name, exact=True).tap()
    expect(dashboard.page.locator(".st-key-site_detail h3")).to_have_text(name)
    popup = dashboard.map.locator(".leaflet-popup")
    expect(popup).to_be_visible()
    map_height = dashboard.map.locator(".leaflet-container").bounding_box()["height"]
    assert popup.bounding_box()["height"] < map_height  # it scrolls within the map instead
    # It says what an older reader asks at the pin, whole: with every row it scrolled, cut off at 电话. The
    # rest is in 站点详情, which the tap opened.
    expect(popup.locator("th")).to_have_text(["地址", "助餐"])
    expect(popup).to_contain_text("电话、开放时间：来源未给出；可拨打 12345")  # said once for both
    expect(popup).to_contain_text("更多见“站点详情”")
    content = popup.locator(".leaflet-popup-content")
    assert content.evaluate("e => e.scrollHeight <= e.clientHeight + 1"), "the popup scrolls inside itself"
    # The popup pans the map to fit; closed, the map comes back to "my location" and its circle (the pan had
    # left the pin at the map's foot and the circle off the map).
    dashboard.map_js().wait_for_function(f"(before) => ({MOVED_M})(before) > 300", arg=centre)
    dashboard.map.locator(".leaflet-popup-close-button").tap()
    dashboard.map_js().wait_for_function(f"(before) => ({MOVED_M})(before) < 30", arg=centre)
    assert dashboard.page_errors == []


def test_large_text_mode_enlarges_text_and_markers(open_dashboard, server, shipped_sites, browser):
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    normal_pin = dashboard.map.locator(".sm-marker").first.bounding_box()["width"]
    normal_metric = dashboard.text_height(dashboard.metric("助餐点"))  # the digits as drawn, not a CSS value
    switch = dashboard.page.get_by_test_id("stCheckbox").filter(has_text="大字模式").locator("label > div").first
    normal_switch = switch.bounding_box()["width"]
    dashboard.page.get_by_text("大字模式", exact=True).click()
    expect(dashboard.page).to_have_url(re.compile(r"large=1"))
    dashboard.wait_for_map(placed(shipped_sites))
    expect(dashboard.map.locator(".sm-large").first).to_be_attached()
    # The map's own controls grow too: the zoom buttons and the legend button.
    expect(dashboard.map.locator(".leaflet-container.sm-large-map")).to_have_count(1)
    assert dashboard.map.locator(".leaflet-control-zoom-in").bounding_box()["height"] >= 40
    assert dashboard.map.locator(".sm-marker").first.bounding_box()["width"] > normal_pin
    large_metric = dashboard.text_height(dashboard.metric("助餐点"))
    assert switch.bounding_box()["width"] > normal_switch * 1.2  # the controls older hands aim at grow too
    assert large_metric > normal_metric * 1.2
    # Helper text turns dark, not only larger: Streamlit fades captions to 60% opacity, grey for older eyes.
    caption = dashboard.page.get_by_test_id("stCaptionContainer").filter(has_text="步行圈半径").first
    assert caption.evaluate("e => [getComputedStyle(e).color, getComputedStyle(e).opacity]") == ["rgb(34, 34, 34)", "1"]
    expect(dashboard.page.get_by_role("combobox", name="设施类型")).to_have_count(0)  # simpler controls
    expect(dashboard.page.get_by_role("combobox", name="底图")).to_have_count(1)  # the offline notice points here
    # A help text is as large as the page's text (it stayed at 14 px beside 20 px).
    dashboard.page.get_by_role("button", name="助餐点 的说明").hover()
    help_text = dashboard.page.get_by_test_id("stTooltipContent").locator("p").first
    expect(help_text).to_contain_text("登记为提供助餐服务的站点")
    assert float(help_text.evaluate("e => parseFloat(getComputedStyle(e).fontSize)")) >= 19
    # ... in lines of about 24 characters, not Streamlit's 672 px over the sidebar.
    assert dashboard.page.get_by_test_id("stTooltipContent").bounding_box()["width"] <= 25 * 19
    dashboard.page.mouse.move(0, 0)
    dashboard.screenshot("43-large-mode.png")

    # 200% browser zoom on a 1366x768 screen: half the CSS pixels, twice the device pixels.
    context = browser.new_context(viewport={"width": 683, "height": 384}, device_scale_factor=2)
    try:
        page = context.new_page()
        page.goto(server.url + "/?large=1&near=39.84917,116.21306")
        metric = page.get_by_test_id("stMetric").first
        expect(metric).to_be_visible(timeout=30_000)
        # On a narrow screen the sidebar folds away instead of covering the numbers.
        expect(page.get_by_test_id("stSidebar")).to_have_attribute("data-collapsed", "true")
        assert metric.bounding_box()["x"] >= 0
        near_list = nearest_list(page)
        near_list.scroll_into_view_if_needed()
        expect(near_list).to_be_visible()
        box = near_list.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 683 + 1  # no sideways cut-off
        assert near_list.locator("table").evaluate(FITS_SIDEWAYS)
        # Its text is as large as the page's other text in 大字模式 (20 px), not the grid's fixed 14 px.
        assert near_list.locator(FIRST_NAME).evaluate("e => parseFloat(getComputedStyle(e).fontSize)") >= 19.5
        page.screenshot(path=str(Path(__file__).parent / "screenshots" / "44-large-mode-200pct.png"), full_page=True)
    finally:
        context.close()


def test_a_name_not_in_the_list_chooses_nothing_and_a_list_chosen_by_looking_takes_no_typing(open_dashboard, server):
    """Typed into a list that did not filter, "卢沟桥乡政府" stayed in the box and Enter chose the list's first
    place: the page answered for 卢沟桥（古桥）, 2.4 km from a meal, without a word. "食堂" typed into 设施类型 and
    entered changed the filter the same way."""
    dashboard = open_dashboard(server).goto("/")
    page = dashboard.page
    places = page.get_by_role("combobox", name=re.compile("作为“我的位置”"))
    places.scroll_into_view_if_needed()
    places.click()
    page.keyboard.type("卢沟桥乡政府")
    expect(page.get_by_role("listbox")).to_have_attribute("data-empty", "true")  # shown as 没有找到
    # ... and read out so: the page's CSS showed it in Chinese, a screen reader read "No results" (accessibility
    # review).
    expect(page.get_by_role("listbox").get_by_role("option")).to_have_accessible_name("没有找到：列表里没有这个名称")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    expect(page.get_by_test_id("stAlert").filter(has_text="最近的助餐点")).to_have_count(0)
    assert "near=" not in page.url
    # A name that is there is found by any part of it.
    places.click()
    page.keyboard.type("古桥")
    expect(page.get_by_role("option")).to_have_text([BRIDGE])
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"near=39\.84917(%2C|,)116\.21306"))

    types = page.get_by_role("combobox", name="设施类型")
    types.click()
    page.keyboard.type("食堂")
    expect(types).to_have_value("")  # nothing typed goes in
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    dashboard.wait_for_rerun()
    assert "type=" not in page.url
    # The keyboard still chooses, by moving through the options first.
    types.click()
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"type="))


# Makes room above 我的位置's box, to take away while the mouse is pressed on it: the page then moves up under the
# still pointer, as it does when the part above finishes drawing (the map's frame growing to its height).
ROOM_ABOVE_PLACES = """(height) => {
  const box = [...document.querySelectorAll('[data-testid="stSelectbox"]')]
    .find((e) => e.textContent.includes('我的位置'));
  let room = document.getElementById('room-above-places');
  if (!room) { room = document.createElement('div'); room.id = 'room-above-places'; box.parentElement.before(room); }
  room.style.height = height + 'px';
}"""
# By its box: the page may keep the list from the pointer (elementFromPoint would not find it then).
OPTION_AT = """([x, y]) => { const option = document.querySelector('[role="option"]');
  const r = option && option.getBoundingClientRect();
  return !!r && r.left <= x && x <= r.right && r.top <= y && y <= r.bottom; }"""


def test_a_press_on_a_list_that_ends_over_an_option_chooses_nothing(open_dashboard, server, shipped_sites):
    """A press on 我的位置's box, the page moving up under the still mouse as the map above it finished drawing,
    and the release over the list's first place: it chose 卢沟桥（古桥） for a reader about to type another name
    (the box then read what she typed, the answer was for the bridge). Seen under load in a full run."""
    dashboard = open_dashboard(server).goto("/")
    page = dashboard.page
    dashboard.wait_for_map(placed(shipped_sites))
    places = page.get_by_role("combobox", name=re.compile("作为“我的位置”"))
    places.scroll_into_view_if_needed()
    page.evaluate(ROOM_ABOVE_PLACES, 200)
    dashboard.wait_for_rerun()
    box = places.bounding_box()
    x, y = box["x"] + box["width"] / 2, box["y"] + box["height"] / 2
    page.mouse.move(x, y)
    page.mouse.down()
    first_option = page.get_by_role("option").first
    expect(first_option).to_be_visible()
    option_box = first_option.bounding_box()
    # The page moves up by as much as puts the first option under the pointer.
    page.evaluate(ROOM_ABOVE_PLACES, 200 - (option_box["y"] + option_box["height"] / 2 - y))
    page.wait_for_function(OPTION_AT, arg=[x, y])
    page.mouse.up()
    # Nothing chosen: the box still reads none (a run the map sends meanwhile may close the list, as a reader's
    # scroll does: whether it stays open is not what this asks; under load it was closed 1 run in 4).
    expect(places).to_have_value("")
    page.keyboard.press("Escape")
    dashboard.wait_for_rerun()
    assert "near=" not in page.url
    expect(page.get_by_test_id("stAlert").filter(has_text="最近的助餐点")).to_have_count(0)
    # A press that starts on the list and ends on an option still chooses it.
    places.click()
    page.keyboard.type("古桥")
    page.get_by_role("option", name=BRIDGE).click()
    expect(page).to_have_url(re.compile(r"near=39\.84917(%2C|,)116\.21306"))


def test_a_walk_out_of_range_becomes_the_nearest_and_the_page_says_so(open_dashboard, server):
    """500 minutes typed into 步行时间: Streamlit's box kept 500 on show while the circle used the last good
    value, and said why only in English, on hover (on a phone, not at all)."""
    dashboard = open_dashboard(server, phone=True).goto("/?near=39.85,116.23")
    minutes = dashboard.page.get_by_role("spinbutton", name="步行时间（分钟）")
    minutes.scroll_into_view_if_needed()
    minutes.fill("500")
    minutes.press("Enter")
    corrected = dashboard.page.get_by_test_id("stAlert").filter(has_text="步行时间（分钟）只能是 1 到 60，已改为 60。")
    expect(corrected).to_be_visible()
    expect(minutes).to_have_value("60")
    expect(dashboard.page).to_have_url(re.compile(r"radius=4020\b"))  # 60 minutes at 67 m a minute
    expect(dashboard.page.locator("body")).not_to_contain_text("outside the allowed range")


# The open popup and its pin both inside the map's frame, the pin clear of the notes along its foot.
POPUP_AND_PIN_IN_MAP = """(name) => {
  const map = document.querySelector('.leaflet-container').getBoundingClientRect();
  const box = document.querySelector('.leaflet-popup').getBoundingClientRect();
  const at = document.querySelector(`.leaflet-marker-icon[title="${name}"]`).getBoundingClientRect();
  return [box.top >= map.top && box.bottom <= map.bottom && at.top >= map.top && at.bottom <= map.bottom - 16,
          [map.top, map.bottom, box.top, box.bottom, at.top, at.bottom]];
}"""
# True once the popup and the map have stopped moving: the same place at two polls a second apart.
POPUP_STILL = """() => {
  const popup = document.querySelector('.leaflet-popup');
  if (!popup) return false;
  const pane = document.querySelector('.leaflet-map-pane').style.transform;
  const where = JSON.stringify(popup.getBoundingClientRect()) + pane;
  const still = window.__popupWhere === where;
  window.__popupWhere = where;
  return still;
}"""


def test_in_large_print_on_a_phone_a_popup_fits_the_map_with_its_pin(open_dashboard, server, shipped_sites):
    """大字模式 on a phone: a tapped site's popup ran past the map's foot, cut off at 电话, its pin under the
    scale bar. It now scrolls within the map, the pin in view below it."""
    dashboard = open_dashboard(server, phone=True).goto("/?large=1")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.bring_map_into_view()
    dashboard.map.get_by_title(CARE_CENTRE, exact=True).tap()
    expect(dashboard.map.locator(".leaflet-popup")).to_be_visible()
    dashboard.map_js().wait_for_function(POPUP_STILL, polling=1000, timeout=30_000)
    inside, boxes = dashboard.map_js().evaluate(POPUP_AND_PIN_IN_MAP, CARE_CENTRE)
    assert inside, boxes


def test_on_a_phone_the_maps_controls_take_a_finger_and_the_legend_clears_them(open_dashboard, server, shipped_sites):
    # Measured on a phone: the sidebar's » (the way to 资源清单 and 大字模式) 28 px, + and − 30 px, and the open
    # legend spread over + and − (phone review).
    dashboard = open_dashboard(server, phone=True).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    assert dashboard.page.get_by_test_id("stExpandSidebarButton").bounding_box()["width"] >= 38
    help_icon = dashboard.page.get_by_role("button", name="助餐点 的说明").bounding_box()
    assert help_icon["width"] >= 22 and help_icon["height"] >= 22  # the "?" beside a figure, 16 px before
    dashboard.bring_map_into_view()
    zoom_in = dashboard.map.locator(".leaflet-control-zoom-in").bounding_box()
    assert zoom_in["width"] >= 40 and zoom_in["height"] >= 40
    dashboard.map.get_by_text("图例", exact=True).tap()
    legend = dashboard.map.locator(".sm-legend")
    expect(legend.get_by_text("红色虚线：丰台区界")).to_be_visible()
    assert legend.bounding_box()["x"] >= zoom_in["x"] + zoom_in["width"]
    # In 大字模式, clear of 定位到我 too, which is wider than + and −.
    large = open_dashboard(server, phone=True).goto("/?large=1")
    large.wait_for_map(placed(shipped_sites))
    large.bring_map_into_view()
    locate = large.map.locator(".sm-locate").bounding_box()
    large.map.get_by_text("图例", exact=True).tap()
    expect(large.map.locator(".sm-legend").get_by_text("红色虚线：丰台区界")).to_be_visible()
    assert large.map.locator(".sm-legend").bounding_box()["x"] >= locate["x"] + locate["width"]


def test_in_large_print_on_a_phone_what_a_finger_taps_is_44_pixels_and_more(open_dashboard, server):
    # The select boxes were 38 px high, the ⓘ 22 px, 恢复正常字号 40 px and the 12345 link 27 px (phone review).
    dashboard = open_dashboard(server, phone=True)
    dashboard.page.set_viewport_size({"width": 360, "height": 740})
    dashboard.goto("/?large=1&near=39.84917,116.21306")
    expect(dashboard.page.get_by_role("combobox", name="选择小区、地标或站点作为“我的位置”")).to_be_visible()
    expect(dashboard.page.locator('.stApp a[href^="tel:"]').first).to_be_visible()
    sizes = """() => Object.fromEntries(Object.entries({
             select: '.stApp [data-testid=stSelectbox] [role=group]',
             help: '.stApp [data-testid=stTooltipIcon] button',
             restore: '.st-key-large_mode_top button',
             hotline: '.stApp a[href^="tel:"]',
           }).map(([what, selector]) => [what, [...document.querySelectorAll(selector)].filter((e) => e.offsetParent)
             .map((e) => Math.min(e.getBoundingClientRect().width, e.getBoundingClientRect().height))]))"""
    # Each kind on the page and 44 px or more, once the page is drawn (measured at once, a busy machine had not
    # drawn the ⓘ and 恢复正常字号 yet).
    try:
        dashboard.page.wait_for_function(
            f"() => Object.values(({sizes})()).every((found) => found.length && Math.min(...found) >= 44)"
        )
    except PlaywrightTimeoutError:
        pytest.fail(f"sizes (px): {dashboard.page.evaluate(sizes)}")


WECHAT_USER_AGENT = (
    "Mozilla/5.0 (Linux; Android 13; V2145A Build/TP1A.220624.014; wv) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Version/4.0 Chrome/116.0.0.0 Mobile Safari/537.36 XWEB/1160065 MMWEBSDK/20231202 MicroMessenger/8.0.47.2560"
)


def test_in_wechat_the_downloads_say_to_open_the_page_in_a_browser(open_dashboard, server):
    # WeChat's own browser often saves no file: a family tapped 下载 and nothing came (phone review).
    hint = "在微信里打开的页面可能下载不了文件"
    wechat = open_dashboard(server, phone=True, user_agent=WECHAT_USER_AGENT).goto("/?section=keep")
    expect(wechat.page.get_by_text(hint)).to_be_visible()
    expect(wechat.page.get_by_text(hint)).to_contain_text("选“在浏览器打开”")
    browser = open_dashboard(server, phone=True).goto("/?section=keep")
    expect(browser.page.get_by_role("button", name="A4 打印版")).to_be_visible()
    expect(browser.page.get_by_text(hint)).to_have_count(0)
    # ... and above the list's downloads too (regression review)
    wechat.goto("/list")
    expect(wechat.page.get_by_role("button", name="下载 Excel")).to_be_attached()
    expect(wechat.page.get_by_text(hint)).to_be_visible()
