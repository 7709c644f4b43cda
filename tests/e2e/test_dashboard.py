"""The dashboard in a real browser: what a street-office reader sees, clicks and shares.

Expected numbers come from the registry through servicemap (filters, metrics), never typed in here,
so the tests keep meaning the same thing when the data grows.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import replace
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pandas as pd
import pytest

from servicemap import edition, filters, metrics, nearby, sitelist, viewport, vocab
from servicemap.registry import load_registry
from tests.e2e.conftest import MAP_IFRAME
from ui.frame import MAP_HEIGHT_PX

try:
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError
    from playwright.sync_api import expect
except ImportError:  # the `browser` fixture skips (or fails, where browsers are required)
    expect = None

pytestmark = pytest.mark.e2e

TITLE = "卢街颐养 · 养老服务资源分布图"
SITE_PICKER = "选择站点（或点击地图上的标记）"
MEAL_ONLY = replace(filters.DEFAULT_FILTERS, meal="yes")
SERVICE_CENTRE = ("lgq-care-center", "卢沟桥街道养老服务中心")
MUSEUM = ("uf-kangzhan-museum", "中国人民抗日战争纪念馆")

LOCAL_HOSTS = {"127.0.0.1", "localhost"}
TILE_HOST = "tile.openstreetmap.org"  # the default basemap; offline its requests fail, which is expected

HOSTILE_REGISTRY = Path(__file__).resolve().parents[1] / "fixtures" / "e2e" / "hostile_sites.csv"
# The hostile registry's payloads, exactly as written in tests/fixtures/e2e/hostile_sites.csv.
IMG_PAYLOAD = '<img src=x onerror="window.__xss=1">'
SCRIPT_PAYLOAD = "<script>window.__xss=2</script>"
BOLD_PAYLOAD = "<b>粗体</b>"
TEMPLATE_NAME = "`${7*7}` 模板站"


def placed(sites: pd.DataFrame) -> int:
    return int(sites["lat"].notna().sum())


def expect_metrics(dashboard, summary: metrics.Metrics) -> None:
    expect(dashboard.metric("养老服务资源")).to_have_text(str(summary.shown_by_layer["elderly_care"]))
    if summary.shown_by_layer["united_front"]:
        expect(dashboard.metric("统战阵地及平台")).to_have_text(str(summary.shown_by_layer["united_front"]))
    else:  # none shown: the district's figures give way to the map
        expect(dashboard.metric("统战阵地及平台")).to_have_count(0)
    expect(dashboard.metric("助餐点")).to_have_text(str(summary.meal_points))


def meal_option(dashboard, label: str):
    """The sidebar's 助餐服务 radio option whose label starts with `label` (the count follows it)."""
    return dashboard.page.get_by_role("radiogroup", name="助餐服务").get_by_role(
        "radio", name=re.compile(f"^{re.escape(label)}")
    )


def choose_meal(dashboard, label: str) -> None:
    dashboard.page.get_by_test_id("stRadioOption").filter(has_text=re.compile(f"^{re.escape(label)}")).click()
    dashboard.wait_for_rerun()


def pick_site(dashboard, name: str) -> None:
    """Choose a site in the detail panel's picker, as a reader does with the mouse."""
    dashboard.page.get_by_role("combobox", name=SITE_PICKER).click()
    dashboard.page.get_by_role("option", name=name, exact=True).click()
    dashboard.wait_for_rerun()


def open_popup_on_the_default_map(open_dashboard, server, shipped_sites, name: str):
    """A fresh page on the default map, in view, with the pin of `name` clicked: the page and the popup."""
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.bring_map_into_view()
    dashboard.map.get_by_title(name, exact=True).click()
    return dashboard, dashboard.map.locator(".sm-popup")


def detail_heading(dashboard):
    """The selected site's name in the detail panel."""
    return dashboard.page.locator(".st-key-site_detail h3")


def grid_with_cell(dashboard, text: str):
    """The st.dataframe that has a cell reading exactly `text`. Its cells are read from the grid's
    accessible table, which carries the same text the canvas paints."""
    return dashboard.page.get_by_test_id("stDataFrame").filter(has=grid_cell(dashboard.page, text))


def grid_cell(scope, text: str):
    return scope.locator('[role="gridcell"]').filter(has_text=re.compile(f"^{re.escape(text)}$"))


# The shared site's name label centred over its pin and above it (within a few pixels).
LABEL_OVER_ITS_PIN = """(name) => {
  const label = document.querySelector('.leaflet-tooltip:has(.sm-shared-label)');
  const pin = [...document.querySelectorAll('.sm-marker')].find((m) => m.title === name);
  if (!label || !pin) return false;
  const l = label.getBoundingClientRect(), p = pin.getBoundingClientRect();
  return Math.abs((l.left + l.right) / 2 - (p.left + p.right) / 2) < 20 && l.bottom <= p.top + 4;
}"""


def url_param(url: str, key: str) -> str | None:
    values = parse_qs(urlparse(url).query).get(key)
    return values[0] if values else None


def param_pattern(key: str, value: str) -> re.Pattern[str]:
    return re.compile(rf"[?&]{re.escape(key)}={re.escape(value)}(&|$)")


# ------------------------------------------------------------------------------------------ map page


def test_default_map_draws_every_placed_site_and_the_metrics(open_dashboard, server, shipped_sites, pins_apart):
    shown = filters.apply(shipped_sites, filters.DEFAULT_FILTERS)
    dashboard = open_dashboard(server).goto("/")

    expect(dashboard.heading(TITLE, 1)).to_be_visible()
    dashboard.wait_for_map(placed(shown))
    expect_metrics(dashboard, metrics.compute(shown))
    # The street's care figures and the district's united-front ones, side by side under headings saying
    # whose: in one row, a briefing read the district's 12 as the street's.
    care = dashboard.page.locator(".st-key-care_figures")
    district = dashboard.page.locator(".st-key-united_front_figures")
    # And that the big numbers count what the map holds, with the reports' totals in the small print: "助餐点 1"
    # was quoted as the street's.
    expect(care.get_by_text("卢沟桥街道 · 养老服务 · 本图收录", exact=True)).to_be_visible()
    expect(care.get_by_test_id("stMetricLabel").filter(has_text="助餐点")).to_be_visible()
    expect(care.get_by_test_id("stMetric").filter(has_text="助餐点")).to_contain_text("全街总数：不详")
    expect(district.get_by_text("丰台区 · 统战工作阵地及平台（全区） · 本图收录", exact=True)).to_be_visible()
    expect(district.get_by_test_id("stMetricLabel").filter(has_text="国家级阵地")).to_be_visible()
    assert district.bounding_box()["x"] >= care.bounding_box()["x"] + care.bounding_box()["width"]

    # Every image but the basemap tiles (which cannot load offline) must have loaded: no broken icons.
    for where, frame in (("page", dashboard.page.main_frame), ("map", dashboard.map_js())):
        frame.wait_for_function(
            "() => [...document.images].filter(i => !i.classList.contains('leaflet-tile')).every(i => i.complete)"
        )
        broken = frame.evaluate(
            """() => [...document.images]
                 .filter(i => !i.classList.contains('leaflet-tile') && !(i.naturalWidth > 0))
                 .map(i => i.src || i.outerHTML)"""
        )
        assert broken == [], f"broken images in the {where}: {broken}"
    # Nearby pins are moved apart on screen (static/servicemap.js declutter): none covers another.
    pins_apart(dashboard.map_js())
    # An approximate pin says so by its dashed edge, drawn at full strength: faded to 85%, its white glyph fell
    # below text contrast (心 3.9:1; accessibility review).
    approximate = dashboard.map.locator(".sm-approx .sm-disc")
    expect(approximate.first).to_have_css("border-top-style", "dashed")
    assert set(approximate.evaluate_all("(discs) => discs.map((d) => getComputedStyle(d).opacity)")) == {"1"}
    assert dashboard.page_errors == []
    dashboard.screenshot("01-map-default.png")


def test_nothing_but_basemap_tiles_is_fetched_from_outside(open_dashboard, server, shipped_sites):
    dashboard = open_dashboard(server)
    requests: list[tuple[str, str]] = []  # (resource type, url) of the page and all its frames
    dashboard.page.context.on("request", lambda request: requests.append((request.resource_type, request.url)))
    sockets: list[str] = []
    dashboard.page.on("websocket", lambda socket: sockets.append(socket.url))

    dashboard.goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    for page_name in ("资源清单", "关于数据"):
        dashboard.page_link(page_name).click()
        expect(dashboard.heading(page_name, 1)).to_be_visible()
        dashboard.wait_for_rerun()

    fetched = [
        (kind, url, urlparse(url).hostname) for kind, url in requests if urlparse(url).scheme in ("http", "https")
    ]
    assert any(url.endswith("/app/static/leaflet/leaflet.js") for _, url, _ in fetched), "Leaflet not served locally"
    outside = [(kind, url) for kind, url, host in fetched if host not in LOCAL_HOSTS]
    assets = [(kind, url) for kind, url in outside if kind in ("script", "stylesheet", "font", "image")]
    assert [a for a in assets if not (a[0] == "image" and urlparse(a[1]).hostname == TILE_HOST)] == []
    assert [(kind, url) for kind, url in outside if urlparse(url).hostname != TILE_HOST] == []
    assert [url for url in sockets if urlparse(url).hostname not in LOCAL_HOSTS] == []


def test_meal_filter_redraws_markers_metrics_and_link(open_dashboard, server, shipped_sites):
    everything = filters.apply(shipped_sites, filters.DEFAULT_FILTERS)
    meal_sites = filters.apply(shipped_sites, MEAL_ONLY)
    assert placed(meal_sites) != placed(everything), "the registry no longer tells the meal filter apart"
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(everything))
    # The legend explains the thin lines while some pin is moved aside (the centre and its neighbour are)…
    moved_row = dashboard.map.locator(".sm-legend-moved")
    expect(moved_row).to_be_attached()
    dashboard.map.locator(".sm-legend summary").click()
    expect(moved_row).to_be_visible()

    choose_meal(dashboard, "提供助餐")

    dashboard.wait_for_map(placed(meal_sites))
    expect(moved_row).to_be_hidden()  # …and not once the one meal point stands alone
    expect(meal_option(dashboard, "提供助餐")).to_be_checked()
    expect_metrics(dashboard, metrics.compute(meal_sites))
    expect(dashboard.page).to_have_url(param_pattern("meal", "yes"))
    dashboard.screenshot("02-meal-filter.png")


def test_choices_hold_while_other_filters_change_their_counts(open_dashboard, server, shipped_sites):
    """Every option shows its count, and the counts move with the other filters. Streamlit held the label
    last shown, so a choice whose count had changed came back unknown: a second 级别 replaced the first,
    with every count reading 0 in between, and 情况不明 fell back to 全部. And the browser kept the labels it
    had drawn: the meal radio showed no option chosen, and a tag read 国家级（0） beside 5 national sites."""
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    dashboard.page.get_by_text(re.compile("^养老服务资源（")).click()  # the united-front sites only
    expect(dashboard.page).to_have_url(param_pattern("layer", "united_front"))
    expect(meal_option(dashboard, "全部")).to_be_checked()  # its count changed; it is still the choice shown
    # The map's legend (folded or not) explains only what is on it: not the care types or the gold meal edge.
    legend = dashboard.map.locator(".sm-legend")
    expect(legend.locator('[data-sm-layer="elderly_care"]')).to_have_css("display", "none")
    expect(legend.locator('[data-sm-type="街道（区域）养老服务中心"]')).to_have_css("display", "none")
    expect(legend.locator('[data-sm-type="统战工作阵地"]')).not_to_have_css("display", "none")
    expect(legend.locator('[data-sm-layer="united_front"]')).not_to_have_css("display", "none")
    levels = dashboard.page.get_by_role("combobox", name="统战阵地级别")
    for level in ("国家级", "市级"):
        levels.click()
        dashboard.page.get_by_role("option", name=re.compile(f"^{level}（")).click()
        dashboard.wait_for_rerun()
        dashboard.page.keyboard.press("Escape")
    expect(dashboard.page).to_have_url(re.compile(r"[?&]level=national(%2C|,)municipal(&|$)"))
    national_and_municipal = filters.apply(
        shipped_sites, filters.Filters(layers=frozenset({"united_front"}), levels=frozenset({"national", "municipal"}))
    )
    expect(dashboard.page.get_by_text(re.compile("^统战阵地及平台（"))).to_have_text(
        f"统战阵地及平台（{len(national_and_municipal)}）"
    )

    dashboard.goto("/")
    dashboard.wait_for_map(placed(shipped_sites))
    choose_meal(dashboard, "情况不明")
    search = dashboard.page.get_by_role("textbox", name="搜索名称、地址或介绍")
    for query in ("卫生", ""):  # 情况不明's own count changes, then changes back
        search.fill(query)
        search.press("Enter")
        dashboard.wait_for_rerun()
    expect(meal_option(dashboard, "情况不明")).to_be_checked()
    expect(dashboard.page).to_have_url(param_pattern("meal", "unknown"))

    # A level chosen while its count is 0 shows its count again once the meal filter is widened.
    choose_meal(dashboard, "提供助餐")
    levels = dashboard.page.get_by_role("combobox", name="统战阵地级别")
    levels.click()
    dashboard.page.get_by_role("option", name=re.compile("^国家级（")).click()
    dashboard.wait_for_rerun()
    dashboard.page.keyboard.press("Escape")
    choose_meal(dashboard, "全部")
    national = int((shipped_sites["level"] == "national").sum())
    level_filter = dashboard.page.get_by_test_id("stMultiSelect").filter(has_text="统战阵地级别")
    expect(level_filter).to_contain_text(f"国家级（{national}）")


def test_back_goes_to_the_page_before_not_to_every_click(open_dashboard, server, shipped_sites):
    """Streamlit added a history entry for every new address and the app writes its state there after each
    change: an old reader pressed back five times with nothing happening, and the sixth left the app."""
    dashboard = open_dashboard(server).goto("/?near=39.872,116.247")
    dashboard.wait_for_map(placed(shipped_sites))
    expect(dashboard.page).to_have_url(re.compile(r"view="))  # the map has reported its view
    entries = dashboard.page.evaluate("() => history.length")
    choose_meal(dashboard, "提供助餐")
    expect(dashboard.page).to_have_url(param_pattern("meal", "yes"))
    dashboard.page_link("资源清单").click()
    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    assert dashboard.page.evaluate("() => history.length") == entries + 1  # one page more; clicks add none
    dashboard.page.go_back()
    expect(dashboard.heading(edition.SHIPPED.title, 1)).to_be_visible()
    expect(dashboard.page).to_have_url(param_pattern("meal", "yes"))  # the map page as it was left
    assert dashboard.page.evaluate("() => history.length") == entries + 1


# Each caption's contrast against what it is drawn on: its colour, faded by its own and its ancestors' opacity,
# over the first background colour found up its ancestors (WCAG's relative luminance).
CAPTION_CONTRASTS = """() => {
  const rgb = (css) => css.match(/[\\d.]+/g).map(Number);
  const luminance = ([r, g, b]) => [r, g, b].map((c) => { c /= 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4; })
    .reduce((sum, c, i) => sum + c * [0.2126, 0.7152, 0.0722][i], 0);
  return [...document.querySelectorAll('[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] a')]
    .filter((e) => e.getClientRects().length).map((e) => {
      let opacity = 1, background = null;
      for (let up = e; up; up = up.parentElement) {
        const style = getComputedStyle(up);
        opacity *= Number(style.opacity);
        const colour = rgb(style.backgroundColor);
        if (!background && (colour.length < 4 || colour[3] > 0)) background = colour.slice(0, 3);
      }
      background = background || [255, 255, 255];
      const [r, g, b, a = 1] = rgb(getComputedStyle(e).color), alpha = a * opacity;
      const drawn = [r, g, b].map((c, i) => c * alpha + background[i] * (1 - alpha));
      const [light, dark] = [luminance(drawn), luminance(background)].sort((x, y) => y - x);
      return [e.textContent.slice(0, 20), Math.round(((light + 0.05) / (dark + 0.05)) * 10) / 10];
    });
}"""


def test_small_grey_text_is_dark_enough_for_older_eyes(open_dashboard, server, shipped_sites):
    # Streamlit 1.67 drew captions at 60% opacity over the page's own grey, and the notes under the title, beside
    # the map and in the sidebar measured 2.7:1 against their background (accessibility review; WCAG asks 4.5:1).
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    for path in ("/", "/list", "/about"):
        dashboard.goto(path)
        expect(dashboard.page.get_by_test_id("stCaptionContainer").first).to_be_visible()
        # Once the page's styles have come (the sidebar is drawn before them, a few milliseconds).
        try:
            dashboard.page.wait_for_function(
                f"() => ({CAPTION_CONTRASTS})().every(([, ratio]) => ratio >= 4.5)", timeout=10_000
            )
        except PlaywrightTimeoutError:  # the contrasts themselves are the message
            pytest.fail(f"{path}: {dashboard.page.evaluate(CAPTION_CONTRASTS)}")
        assert dashboard.page.evaluate(CAPTION_CONTRASTS), path


def test_a_screen_reader_hears_chinese(open_dashboard, server, shipped_sites):
    """Streamlit's own labels were read out in English ("Help for 大字模式", "Collapse sidebar", "Increment")."""
    dashboard = open_dashboard(server).goto("/?near=39.84917,116.21306")
    dashboard.wait_for_map(placed(shipped_sites))
    expect(dashboard.page.get_by_role("button", name="大字模式 的说明")).to_be_attached()
    # The pins by name, type and meals, not by their glyph ("养 餐", "阵"); a popup's × is 关闭.
    centre = dashboard.map.get_by_role("button", name="卢沟桥街道养老服务中心，街道（区域）养老服务中心，提供助餐")
    centre.click()
    expect(dashboard.map.get_by_role("button", name="关闭")).to_be_visible()
    # A multiselect's "Select all" row, shown as 全选, is heard as 全选 too.
    dashboard.page.get_by_role("combobox", name="设施类型").click()
    expect(dashboard.page.get_by_role("option", name="全选")).to_be_visible()
    dashboard.page.keyboard.press("Escape")
    heard = dashboard.page.locator("body").aria_snapshot()
    for english in ("Help for", "Collapse sidebar", "Increment", "Decrement", "Skip to main content", '"Open"'):
        assert english not in heard, english
    # A number box's − and + say which box they change: two boxes side by side were four buttons 减少, 增加.
    expect(dashboard.page.get_by_role("button", name="增加 步行时间（分钟）", exact=True)).to_be_attached()
    expect(dashboard.page.get_by_role("button", name="减少 步速（米/分钟）", exact=True)).to_be_attached()
    # Read as Chinese (Streamlit declares its pages English), and the map's frame by what it is.
    expect(dashboard.page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(dashboard.map.locator("html")).to_have_attribute("lang", "zh-CN")
    map_frame = dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]')
    expect(map_frame).to_have_attribute("aria-label", "站点地图")
    expect(dashboard.map.get_by_role("region", name=re.compile("^站点地图：.*Tab 键逐个选中站点"))).to_be_attached()
    # A screen reader's list of the page's headings goes down one level at a time: the title, its sections,
    # a site's name (they jumped from the title's h1 to h3).
    expect(detail_heading(dashboard)).to_have_text(SERVICE_CENTRE[1])  # selected by the pin pressed above
    levels = (
        dashboard.page.get_by_test_id("stMain")
        .locator("h1, h2, h3, h4, h5, h6")
        .evaluate_all("headings => headings.map(heading => Number(heading.tagName[1]))")
    )
    assert levels[0] == 1 and all(b - a <= 1 for a, b in zip(levels, levels[1:], strict=False)), levels
    # ... each heard as its words alone: every heading was read with its own link's "本节链接" in it.
    expect(dashboard.page.get_by_role("heading", name="站点详情", exact=True)).to_be_attached()
    assert "本节链接" not in dashboard.page.get_by_test_id("stMain").aria_snapshot()


def test_share_link_reopens_the_same_filter_site_and_view(open_dashboard, server, shipped_sites):
    meal_sites = filters.apply(shipped_sites, MEAL_ONLY)
    summary = metrics.compute(meal_sites)
    site_id, site_name = SERVICE_CENTRE
    assert site_id in set(meal_sites["id"]), "the shared site must pass the meal filter"
    sender = open_dashboard(server).goto("/")
    sender.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))

    choose_meal(sender, "提供助餐")
    sender.wait_for_map(placed(meal_sites))
    pick_site(sender, site_name)
    expect(detail_heading(sender)).to_have_text(site_name)
    # Picking a site moves the map to it, as close as its position is known (this one: an area's centre);
    # wait for that before zooming further.
    fly_to_zoom = viewport.FLY_TO_ZOOM[shipped_sites.loc[shipped_sites["id"] == site_id, "precision"].iloc[0]]
    assert fly_to_zoom == 13
    expect(sender.page).to_have_url(re.compile(rf"[?&]view=[^&]*(%2C|,){fly_to_zoom}(&|$)"))
    sender.wait_for_map_at_rest(fly_to_zoom)
    zoom_before, _, _ = sender.map_view()
    assert zoom_before == fly_to_zoom
    sender.map.locator(".leaflet-control-zoom-in").click()
    expect(sender.page).to_have_url(re.compile(rf"[?&]view=[^&]*(%2C|,){zoom_before + 1}(&|$)"))
    expect(sender.page).to_have_url(param_pattern("site", site_id))
    expect(sender.page).to_have_url(param_pattern("meal", "yes"))
    link = sender.page.url
    # The 复制分享链接 box offers the same link as the address bar, view and selection included.
    sender.page.get_by_role("button", name="复制分享链接").click()
    box = sender.page.get_by_test_id("stPopoverBody")
    expect(box.get_by_test_id("stCode")).to_have_text(link)
    # One tap on 复制链接 copies it, and says so (Streamlit's own copy icon shows on hover only).
    sender.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    box.get_by_role("button", name="复制链接", exact=True).click()
    expect(sender.page.get_by_role("status").filter(has_text="已复制")).to_have_text("已复制，可以粘贴到微信等处发送")
    assert sender.page.evaluate("() => navigator.clipboard.readText()") == link
    sender.page.keyboard.press("Escape")

    receiver = open_dashboard(server).goto(link)  # a new context: no cookies, no storage, no session
    receiver.wait_for_map(placed(meal_sites))
    expect_metrics(receiver, summary)
    for label in ("养老服务资源", "助餐点", "托老床位"):  # (统战阵地 give way: the meal filter shows none)
        expect(receiver.metric(label)).to_have_text(sender.metric(label).inner_text())
    expect(meal_option(receiver, "提供助餐")).to_be_checked()
    expect(detail_heading(receiver)).to_have_text(site_name)
    expect(receiver.page.get_by_role("combobox", name=SITE_PICKER)).to_have_value(site_name)

    # The site the link is about is marked on the map: its name beside its pin (it was in view, unmarked).
    expect(receiver.map.locator(".leaflet-tooltip .sm-shared-label")).to_have_text(site_name)
    # Over its own pin: placed while the frame was still taking its size, it had sat 200 px to the side.
    receiver.map_js().wait_for_function(LABEL_OVER_ITS_PIN, arg=site_name)

    lat, lon, zoom = url_param(link, "view").split(",")
    receiver_zoom, receiver_lat, receiver_lon = receiver.map_view()
    assert receiver_zoom == int(zoom) == zoom_before + 1
    assert receiver_lat == pytest.approx(float(lat), abs=1e-4)
    assert receiver_lon == pytest.approx(float(lon), abs=1e-4)
    receiver.screenshot("03-shared-link.png")


def test_clicking_a_marker_selects_the_site_and_opens_its_popup(open_dashboard, server, shipped_sites):
    site_id, site_name = MUSEUM
    site = shipped_sites.loc[shipped_sites["id"] == site_id].iloc[0]
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.bring_map_into_view()
    legend = dashboard.map.locator(".sm-legend details")
    legend.locator("summary").click()  # a reader opens the legend to read the pins
    expect(legend).to_have_attribute("open", "")

    dashboard.map.get_by_title(site_name, exact=True).click()

    expect(legend).not_to_have_attribute("open", "")  # folded, so it cannot cover the popup's close button
    expect(detail_heading(dashboard)).to_have_text(site_name)
    expect(dashboard.page).to_have_url(param_pattern("site", site_id))
    popup = dashboard.map.locator(".sm-popup")
    expect(popup).to_be_visible()
    expect(popup.locator(".sm-popup-title")).to_have_text(site_name)
    expect(popup.locator(".sm-popup-type")).to_have_text(vocab.type_label(site["type"]))
    expect(popup.locator(".sm-popup-type")).to_have_text("统战工作阵地")
    expect(popup.locator(".sm-popup-approx")).to_have_count(0)  # its position is exact
    expect(popup).to_contain_text("宛平城内街101号")
    dashboard.screenshot("04-marker-clicked.png")

    # A site whose position is only known to the street says so in its popup and in the panel.
    dashboard.map.locator(".leaflet-popup-close-button").click()
    dashboard.map.get_by_title("北京汽车博物馆", exact=True).click()
    expect(popup.locator(".sm-popup-approx")).to_have_text("⚠ 位置为近似（道路或街区级）")
    expect(dashboard.page.locator(".st-key-site_detail")).to_contain_text("位置为近似（道路或街区级）")

    # Two sites at one estimated position (the centre and the health centre next door): each pin selects
    # its own site, in either order (a click on the second selected the first).
    for name in ("卢沟桥第二社区卫生服务中心", "卢沟桥街道养老服务中心", "卢沟桥第二社区卫生服务中心"):
        dashboard.map.locator(".leaflet-popup-close-button").click()
        dashboard.map.get_by_title(name, exact=True).click()
        expect(detail_heading(dashboard)).to_have_text(name)
        expect(popup.locator(".sm-popup-title")).to_have_text(name)


def test_with_no_site_chosen_the_panel_beside_the_map_names_the_meal_points(open_dashboard, server, shipped_sites):
    # A third of the screen beside the map was blank but a grey line (meeting-room review), and the one meal point
    # sat among the pins unnamed: a resident's first question went unanswered until she found the right pin.
    meal_points = shipped_sites[shipped_sites["meal_service"] == vocab.SERVES_MEALS]
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    panel = dashboard.page.locator(".st-key-site_detail")
    expect(panel).to_contain_text(f"助餐点（{len(meal_points)} 处）")
    for _, site in meal_points.iterrows():
        expect(panel.get_by_text(site["name"], exact=True)).to_be_visible()
        expect(panel).to_contain_text(f"地址：{site['address']}")
    expect(panel).to_contain_text("早餐均价6元")
    dashboard.screenshot("04a-meal-points-beside-the-map.png")
    # A site chosen: its own details take the panel; cleared, the meal points come back.
    dashboard.bring_map_into_view()
    dashboard.map.get_by_title(MUSEUM[1], exact=True).click()
    expect(detail_heading(dashboard)).to_have_text(MUSEUM[1])
    expect(panel).not_to_contain_text("助餐点（")
    panel.get_by_role("button", name="清除选择").click()
    expect(panel).to_contain_text(f"助餐点（{len(meal_points)} 处）")
    # With meal points filtered out, nothing is said of them.
    dashboard.goto("/?meal=no")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, replace(filters.DEFAULT_FILTERS, meal="no"))))
    expect(panel.get_by_role("heading", name="站点详情")).to_be_visible()
    expect(panel).not_to_contain_text("助餐点（")


def test_a_site_picked_from_the_list_closes_the_popup_of_another(open_dashboard, server, shipped_sites):
    # A pin clicked, then another site chosen in 选择站点: the map moved to it with the first site's popup still open,
    # its title cut off at the map's top, while the panel named the second site (meeting-room review).
    dashboard, popup = open_popup_on_the_default_map(open_dashboard, server, shipped_sites, SERVICE_CENTRE[1])
    expect(popup.locator(".sm-popup-title")).to_have_text(SERVICE_CENTRE[1])
    expect(detail_heading(dashboard)).to_have_text(SERVICE_CENTRE[1])
    pick_site(dashboard, "卢沟桥第二社区卫生服务中心")
    expect(detail_heading(dashboard)).to_have_text("卢沟桥第二社区卫生服务中心")
    dashboard.wait_for_map_at_rest(viewport.fly_to_zoom("area", None))
    expect(popup).to_have_count(0)
    # A pin clicked after that still opens its popup.
    dashboard.map.get_by_title(MUSEUM[1], exact=True).click()
    expect(popup.locator(".sm-popup-title")).to_have_text(MUSEUM[1])


def test_a_keyboard_opens_a_markers_popup_selects_its_site_and_closes_it(open_dashboard, server, shipped_sites):
    # Enter on a focused pin: Leaflet opened the popup, the app's own Enter then closed it again, and the
    # page never heard of the selection. Escape worked only while the map itself had focus.
    site_id, site_name = MUSEUM
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.bring_map_into_view()
    pin = dashboard.map.get_by_title(site_name, exact=True)
    dashboard.page.bring_to_front()  # the keyboard goes to the window in front (an earlier test's may be)
    pin.focus()
    dashboard.page.keyboard.press("Enter")
    popup = dashboard.map.locator(".sm-popup")
    expect(popup.locator(".sm-popup-title")).to_have_text(site_name)
    expect(detail_heading(dashboard)).to_have_text(site_name)
    expect(dashboard.page).to_have_url(param_pattern("site", site_id))
    expect(popup).to_be_visible()  # still open once the page has taken the selection
    # Tab goes into the open popup (its pane comes after every pin, so Tab had gone on to the next pin), and
    # Shift+Tab from there comes back to the pin.
    dashboard.page.keyboard.press("Tab")
    expect(dashboard.map.locator(".leaflet-popup-content")).to_be_focused()
    dashboard.page.keyboard.press("Shift+Tab")
    expect(pin).to_be_focused()
    expect(popup).to_be_visible()
    dashboard.page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    expect(pin).to_be_focused()
    # From a popup's link (the centre's 12345), Shift+Tab comes back to its pin too: it went to the map's last pin.
    centre = dashboard.map.get_by_title(SERVICE_CENTRE[1], exact=True)
    centre.focus()
    dashboard.page.keyboard.press("Enter")
    expect(popup.locator(".sm-popup-title")).to_have_text(SERVICE_CENTRE[1])
    dashboard.page.keyboard.press("Tab")
    dashboard.page.keyboard.press("Tab")
    expect(popup.get_by_role("link", name="12345")).to_be_focused()
    dashboard.page.keyboard.press("Shift+Tab")
    expect(centre).to_be_focused()
    dashboard.page.keyboard.press("Escape")
    expect(popup).to_have_count(0)
    pin.focus()
    # Closed with its 关闭 button from the keyboard, the popup hands focus back to its pin, not to the page's top.
    dashboard.page.keyboard.press("Enter")
    close = dashboard.map.get_by_role("button", name="关闭")
    close.focus()
    dashboard.page.keyboard.press("Enter")
    expect(popup).to_have_count(0)
    expect(pin).to_be_focused()


# How many drawn pins lie inside what the map shows.
PINS_IN_VIEW = """() => {
  let inView = 0;
  window.map.eachLayer((layer) => {
    if (layer instanceof L.Marker && window.map.getBounds().contains(layer.getLatLng())) inView += 1;
  });
  return inView;
}"""


def test_a_picked_site_hidden_by_a_filter_leaves_the_map_on_the_sites_shown(open_dashboard, server, shipped_sites):
    # The museum picked, then 提供助餐 chosen: the map stayed zoomed in on the empty street where its pin had been,
    # while the page counted a meal point somewhere else.
    site_id, site_name = MUSEUM
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    pick_site(dashboard, site_name)
    dashboard.wait_for_map_at_rest(viewport.fly_to_zoom("exact", None))
    assert dashboard.map_js().evaluate(PINS_IN_VIEW) >= 1

    choose_meal(dashboard, "提供助餐")
    meal_points = filters.apply(shipped_sites, MEAL_ONLY)
    dashboard.wait_for_map(placed(meal_points))
    dashboard.map_js().wait_for_function(f"() => ({PINS_IN_VIEW})() === {placed(meal_points)}")
    # The details still say what happened to the site picked.
    expect(detail_heading(dashboard)).to_have_text(site_name)
    expect(dashboard.page.locator(".st-key-site_detail")).to_contain_text("侧栏的“助餐服务”筛掉了它")
    dashboard.screenshot("05b-picked-site-filtered-out.png")
    # One press loosens that filter: the figures, the pins and the picker come back, and the map goes to the site.
    dashboard.page.get_by_role("button", name="放宽“助餐服务”，在地图上显示它").click()
    expect(dashboard.page.get_by_role("radio", name=re.compile("^全部"))).to_be_checked()
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    expect(dashboard.page.locator(".st-key-site_detail")).not_to_contain_text("不在当前筛选结果中")
    expect(dashboard.page.get_by_role("combobox", name=SITE_PICKER)).to_have_value(site_name)
    dashboard.wait_for_map_at_rest(viewport.fly_to_zoom("exact", None))
    assert dashboard.map_js().evaluate(PINS_IN_VIEW) >= 1


def test_a_help_text_opened_from_the_keyboard_is_said(open_dashboard, server, shipped_sites):
    # Its "?" was read as "大字模式 的说明", and the text it opened was not read at all (keyboard review).
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.page.bring_to_front()  # the keyboard goes to the window in front
    dashboard.page.get_by_role("button", name="大字模式 的说明").focus()
    said = dashboard.page.get_by_role("status").filter(has_text="说明：")
    expect(said).to_have_text(re.compile(r"^说明：更大的字"))


def test_the_page_printed_from_the_browser_leaves_its_controls_and_points_to_the_print_files(
    open_dashboard, server, shipped_sites
):
    # Printed with Ctrl+P for a briefing, the page printed 复制分享链接 and the part switcher, and the map ran
    # over the site's details beside it (briefing review).
    dashboard = open_dashboard(server).goto(f"/?site={SERVICE_CENTRE[0]}")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    share = dashboard.page.get_by_role("button", name="复制分享链接")
    expect(share).to_be_visible()
    dashboard.page.emulate_media(media="print")
    expect(share).to_be_hidden()
    expect(dashboard.page.get_by_role("radiogroup", name="继续查看")).to_be_hidden()
    expect(dashboard.page.get_by_role("button", name="清除选择")).to_be_hidden()
    expect(dashboard.page.get_by_role("combobox", name=SITE_PICKER)).to_be_hidden()  # its name is the heading
    note = dashboard.page.get_by_test_id("stMainBlockContainer").evaluate(
        "e => getComputedStyle(e, '::before').content"
    )
    assert "A4 / A3 打印版" in note
    map_box = dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    details = detail_heading(dashboard).bounding_box()
    assert details["y"] >= map_box["y"] + map_box["height"]  # under the map, not beside or under it
    dashboard.screenshot("11-page-as-printed.png")
    # On A4's width the map stays on the paper: it kept the screen's width and lost its legend and two pins.
    dashboard.page.set_viewport_size({"width": 794, "height": 1123})
    frame = dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]')
    dashboard.page.wait_for_function(
        "(w) => document.querySelector('iframe[title=\"streamlit_folium.st_folium\"]')"
        ".getBoundingClientRect().right <= w",
        arg=794,
    )
    assert frame.bounding_box()["x"] >= 0


# Every metric's value whole: none cut to "1…" by its box.
METRIC_VALUES_WHOLE = """() => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
  .every((value) => value.scrollWidth <= value.clientWidth + 1)"""


def test_on_a_tablet_with_the_sidebar_open_the_figures_stay_whole(open_dashboard, server, shipped_sites):
    # At 1024 px with the sidebar open the two groups of figures shared 620 px: 18 张 read "1…" and 12 read "1."
    # (tablet review). Narrower than both can hold, they go one above the other.
    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 1024, "height": 768})
    dashboard.goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    expect(dashboard.page.get_by_test_id("stSidebar")).to_be_visible()
    expect(dashboard.metric("托老床位")).to_have_text("18 张")
    assert dashboard.page.evaluate(METRIC_VALUES_WHOLE)
    care = dashboard.page.locator(".st-key-care_figures").bounding_box()
    district = dashboard.page.locator(".st-key-united_front_figures").bounding_box()
    assert district["y"] >= care["y"] + care["height"] - 1  # below, not squeezed beside
    dashboard.screenshot("12-tablet-width-figures.png")


FONT_SIZE = "(element) => parseFloat(getComputedStyle(element).fontSize)"
LEGEND_FONT_SIZE = "() => parseFloat(getComputedStyle(document.querySelector('.sm-legend-row')).fontSize)"
# The map's pins wholly inside the map's frame, as drawn.
IN_MAP_FRAME = """() => {
  const frame = document.querySelector('.leaflet-container').getBoundingClientRect();
  return [...document.querySelectorAll('.sm-marker')].map((pin) => pin.getBoundingClientRect())
    .filter((pin) => pin.left >= frame.left && pin.right <= frame.right && pin.top >= frame.top
      && pin.bottom <= frame.bottom);
}"""


def test_a_meeting_room_screen_draws_larger_type_and_a_taller_map(open_dashboard, server, shipped_sites):
    # On a 2560 x 1440 screen a briefing read 14 px figures from across the table, and the map was a letterbox a
    # third of the screen's height (meeting-room review). A laptop's page is the reference, in the same browser.
    laptop = open_dashboard(server).goto("/")
    laptop.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    laptop_figure = laptop.metric("助餐点").evaluate(FONT_SIZE)
    assert laptop.page.locator(MAP_IFRAME).bounding_box()["height"] == MAP_HEIGHT_PX

    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 2560, "height": 1440})
    dashboard.goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    assert dashboard.metric("助餐点").evaluate(FONT_SIZE) >= laptop_figure * 1.2
    # Half the screen's height, and the map inside fills it: no blank band under the map in its frame.
    frame_box = dashboard.page.locator(MAP_IFRAME).bounding_box()
    assert frame_box["height"] == 720
    dashboard.map_js().wait_for_function(
        "(height) => window.map.getSize().y === height && document.querySelector('.leaflet-container')"
        ".getBoundingClientRect().height === height",
        arg=720,
    )
    # The whole map is on the screen when the page opens, every site on it, and its legend is read from a distance.
    assert frame_box["y"] + frame_box["height"] <= 1440
    dashboard.map_js().wait_for_function(f"() => ({IN_MAP_FRAME})().length === {placed(shipped_sites)}")
    dashboard.map_js().wait_for_function(f"() => ({LEGEND_FONT_SIZE})() >= 15")
    # Whose figures these are is read from across the table too: the groups' headings are not a pale caption.
    heading = dashboard.page.locator(".st-key-united_front_figures [data-testid='stCaptionContainer']")
    assert heading.evaluate("(e) => [getComputedStyle(e).fontWeight, getComputedStyle(e).opacity]") == ["600", "1"]
    dashboard.screenshot_of_screen("13-meeting-room-screen.png")
    wide_figure = dashboard.metric("助餐点").evaluate(FONT_SIZE)
    # A site's popup reads at the page's size, in lines a wide map has room for (at 320 px it ran to 15 lines).
    dashboard.map.get_by_title(SERVICE_CENTRE[1], exact=True).click()
    popup = dashboard.map.locator(".sm-popup")
    expect(popup.locator(".sm-popup-title")).to_have_text(SERVICE_CENTRE[1])
    assert popup.evaluate(FONT_SIZE) >= 17
    assert popup.bounding_box()["width"] > 400
    dashboard.map.locator(".leaflet-popup-close-button").click()

    # A 4K screen at 100%: larger again (at 2560's sizes it read as a thin print-out on the wall).
    dashboard.page.set_viewport_size({"width": 3840, "height": 2160})
    expect(dashboard.metric("助餐点")).to_have_css("font-size", f"{wide_figure * 1.3:g}px")
    dashboard.map_js().wait_for_function("() => window.map.getSize().y === 1080")
    # Waited for, not read at once: the map's frame takes its new width a moment after its new height (Streamlit
    # measures the column), and the legend's larger size goes by the frame's width (failed once in CI).
    dashboard.map_js().wait_for_function(f"() => ({LEGEND_FONT_SIZE})() >= 19")
    # The sidebar grows with the type: at 300 px its labels broke mid-word ("大字模 / 式").
    assert dashboard.page.get_by_test_id("stSidebar").bounding_box()["width"] >= 500
    # 大字模式 there is larger still: its own sizes had made the legend smaller (17 px) than the screen's 19.
    dashboard.goto("/?large=1")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.map_js().wait_for_function(f"() => ({LEGEND_FONT_SIZE})() >= 21")


def test_an_office_laptop_screen_shows_the_map_when_the_page_opens(open_dashboard, server, shipped_sites):
    # A 1366 x 768 laptop leaves the page about 657 px, and the map began 520 px down: a 137 px strip of it when
    # the page opened (meeting-room review, on a projector's 1280 x 720). The title, figures and notice are
    # tighter there, and all of them are still shown.
    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 1366, "height": 657})
    dashboard.goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    assert dashboard.page.locator(MAP_IFRAME).bounding_box()["y"] <= 657 - 190
    # ... and the title's characters stay clear of the header above them (a tighter title had its top cut off).
    header_bottom = dashboard.page.get_by_test_id("stHeader").bounding_box()["height"]
    title_top = dashboard.page.locator("h1").evaluate(
        "(e) => { const text = document.createRange(); text.selectNodeContents(e);"
        " return text.getBoundingClientRect().top; }"
    )
    assert title_top >= header_bottom
    expect(dashboard.metric("托老床位")).to_be_visible()
    expect(dashboard.page.get_by_test_id("stAlert").filter(has_text="本图不完整")).to_be_in_viewport()
    dashboard.screenshot_of_screen("13b-office-laptop-screen.png")
    # Each figure's label on one line, on the laptop, a projector and a wider laptop: they broke mid-word there
    # ("国家级阵 / 地", "统战阵地及平 / 台"), read aloud in a briefing as two words.
    for width, height in ((1366, 657), (1280, 720), (1440, 900)):
        dashboard.page.set_viewport_size({"width": width, "height": height})
        dashboard.page.wait_for_function(f"() => ({METRIC_LABEL_LINES})().every((lines) => lines === 1)")


# No line of a text a character alone, or ending in a number parted from its measure word.
PHRASES_WHOLE = "(lines) => lines.every((line) => line.length > 1 && !/\\d$/.test(line))"


def test_on_a_phone_each_figures_label_stays_whole(open_dashboard, server, shipped_sites):
    # A third of a phone's width broke the longest labels mid-word: "统战阵地及平 / 台" at 390 px, "养老服务资 / 源"
    # at 360.
    dashboard = open_dashboard(server, phone=True)
    for width in (390, 360, 414):
        dashboard.page.set_viewport_size({"width": width, "height": 844})
        dashboard.goto("/")
        expect(dashboard.metric("市级阵地")).to_have_text("2")
        dashboard.page.wait_for_function(f"() => ({METRIC_LABEL_LINES})().every((lines) => lines === 1)")
        # ... and each note under a figure breaks between its phrases, where it breaks: not "全街总数不 / 详" (360 px)
        # or "仅 1 / 处有床位数" (390 px), a character alone or a number parted from its measure word.
        for note in dashboard.page.get_by_test_id("stMetricDelta").all():
            lines_when(note.locator("p"), PHRASES_WHOLE, width)
    # 大字模式, where three to a row broke 养老服 / 务资源 and 托老床 / 位 at 360 px: one figure to a line, its number
    # beside its label.
    for width in (360, 390, 414):
        dashboard.page.set_viewport_size({"width": width, "height": 844})
        dashboard.goto("/?large=1")
        expect(dashboard.metric("托老床位")).to_have_text("18 张")
        dashboard.page.wait_for_function(f"() => ({METRIC_LABEL_LINES})().every((lines) => lines === 1)")
        dashboard.page.wait_for_function(f"() => ({FIGURES_BESIDE_THEIR_LABELS})()")
    dashboard.screenshot_of_screen("46b-phone-large-print-figures.png")


# Each figure's number on the same line as its label, at the right of the screen.
FIGURES_BESIDE_THEIR_LABELS = """() => [...document.querySelectorAll('[data-testid="stMetric"]')].every((figure) => {
  const label = figure.querySelector('[data-testid="stMetricLabel"]').getBoundingClientRect();
  const value = figure.querySelector('[data-testid="stMetricValue"]').getBoundingClientRect();
  return value.left >= label.right && value.top < label.bottom && value.right > window.innerWidth * 0.8;
})"""


# The lines each metric's label is drawn on.
METRIC_LABEL_LINES = """() => [...document.querySelectorAll('[data-testid="stMetricLabel"] p')].map((label) => {
  const text = document.createRange(); text.selectNodeContents(label);
  return new Set([...text.getClientRects()].map((line) => Math.round(line.top))).size;
})"""


def test_the_list_on_a_meeting_room_screen_shows_every_row(open_dashboard, server, shipped_sites):
    # The page's larger type made the grid's rows taller, and its 16th row fell off the grid's foot, to be
    # scrolled inside it before the leaders (meeting-room review, 2560 x 1440).
    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 2560, "height": 1440})
    dashboard.goto("/list")
    rows = dashboard.page.get_by_test_id("stDataFrame").locator("table tr")  # the grid's rows on screen
    expect(rows).to_have_count(len(shipped_sites) + 1)  # and its header
    expect(rows.last).to_contain_text(shipped_sites.iloc[-1]["name"])


def test_large_print_on_a_1920_screen_folds_the_legend_off_the_sites(open_dashboard, server, shipped_sites):
    # At 17 px the open legend covered a third of a 957 px map, the picked site's pin under it (meeting-room
    # review, 1920 x 1080 with 大字模式). Folded, it is one click away.
    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 1920, "height": 1080})
    dashboard.goto("/?large=1")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    legend = dashboard.map.locator(".sm-legend details")
    expect(dashboard.map.locator(".leaflet-container.sm-large-map")).to_have_count(1)
    expect(legend).not_to_have_attribute("open", "")
    legend.locator("summary").click()
    expect(legend).to_have_attribute("open", "")
    # Without 大字模式 the same screen keeps it open: it fits beside the sites there.
    plain = open_dashboard(server)
    plain.page.set_viewport_size({"width": 1920, "height": 1080})
    plain.goto("/")
    plain.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    expect(plain.map.locator(".sm-legend details")).to_have_attribute("open", "")


def test_a_tablet_held_upright_gets_the_phones_list_and_large_text_button(open_dashboard, server, shipped_sites):
    # At 768 px the list was the laptop's grid, 2,000 px wide, its 开放时间 and 价格 off the edge, and 大字模式 was
    # only in the folded sidebar (tablet review).
    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 768, "height": 1024})
    dashboard.goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    expect(dashboard.page.get_by_role("button", name="字太小？点这里放大")).to_be_visible()
    dashboard.page_link("资源清单").click()
    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    cards = dashboard.page.locator(".st-key-narrow_screen_only")
    expect(cards).to_contain_text("早餐均价6元")
    expect(dashboard.page.get_by_test_id("stDataFrame")).to_be_hidden()


def test_the_legend_opened_over_a_popup_closes_the_popup(open_dashboard, server, shipped_sites):
    # Opened after a site's popup, the legend covered the popup's address and text (briefing review).
    dashboard, popup = open_popup_on_the_default_map(open_dashboard, server, shipped_sites, MUSEUM[1])
    expect(popup).to_be_visible()
    dashboard.map.get_by_text("图例", exact=True).click()
    expect(dashboard.map.locator(".sm-legend").get_by_text("红色虚线：丰台区界")).to_be_visible()
    expect(popup).to_have_count(0)


def test_tampered_link_shows_notices_and_still_draws_the_map(open_dashboard, server, shipped_sites):
    shown = filters.apply(shipped_sites, filters.DEFAULT_FILTERS)
    dashboard = open_dashboard(server).goto("/?meal=<script>alert(1)</script>&foo=bar&view=abc")

    dashboard.wait_for_map(placed(shown))
    alerts = dashboard.page.get_by_test_id("stAlert")
    expect(alerts.filter(has_text="foo").filter(has_text="已忽略")).to_be_visible()
    expect(alerts.filter(has_text="<script>alert(1)</script>").filter(has_text="无效")).to_be_visible()
    expect(alerts.filter(has_text="abc").filter(has_text="无效")).to_be_visible()
    expect(dashboard.page.get_by_test_id("stException")).to_have_count(0)
    expect(meal_option(dashboard, "全部")).to_be_checked()
    expect_metrics(dashboard, metrics.compute(shown))
    # The address bar is rewritten to what the page actually shows, so re-sharing passes nothing bad on.
    expect(dashboard.page).not_to_have_url(re.compile(r"foo=|script|meal="))
    assert dashboard.dialogs == []
    dashboard.screenshot("05-tampered-link.png")


# ------------------------------------------------------------------------------------ the other pages


def test_list_page_shows_the_grid_and_downloads_the_shown_sites(open_dashboard, server, shipped_sites):
    shown = filters.apply(shipped_sites, filters.DEFAULT_FILTERS)
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(shown))

    dashboard.page_link("资源清单").click()

    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    # The browser tab names the page: every page had the map's title, and a screen reader heard no change.
    expect(dashboard.page).to_have_title(f"资源清单 · {edition.SHIPPED.title}")
    # And a screen reader hears it, the keyboard's focus left where it is.
    said = dashboard.page.get_by_role("status").filter(has_text="已打开")
    expect(said).to_have_text(f"已打开：资源清单 · {edition.SHIPPED.title}")
    grid = dashboard.page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    expect(grid.locator('[role="row"]')).to_have_count(len(shown) + 1)  # header + one row a site
    expect(dashboard.page.locator(".st-key-narrow_screen_only")).to_be_hidden()  # the phone's form of the list
    button = dashboard.page.get_by_test_id("stDownloadButton").filter(has_text="CSV").get_by_role("button")
    expect(button).to_be_visible()
    # The grid's own toolbar in Chinese ("Download as CSV", "Search" were read out in English).
    grid.hover()
    toolbar = dashboard.page.get_by_test_id("stElementToolbar")
    expect(toolbar.locator('button[aria-label="下载为 CSV"]')).to_have_count(1)
    dashboard.screenshot("06-list-page.png")

    with dashboard.page.expect_download() as download_info:
        button.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".csv")
    raw = download.path().read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf"), "no UTF-8 BOM: Excel in China would open the file as GBK"
    records = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline="")))
    # What staff hand on reads as the grid does: Chinese columns and words, not registry codes.
    assert records[0][:4] == ["图上编号", "名称", "类型", "助餐"]
    assert len(records) == len(shown) + 1
    assert [row[1] for row in records[1:]] == list(shown["name"])
    assert "elderly_care" not in raw.decode("utf-8-sig") and "街道（区域）养老服务中心" in raw.decode("utf-8-sig")
    # The sources give no phone numbers: neither the grid nor its download shows an empty 电话 column (the
    # registry format below keeps the field).
    headers = grid.locator('[role="columnheader"]')
    expect(headers.filter(has_text="名称")).to_have_count(1)
    # How exact a position is, short and before the address: in full and last it ran off a laptop's edge.
    expect(headers.nth(3)).to_have_text("位置")
    expect(grid.locator('[role="gridcell"]').filter(has_text="近似（片区级）")).not_to_have_count(0)
    expect(headers.filter(has_text="电话")).to_have_count(0)
    assert "电话" not in records[0]
    # The registry's own format, re-importable, is the third button.
    registry_button = dashboard.page.get_by_test_id("stDownloadButton").filter(has_text="登记表格式")
    with dashboard.page.expect_download() as download_info:
        registry_button.get_by_role("button").click()
    registry_records = list(csv.reader(io.StringIO(download_info.value.path().read_text("utf-8-sig"), newline="")))
    assert registry_records[0][:2] == ["id", "name"] and len(registry_records) == len(shown) + 1
    assert "phone" in registry_records[0]


def test_a_row_of_the_list_opens_the_site_in_full_and_on_the_map(open_dashboard, server, shipped_sites):
    """The grid cut long names, hours and prices, and a family on a laptop found neither when nor for how much:
    the grid has both where the source says them, and a row clicked shows the site in full, with a way to it
    on the map that keeps the filters."""
    dashboard = open_dashboard(server).goto("/?meal=yes")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.Filters(meal="yes"))))
    dashboard.page_link("资源清单").click()
    grid = dashboard.page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    headers = grid.locator('[role="columnheader"]')
    expect(headers.filter(has_text="开放时间")).to_have_count(1)
    expect(headers.filter(has_text="价格")).to_have_count(1)
    expect(grid.locator('[role="gridcell"]').filter(has_text="早餐均价6元")).to_have_count(1)
    detail = dashboard.page.locator(".st-key-list_site_detail")
    expect(detail).to_have_count(0)
    box = grid.bounding_box()
    dashboard.page.mouse.click(box["x"] + 15, box["y"] + 52)  # the first row's box, left of its name
    expect(detail.get_by_role("heading", name="卢沟桥街道养老服务中心")).to_be_visible()
    expect(detail).to_contain_text("早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元，米饭汤品免费续加")
    expect(detail).to_contain_text("位置为近似")
    # A screen reader is told where it appeared (choosing a row from the keyboard, nothing said so).
    said = dashboard.page.get_by_role("status")
    expect(said.filter(has_text="表格下方已显示")).to_have_text("表格下方已显示：卢沟桥街道养老服务中心 的全部信息")
    dashboard.screenshot("06b-list-row-in-full.png")
    detail.get_by_role("link", name="在地图上查看").click()
    expect(dashboard.heading(edition.SHIPPED.title, 1)).to_be_visible()
    expect(dashboard.page).to_have_title(edition.SHIPPED.title)  # the map's own title again
    # Said too, though the map's title comes before its address (only the way to 资源清单 was said).
    expect(said.filter(has_text="已打开")).to_have_text(f"已打开：{edition.SHIPPED.title}")
    expect(dashboard.page).to_have_url(param_pattern("site", "lgq-care-center"))
    expect(dashboard.page).to_have_url(param_pattern("meal", "yes"))  # the filters came along
    expect(dashboard.page.locator(".st-key-site_detail")).to_contain_text("早餐均价6元")
    # Its details in view, with the keyboard's focus on its name: focus had fallen to the page's top. And the map
    # from its top, beside them (its top and zoom buttons had been above the screen; staff review).
    name = dashboard.page.locator(".st-key-site_detail h3").filter(has_text="卢沟桥街道养老服务中心")
    expect(name).to_be_focused()
    expect(name).to_be_in_viewport()
    dashboard.page.wait_for_function(MAP_TOP_IN_VIEW)
    # And keeps it when the map, settled on the site, reports its view and the page runs again.
    expect(dashboard.page).to_have_url(re.compile(r"[?&]view="))
    expect(name).to_be_focused()
    # 清除选择 takes the details and itself away: the keyboard's focus goes to the picker, not the page's top.
    dashboard.page.get_by_role("button", name="清除选择").press("Enter")
    expect(name).to_have_count(0)
    expect(dashboard.page.get_by_role("combobox", name=SITE_PICKER)).to_be_focused()


def test_on_a_phone_the_closed_sidebar_is_out_of_the_keyboards_way(open_dashboard, server, shipped_sites):
    # Closed, the sidebar was only slid off the screen: its 19 controls were the first Tab stops, read out under 侧栏;
    # opened from the keyboard the focus went to the page behind it, and after a page chosen there, nowhere
    # (accessibility review).
    dashboard = open_dashboard(server, phone=True).goto("/")
    page = dashboard.page
    expect(dashboard.metric("助餐点")).to_have_text("1")
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(sidebar.get_by_role("switch", name="大字模式")).to_have_count(0)  # not in the accessibility tree
    opener = page.get_by_role("button", name="展开侧栏")
    for _ in range(2):  # past 跳到主要内容, straight to », no hidden filter between
        page.keyboard.press("Tab")
    expect(opener).to_be_focused()
    page.keyboard.press("Enter")
    expect(sidebar).to_have_attribute("data-collapsed", "false")
    page.keyboard.press("Tab")
    focused_in_sidebar = "() => document.querySelector('[data-testid=stSidebar]').contains(document.activeElement)"
    page.wait_for_function(focused_in_sidebar)
    sidebar.get_by_role("link", name="关于数据").focus()
    page.keyboard.press("Enter")
    expect(dashboard.heading("关于数据", 1)).to_be_visible()
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(opener).to_be_focused()  # not the page itself: the next Tab goes on from the top

    # On a computer the open sidebar's « is in sight and the keyboard's reach: Streamlit showed it only while the
    # mouse was over the sidebar, and no Tab came to it.
    desk = open_dashboard(server).goto("/")
    expect(desk.metric("助餐点")).to_have_text("1")
    closer = desk.page.get_by_role("button", name="收起侧栏")
    expect(closer).to_be_visible()
    for _ in range(2):  # past 跳到主要内容
        desk.page.keyboard.press("Tab")
    expect(closer).to_be_focused()


def test_the_list_is_put_in_order_from_the_keyboard_and_on_a_phone(open_dashboard, server, shipped_sites):
    # Only a mouse sorted the grid, by its headings, and the phone's blocks of text kept the registry's order
    # (accessibility review): an order is chosen above both, from the keyboard too.
    meal_point = shipped_sites.loc[shipped_sites["meal_service"] == vocab.SERVES_MEALS, "name"].iloc[0]
    dashboard = open_dashboard(server).goto("/list")
    order = dashboard.page.get_by_role("combobox", name="排列顺序")
    expect(order).to_have_value("登记顺序")
    grid = dashboard.page.get_by_test_id("stDataFrame")
    first_row = grid.locator("table tbody tr").first
    expect(first_row).to_contain_text(shipped_sites["name"].iloc[0])
    box = grid.bounding_box()
    dashboard.page.mouse.click(box["x"] + 15, box["y"] + 52)  # the first row's box, left of its name
    in_full = dashboard.page.locator(".st-key-list_site_detail h3")
    expect(in_full).to_have_text(shipped_sites["name"].iloc[0])
    # On the screen: under the 16 rows it was below a laptop's screen, and a reader thought nothing had happened.
    expect(in_full).to_be_in_viewport()
    # Back up to the order box, as a reader does, before the keyboard opens it: opened in the very frame the page
    # scrolls back, the list closed again at the scroll (as react-aria's lists do).
    order.scroll_into_view_if_needed()
    dashboard.page.evaluate("() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))")
    order.focus()
    dashboard.page.keyboard.press("ArrowDown")  # opens the list
    dashboard.page.get_by_role("option", name="位置准确的在前").wait_for()
    for _ in range(3):
        dashboard.page.keyboard.press("ArrowDown")
    dashboard.page.keyboard.press("Enter")
    expect(order).to_have_value("位置准确的在前")
    exact = shipped_sites.loc[shipped_sites["precision"] == "exact", "name"].iloc[0]
    expect(first_row).to_contain_text(exact)
    expect(order).to_be_focused()
    # The site chosen stays in full below the list put in another order: the grid drawn anew had dropped it.
    expect(in_full).to_have_text(shipped_sites["name"].iloc[0])
    # ... and the order stays through a visit to the map (it came back as 登记顺序; regression review).
    dashboard.page_link("地图").click()
    expect(dashboard.heading(edition.SHIPPED.title, 1)).to_be_visible()
    dashboard.page_link("资源清单").click()
    expect(order).to_have_value("位置准确的在前")
    expect(first_row).to_contain_text(exact)

    phone = open_dashboard(server, phone=True).goto("/list")
    cards = phone.page.locator(".st-key-narrow_screen_only li")
    expect(cards).to_have_count(len(shipped_sites))
    phone_order = phone.page.get_by_role("combobox", name="排列顺序")
    phone_order.click()
    phone.page.get_by_role("option", name="提供助餐的在前").click()
    expect(phone_order).to_have_value("提供助餐的在前")
    expect(cards.first).to_contain_text(meal_point)
    expect(cards.first).to_contain_text("提供助餐")
    # ... and the order goes with the link: a list shared 提供助餐的在前 opened on 登记顺序.
    expect(phone.page).to_have_url(re.compile(r"/list\?(.*&)?order=meal"))
    receiver = open_dashboard(server, phone=True).goto(phone.page.url)
    expect(receiver.page.get_by_role("combobox", name="排列顺序")).to_have_value("提供助餐的在前")
    expect(receiver.page.locator(".st-key-narrow_screen_only li").first).to_contain_text(meal_point)
    # From my location, the caption says the order chosen, not 由近到远 (regression review).
    phone.goto("/list?near=39.84917,116.21306")
    caption = phone.page.get_by_test_id("stCaptionContainer").filter(has_text="当前筛选下共")
    expect(caption).to_contain_text("由近到远")
    phone.goto("/list?near=39.85856,116.23614")  # 张仪村路南口, from the place picker: by its name (phone review)
    expect(caption).to_contain_text("由近到远排列，未上图的在最后；直线距离，从“张仪村路南口（G4出口，近似）”算")
    phone_order.click()
    phone.page.get_by_role("option", name="按类型").click()
    expect(caption).to_contain_text("排列顺序：按类型；直线距离，从“张仪村路南口（G4出口，近似）”算")
    expect(caption).not_to_contain_text("由近到远")


# What a finger taps on a phone, by kind: [kind, how many drawn, the lowest's height in px].
TAP_TARGET_HEIGHTS = """() => Object.entries({
  pages: '[data-testid="stSidebarNavLink"]',
  buttons: '[data-testid="stBaseButton-secondary"], [data-testid="stPopoverButton"]',
  parts: '[data-testid="stButtonGroup"] button',
  boxes: '[data-testid="stMain"] [data-testid="stSelectbox"] [role="group"]',
  help: '[data-testid="stMain"] [data-testid="stTooltipIcon"] button',
}).map(([kind, selector]) => {
  const heights = [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect().height).filter(Boolean);
  return [kind, heights.length, Math.round(Math.min(...heights))];
})"""


def test_on_a_phone_what_a_finger_taps_is_44_px_high(open_dashboard, server):
    # The pages' links in the sidebar were 28 px high, the buttons 40, the parts below the map 32, the boxes 38 and
    # the ⓘ 22 (phone review).
    dashboard = open_dashboard(server, phone=True).goto("/?site=lgq-care-center")
    expect(detail_heading(dashboard)).to_have_text(SERVICE_CENTRE[1])
    dashboard.page.get_by_test_id("stExpandSidebarButton").tap()
    expect(dashboard.page.get_by_test_id("stSidebarNavLink").first).to_be_visible()
    try:
        dashboard.page.wait_for_function(f"() => ({TAP_TARGET_HEIGHTS})().every(([, n, low]) => n > 0 && low >= 44)")
    except PlaywrightTimeoutError:
        pytest.fail(f"[kind, drawn, lowest px]: {dashboard.page.evaluate(TAP_TARGET_HEIGHTS)}")


def test_on_a_phone_a_site_in_the_list_opens_in_full_and_on_the_map(open_dashboard, server, shipped_sites):
    # The phone's blocks of text could not be opened, where a computer's grid rows can (accessibility review).
    dashboard = open_dashboard(server, phone=True).goto("/list")
    page = dashboard.page
    expect(page.locator(".st-key-narrow_screen_only li")).to_have_count(len(shipped_sites))
    pick = page.get_by_role("combobox", name="查看其中一处的全部信息，或在地图上查看")
    pick.scroll_into_view_if_needed()
    pick.click()
    page.get_by_role("option", name=MUSEUM[1], exact=True).click()
    in_full = page.locator(".st-key-list_site_detail_cards")  # above the blocks of text, under the picker
    expect(in_full.locator("h3")).to_have_text(MUSEUM[1])
    assert in_full.bounding_box()["y"] < page.locator(".st-key-narrow_screen_only li").first.bounding_box()["y"]
    expect(in_full).to_contain_text("宛平城内街101号")
    in_full.get_by_role("link", name="在地图上查看").click()
    expect(detail_heading(dashboard)).to_have_text(MUSEUM[1])
    expect(page).to_have_url(param_pattern("site", MUSEUM[0]))
    # The map in view, from its top: the page had opened on the details just read, the map above the screen
    # (phone review).
    page.wait_for_function(MAP_TOP_IN_VIEW)
    expect(detail_heading(dashboard)).to_be_focused()


# The map's top on the screen, below the page's header, and its zoom buttons with it.
MAP_TOP_IN_VIEW = """() => {
  const map = document.querySelector('iframe[title="streamlit_folium.st_folium"]');
  const top = map && map.getBoundingClientRect().top;
  return map !== null && top >= 50 && top < window.innerHeight / 3;
}"""


def test_the_list_on_a_phone_is_written_out_site_by_site(open_dashboard, server, shipped_sites):
    """On a phone the grid showed only 名称 and 类型, the rest off the right edge: there each site is a short
    block of text with its meals, address and position, and nothing runs off the side."""
    dashboard = open_dashboard(server, phone=True).goto("/")
    # The page is chosen from the sidebar, which then closes: Streamlit tells a phone by its user agent.
    sidebar = dashboard.page.get_by_test_id("stSidebar")
    expect(sidebar).to_have_attribute("data-collapsed", "true")  # a phone opens on the page, not the filters
    dashboard.page.get_by_test_id("stExpandSidebarButton").click()
    dashboard.page_link("资源清单").click()
    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    expect(sidebar).to_have_attribute("data-collapsed", "true")
    expect(dashboard.page.get_by_test_id("stDataFrame")).to_be_hidden()
    cards = dashboard.page.locator(".st-key-narrow_screen_only li")
    expect(cards).to_have_count(len(shipped_sites))
    centre = cards.first  # the registry order: the service centre first
    expect(centre).to_contain_text("提供助餐")
    expect(centre).to_contain_text("地址：丰台区张仪村路227号院1号楼")
    expect(centre).to_contain_text("近似位置（片区级")
    # When it opens and what lunch costs: asked of a meal point before anything else.
    expect(centre).to_contain_text("开放时间：早、午、晚三餐时段")
    expect(centre).to_contain_text("午晚餐均价15元")
    widths = dashboard.page.evaluate(
        "() => [document.documentElement.scrollWidth, document.querySelector('[data-testid=\"stMain\"]').scrollWidth]"
    )
    assert max(widths) <= 390 + 1, widths
    dashboard.screenshot("48-phone-list.png")
    # From a 我附近 link the list starts with what is nearest, and says how far.
    dashboard.goto("/list?near=39.84917,116.21306")
    nearest = nearby.by_distance(shipped_sites, 39.84917, 116.21306).iloc[0]
    expect(cards.first).to_contain_text(nearest["name"])
    expect(cards.first).to_contain_text("离我的位置：")


def test_the_list_from_my_location_gives_each_distance_as_a_number_and_in_its_files(
    open_dashboard, server, shipped_sites
):
    # The grid's distance in words sorted as text ("10.8 公里" before "2.7 公里"), and the list's files from a 我附近
    # link had no distance at all (staff review).
    near = (39.85856, 116.23614)  # 张仪村路南口
    dashboard = open_dashboard(server).goto(f"/list?near={near[0]},{near[1]}")
    grid = dashboard.page.get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible()
    headers = grid.locator('[role="columnheader"]')
    expect(headers.nth(1)).to_have_text(sitelist.NEAR_COLUMN)
    expect(headers.nth(2)).to_have_text(sitelist.NEAR_KM_COLUMN)
    expected = sitelist.reader_table_nearest_first(shipped_sites, *near)
    rows = grid.locator('[role="row"]')
    expect(rows).to_have_count(len(shipped_sites) + 1)
    kilometres = [row.locator('[role="gridcell"]').nth(2).text_content() for row in rows.all()[1:]]
    # A number to each pin, nearest first, blank (not "None") for a site not on the map.
    assert kilometres == ["" if pd.isna(km) else f"{km:.1f}" for km in expected[sitelist.NEAR_KM_COLUMN]]
    # Beside the number, the range alone: "（标注约 610 米）" after it had cut the range off the screen.
    expect(grid_cell(grid, "3.7 公里以内")).to_have_count(2)
    expect(grid.locator('[role="gridcell"]').filter(has_text="标注约")).to_have_count(0)
    button = dashboard.page.get_by_test_id("stDownloadButton").filter(has_text="下载 CSV")
    with dashboard.page.expect_download() as download_info:
        button.get_by_role("button").click()
    records = list(csv.reader(io.StringIO(download_info.value.path().read_text("utf-8-sig"), newline="")))
    assert records[0][:4] == ["图上编号", "名称", sitelist.NEAR_COLUMN, sitelist.NEAR_KM_COLUMN]
    assert [row[1] for row in records[1:]] == list(expected["名称"])  # in the list's order
    assert [row[3] for row in records[1:]] == kilometres
    assert records[1][2] == "3.7 公里以内（标注约 610 米）"  # the words in full, as the phone's cards say them


def test_about_page_explains_the_data(open_dashboard, server, shipped_sites):
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))

    dashboard.page_link("关于数据").click()

    expect(dashboard.heading("关于数据", 1)).to_be_visible()
    expect(dashboard.heading("位置为近似是什么意思", 2)).to_be_visible()
    expect(dashboard.page.get_by_test_id("stException")).to_have_count(0)
    dashboard.screenshot("07-about-page.png")


# ---------------------------------------------------------------------------------- hostile registry


def test_hostile_text_is_shown_literally_and_never_runs(open_dashboard, hostile_server):
    sites = load_registry(HOSTILE_REGISTRY).sites
    assert {IMG_PAYLOAD, BOLD_PAYLOAD, TEMPLATE_NAME} <= set(sites["name"]), "fixture and test disagree"
    dashboard = open_dashboard(hostile_server).goto("/")
    dashboard.wait_for_map(placed(sites))
    dashboard.bring_map_into_view()

    dashboard.map.get_by_title(BOLD_PAYLOAD, exact=True).hover()
    tooltip = dashboard.map.locator(".sm-tooltip")
    expect(tooltip).to_have_text(BOLD_PAYLOAD)
    expect(tooltip.locator("b")).to_have_count(0)

    dashboard.map.get_by_title(IMG_PAYLOAD, exact=True).click()
    popup = dashboard.map.locator(".sm-popup")
    expect(popup).to_be_visible()
    expect(popup.locator(".sm-popup-title")).to_have_text(IMG_PAYLOAD)
    expect(popup).to_contain_text("<img src=x onerror=")
    expect(popup).to_contain_text(BOLD_PAYLOAD)  # the address
    expect(popup).to_contain_text(SCRIPT_PAYLOAD)  # opening hours and source
    expect(popup).to_contain_text("`${7*7}`")  # the phone number, not 49
    expect(popup.locator("b, img, script")).to_have_count(0)
    expect(detail_heading(dashboard)).to_have_text(IMG_PAYLOAD)  # the click selected it
    details = dashboard.page.locator(".st-key-site_detail")
    expect(details).to_contain_text(f"地址：{BOLD_PAYLOAD}")  # the address, as text
    expect(details).to_contain_text(f"开放时间：{SCRIPT_PAYLOAD}")
    expect(details.locator("b, img, script")).to_have_count(0)
    dashboard.screenshot("08-popup-escaped.png")

    for name in (BOLD_PAYLOAD, TEMPLATE_NAME):
        pick_site(dashboard, name)
        expect(detail_heading(dashboard)).to_have_text(name)
        expect(detail_heading(dashboard).locator("b, img, script, code")).to_have_count(0)
    assert dashboard.xss_marker() == {"page": "undefined", "map": "undefined"}

    dashboard.page_link("资源清单").click()
    expect(dashboard.heading("资源清单", 1)).to_be_visible()
    table = grid_with_cell(dashboard, "社区养老服务驿站")
    expect(table.locator('[role="row"]')).to_have_count(len(sites) + 1)
    expect(table.locator('[role="gridcell"][aria-colindex="1"]')).to_have_text(list(sites["name"]))
    expect(table.locator("b, img, script")).to_have_count(0)
    assert dashboard.page.evaluate("typeof window.__xss") == "undefined"
    assert dashboard.dialogs == []
    assert dashboard.page_errors == []
    dashboard.screenshot("09-hostile-list.png")


# ----------------------------------------------------------------------------- known-bug regression


def test_copy_link_copies_on_an_intranet_served_over_http(open_dashboard, server, shipped_sites):
    # The clipboard API needs a secure page (https, or this machine); a street office's intranet server over
    # plain http is not one, and the button falls back to the older copy command there.
    dashboard = open_dashboard(server)
    dashboard.page.add_init_script("Object.defineProperty(window, 'isSecureContext', {value: false})")
    dashboard.goto("/?meal=yes")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.Filters(meal="yes"))))
    dashboard.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    dashboard.page.get_by_role("button", name="复制分享链接").click()
    box = dashboard.page.get_by_test_id("stPopoverBody")
    box.get_by_role("button", name="复制链接", exact=True).click()
    expect(dashboard.page.get_by_role("status").filter(has_text="已复制")).to_be_visible()
    assert dashboard.page.evaluate("() => navigator.clipboard.readText()") == box.get_by_test_id("stCode").inner_text()


def test_the_share_box_opened_from_the_keyboard_takes_the_focus(open_dashboard, server, shipped_sites):
    # Drawn at the page's end, the box was passed by Tab: from 复制分享链接 the focus went on to the site picker.
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    share = dashboard.page.get_by_role("button", name="复制分享链接")
    dashboard.page.bring_to_front()  # the keyboard goes to the window in front
    share.focus()
    dashboard.page.keyboard.press("Enter")
    copy = dashboard.page.get_by_test_id("stPopoverBody").get_by_role("button", name="复制链接", exact=True)
    expect(copy).to_be_focused()
    dashboard.page.keyboard.press("Enter")
    expect(dashboard.page.get_by_role("status").filter(has_text="已复制")).to_be_visible()
    # Tab on from its last stop closes the box and goes back to 复制分享链接 (it fell to the page's top, box open).
    dashboard.page.keyboard.press("Tab")
    expect(dashboard.page.get_by_test_id("stPopoverBody")).to_have_count(0)
    expect(share).to_be_focused()
    dashboard.page.keyboard.press("Enter")
    expect(copy).to_be_focused()
    dashboard.page.keyboard.press("Escape")
    expect(dashboard.page.get_by_test_id("stPopoverBody")).to_have_count(0)
    expect(share).to_be_focused()


# The element a reader sees at the middle of the status line's first line: the line itself, not something over it.
STATUS_ON_TOP = """() => {
  const said = document.querySelector('[role="status"].sm-copy-said').getBoundingClientRect();
  const seen = document.elementFromPoint(said.left + said.width / 2, said.top + 8);
  return seen !== null && seen.classList.contains('sm-copy-said');
}"""


def test_on_a_phone_the_copied_word_shows_over_a_tall_share_box(open_dashboard, server, shipped_sites):
    # With "my location" in the link the share box grew down to the screen's foot and covered the first line
    # of 已复制… on a phone: the daughter did not see that the link was copied.
    dashboard = open_dashboard(server, phone=True)
    dashboard.goto(f"/?site={SERVICE_CENTRE[0]}&near=39.862,116.236")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    dashboard.page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    share = dashboard.page.get_by_role("button", name="复制分享链接")
    share.scroll_into_view_if_needed()
    share.tap()
    box = dashboard.page.get_by_test_id("stPopoverBody")
    expect(box).to_contain_text("链接里有“我的位置”")
    box.get_by_role("button", name="复制链接", exact=True).tap()
    expect(dashboard.page.get_by_role("status").filter(has_text="已复制")).to_be_visible()
    assert dashboard.page.evaluate(STATUS_ON_TOP)
    dashboard.screenshot_of_screen("47-phone-link-copied.png")


def test_marker_click_works_while_the_map_is_partly_below_the_fold(open_dashboard, server, shipped_sites):
    """On a 1366x768 screen the map starts partly below the fold. A reader clicks a visible marker
    straight away; the click must select the site, and the page must not jump under the pointer."""
    site_id, site_name = MUSEUM
    dashboard = open_dashboard(server).goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    marker = dashboard.map.get_by_title(site_name, exact=True)
    expect(marker).to_be_in_viewport()
    # Playwright scrolls a target it would click only partly into view; that scroll is the test's, not
    # the page's, so it is done first and the page must then stay put through the click and the rerun.
    marker.scroll_into_view_if_needed()
    map_box = dashboard.page.locator('iframe[title="streamlit_folium.st_folium"]').bounding_box()
    assert map_box["y"] + map_box["height"] > 768, "the map no longer reaches below the fold"
    scrolled_before = dashboard.page.get_by_test_id("stMain").evaluate("e => e.scrollTop")

    marker.click()
    dashboard.wait_for_rerun()
    scrolled_after = dashboard.page.get_by_test_id("stMain").evaluate("e => e.scrollTop")

    expect(detail_heading(dashboard)).to_have_text(site_name)
    expect(dashboard.page).to_have_url(param_pattern("site", site_id))
    dashboard.screenshot("10-marker-click-below-fold.png")  # once the panel shows the site, not mid-update
    assert scrolled_after == scrolled_before, "the page jumped under the pointer"


def test_an_exact_pin_keeps_its_place_and_a_rough_one_moves_aside(open_dashboard, server, shipped_sites, pins_apart):
    # Zoomed out on a small screen, the museum (the one site placed exactly) covered the rough service centre, and
    # it was the museum that was drawn 2 km off its spot on a thin line (staff review, 1024 x 768).
    dashboard = open_dashboard(server)
    dashboard.page.set_viewport_size({"width": 1024, "height": 768})
    dashboard.goto("/")
    dashboard.wait_for_map(placed(filters.apply(shipped_sites, filters.DEFAULT_FILTERS)))
    pins_apart(dashboard.map_js())
    expect(dashboard.map.locator(".leaflet-container.sm-pins-moved")).to_have_count(1)  # some pin moved aside
    museum = dashboard.map.locator(f'.leaflet-marker-icon[title="{MUSEUM[1]}"]')
    expect(museum).to_have_count(1)
    expect(museum.locator(".sm-leader")).to_have_count(0)
    expect(dashboard.map.locator(".sm-approx .sm-leader").first).to_be_attached()  # a rough one moved instead


# The text of an element line by line, as drawn (each character placed by its own box).
LINES_OF = """(element) => {
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  const lines = new Map();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (let i = 0; i < node.length; i++) {
      const range = document.createRange(); range.setStart(node, i); range.setEnd(node, i + 1);
      const box = range.getBoundingClientRect();
      if (!box.width) continue;
      const top = Math.round(box.top / 4);
      lines.set(top, (lines.get(top) || "") + node.data[i]);
    }
  }
  return [...lines.entries()].sort((a, b) => a[0] - b[0]).map((entry) => entry[1]);
}"""


def lines_when(locator, holds: str, about: object) -> list[str]:
    """The element's text line by line once `holds` (a JS test of those lines) is true of them, as expect waits for
    what it asserts: a page just opened is laid out more than once (on a busy machine the name was seen as
    "卢沟桥街道养 / 老服务中心" before its column had its width). Fails with the lines last drawn."""
    try:
        locator.page.wait_for_function(f"(element) => ({holds})(({LINES_OF})(element))", arg=locator.element_handle())
    except PlaywrightTimeoutError:
        pytest.fail(f"{about}: drawn as {locator.evaluate(LINES_OF)}")
    return locator.evaluate(LINES_OF)


def test_a_figures_note_and_a_sites_name_break_between_phrases(open_dashboard, server):
    # On a laptop the note broke as "报 / 道 12 家" and "收录 2 / 家", and the site's name over its details as
    # "卢沟桥街道养 / 老服务中心" (staff review).
    dashboard = open_dashboard(server)
    for width, height in ((1280, 720), (1366, 768), (1440, 900), (1024, 768)):
        dashboard.page.set_viewport_size({"width": width, "height": height})
        dashboard.goto("/?site=lgq-health-center-2")
        note = dashboard.page.get_by_test_id("stMetricDelta").filter(has_text="街道养老机构")
        expect(note).to_be_visible()
        expect(note).to_have_text("街道养老机构：报道\u00a012\u00a0家，收录\u00a02\u00a0家")
        lines_when(note.locator("p"), "(lines) => lines.slice(0, -1).every((line) => /[：，]$/.test(line))", width)
        name = detail_heading(dashboard)
        expect(name).to_have_text("卢沟桥第二社区卫生服务中心")
        lines_when(name, "(lines) => lines.every((line) => line.length >= 4)", width)
        dashboard.goto("/?site=lgq-care-center")
        expect(name).to_have_text("卢沟桥街道养老服务中心")
        lines_when(name, "(lines) => lines.length === 1", width)  # whole, not "…养 / 老服务中心"


def test_on_a_phone_loosening_a_filter_shows_the_site_on_the_map(open_dashboard, server, shipped_sites):
    # The filters loosened and the map flew to the site, above the screen: the reader saw only the notice go
    # (regression review).
    dashboard = open_dashboard(server, phone=True).goto(f"/?layer=elderly_care&site={MUSEUM[0]}")
    dashboard.wait_for_map(placed(shipped_sites[shipped_sites["layer"] == "elderly_care"]))
    button = dashboard.page.get_by_role("button", name="放宽“图层”，在地图上显示它")
    button.scroll_into_view_if_needed()
    # Tapped on a page at rest, as a reader taps what she has read: a tap while a run redraws the button can land
    # on the one being replaced, and no press reaches the server (1 tap in 30 under load).
    dashboard.wait_for_rerun()
    button.tap()
    expect(dashboard.page.locator(".st-key-site_detail")).not_to_contain_text("不在当前筛选结果中")
    dashboard.page.wait_for_function(MAP_TOP_IN_VIEW)
