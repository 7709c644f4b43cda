"""地图: what is where. Metrics first, then the map with the selected site beside it, then one part at a
time below it: near me (the walking circle and nearest services), figures and reports, downloads and print."""

from collections.abc import Callable
from contextlib import nullcontext
from functools import partial

import numpy as np
import pandas as pd
import streamlit as st

from servicemap import (
    basemaps,
    mapexport,
    mapview,
    metrics,
    nearby,
    nearby_text,
    sitedata,
    sitetext,
    urlstate,
    viewport,
    vocab,
)
from servicemap.textsafe import markdown_literal
from ui import data, downloads, figures, frame, livemap, nearme, sitecard, state

MAP_KEY = "site_map"
PICKER_KEY = "site_picker"
# Marker clicks select a site, background clicks set "my location" while choosing it; the view feeds the link.
RETURNED = ["last_object_clicked", "last_clicked", "center", "zoom"]
SITE_DETAIL_ANCHOR = "site-detail"  # the 站点详情 heading, which the card of a linked site points down to
PICKER_LIMIT = 2000  # beyond this a dropdown is unusable and heavy to send; the map and search take over

ctx = state.context()
shown = ctx.shown
summary = ctx.summary
near = state.near_point()  # "my location", or None
radius_m = state.walk_radius_m()
# The shown sites at "my location" (it may have been chosen from one). A location chosen from an approximate
# landmark or site is approximate too: distances say so.
near_sites = shown.iloc[0:0]
near_origin: nearby.Place | None = None  # the community, landmark or site "my location" was chosen from, if any
# Only the intranet basemap needs its settings read (environment, secrets.toml): not on every rerun.
basemap_code = state.basemap_code()
basemap, basemap_notice = basemaps.resolve(basemap_code, data.custom_basemap() if basemap_code == "custom" else None)
if near is not None:
    near_sites = mapview.sites_at(shown, *near, tolerance=nearby.PLACE_MATCH_DEG)
    near_origin = data.near_origin(shown, near)
near_precision = nearby.origin_precision(near_origin)


def no_meal_point_text(on_paper: bool = False) -> str:
    """Why no meal point answers "my location": the page and the files say the same (the files had said
    "none on the map" where the filters hid one)."""
    meal_points = nearby.placed_meal_points(ctx.registry.sites)
    hidden = meal_points.loc[~meal_points.index.isin(shown.index)]
    return nearby_text.no_meal_point_text(ctx.filters, len(shown), hidden, on_paper=on_paper)


whose = data.current_edition()  # 卢沟桥's, or another office's registry (servicemap/edition.py)
reported = data.reported_by_key()  # the reports' figures with the registry's counts ({} for an office's own)
st.title(whose.title, anchor=nearme.TOP_ANCHOR)
# On a phone the sidebar is folded away behind », and the meal filter and large print with it.
# A family comes for the nearest meal, but the location to ask from is two screens down on a phone (after the
# figures and the map): a link takes it there, while no location is chosen and that part is the one shown.
# Not on a 统战-only view, which has no meal points to find (staff review).
asks_for_location = (
    near is None
    and (st.session_state.get(state.SECTION_KEY) or urlstate.DEFAULT_SECTION) == "near"
    and vocab.CARE_LAYER in ctx.filters.layers
)
# The first lines and the answer in one block: the answer appearing once "my location" is chosen then
# shifts nothing after it, so the page keeps what it has drawn below (the place box chosen from kept the
# keyboard's focus; inserted at the page's level, it had been drawn anew and focus fell to the top).
with st.container(key="page_top"):
    st.caption(
        markdown_literal(whose.intro)
        + "筛选（只看助餐等）在侧栏；手机上点左上角 » 打开。"
        + (f"  \n**找助餐？[选择我的位置，看最近的助餐点 ↓](#{nearme.ANCHOR})**" if asks_for_location else "")
    )
    frame.large_mode_button()

    # The question most families come with, answered first when they have a location (a shared 我附近 link
    # opens here on a phone, and six figures before it pushed the answer below the screen): where is the
    # nearest meal from "my location"?
    meal_point = nearby.nearest_meal_point(shown, *near) if near else None
    meal_caveat = metrics.nearest_meal_caveat(reported) if meal_point else None

    # Right after a tap on the map the answer is brought into view (static/answer_scroll.js looks for this key):
    # on a phone it appeared above the screen while the reader was looking at the map.
    answer_anew = st.session_state.pop(state.ANSWER_ANEW_KEY, False)
    if near is not None:
        # Not a container on every run: each is one more message per rerun, for every reader.
        with st.container(key=frame.ANSWER_ANEW) if answer_anew else nullcontext():
            if meal_point is None:
                st.info(markdown_literal(no_meal_point_text()), icon=":material/restaurant:")
            else:
                st.success(
                    nearby_text.nearest_meal_text(
                        meal_point, radius_m, state.walk_speed_m_per_min(), near_origin, meal_caveat
                    ),
                    icon=":material/restaurant:",
                )
            previous = state.previous_near_point()
            if near_origin is None and previous is not None:
                # A tap that moved a location already chosen (in 大字模式 any tap on the open map, a finger scrolling)
                # is undone to that location, not to none: the mother lost the place her daughter had set, and
                # 清除 gave her nothing to go back to (phone review).
                previous_origin = data.near_origin(shown, previous)
                st.button(
                    "不是这里？回到刚才的" + (f"“{previous_origin.label}”" if previous_origin else "“我的位置”"),
                    key="back_to_previous_near",
                    icon=":material/undo:",
                    type="tertiary",
                    on_click=nearme.fly_to_near_point,
                    args=(previous, shown, radius_m, basemap),
                )
            if near_origin is None:
                # A tap on the map sets it (in 大字模式 any tap on the open map): a tap in the wrong place is undone
                # here, by the answer it brought, not three screens down in 我附近 (second review).
                st.button(
                    "不是这里？清除“我的位置”",
                    key="clear_near_top",
                    icon=":material/undo:",
                    type="tertiary",
                    on_click=state.set_near_point,
                    args=(None,),
                )
    elif ctx.filters.query and shown.empty:
        # A family typing its own neighbourhood into the search box must not read "no meals here" into 0 sites.
        nothing = nearby_text.no_meal_point_text(ctx.filters, 0)
        nothing += metrics.reported_but_not_registered_text(ctx.filters.query, reported)
        st.warning(markdown_literal(nothing), icon=":material/search_off:")

    # A link naming a site, opened on a phone: its details are below the map there, two screens down, and the
    # brother a daughter sent it to saw the title and figures first. Its gist comes first (phone review).
    linked_site = st.session_state.get(state.SHARED_SITE_KEY)
    linked_label = data.site_label(linked_site) if linked_site and linked_site == state.selected_site() else None
    # Not when the answer just above is about the same site: a link with "my location" and the centre picked
    # opened on two boxes, each with its address, hours, phone and price, before the map (phone review).
    answered_above = (
        meal_point is not None
        and linked_label is not None
        and (ctx.registry.sites.loc[linked_label, "name"] == meal_point.name)
    )
    if linked_label is not None and not answered_above:
        with st.container(key=f"{frame.NARROW_SCREEN_ONLY}_linked_site"):
            linked = ctx.registry.sites.loc[linked_label]
            gist = sitetext.linked_site_text(linked, markdown_literal)
            # Where to look for it: not "on the map" for a site the map cannot show (a reader looked for the pin
            # of a site whose position is unknown, or one the link's own filters hide).
            if pd.isna(linked["lat"]):
                where = "位置待核实，未在地图上标注。全部信息见下方"
            elif linked_label not in shown.index:
                where = "它不在当前筛选结果中，地图上没有它的标记。全部信息见下方"
            else:
                where = "地图上的位置和全部信息见下方"
            st.info(vocab.hotline_linked(gist) + f"  \n[{where} ↓](#{SITE_DETAIL_ANCHOR})", icon=":material/share:")

# Said in each group's heading: the big numbers count what this map holds. A leader reading them off a projector
# quoted "助餐点 1" as the street's, and the reports' totals stood only in the small print (briefing review).
IN_THIS_MAP = " · 本图收录"

# Two groups in one row, each under whose figures they are: the street's care services, the district's
# united-front work (side by side with no heading, a briefing read the district's 12 as the street's). Rows,
# not columns: the same look with half the elements on every rerun.
with st.container(horizontal=True, gap="large", key="metric_row"):
    # Each group only where the filters show its layer: 0 / 0 / 0 张 beside "报道 12 家" said nothing.
    if vocab.CARE_LAYER in ctx.filters.layers:
        with st.container(horizontal=True, gap="medium", key="care_figures"):
            st.caption(whose.care_figures_heading + IN_THIS_MAP)
            # The street's reported total beside what is registered: 4 alone reads as "the street has 4". The chip
            # pairs the 12 with its own counterpart (institutions registered), not with this layer count, which
            # also holds a hospital and a health centre, and it names its subject: under a filter the number above
            # drops to 1, and "其中机构 2 家" then read as "2 of the 1".
            institutions = metrics.institutions_text(reported)
            st.metric(
                vocab.LAYERS[vocab.CARE_LAYER],
                summary.shown_by_layer[vocab.CARE_LAYER],
                delta=institutions,
                delta_color="off",
                delta_arrow="off",
                # The note under the figure explained only where there is one: an office with no reports of its
                # own read of "区报" figures its page did not show (adopter review).
                help="当前筛选下登记表收录的养老服务资源（含医院、卫生服务中心和位置待核实的）"
                + ("；下方小字是报道的街道养老机构总数，及其中已收录的机构数（不随筛选变化）" if institutions else ""),
            )
            st.metric(
                "助餐点",
                summary.meal_points,
                # The report names the centre's canteen and gives no count of the street's meal points (short: at
                # 1280 px a longer note broke over two lines). Broken at its colon where it must break: on a 360 px
                # phone it read "全街总数不 / 详".
                delta="全街总数：不详" if whose.shipped and reported else None,
                delta_color="off",
                delta_arrow="off",
                help=f"登记为提供助餐服务的站点；另有 {summary.meal_unknown} 处养老服务资源的助餐情况"
                "来源未说明，不计在内",
            )
            # The chip says how many sites the total rests on: 18 beds is one centre's, not the street's.
            st.metric(
                whose.beds_label,
                metrics.beds_figure(summary),
                delta=metrics.beds_note(summary.sites_with_beds) if summary.care_beds else None,
                delta_color="off",
                delta_arrow="off",
                help=f"已知床位数的站点 {summary.sites_with_beds} 处的合计；其余站点床位不详"
                if summary.sites_with_beds
                else "当前筛选下的站点都没有登记床位数",
            )
    # 大字模式 is for older readers looking for care: the united-front figures (a layer they can still switch
    # on the map) gave way to bigger type; one of them read 统战 / 国家级 / 市级 before any meal.
    # Nor for a registry with no united-front site at all (an office's care-only registry): three zeros. Nor
    # when the filters show none (a link with 只看助餐 opened on 统战 0 / 国家级 0 / 市级 0, pushing the map and
    # the answer a family came for down a screen).
    if not state.large_mode() and summary.shown_by_layer[vocab.UNITED_FRONT_LAYER]:
        with st.container(horizontal=True, gap="medium", key="united_front_figures"):
            st.caption(whose.united_front_figures_heading + IN_THIS_MAP)
            # Not "统战工作阵地" alone: the layer also holds platforms (新联会, 健康同心之家…), and the chart below
            # counts the sites of the type 统战工作阵地 separately.
            st.metric(
                vocab.LAYERS[vocab.UNITED_FRONT_LAYER],
                summary.shown_by_layer[vocab.UNITED_FRONT_LAYER],
                help=f"当前筛选下“{vocab.LAYERS[vocab.UNITED_FRONT_LAYER]}”图层的全部站点：统战工作阵地，"
                "以及新联会赋能中心、建言献策工作室、健康同心之家等平台",
            )
            # The article's totals beside the registered counts, so a briefing quotes both (5 and 24 reported).
            # Not a level the filters leave out: "市级阵地 0 / 全区报道 24 个" beside a 国家级 filter read as none.
            for key, label, count, placed in metrics.united_front_levels(summary, ctx.filters.levels):
                figure = reported.get(key)
                # How many of them the map draws, when not all: "5 / 全区报道 5 个" read as all five on the map.
                on_map = f"图上 {placed} 个" if placed < count else ""
                reported_line = f"报道 {figure.with_unit}" if figure else ""
                st.metric(
                    label,
                    count,
                    # One part a line (a Markdown break), each short: run together, they broke mid-figure at 1280 px,
                    # "全区报道 5 / 个 · 图上 3 / 个" (briefing review). Whose the report's figure is, the group's
                    # heading says (丰台区 …（全区）): under a filter "0 / 报道 5 个" had read as "0 of 5" without it.
                    delta="  \n".join(part for part in (reported_line, on_map) if part) or None,
                    delta_color="off",
                    delta_arrow="off",
                    help="登记表中收录的数量"
                    + (f"；下方小字是报道的{markdown_literal(figure.scope)}总数" if figure else "")
                    + ("，以及其中地图上标出的个数（其余位置待核实）" if on_map else ""),
                )

# The numbers above count what is registered; the article's totals are below the map. The gap in the street's
# own care services is said here instead, when these filters can show them: a family must not take "助餐点 1"
# for the whole street. Kept short: a phone shows it before the map.
gap = metrics.registry_gap_text(reported, ctx.filters)
st.info(markdown_literal(metrics.placement_text(summary, gap, reports=bool(reported))), icon=":material/location_on:")


if basemap_notice:
    st.warning(basemap_notice, icon=":material/map:")

# The base map is built from the view the session started with, so it never changes while the
# reader pans; filters only swap the site layers (feature_group_to_add), which does not re-mount it.
# A new basemap does re-mount it, so it then opens where the reader was.
origin = st.session_state.get(state.MAP_ORIGIN_KEY)
opening = data.opening_view()  # where the map opens without a view in the link (an office's own sites)
picking = state.picking()
if origin is None or origin[1] != basemap or origin[2] != picking:
    start = state.current_view() or opening
    if state.current_view() is None and near is not None:
        # A link naming only a location (a community's QR code) opens on it, its circle and nearest meal.
        start = nearme.near_view(near, radius_m, meal_point)
    origin = (start, basemap, picking)
    st.session_state[state.MAP_ORIGIN_KEY] = origin
    st.session_state.pop(state.FLY_TO_KEY, None)  # a fly-to target is in the old basemap's coordinates
# Rendered once per view origin, basemap and picking mode, shared between sessions, and kept by the
# session too: looking it up in the shared cache hashes its arguments, which costs more than comparing.
if st.session_state.get(state.BASE_MAP_ORIGIN_KEY) != origin:
    legend_types = mapview.types_in(ctx.registry.sites)
    st.session_state[state.BASE_MAP_KEY] = data.live_base_map(origin[0], basemap, picking, legend_types, MAP_KEY)
    st.session_state[state.BASE_MAP_ORIGIN_KEY] = origin
base_map = st.session_state[state.BASE_MAP_KEY]
# Every site in the tiles' system, published once; a filter change then only sends a bit mask.
registry_displayed, site_source = data.published_sites(basemap.crs)


def displayed(labels: pd.Index, columns: list[str]) -> pd.DataFrame:
    """Shown rows in the tiles' system: only the rows and columns asked for (copying all costs a rerun)."""
    return registry_displayed.loc[labels, columns]


placed_shown = shown["lat"].notna().to_numpy()
# Until the map reports a view of its own, a map opened on the district view holds every site even on a phone.
opened_on_default = origin[0] == opening and state.current_view() is None
# The site a shared link named, while it is still the one selected, by its place in the browser's dataset.
shared_site = st.session_state.get(state.SHARED_SITE_KEY)
if shared_site is not None and shared_site != state.selected_site():
    shared_site = st.session_state[state.SHARED_SITE_KEY] = None
labelled_site = None
if shared_site is not None:
    placed_ids = sitedata.placed(ctx.registry.sites)["id"].to_numpy()  # the rows the dataset holds, in order
    labelled_site = next((int(i) for i in np.flatnonzero(placed_ids == shared_site)), None)
# A site picked, then hidden by a filter, left the map zoomed in on the empty street where its pin had been: that
# draw moves the map to the shown sites if none is in view (the details still say the site is filtered out).
selected_now = state.selected_site()
selected_hidden = selected_now is not None and data.site_label(selected_now) not in shown.index
site_layers = mapview.site_layers(
    ctx.layer_masks,
    site_source,
    large=state.large_mode(),
    fit_if_hidden=opened_on_default,
    fit_if_none_in_view=selected_hidden,
    labelled_site=labelled_site,
)
coverage_centres = None
if state.coverage_on():
    meal_points = displayed(nearby.placed_meal_points(shown).index, ["lat", "lon"])
    coverage_centres = list(zip(meal_points["lat"], meal_points["lon"], strict=True))
# "My location", its circle and its nearest meal point stay in view, however narrow the map turns out.
keep_in_view = (basemaps.to_display(meal_point.lat, meal_point.lon, basemap.crs),) if meal_point else ()
reach_layer = mapview.build_reach_layer(
    basemaps.to_display(*near, basemap.crs) if near else None, radius_m, coverage_centres, keep_in_view
)
if reach_layer is not None:
    site_layers.append(reach_layer)


def _picked() -> None:
    picked = st.session_state[PICKER_KEY]
    # The browser sends the picker's choice by its name, and Streamlit gives a name that is not among the options
    # drawn last back as it is, not as a site id. That is a rerun sent before the browser had the picker's new
    # options: a filter hid the site picked (the picker then shows none), and the map's view report, sent beside
    # it, reached the server after the filter's run, still naming the site. Taken as an id, the name matched no
    # site and the details dropped the selection as one gone from the registry. The reader chose nothing new.
    if picked is not None and data.site_label(picked) is None:
        return
    if state.is_echo(PICKER_KEY, picked):
        return  # the old value again, from a run sent before the new one arrived: the page sets it back
    state.select_site(picked)
    st.session_state[state.FLY_TO_SITE_KEY] = picked


# The map and the detail panel rerun on their own when the reader pans, clicks a marker or picks a site:
# nothing else on the page depends on the view or the selection, except the link, kept in step here.
@st.fragment
def map_and_details() -> None:
    if st.session_state.pop(state.FILTERS_LOOSENED_KEY, False):
        st.rerun()  # the sidebar's filters changed: the figures and the rest of the page with them
    # Picking a site in the list moves the map to it. streamlit-folium moves the map only when `center`
    # changes, so the last target is kept and passed again on every run.
    fly_to_site = st.session_state.pop(state.FLY_TO_SITE_KEY, None)
    if fly_to_site is not None:
        target_label = data.site_label(fly_to_site)
        target = displayed(pd.Index([] if target_label is None else [target_label]), ["lat", "lon", "precision"])
        target = target.dropna(subset=["lat"])
        if not target.empty:
            view = state.current_view()
            zoom = viewport.fly_to_zoom(str(target.iloc[0]["precision"]), view.zoom if view else None)
            st.session_state[state.FLY_TO_KEY] = ((float(target.iloc[0]["lat"]), float(target.iloc[0]["lon"])), zoom)
    fly_to = st.session_state.get(state.FLY_TO_KEY)

    map_column, detail_column = st.columns([2, 1], gap="medium")
    with map_column:
        returned = livemap.show(
            base_map,
            site_layers,
            key=MAP_KEY,
            height=frame.MAP_HEIGHT_PX,
            returned_objects=RETURNED,
            center=fly_to[0] if fly_to else None,
            zoom=fly_to[1] if fly_to else None,
        )

    if returned:
        centre, reported_zoom = returned.get("center"), returned.get("zoom")
        if centre and reported_zoom is not None:
            # The link keeps WGS-84 whatever the basemap, so it means the same place on every basemap.
            lat, lon = basemaps.from_display(centre["lat"], centre["lng"], basemap.crs)
            state.set_view(viewport.View(round(lat, 5), round(lon, 5), int(reported_zoom)))
        background = returned.get("last_clicked")
        background_point = (background["lat"], background["lng"]) if background else None
        if picking and background_point and st.session_state.get(state.LAST_BACKGROUND_CLICK_KEY) != background_point:
            st.session_state[state.LAST_BACKGROUND_CLICK_KEY] = background_point
            # To about 100 m (3 decimals): a tap or the browser's position is often the reader's home, and the
            # point travels in every link shared; the sites' own positions are rougher than that.
            tapped_lat, tapped_lon = basemaps.from_display(*background_point, basemap.crs)
            tapped = (round(tapped_lat, nearby.TAPPED_DECIMALS), round(tapped_lon, nearby.TAPPED_DECIMALS))
            state.set_near_point(tapped, keep_previous=True)
            st.session_state[state.PICK_KEY] = False  # one point chosen; the map returns to selecting sites
            # Tapped at the district's scale, the circle was a small ring around a dot: the map opens anew closer,
            # on the point, its circle and its nearest meal point, as for a place chosen from the list. A reader
            # who had zoomed in further stays there (the point and the meal point are kept in view anyway).
            closer = nearme.near_view(tapped, radius_m, nearby.nearest_meal_point(shown, *tapped))
            current = state.current_view()
            if current is None or current.zoom < closer.zoom:
                state.set_view(closer)
                # The map goes there itself: in 大字模式 taps always pick, so it is not opened anew, and the father's
                # circle stayed a dot on the district view while only the link had the closer view (phone review).
                closer_centre = basemaps.to_display(closer.lat, closer.lon, basemap.crs)
                st.session_state[state.FLY_TO_KEY] = (closer_centre, closer.zoom)
            st.session_state[state.ANSWER_ANEW_KEY] = True
            st.rerun()
        clicked = returned.get("last_object_clicked")
        click_marker = (clicked["lat"], clicked["lng"]) if clicked else None
        if click_marker and st.session_state.get(state.LAST_CLICK_KEY) != click_marker:
            st.session_state[state.LAST_CLICK_KEY] = click_marker
            hits = mapview.sites_at(displayed(shown.index[placed_shown], ["id", "lat", "lon"]), *click_marker)
            if not hits.empty:
                state.select_site(hits.iloc[0]["id"])

    # Here, not in the sidebar: the link carries the view and the selection, which change in this fragment.
    frame.share_link_box(ctx.filters, detail_column)
    with detail_column, st.container(key="site_detail"):
        st.header("站点详情", anchor=SITE_DETAIL_ANCHOR)
        selected = state.selected_site()
        selected_label = data.site_label(selected) if selected else None
        if selected and selected_label is None:  # the registry file changed and the site is gone
            state.select_site(None)
            selected = None
        if len(shown) <= PICKER_LIMIT:
            names = dict(zip(shown["id"], shown["name"], strict=True))
            options = list(shown["id"])
            # The picker mirrors the selection, which a map click, 清除选择 or the share link may have changed.
            state.mirror_choice(PICKER_KEY, selected if selected in options else None, guard_echo=True)
            st.selectbox(
                "选择站点（或点击地图上的标记）",
                [None, *options],
                format_func=lambda i: "—— 请选择站点 ——" if i is None else names[i],
                placeholder="—— 请选择站点 ——",
                key=PICKER_KEY,
                filter_mode=frame.NAME_FILTER,
                on_change=_picked,
            )
            # Right after 清除选择: a hidden mark after the picker tells static/answer_scroll.js to focus the
            # picker. A marker, not a container around it: the next run would rebuild the picker, and lose focus.
            if state.mark_stands(state.PICKER_ANEW_KEY):
                frame.run_mark(frame.PICKER_ANEW)
        else:
            st.caption(f"当前筛选下有 {len(shown)} 处站点：请点击地图上的标记，或用侧栏搜索缩小范围。")
        if selected:
            site = ctx.registry.sites.loc[selected_label]
            sitecard.show(site, shown)
            # Chosen on 资源清单 just before: a hidden mark after the details tells static/answer_scroll.js to
            # bring them into view with the keyboard's focus on the site's name (not a container around them,
            # which the next run would rebuild, and the focus with it).
            if state.mark_stands(state.DETAIL_ANEW_KEY):
                frame.run_mark(frame.DETAIL_ANEW)
            if st.button("清除选择", key="clear_selection"):
                state.select_site(None)
                st.session_state[state.PICKER_ANEW_KEY] = True
                st.rerun()
        else:
            st.caption("点击地图上的标记，或在上方选择站点，查看地址、助餐、床位与来源。")
            # Not beside the answer to 我的位置, which names the nearest meal point with all of this already.
            if near is None and (meal_points := data.meal_points_note(ctx.filters)):
                st.markdown(meal_points)

    state.sync_url(ctx.filters)


map_and_details()

if summary.unplaced:
    with st.expander(f"位置待核实、未上图的站点（{summary.unplaced} 处）"):
        if isinstance(ctx.unplaced, str):  # a short list: literal Markdown, every cell escaped
            st.markdown(ctx.unplaced)
        else:
            st.dataframe(ctx.unplaced, hide_index=True, width="stretch")


def near_print() -> mapexport.NearbyPrint | None:
    """ "My location" for the files, with the answer the page gives at its top (plain text: the files escape
    it as HTML), or None while no location is set."""
    if near is None:
        return None
    if meal_point is None:
        answer = [f"最近的助餐点：{no_meal_point_text(on_paper=True)}"]
    else:
        answer = nearby_text.nearest_meal_lines(
            meal_point, radius_m, state.walk_speed_m_per_min(), near_origin, caveat=meal_caveat
        )
    return mapexport.NearbyPrint(near[0], near[1], radius_m, tuple(answer))


# Below the map one part at a time: the page stays short, and a rerun draws only the part being read.
# No minutes in the first part's name: "15分钟" beside a 20-minute circle misled, and a label that changed
# with the minutes would make Streamlit take the control for a new one.
SECTIONS: dict[str, tuple[str, Callable[[], None]]] = {
    "near": ("我附近：步行圈", partial(nearme.show, ctx, near, near_sites, near_precision, meal_point, basemap)),
    # another office's registry may have no reports
    "stats": ("统计与报道" if reported else "统计", partial(figures.show, summary, bool(reported), whose)),
    # The answer for the files only when they are asked for: building it is work every other run would waste.
    "keep": ("下载与打印", lambda: downloads.show(ctx, basemap, whose, near_print())),
}
section = st.segmented_control(
    "继续查看",
    list(SECTIONS),
    format_func=lambda code: SECTIONS[code][0],
    key=state.SECTION_KEY,
    required=True,
    persist_state=state.KEEP_FOR_SESSION,
    width="stretch",
)
# A required control can still return None, for a client whose rerun leaves its state out: show the
# default part rather than fail (state.app_state writes the default into the link, too).
SECTIONS[section if section in SECTIONS else urlstate.DEFAULT_SECTION][1]()
