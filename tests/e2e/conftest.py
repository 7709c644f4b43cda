"""Real-browser fixtures: `streamlit run app.py` in a subprocess, Debian's Chromium through Playwright.

One server per session for the shipped registry (and one more, started on first use, for the hostile
fixture registry); one browser per session; a fresh browser context (cookies, storage) per page.
Every wait is for a concrete condition with a timeout; nothing sleeps for a fixed time.
"""

from __future__ import annotations

import contextlib
import os
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from bench.serve import ServerFailed, streamlit_server

try:
    from playwright.sync_api import expect, sync_playwright
except ImportError:  # reported by the `browser` fixture: a skip, or a failure where browsers are required
    expect = sync_playwright = None

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
HOSTILE_REGISTRY = ROOT / "tests" / "fixtures" / "e2e" / "hostile_sites.csv"

CHROMIUM = os.environ.get("SERVICEMAP_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]  # fmt: skip
REQUIRE_BROWSER = os.environ.get("SERVICEMAP_REQUIRE_BROWSER") == "1"

SERVER_START_TIMEOUT = 60.0  # seconds until /_stcore/health must answer "ok"
UI_TIMEOUT_MS = 30_000  # a rerun plus a map redraw, with room for a slow CI machine
# A common office-laptop screen: the map starts partly below the fold, as it does for many readers.
VIEWPORT = {"width": 1366, "height": 768}
PHONE_VIEWPORT = {"width": 390, "height": 844}
# A phone's own user agent: Streamlit decides from it, not from the screen, that it runs on a phone (and then
# closes the sidebar once a page is chosen from it).
PHONE_USER_AGENT = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.5 Mobile/15E148 Safari/604.1"
)
MAX_SCREENSHOT_HEIGHT = 8000

MAP_IFRAME = 'iframe[title="streamlit_folium.st_folium"]'
MARKER = ".sm-marker"
# Pairs of pin discs (circles) that cover each other by more than a few pixels, as drawn on screen.
OVERLAPPING_PINS = """() => {
  const discs = [...document.querySelectorAll('.sm-disc')].map(d => d.getBoundingClientRect())
    .map(r => [r.left + r.width / 2, r.top + r.height / 2, r.width]);
  const pairs = [];
  discs.forEach((a, i) => discs.slice(i + 1).forEach((b) => {
    if (Math.hypot(a[0] - b[0], a[1] - b[1]) < (a[2] + b[2]) / 2 - 3) pairs.push([a, b]);
  }));
  return pairs;
}"""

if expect is not None:
    expect.set_options(timeout=UI_TIMEOUT_MS)  # expect() has its own 5 s default, too short for a rerun


@pytest.fixture
def pins_apart() -> Callable[[Any], None]:
    """Wait (on a Page or Frame) until no map pin covers another; fails with the overlaps if they stay."""

    def wait(frame: Any) -> None:
        try:
            frame.wait_for_function(f"() => ({OVERLAPPING_PINS})().length === 0", timeout=UI_TIMEOUT_MS)
        except Exception as exc:  # the timeout says nothing of which pins: name them
            raise AssertionError(f"pins still overlap: {frame.evaluate(OVERLAPPING_PINS)}") from exc

    return wait


def _unavailable(reason: str) -> None:
    """Skip, or fail where the browser tests are required (.ci/run sets SERVICEMAP_REQUIRE_BROWSER=1)."""
    if REQUIRE_BROWSER:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


# ----------------------------------------------------------------------------------------------- server


@dataclass(frozen=True)
class Server:
    url: str  # http://127.0.0.1:PORT
    log: Path


def _run_server(
    log_dir: Path, name: str, data_path: Path | None, extra_env: dict[str, str] | None = None
) -> Iterator[Server]:
    # The app's own settings (registry path, intranet tiles) come only from the fixture: hermetic runs.
    env = {"SERVICEMAP_DATA": str(data_path)} if data_path is not None else {}
    env.update(extra_env or {})
    log = log_dir / f"streamlit-{name}.log"
    try:
        with streamlit_server(env=env, log=log, timeout_s=SERVER_START_TIMEOUT) as running:
            yield Server(running.url, log)
    except ServerFailed as failure:
        pytest.fail(str(failure), pytrace=False)


@pytest.fixture(scope="session")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on the shipped registry, data/sites.csv."""
    yield from _run_server(tmp_path_factory.mktemp("server"), "default", None)


@pytest.fixture(scope="session")
def hostile_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """The app on a registry whose text fields are HTML, script and template-literal payloads."""
    yield from _run_server(tmp_path_factory.mktemp("hostile"), "hostile", HOSTILE_REGISTRY)


SCALE_SITES = 6_000  # even its meal-service third stays above the 1,500 where pins give way to canvas dots


@pytest.fixture(scope="session")
def scale_registry(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from bench.synthetic import write_registry

    return write_registry(SCALE_SITES, tmp_path_factory.mktemp("scale"))


@pytest.fixture(scope="session")
def scale_server(tmp_path_factory: pytest.TempPathFactory, scale_registry: Path) -> Iterator[Server]:
    """The app on a synthetic city-scale registry (labelled synthetic; generated, never shipped)."""
    yield from _run_server(tmp_path_factory.mktemp("scale-server"), "scale", scale_registry)


@dataclass
class TileServer:
    """A tile server on loopback whose tiles the test draws itself: the `custom` (intranet) basemap."""

    url_template: str  # http://127.0.0.1:PORT/tiles/{z}/{x}/{y}.png
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def tile_server() -> Iterator[TileServer]:
    import io
    import threading
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    from PIL import Image, ImageDraw

    tile_path = re.compile(r"^/tiles/(\d+)/(\d+)/(\d+)\.png$")
    served = TileServer("")

    class TileHandler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            match = tile_path.match(self.path)
            if not match:
                self.send_error(404)
                return
            served.requests.append(self.path)
            z, x, y = match.groups()
            image = Image.new("RGB", (256, 256), (226, 238, 226))
            draw = ImageDraw.Draw(image)
            draw.rectangle((0, 0, 255, 255), outline=(150, 180, 150))
            draw.text((8, 8), f"test tile {z}/{x}/{y}", fill=(60, 90, 60))
            body = io.BytesIO()
            image.save(body, format="PNG")
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(body.tell()))
            self.send_header("Access-Control-Allow-Origin", "*")
            self.end_headers()
            self.wfile.write(body.getvalue())

        def log_message(self, *args: object) -> None:  # keep pytest output clean
            return

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), TileHandler)
    served.url_template = f"http://127.0.0.1:{httpd.server_address[1]}/tiles/{{z}}/{{x}}/{{y}}.png"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield served
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture(scope="session")
def intranet_server(tmp_path_factory: pytest.TempPathFactory, tile_server: TileServer) -> Iterator[Server]:
    """The app configured, as an intranet deployment would be, with the test's own tile server."""
    settings = {"SERVICEMAP_TILES_URL": tile_server.url_template, "SERVICEMAP_TILES_ATTRIBUTION": "测试瓦片服务"}
    yield from _run_server(tmp_path_factory.mktemp("intranet"), "intranet", None, settings)


# ---------------------------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    if sync_playwright is None:
        _unavailable("the playwright Python package is not installed: pip install -e '.[test]'")
    if not Path(CHROMIUM).exists():
        _unavailable(f"Chromium not found at {CHROMIUM}: install Debian's chromium (see .ci/run)")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@dataclass
class Dashboard:
    """One browser tab on the app, with the waits and look-ups the tests share."""

    page: Any
    server: Server
    dialogs: list[str] = field(default_factory=list)  # alert/confirm/prompt messages: a script ran
    page_errors: list[str] = field(default_factory=list)  # uncaught JavaScript exceptions

    def goto(self, path_or_url: str = "/") -> Dashboard:
        url = path_or_url if path_or_url.startswith("http") else self.server.url + path_or_url
        self.page.goto(url)
        return self

    # --- the map iframe

    @property
    def map(self) -> Any:
        """The map iframe as a FrameLocator (auto-waiting)."""
        return self.page.frame_locator(MAP_IFRAME)

    @property
    def markers(self) -> Any:
        return self.map.locator(MARKER)

    def map_js(self) -> Any:
        """The map iframe as a Frame, to evaluate JavaScript in it (`window.map` is the Leaflet map)."""
        frame = self.page.locator(MAP_IFRAME).element_handle(timeout=UI_TIMEOUT_MS).content_frame()
        assert frame is not None, "the map iframe has no document"
        return frame

    def wait_for_map(self, markers: int) -> None:
        """Wait until the iframe exists, Leaflet has made `window.map`, and exactly `markers` are drawn."""
        # While the map re-mounts (a new basemap, the 定位到我 button) the old iframe lingers briefly.
        expect(self.page.locator(MAP_IFRAME)).to_have_count(1)
        # The frame locator follows the iframe through its first load; only then is a Frame handle stable.
        expect(self.map.locator(".leaflet-container")).to_be_attached()
        expect(self.markers).to_have_count(markers)
        self.map_js().wait_for_function("() => window.map !== undefined && window.map._loaded === true")

    def wait_for_map_at_rest(self, zoom: int) -> None:
        """Wait until the map has stopped moving at `zoom`. The address bar takes a pick's new view as the map
        starts flying there, and Leaflet ignores a zoom asked for while a zoom is still animating: a click on
        + then did nothing (a test that clicked it at once failed about one run in ten)."""
        self.map_js().wait_for_function(
            """(zoom) => window.map && window.map.getZoom() === zoom && !window.map._animatingZoom
                && !(window.map._panAnim && window.map._panAnim._inProgress)""",
            arg=zoom,
            timeout=UI_TIMEOUT_MS,
        )

    def map_view(self) -> tuple[int, float, float]:
        """The Leaflet map's zoom and centre (lat, lng) as the reader sees them."""
        zoom, lat, lng = self.map_js().evaluate(
            "[window.map.getZoom(), window.map.getCenter().lat, window.map.getCenter().lng]"
        )
        return int(zoom), float(lat), float(lng)

    def bring_map_into_view(self) -> None:
        """Scroll so the whole map is on screen, as a reader does before clicking in it."""
        self.page.locator(MAP_IFRAME).evaluate("e => e.scrollIntoView({block: 'center'})")
        self.page.wait_for_function(
            """(selector) => { const r = document.querySelector(selector).getBoundingClientRect();
                               return r.top >= 0 && r.bottom <= window.innerHeight; }""",
            arg=MAP_IFRAME,
        )

    # --- Streamlit

    def wait_for_rerun(self) -> None:
        """Wait until no script run is in progress. Callers then wait for what they expect to see,
        because a rerun that has not started yet passes this check too."""
        expect(self.page.get_by_test_id("stApp")).not_to_have_attribute("data-test-script-state", "running")
        expect(self.page.get_by_test_id("stStatusWidget")).to_have_count(0)

    def show_section(self, label: str) -> None:
        """Open one of the map page's parts below the map (我附近 / 统计与报道 / 下载与打印)."""
        option = self.page.get_by_role("radiogroup", name="继续查看").get_by_role("radio", name=label)
        option.click()
        expect(option).to_have_attribute("aria-checked", "true")
        self.wait_for_rerun()

    def metric(self, label: str) -> Any:
        """The value of the st.metric labelled exactly `label`."""
        exact_label = self.page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(f"^{re.escape(label)}$"))
        return self.page.get_by_test_id("stMetric").filter(has=exact_label).get_by_test_id("stMetricValue")

    @staticmethod
    def text_height(locator: Any) -> float:
        """The height of the text a locator's element shows, as drawn (its glyph boxes, not its own box)."""
        return locator.evaluate(
            """e => { const walker = document.createTreeWalker(e, NodeFilter.SHOW_TEXT); let node, height = 0;
                      while ((node = walker.nextNode())) {
                          if (!node.textContent.trim()) continue;
                          const range = document.createRange(); range.selectNodeContents(node);
                          height = Math.max(height, range.getBoundingClientRect().height);
                      }
                      return height; }"""
        )

    def page_link(self, name: str) -> Any:
        """A page's link: a tab in the header on a computer, at the top of the sidebar on a phone."""
        return self.page.locator('[data-testid="stTopNav"], [data-testid="stSidebarNav"]').get_by_role(
            "link", name=name, exact=True
        )

    def heading(self, text: str, level: int) -> Any:
        return (
            self.page.get_by_test_id("stMain").locator(f"h{level}").filter(has_text=re.compile(f"^{re.escape(text)}$"))
        )

    def xss_marker(self) -> dict[str, str]:
        """`typeof window.__xss` in the app page and in the map iframe: "undefined" unless a payload ran."""
        return {
            "page": self.page.evaluate("typeof window.__xss"),
            "map": self.map_js().evaluate("typeof window.__xss"),
        }

    def screenshot(self, name: str) -> Path:
        """A full-page PNG in tests/e2e/screenshots/.

        Streamlit scrolls inside its main container, so a plain full-page shot holds one screen only;
        the viewport is stretched to the content for the shot and put back afterwards.
        """
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        viewport = self.page.viewport_size
        content_height = self.page.evaluate(
            """() => Math.max(document.documentElement.scrollHeight, ...[...document.querySelectorAll(
                   '[data-testid="stMain"], [data-testid="stSidebarContent"]')].map(e => e.scrollHeight))"""
        )
        height = min(max(viewport["height"], int(content_height)), MAX_SCREENSHOT_HEIGHT)
        if height > viewport["height"]:
            self.page.set_viewport_size({"width": viewport["width"], "height": height})
        try:
            self.page.screenshot(path=str(path), full_page=True)
        finally:
            if height > viewport["height"]:
                self.page.set_viewport_size(viewport)
        return path

    def screenshot_of_screen(self, name: str) -> Path:
        """A PNG of what is on the screen now, as the reader sees it (not the whole page)."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        path = SCREENSHOTS / name
        self.page.screenshot(path=str(path))
        return path


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo) -> Iterator[None]:
    """Keeps each phase's report on the test, so open_dashboard can tell a failed test from a passed one."""
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture
def open_dashboard(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[[Server], Dashboard]]:
    """A factory: a Dashboard in a fresh browser context (own cookies and storage), not yet navigated.
    JavaScript dialogs are recorded and dismissed; every context is closed after the test. A failed test leaves a
    screenshot of each of its pages in tests/e2e/screenshots/failed-*.png: a failure seen once in a full run (the
    phone's list, whose cards never came) could not be told from its message alone."""
    contexts = []

    def make(server: Server, phone: bool = False, user_agent: str = PHONE_USER_AGENT) -> Dashboard:
        # A phone: what a family opens a link shared in a chat app on (`user_agent`: which phone's browser).
        device = {
            "viewport": PHONE_VIEWPORT,
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
            "user_agent": user_agent,
        }
        context = browser.new_context(
            **(device if phone else {"viewport": VIEWPORT}), accept_downloads=True, locale="zh-CN"
        )
        context.set_default_timeout(UI_TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        dashboard = Dashboard(page, server)
        page.on("dialog", lambda dialog: (dashboard.dialogs.append(dialog.message), dialog.dismiss()))
        page.on("pageerror", lambda error: dashboard.page_errors.append(str(error)))
        return dashboard

    yield make
    call = getattr(request.node, "report_call", None)
    if call is not None and call.failed:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        for number, context in enumerate(contexts):
            for page in context.pages:
                # A diagnostic: a page that cannot be photographed (closed, crashed) must not hide the failure itself.
                with contextlib.suppress(Exception):
                    page.screenshot(path=str(SCREENSHOTS / f"failed-{request.node.name}-{number}.png"), full_page=True)
    for context in contexts:
        context.close()
