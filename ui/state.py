"""What a session holds between reruns, and how it travels in the link: the widget keys, the page context,
URL -> session state on a session's first run, and session state -> URL after every run."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

import pandas as pd
import pyarrow as pa
import streamlit as st

from servicemap import basemaps, geo, metrics, sitelist, urlstate, viewport, vocab
from servicemap import filters as filtering
from servicemap.mapview import LayerMask, View
from servicemap.registry import LoadResult

# Session-state keys; widget keys double as the names tests use to drive the sidebar.
LAYER_KEYS = {layer: f"f_layer_{layer}" for layer in vocab.LAYERS}
MEAL_KEY, TYPES_KEY, LEVELS_KEY, STREETS_KEY, QUERY_KEY = "f_meal", "f_types", "f_levels", "f_streets", "f_query"
BASEMAP_KEY = "f_basemap"
DEFAULT_BASEMAP_KEY = "default_basemap"  # the server's (SERVICEMAP_BASEMAP, or its intranet tiles), per session
LARGE_KEY, COVER_KEY, SECTION_KEY = "f_large", "f_cover", "f_section"
LIST_ORDER_KEY = "list_order"  # 资源清单's 排列顺序, by its words (sitelist.ORDERS)
NEAR_KEY, WALK_MINUTES_KEY, WALK_SPEED_KEY = "near_point", "walk_minutes", "walk_speed"
SELECTED_KEY, VIEW_KEY, NOTICES_KEY, SEEDED_KEY = "selected_site", "map_view", "url_notices", "url_seeded"
CONTEXT_KEY, PAGES_KEY = "page_context", "app_pages"
# "My location" is being put on the map (a click or 定位到我), and where the map flies next (display CRS).
PICK_KEY, FLY_TO_KEY = "near_pick", "fly_to"
# "My location" was just put on the map: the next run brings the answer at the top of the page into view (on a
# phone it appeared above the screen, out of sight of the reader who had tapped the map).
ANSWER_ANEW_KEY = "answer_to_bring_into_view"
DETAIL_ANEW_KEY = "detail_to_bring_into_view"  # a site chosen on 资源清单: its details get the focus on the map
# 放宽筛选 pressed in a part of the page that reruns alone (the map and its details): the whole page runs again
FILTERS_LOOSENED_KEY = "filters_loosened"
PICKER_ANEW_KEY = "picker_to_focus"  # 清除选择 pressed: the site picker takes the keyboard's focus
# How long such a mark (DETAIL_ANEW, PICKER_ANEW) stands, from the run that first draws it. Drawn by one run alone,
# it was gone again before the browser had drawn it when the next run followed close behind (a busy machine: the
# map's view report just after 清除选择), and the picker never took the focus (1 browser run in 10 with three
# CPU-bound loops beside). The page's script acts once on each mark, however many runs it stands through.
MARK_STANDS_S = 3.0
EXPORT_TILES_KEY = "export_tiles"  # 离线地图附带在线底图
# The map page's own. The live map is built for an origin (opening view, basemap, picking mode) and kept with
# it, so panning never re-mounts it; the site picked in the list, which the map flies to on the next run; the
# click and the background click already acted on (streamlit-folium reports the last of each on every run).
MAP_ORIGIN_KEY, BASE_MAP_KEY, BASE_MAP_ORIGIN_KEY = "map_origin", "base_map", "base_map_key"
FLY_TO_SITE_KEY, LAST_CLICK_KEY, LAST_BACKGROUND_CLICK_KEY = "fly_to_site", "last_click", "last_background_click"
# The site a shared link named, while it is still the one selected: its name stands beside its pin.
SHARED_SITE_KEY = "shared_site"


@dataclass(frozen=True)
class PageContext:
    """What every page needs, computed once per run by the frame."""

    registry: LoadResult
    filters: filtering.Filters
    shown: pd.DataFrame  # registry rows passing the filters
    summary: metrics.Metrics  # of the shown rows
    layer_masks: list[LayerMask]  # which published sites the map draws
    unplaced: str | pa.Table  # the shown sites without a position, ready to list (Markdown or Arrow)


def context() -> PageContext:
    return st.session_state[CONTEXT_KEY]


def selected_site() -> str | None:
    return st.session_state.get(SELECTED_KEY)


def select_site(site_id: str | None) -> None:
    st.session_state[SELECTED_KEY] = site_id


def current_view() -> View | None:
    return st.session_state.get(VIEW_KEY)


def set_view(view: View) -> None:
    st.session_state[VIEW_KEY] = view


def seed_from_url(registry: LoadResult, server_basemap: Callable[[], str]) -> None:
    """On a session's first run, put the link's state into the widgets (once: afterwards widgets lead). A
    link without basemap= opens on `server_basemap()`, the server's (asked only then: it reads secrets.toml)."""
    if st.session_state.get(SEEDED_KEY):
        return
    sites = registry.sites
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    default_basemap = st.session_state[DEFAULT_BASEMAP_KEY] = server_basemap()
    decoded = urlstate.decode(
        params, site_ids=set(sites["id"]), streets=filtering.street_options(sites), default_basemap=default_basemap
    )
    state = decoded.state
    set_filters(state.filters)
    st.session_state[BASEMAP_KEY] = state.basemap
    st.session_state[LARGE_KEY] = state.large
    st.session_state[COVER_KEY] = state.coverage
    st.session_state[SECTION_KEY] = state.section
    if state.order:
        st.session_state[LIST_ORDER_KEY] = _ORDER_WORDS[state.order]
    st.session_state[NEAR_KEY] = state.near
    # The link carries only the radius; the panel shows a walking time and speed that give it back.
    st.session_state[WALK_MINUTES_KEY], st.session_state[WALK_SPEED_KEY] = geo.walk_settings_for_radius(state.radius_m)
    st.session_state[SELECTED_KEY] = state.selected
    st.session_state[VIEW_KEY] = state.view
    st.session_state[SHARED_SITE_KEY] = state.selected
    if state.selected is not None:
        # Only a site the link's filters show: one they hide has no pin, and the map opened on an empty street.
        shown_by_link = filtering.apply(sites.loc[sites["id"] == state.selected], state.filters)
        site = shown_by_link[["lat", "lon", "precision"]].dropna(subset=["lat", "lon"])
        if not site.empty:
            lat, lon, precision = float(site.iloc[0]["lat"]), float(site.iloc[0]["lon"]), str(site.iloc[0]["precision"])
            if state.view is not None:
                # The site the link is about is in view, wherever the sender's popup had slid the map.
                st.session_state[VIEW_KEY] = viewport.view_showing(state.view, lat, lon)
            else:
                # A link naming a site and no view (written by hand, or cut short in a chat) opened on the
                # district, the site at a phone's very edge: it opens on the site, as a pick flies there.
                zoom = viewport.fly_to_zoom(precision, None)
                st.session_state[VIEW_KEY] = viewport.View(round(lat, 5), round(lon, 5), zoom)
    st.session_state[NOTICES_KEY] = decoded.notices
    st.session_state[SEEDED_KEY] = True
    # A link with parts that could not be used is cleaned at once, at the cost of that history entry.
    st.session_state[URL_HELD_KEY] = not decoded.notices


def set_filters(filters: filtering.Filters, *, guard_echo: bool = False) -> None:
    """Put `filters` into the sidebar's widgets: before they are drawn (on a session's first run, or from a
    widget's callback). With `guard_echo` (from a callback), the filters replaced are kept for
    undo_stale_filters, for ECHO_S."""
    if guard_echo:
        st.session_state[_FILTERS_REPLACED_KEY] = (filters_from_state(), filters, time.monotonic())
    for layer, key in LAYER_KEYS.items():
        st.session_state[key] = layer in filters.layers
    st.session_state[MEAL_KEY] = filters.meal
    st.session_state[TYPES_KEY] = [c for c in vocab.SITE_TYPES if c in filters.types]
    st.session_state[LEVELS_KEY] = [c for c in vocab.LEVELS if c in filters.levels]
    st.session_state[STREETS_KEY] = sorted(filters.streets)
    st.session_state[QUERY_KEY] = filters.query


def large_mode() -> bool:
    return bool(st.session_state.get(LARGE_KEY, False))


def picking() -> bool:
    """Whether a tap on the map's background sets "my location": while the reader has switched it on, and
    always in 大字模式. An older reader taps rather than types, and her tap did nothing, with no word why: the
    switch was three screens down. Staff keep taps for closing popups."""
    return large_mode() or bool(st.session_state.get(PICK_KEY, False))


def near_point() -> tuple[float, float] | None:
    return st.session_state.get(NEAR_KEY)


# A box's value the page replaced, kept for this long (mirror_choice, guard_echo): a run the browser sent before it
# had the new value still names the old one, and the box's callback took that for a new choice (on a busy machine
# 清除选择 was undone so, 1 run in 8 with three CPU-bound loops beside). A reader opens the list and chooses in
# longer than this; such a late run arrives within it.
ECHO_S = 2.0


def _replaced_key(key: str) -> str:
    return f"{key}_replaced"


def mirror_choice(key: str, value: object, *, guard_echo: bool = False) -> None:
    """Show `value` in the select box `key` (drawn after this), which mirrors a choice made elsewhere (a tap on
    the map, a link). Only when it differs: every value set is sent to the browser, and one arriving while the
    reader had the list open closed it under her finger. With `guard_echo`, the value replaced is kept for
    is_echo, for ECHO_S."""
    if key not in st.session_state or st.session_state[key] != value:
        if guard_echo and key in st.session_state:
            st.session_state[_replaced_key(key)] = (st.session_state[key], time.monotonic())
        st.session_state[key] = value


_FILTERS_REPLACED_KEY = "filters_replaced"  # (filters replaced, filters set, when): set_filters with guard_echo


def undo_stale_filters() -> None:
    """Call before the sidebar's filters are drawn. A run the browser asked for before it had the filters a callback
    set (set_filters with guard_echo) carries the sidebar's old values, and Streamlit takes them over the callback's:
    放宽 was undone so on a busy machine, 1 tap in 20 with two CPU-bound loops beside (the map's first report of its
    view, sent 40 ms after the tap). Within ECHO_S, the old filters exactly are such a run: the set ones go back."""
    record = st.session_state.get(_FILTERS_REPLACED_KEY)
    if record is None:
        return
    replaced, chosen, since = record
    if time.monotonic() - since >= ECHO_S:
        del st.session_state[_FILTERS_REPLACED_KEY]
    elif filters_from_state() == replaced:
        set_filters(chosen)


def is_echo(key: str, value: object) -> bool:
    """Whether `value`, just chosen in the box `key`, is the one mirror_choice replaced there less than ECHO_S ago:
    a late run, not a choice. Asked once per change (the value kept is spent)."""
    replaced = st.session_state.pop(_replaced_key(key), None)
    return replaced is not None and value == replaced[0] and time.monotonic() - replaced[1] < ECHO_S


def mark_stands(key: str) -> bool:
    """Whether the mark `key` (set True by what asks for it) is drawn in this run: for MARK_STANDS_S from the run
    that first draws it."""
    since = st.session_state.get(key)
    if since is None or since is False:
        return False
    now = time.monotonic()
    if since is True:
        st.session_state[key] = now
        return True
    if now - since <= MARK_STANDS_S:
        return True
    del st.session_state[key]
    return False


def set_near_point(point: tuple[float, float] | None, *, keep_previous: bool = False) -> None:
    """`point` as "my location"; with `keep_previous` (a tap on the map), the one it replaces is kept for
    previous_near_point, to go back to. Any other change forgets it."""
    previous = st.session_state.get(NEAR_KEY)
    new = None if point is None else (round(point[0], 5), round(point[1], 5))
    if keep_previous and previous is not None and previous != new:
        st.session_state[PREVIOUS_NEAR_KEY] = previous
    else:
        st.session_state.pop(PREVIOUS_NEAR_KEY, None)
    st.session_state[NEAR_KEY] = new


PREVIOUS_NEAR_KEY = "previous_near_point"  # "my location" before a tap on the map moved it


def previous_near_point() -> tuple[float, float] | None:
    return st.session_state.get(PREVIOUS_NEAR_KEY)


def walk_speed_m_per_min() -> float:
    return st.session_state.get(WALK_SPEED_KEY, geo.DEFAULT_WALK_SPEED_M_PER_MIN)


def walk_radius_m() -> int:
    minutes = st.session_state.get(WALK_MINUTES_KEY, geo.DEFAULT_WALK_MINUTES)
    radius = round(geo.walking_radius_m(minutes, walk_speed_m_per_min()))
    return max(urlstate.MIN_RADIUS_M, min(urlstate.MAX_RADIUS_M, radius))


def coverage_on() -> bool:
    return bool(st.session_state.get(COVER_KEY, False))


def basemap_code() -> str:
    return st.session_state.get(BASEMAP_KEY, default_basemap())


def default_basemap() -> str:
    """The server's basemap for links that name none, as seeded (basemaps.deployment_default)."""
    return st.session_state.get(DEFAULT_BASEMAP_KEY, basemaps.DEFAULT_BASEMAP)


def settle_choice_widgets(streets: list[str]) -> None:
    """Put option codes back in the filter widgets' state before they are drawn: Streamlit may hold a label
    shown in an earlier run, with an out-of-date count, which it no longer maps to an option (see
    filtering.code_for). A value already a code is left as it is, so a click in flight is not undone."""
    state = st.session_state
    if MEAL_KEY in state and state[MEAL_KEY] not in filtering.MEAL_CHOICES:
        state[MEAL_KEY] = filtering.code_for(state[MEAL_KEY], filtering.MEAL_CHOICE_LABELS) or "all"
    facets = (
        (TYPES_KEY, {code: site_type.label for code, site_type in vocab.SITE_TYPES.items()}),
        (LEVELS_KEY, dict(vocab.LEVELS)),
        (STREETS_KEY, {street: street for street in streets}),
    )
    for key, names in facets:
        chosen = state.get(key)
        if chosen and any(value not in names for value in chosen):
            codes = (filtering.code_for(value, names) for value in chosen)
            state[key] = list(dict.fromkeys(code for code in codes if code is not None))


DRAWN_LABELS_KEY = "drawn_choice_labels"  # filter widget key -> the labels its chosen options were drawn with


def relabel_choice(key: str, chosen_labels: tuple[str, ...]) -> None:
    """Call just before drawing a filter widget, with the labels its chosen options get this run.

    The browser keeps showing the labels it drew until the server sends the widget's value again: after
    unticking a layer the meal radio showed no option chosen (全部's count had changed), and a tag read
    国家级（0） beside 5 national sites. So when a chosen option's label (its count) changes, the value is
    assigned through the session state, which sends it with today's labels. Only then: a value sent on every
    run would also land on a list the reader is still picking from, and could undo a pick in flight.
    """
    drawn: dict[str, tuple[str, ...]] = st.session_state.setdefault(DRAWN_LABELS_KEY, {})
    if key in st.session_state and drawn.get(key, chosen_labels) != chosen_labels:
        st.session_state[key] = st.session_state[key]
    drawn[key] = chosen_labels


# For widgets not drawn on every run: the map page's (most of them in one of the parts below the map, drawn one
# at a time) and the filters 大字模式 hides. By default Streamlit forgets a widget's value after a run that does
# not draw it: a visit to 资源清单 brought the walk back as 1 minute at 20 m/min (a 50 m circle) and the link
# with it. Re-assigning the values through the session state every run kept only the values a reader had
# changed, not those a link had set. Streamlit's own persist_state="session" keeps both.
KEEP_FOR_SESSION: Final = "session"


def filters_from_state() -> filtering.Filters:
    state = st.session_state
    simple = large_mode()
    return filtering.Filters(
        layers=frozenset(layer for layer, key in LAYER_KEYS.items() if state.get(key, True)),
        meal=state.get(MEAL_KEY, "all"),
        types=frozenset() if simple else frozenset(state.get(TYPES_KEY, [])),
        levels=frozenset() if simple else frozenset(state.get(LEVELS_KEY, [])),
        streets=frozenset() if simple else frozenset(state.get(STREETS_KEY, [])),
        query=state.get(QUERY_KEY, "").strip(),
    )


_ORDER_WORDS = {code: words for words, code in sitelist.ORDER_CODES.items()}


def list_order_code() -> str:
    """资源清单's order as the link writes it: "" for the default, or for an order chosen from a "my location"
    since cleared (the list then falls back to its default)."""
    code = sitelist.ORDER_CODES.get(st.session_state.get(LIST_ORDER_KEY, ""), "")
    offered = sitelist.ORDERS if near_point() is None else sitelist.ORDERS_FROM_MY_LOCATION
    return code if code and _ORDER_WORDS[code] in offered else ""


def app_state(filters: filtering.Filters) -> urlstate.AppState:
    return urlstate.AppState(
        filters,
        current_view(),
        selected_site(),
        basemap_code(),
        near_point(),
        walk_radius_m(),
        coverage_on(),
        large_mode(),
        st.session_state.get(SECTION_KEY) or urlstate.DEFAULT_SECTION,
        list_order_code(),
    )


# The address as the link gave it stays through a session's first run, unless it held parts that could not
# be used. Streamlit adds a history entry for each new query, and the page's script that makes a new query
# replace the entry instead (static/history.js) runs only once that first run is drawn: a write from it cost
# an old reader a press of back that did nothing.
URL_HELD_KEY = "url_held"


def release_url() -> None:
    """Called at the end of every full run: from the next run on, sync_url writes the address."""
    st.session_state.pop(URL_HELD_KEY, None)


def sync_url(filters: filtering.Filters) -> None:
    """Write the current state into the address bar (only when it changed, to avoid history noise), except
    during a session's first run (URL_HELD_KEY)."""
    if st.session_state.get(URL_HELD_KEY):
        return
    wanted = urlstate.encode(app_state(filters), default_basemap())
    present = {key: st.query_params.get(key) for key in st.query_params}
    if present != wanted:
        st.query_params.from_dict(wanted)
