"""我附近, the part below the map families come for: choose "my location", set the walk, and read the
nearest services and how far the meal points reach."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from servicemap import basemaps, geo, mapview, nearby, nearby_text, viewport, vocab
from servicemap.textsafe import literal_rows, markdown_literal
from ui import data, frame, state

NEAR_SITES_LIMIT = 300  # "my location" offers every shown site up to this many; communities and landmarks always


ANCHOR = "near-me"  # the part's heading, which the page's first lines link to
TOP_ANCHOR = "page-top"  # the page's title, above the full answer, which this part links up to
NEAR_PLACE_KEY = "near_place"


def near_view(point: tuple[float, float], radius_m: float, meal: nearby.MealPoint | None) -> viewport.View:
    """The view 我附近 opens on: "my location", its walking circle and, if there is one, its nearest meal point."""
    return viewport.view_around(point, radius_m, ((meal.lat, meal.lon),) if meal else ())


def _place_label(places: dict[str, nearby.Place], key: str) -> str:
    place = places.get(key)
    # Not "chosen on the map": the point may also come from a link (a community's QR code) or 定位到我.
    return place.label if place else "链接、定位或地图点选的位置"


WALK_CORRECTED_KEY = "walk_corrected"  # what the last walk setting out of range was changed to, said once


def _keep_in_range(key: str, label: str, lowest: int, highest: int) -> None:
    """A walk setting typed outside its range becomes the nearest it can be, and the page says so."""
    value = st.session_state[key]
    if value is None or lowest <= value <= highest:
        return
    st.session_state[key] = min(max(int(value), lowest), highest)
    st.session_state[WALK_CORRECTED_KEY] = f"{label}只能是 {lowest} 到 {highest}，已改为 {st.session_state[key]}。"


def _chose_place(
    places: dict[str, nearby.Place], shown: pd.DataFrame, radius_m: int, basemap: basemaps.Basemap
) -> None:
    """A place chosen in the box becomes "my location", and the map flies to it, its circle and its nearest
    meal point (`shown` and the rest as the box was drawn with)."""
    chosen = st.session_state[NEAR_PLACE_KEY]
    if chosen is None:  # the box's × : no location, as 清除我的位置 does (left alone, the box showed it again)
        state.set_near_point(None)
        return
    place = places.get(chosen)
    if place is None:  # the point chosen on the map or in a link, kept as it is
        return
    fly_to_near_point((place.lat, place.lon), shown, radius_m, basemap)


def fly_to_near_point(
    point: tuple[float, float], shown: pd.DataFrame, radius_m: int, basemap: basemaps.Basemap
) -> None:
    """`point` as "my location" (a place chosen, or the one a tap on the map replaced), the map flying to it, its
    circle and its nearest meal point (`shown` and the rest as the page was drawn with)."""
    state.set_near_point(point)
    view = near_view(point, radius_m, nearby.nearest_meal_point(shown, *point))
    st.session_state[state.FLY_TO_KEY] = (basemaps.to_display(view.lat, view.lon, basemap.crs), view.zoom)


def show(
    ctx: state.PageContext,
    near: tuple[float, float] | None,
    near_sites: pd.DataFrame,
    near_precision: str,
    meal_point: nearby.MealPoint | None,
    basemap: basemaps.Basemap,
) -> None:
    """我附近: a starting point ("my location"), the walking settings, the nearest services and the meal
    coverage. `near_sites` are the shown sites at "my location" (it may have been chosen from one), whose
    position's precision is `near_precision`, and `meal_point` is its nearest meal point (the page has it
    already); a new location flies the map, drawn on `basemap`, to it."""
    shown = ctx.shown
    radius_m = state.walk_radius_m()
    # A 统战-only view has no meal point to find: the part is what it still is there, the nearest sites.
    st.header("找最近的助餐点" if vocab.CARE_LAYER in ctx.filters.layers else "我附近的站点", anchor=ANCHOR)
    near_columns = st.columns([2, 1, 1], gap="medium")
    gazetteer = data.gazetteer()  # the office's communities and landmarks; none for an office without them
    with near_columns[0]:
        if len(shown) <= NEAR_SITES_LIMIT:
            places = data.near_places(ctx.filters)  # built once per filter combination, shared
        else:
            # Hundreds of sites make a long dropdown, sent again on every rerun: offer the communities and
            # landmarks, the selected site (pick it on the map, then here), and the site already chosen.
            wanted = shown["id"].isin([state.selected_site()]).to_numpy() | shown.index.isin(near_sites.index)
            places = {place.key: place for place in nearby.starting_places(shown.loc[wanted], gazetteer)}
        near_point_key = None
        if near is not None:
            near_place = nearby.place_at(places.values(), *near)
            near_point_key = near_place.key if near_place else "point"
        options = [*places] + (["point"] if near_point_key == "point" else [])
        # The box mirrors "my location", which a tap on the map or a link may have set. Under one key, so the
        # box stays the element it was: a key naming the place rebuilt it on every choice, and a keyboard
        # reader's focus fell back to the top of the page. A choice is taken in its callback, before the run.
        state.mirror_choice(NEAR_PLACE_KEY, near_point_key if near_point_key in options else None)
        st.selectbox(
            # Without places of its own (an office's registry with no gazetteer.csv) the list holds its sites
            # alone, and offered 小区 it did not have (adopter review).
            "选择小区、地标或站点作为“我的位置”" if gazetteer else "选择一个站点作为“我的位置”",
            options,
            index=None,
            format_func=lambda key: _place_label(places, key),
            placeholder="—— 未选择 ——",
            key=NEAR_PLACE_KEY,
            filter_mode=frame.NAME_FILTER,
            on_change=_chose_place,
            args=(places, shown, radius_m, basemap),
        )
        # The list holds only places the sources give a position for: say where else to turn, right under the
        # box (a family looked for its own 小区 and found only an English "No results"). Not inside the box:
        # 大字模式 cut the hint off there.
        st.caption(
            ("找不到自己的小区？列表里只有来源给出位置的少数地方，请" if gazetteer else "不在站点旁边？请")
            + ("" if state.large_mode() else "打开下面的开关，")
            + "在地图上点一下自己家附近。"
        )
        if near is not None and meal_point is not None:
            # The full answer is at the top of the page, out of view from here once a place is chosen: its gist
            # is repeated right under the box it was chosen in (below the walk's settings, on a phone in 大字模式
            # it was a screen further down; phone review).
            how_far = nearby_text.how_far_text(meal_point, radius_m, state.walk_speed_m_per_min(), near_precision)
            st.markdown(
                nearby_text.nearest_meal_heading(meal_point, near_precision, markdown_literal)
                + markdown_literal(f"，{how_far}。")
                # A link up, not words alone: on a phone the top is past the map, 2,000 px away.
                + f"[开放时间、电话和价格见页面最上方 ↑](#{TOP_ANCHOR})"
            )
    walk_settings = (
        ("步行时间（分钟）", geo.WALK_MINUTES_RANGE, state.WALK_MINUTES_KEY, None),
        (
            "步速（米/分钟）",
            geo.WALK_SPEED_RANGE,
            state.WALK_SPEED_KEY,
            "老人的步行速度：默认约 67 米/分钟，即 15 分钟约 1 公里",
        ),
    )
    for column, (label, (lowest, highest), key, help_text) in zip(near_columns[1:], walk_settings, strict=True):
        with column:
            # No min/max on the box itself: given 500, Streamlit's own box kept the number on show while the
            # circle used the last good one, and said why only in English, on hover. The range is kept here.
            st.number_input(
                label,
                step=1,
                key=key,
                help=help_text,
                persist_state=state.KEEP_FOR_SESSION,
                on_change=_keep_in_range,
                args=(key, label, lowest, highest),
            )
    if corrected := st.session_state.pop(WALK_CORRECTED_KEY, None):
        st.warning(corrected, icon=":material/directions_walk:")
    # A full-width row under the three columns: in a column the toggle's label was cut off in 大字模式.
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        if state.large_mode():  # a tap on the map always sets it (state.picking): no switch to find first
            if near is not None:  # (with none yet, the box below says where to tap)
                st.markdown("在地图空白处再点一下，可换一个“我的位置”。")
        else:
            # 定位 in the label: families looked for "use where I am" and did not find it in the tooltip.
            st.toggle(
                "在地图上点选或定位我的位置",
                key=state.PICK_KEY,
                persist_state=state.KEEP_FOR_SESSION,
                help="打开后点击地图空白处即设为“我的位置”；地图左上角还会出现“定位到我”按钮（需浏览器允许定位）",
            )
        if near is not None and st.button("清除我的位置", key="clear_near"):
            state.set_near_point(None)
            st.rerun()
    if st.session_state.get(state.PICK_KEY) or (state.large_mode() and near is None):
        # The map is above this part, out of view on a phone: an older reader turned this on and waited.
        st.info(
            "请往上滑到地图，在自己家附近点一下（或点地图左上角的“定位到我”）。"
            "点好后，页面会回到最上方，写明最近的助餐点；这里也会列出最近的站点。",
            icon=":material/touch_app:",
        )
    st.caption(
        f"步行圈半径约 {radius_m:,} 米，为直线距离；实际道路步行会更远一些。"
        "缺少坐标的站点不参与计算；近似位置的站点距离也是近似的。"
    )
    if near is not None:
        services, others_left_out = nearby.services_for_near_me(shown)
        found = nearby.nearest(services, *near)
        verdicts = nearby.circle_verdicts(found, radius_m, near_precision)
        # With nothing inside the circle, the heading says what to try instead of leaving a bare 0.
        heading, under_it = nearby_text.nearest_heading(found, verdicts, radius_m, others_left_out)
        st.markdown(f"**{heading}**  \n{under_it}")
        table = nearby_text.nearest_table(found, verdicts, radius_m, state.walk_speed_m_per_min(), near_precision)
        # A plain table, not a grid: its cells wrap, so on a phone every column shows without scrolling sideways
        # (the grid hid 步行 and 直线距离 off the right edge), and 大字模式 enlarges it like the rest of the text.
        # Its cells are read as Markdown: literal text.
        with st.container(key="nearest_sites"):
            st.table(literal_rows(table.to_dict("records")), hide_index=True)
    else:
        st.caption("选择一个位置后，这里会列出最近的站点、距离和是否助餐。")
    st.toggle("显示所有助餐点的步行圈（覆盖情况）", key=state.COVER_KEY, persist_state=state.KEEP_FOR_SESSION)
    if state.coverage_on():
        coverage, others_left_out = data.meal_coverage(ctx.filters, radius_m)
        label = f"在助餐点步行圈内的已上图{vocab.LAYERS[vocab.CARE_LAYER] if others_left_out else '站点'}"
        ratio = f"{coverage.reached} / {coverage.places}"
        if scope := nearby_text.coverage_scope_text(coverage):
            # From one or two meal points the ratio is no figure to show large: a big "2 / 2" over a small grey
            # caveat still read as "all covered" (second review). Said in a sentence with its caveat instead.
            said = f"{label}：{ratio}（步行圈半径约 {radius_m:,} 米，按地图上标注的位置计）。{scope}"
            st.info(said, icon=":material/info:")
        else:
            basis = (
                f"当前筛选下共 {coverage.meal_points} 个助餐点（助餐点本身也算在圈内）；"
                f"以直线距离 {radius_m:,} 米、按地图上标注的位置计" + ("；统战阵地不计" if others_left_out else "")
            )
            st.metric(label, ratio, help=basis)
        # Counted from the marked positions, as the list's likelier answer; the doubt is said as it is there.
        if doubt := nearby_text.coverage_doubt_text(coverage):
            st.caption(doubt)
        if coverage.meal_points > mapview.COVERAGE_CIRCLE_LIMIT:
            limit = mapview.COVERAGE_CIRCLE_LIMIT
            st.caption(f"助餐点超过 {limit} 个，地图上只画出前 {limit} 个步行圈；统计包括全部。")
