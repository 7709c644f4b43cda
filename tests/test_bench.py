"""A small benchmark case that guards the speed-up over the naive per-Marker app.

Absolute times on a shared 2-core machine are noise, so nothing here asserts seconds: both apps
are measured in the same process on the same synthetic registry and only the ratio is checked,
with a wide margin below what `python -m bench` measures (about 200x at 10,000 sites).
"""

from __future__ import annotations

from urllib.parse import urlencode

import pytest
from websockets.sync.client import connect

from bench import wsload
from bench.load import FLOOR_APP, ROOT, SHARED_LINK, serve_and_drive
from bench.measure import NAIVE_APP, PROJECT_APP, time_filter_reruns
from bench.synthetic import write_registry
from bench.wsload import websocket_url

pytestmark = pytest.mark.bench

SITES = 1_500
MIN_SPEED_UP = 5  # measured ~15-20x at this size; 5x still fails if the per-site work comes back


def test_filter_rerun_is_much_faster_than_the_naive_app(tmp_path):
    registry = write_registry(SITES, tmp_path)
    ours = time_filter_reruns(PROJECT_APP, registry, repeats=5, trace_memory=False)
    naive = time_filter_reruns(NAIVE_APP, registry, repeats=3, trace_memory=False)
    speed_up = naive.median_s / ours.median_s
    assert speed_up >= MIN_SPEED_UP, f"only {speed_up:.1f}x faster ({ours.median_s:.3f}s vs {naive.median_s:.3f}s)"
    # Bytes are deterministic, so they can be held tightly: a rerun must not resend every site.
    assert ours.bytes_per_rerun < naive.bytes_per_rerun / 10


def test_a_rerun_does_not_resend_the_sites_at_city_scale(tmp_path):
    """Bytes are deterministic: at 10,000 sites (a third of them meal points, still above the 2,000 where
    site dropdowns stop) a filter rerun must send a mask, not the registry. A dropdown of every site once
    slipped in and cost ~30 bytes a site on every rerun; today it is ~2.3."""
    registry = write_registry(10_000, tmp_path)
    ours = time_filter_reruns(PROJECT_APP, registry, repeats=2, trace_memory=False)
    assert ours.bytes_per_rerun / 10_000 < 5, f"{ours.bytes_per_rerun / 10_000:.1f} bytes a site per rerun"


@pytest.mark.parametrize("app", [FLOOR_APP, ROOT / "app.py"], ids=["floor", "dashboard"])
def test_websocket_load_sessions_change_the_meal_filter_without_errors(app):
    """The websocket harness once sent the meal radio's value as an index, which Streamlit 1.67 rejects:
    every run of the floor app raised, and the ratios it printed compared failures. A run that draws an
    exception now counts as an error, and a few sessions must finish with none."""
    result = serve_and_drive(app, app.stem, 3, 3, None, [], websocket_url, wsload.shared_link_session)
    assert result.errors == []
    assert result.interactions == 9


def test_people_at_a_persons_pace_arrive_spread_out_and_pause_between_clicks(monkeypatch):
    """bench.capacity's sessions pause as people do: each arrives within one pause and pauses half to one and
    a half times the think time between clicks. The pauses are recorded here, not slept."""
    pauses: list[float] = []
    monkeypatch.setattr(wsload, "pause", pauses.append)
    think_s = 2.0
    result = serve_and_drive(
        ROOT / "app.py", "dashboard", 2, 3, None, [], websocket_url, wsload.human_pace_session(think_s)
    )
    assert result.errors == [] and result.interactions == 6
    # Warm-up (2 interactions) and 2 sessions (3 each): an arrival, then a pause before each later click.
    assert len(pauses) == (1 + 1) + 2 * (1 + 2)
    assert sum(0.5 * think_s <= p <= 1.5 * think_s for p in pauses) >= 1 + 2 * 2  # every pause between clicks
    assert all(0 <= p <= 1.5 * think_s for p in pauses)


def test_websocket_clients_keep_every_widget_and_the_address_bar_as_a_browser_does():
    """Sending only the changed widget made Streamlit read the layer checkboxes as unticked, so the load
    test measured a map with no sites. A client holds and resends every widget, as a browser tab does."""
    seen = {}

    def drive(url, interactions, result, lock):
        with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            browser = wsload.Browser(ws)
            browser.rerun()
            browser.rerun("提供助餐")
            seen["query"], seen["widgets"] = browser.query_string, dict(browser.widgets)

    serve_and_drive(ROOT / "app.py", "dashboard", 1, 1, None, [], websocket_url, drive)
    assert seen["query"] == "meal=yes"
    layer_boxes = [state for widget_id, state in seen["widgets"].items() if "f_layer_" in widget_id]
    assert len(layer_boxes) == 2
    assert all(state.bool_value for state in layer_boxes)


def test_websocket_clients_open_a_shared_link_and_pick_sites_as_a_browser_does():
    """Issue 7's sessions open a shared link, change filters and pick sites. The link must reach the app
    (it draws the linked site as selected), and a pick must rerun only the map-and-details fragment, change
    the selection in the address bar, and, as the map flies to the site, report the new view in a second
    fragment run, as streamlit-folium does in a browser."""
    seen = {}

    def drive(url, interactions, result, lock):
        if seen:  # the warm-up session is the one observed; the measured one only needs to finish
            return
        with connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=60) as ws:
            browser = wsload.Browser(ws)
            browser.open_link(urlencode(SHARED_LINK, doseq=True))
            seen["opened"] = browser.picked
            browser.change_meal()  # to 全部: every site in the list
            meal_widget, seen["full run"] = browser.widgets[browser.meal_id], browser.elements_drawn
            browser.pick_site()
            seen["pick"] = browser.elements_drawn
            seen["picked"], seen["query"] = browser.picked, browser.query_string
            seen["meal kept"] = browser.widgets.get(browser.meal_id) == meal_widget
            seen["map report"] = browser.map_value

    serve_and_drive(ROOT / "app.py", "dashboard", 1, 1, None, [], websocket_url, drive)
    assert seen["opened"] == "卢沟桥街道养老服务中心"  # drawn by the app from the link's site=
    assert seen["picked"] == "中国人民抗日战争纪念馆"
    assert "site=uf-kangzhan-museum" in seen["query"]
    assert seen["meal kept"], "a fragment run must not make the client forget the sidebar's widgets"
    assert 0 < seen["pick"] < seen["full run"] / 2, f"{seen['pick']} of {seen['full run']} elements redrawn"
    # The map flew to the museum and reported it, and the app wrote that view into the link.
    assert abs(seen["map report"]["center"]["lat"] - 39.8523) < 0.01
    assert "view=39.85" in seen["query"].replace("%2C", ",")


def test_agent_api_replies_with_an_exception_count_as_errors():
    from bench.load import _has_exception

    tree = {"type": "root", "children": [{"type": "main", "children": [{"type": "exception", "props": {}}]}]}
    assert _has_exception(tree)
    assert not _has_exception({"type": "root", "children": [{"type": "metric", "props": {"label": "exception"}}]})
