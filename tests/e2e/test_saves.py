"""A page left open follows the office's saves, with nobody clicking: a screen in the service centre's hall, a
tab kept open for the day. Its own server, on a registry file the test saves over, looking once a second."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

try:  # reported by the `browser` fixture when missing: a skip, or a failure where browsers are required
    from playwright.sync_api import expect
except ImportError:
    expect = None

from tests.e2e.conftest import ROOT, Server, _run_server

pytestmark = pytest.mark.e2e

SHIPPED = ROOT / "data" / "sites.csv"
CARE_SITE_TO_DROP = "卢沟桥第二社区卫生服务中心"  # a care site the shipped registry places


@pytest.fixture
def office_registry(tmp_path: Path) -> Path:
    """The office's registry as the server starts on it: saved empty by mistake."""
    registry = tmp_path / "sites.csv"
    registry.write_text("", encoding="utf-8")
    return registry


@pytest.fixture
def following_server(tmp_path: Path, office_registry: Path) -> Iterator[Server]:
    yield from _run_server(tmp_path, "following", office_registry, {"SERVICEMAP_REFRESH_S": "1"})


def test_an_open_page_follows_the_offices_saves_without_a_click(open_dashboard, following_server, office_registry):
    hall_screen = open_dashboard(following_server).goto("/list")
    page = hall_screen.page
    unreadable = page.get_by_test_id("stAlert").filter(has_text="无法读取站点登记表")
    expect(unreadable).to_contain_text("打开着的页面 1 秒内自动更新")

    # Mended: the page the reader asked for comes back by itself, the list, not the map.
    shutil.copyfile(SHIPPED, office_registry)
    expect(page.get_by_role("heading", name="资源清单", level=1)).to_be_visible()
    expect(unreadable).to_have_count(0)
    shipped_rows = SHIPPED.read_text(encoding="utf-8").splitlines(keepends=True)
    expect(page.get_by_text(f"共 {len(shipped_rows) - 1} 处", exact=False).first).to_be_visible()

    # A site taken out of the registry leaves the open map, and its figure counts one fewer.
    hall_screen.goto("/")
    expect(hall_screen.metric("养老服务资源")).to_have_text("4")
    office_registry.write_text("".join(row for row in shipped_rows if CARE_SITE_TO_DROP not in row), "utf-8")
    expect(hall_screen.metric("养老服务资源")).to_have_text("3")

    # A save that cannot be used: the map stays on the last good version, and the open page says so by itself,
    # without moving the reader from where she is: the notice put in above the page's content had rebuilt every
    # element after it, jumped the page to the map and dropped the keyboard's focus (regression review).
    places = page.get_by_role("combobox", name=re.compile("作为“我的位置”"))
    places.scroll_into_view_if_needed()
    places.focus()
    office_registry.write_text("名称\n没有其他列\n", encoding="utf-8")
    set_aside = page.get_by_test_id("stAlert").filter(has_text="最近保存的版本无法使用")
    expect(set_aside).to_contain_text("打开着的页面 1 秒内自动更新")
    expect(places).to_be_focused()
    expect(places).to_be_in_viewport()
    expect(hall_screen.metric("养老服务资源")).to_have_text("3")
    hall_screen.screenshot("20-open-page-follows-a-bad-save.png")
    shutil.copyfile(SHIPPED, office_registry)
    expect(set_aside).to_have_count(0)
    expect(hall_screen.metric("养老服务资源")).to_have_text("4")
    assert not hall_screen.page_errors
