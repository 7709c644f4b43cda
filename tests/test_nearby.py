"""Near me: nearest-first order, meal coverage and its doubt, the gazetteer, and the answers in words."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from servicemap import geo, nearby
from servicemap.filters import Filters

CENTRE = (39.863782, 116.233965)  # the service centre as loaded (WGS-84)


def test_nearest_sites_come_nearest_first(shipped_sites):
    found = nearby.nearest(shipped_sites, *CENTRE)
    assert list(found["distance_m"]) == sorted(found["distance_m"])
    assert set(found.iloc[:2]["id"]) == {"lgq-care-center", "lgq-health-center-2"}
    assert found.iloc[2]["id"] == "uf-kangzhan-museum"  # about 1.5 km away
    assert found.iloc[2]["distance_m"] == pytest.approx(geo.distance_m(*CENTRE, 39.852276, 116.225807))
    assert found["lat"].notna().all()  # sites without a position never appear in a distance list
    assert len(nearby.nearest(shipped_sites, *CENTRE, limit=3)) == 3


def test_nearest_respects_the_filter(shipped_sites):
    meal_only = shipped_sites[shipped_sites["meal_service"] == "yes"]
    assert list(nearby.nearest(meal_only, 39.85, 116.22)["id"]) == ["lgq-care-center"]
    assert nearby.nearest(shipped_sites.iloc[0:0], *CENTRE).empty


def test_meal_coverage_counts_places_within_reach(shipped_sites):
    coverage = nearby.meal_coverage(shipped_sites, 1005)
    assert coverage.meal_points == 1
    assert coverage.places == int(shipped_sites["lat"].notna().sum())
    assert coverage.reached == 2  # the centre itself and its next-door health centre
    assert nearby.meal_coverage(shipped_sites, 2000).reached == 3  # the museum is 1.5 km away


def _sites(rows: list[tuple[str, float, float, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["id", "lat", "lon", "precision", "meal_service"])


METRE_LAT = 1 / 111_195  # degrees of latitude per metre on the mean-radius sphere


def test_meal_coverage_says_which_answers_rough_positions_leave_unsure():
    meal = ("meal", 39.86, 116.23, "exact", "yes")
    sites = _sites(
        [
            meal,
            ("exact-500", 39.86 + 500 * METRE_LAT, 116.23, "exact", "no"),  # surely in
            ("street-800", 39.86 + 800 * METRE_LAT, 116.23, "street", "no"),  # marked in, may be out
            ("street-1500", 39.86 - 1500 * METRE_LAT, 116.23, "street", "no"),  # marked out, may be in
            ("area-3500", 39.86 - 3500 * METRE_LAT, 116.23, "area", "no"),  # surely out: 2.5 km past the edge
        ]
    )
    coverage = nearby.meal_coverage(sites, 1000)
    assert (coverage.places, coverage.reached, coverage.meal_points) == (5, 3, 1)
    assert (coverage.doubtful_in, coverage.doubtful_out) == (1, 1)
    doubt = nearby.coverage_doubt_text(coverage)
    assert doubt == "按标注位置，圈内 3 处中有 1 处、圈外 2 处中有 1 处说不准：位置近似，实际可能在另一侧。"
    # A rough meal point makes every neighbour unsure, but never itself: it serves its own meals.
    rough_meal = nearby.meal_coverage(sites.replace({"precision": {"exact": "area"}}), 1000)
    assert rough_meal.reached == 3 and rough_meal.doubtful_in == 2 and rough_meal.doubtful_out == 2
    exact_only = nearby.meal_coverage(sites.iloc[:2], 1000)
    assert (exact_only.doubtful_in, exact_only.doubtful_out) == (0, 0)
    assert nearby.coverage_doubt_text(exact_only) == ""


def test_meal_coverage_doubt_agrees_with_the_near_me_list():
    """Site by site, the coverage count's 说不准 is what `in_circle` says against every meal point."""
    rng = np.random.default_rng(11)
    count = 300
    sites = _sites(
        [
            (f"s{i}", lat, lon, precision, meal)
            for i, (lat, lon, precision, meal) in enumerate(
                zip(
                    rng.uniform(39.82, 39.9, count),
                    rng.uniform(116.18, 116.28, count),
                    rng.choice(["exact", "street", "area"], count),
                    rng.choice(["yes", "no", "no", "no", "no"], count),
                    strict=True,
                )
            )
        ]
    )
    coverage = nearby.meal_coverage(sites, 1200)
    meal = sites[sites["meal_service"] == "yes"]
    doubtful_in = doubtful_out = 0
    for site in sites.itertuples():
        metres = geo.distances_m(site.lat, site.lon, meal["lat"].to_numpy(), meal["lon"].to_numpy())
        verdicts = [
            nearby.in_circle(d, 1200, site.precision, p) for d, p in zip(metres, meal["precision"], strict=True)
        ]
        surely = site.meal_service == "yes" or True in verdicts
        if not surely and None in verdicts:
            if metres.min() <= 1200:
                doubtful_in += 1
            else:
                doubtful_out += 1
    assert (coverage.doubtful_in, coverage.doubtful_out) == (doubtful_in, doubtful_out)
    assert doubtful_in and doubtful_out  # the random sites do test both sides


def test_gazetteer_places_come_from_the_sources():
    places = nearby.load_gazetteer()
    names = [p.label for p in places]
    assert "卢沟桥（桥）" in names and all(p.source for p in places)
    bridge = next(p for p in places if p.label == "卢沟桥（桥）")
    assert (bridge.lat, bridge.lon) == (39.849167, 116.213056)
    assert all("大瓦窑" not in name for name in names)  # the article gives no position for it


def test_nearest_meal_point_is_the_closest_site_serving_meals(shipped_sites):
    bridge = (39.84917, 116.21306)
    point = nearby.nearest_meal_point(shipped_sites, *bridge)
    meal = shipped_sites.loc[(shipped_sites["meal_service"] == "yes") & shipped_sites["lat"].notna()]
    assert point.name in set(meal["name"])
    assert point.metres == pytest.approx(nearby.nearest(meal, *bridge)["distance_m"].iloc[0])
    assert point.precision == "area"  # the service centre's position is approximate, and the page says so
    assert nearby.nearest_meal_point(shipped_sites.loc[shipped_sites["meal_service"] != "yes"], *bridge) is None


def test_walking_minutes_at_an_older_adults_pace():
    assert nearby.walking_minutes_text(2_400, 67) == "约 36 分钟"
    assert nearby.walking_minutes_text(10, 67) == "约 1 分钟"  # never "0 分钟"


def test_nearest_table_leaves_out_the_phone_column_only_when_no_site_has_one(shipped_sites):
    found = nearby.nearest(shipped_sites, 39.84917, 116.21306)
    assert "电话" not in nearby.nearest_table(found, 1000).columns  # the shipped sources give no numbers
    with_phone = found.assign(phone=["010-12345678", *[""] * (len(found) - 1)])
    assert nearby.nearest_table(with_phone, 1000)["电话"].tolist()[0] == "010-12345678"


def test_nearest_table_puts_meal_and_the_circle_next_to_the_name_and_doubts_rough_positions(shipped_sites):
    """A phone shows only the first columns, and 助餐 is what families ask. The centre's area-level position
    (up to 2 km off) 2.4 km from the bridge may be inside a 1 km circle: the table does not say 否."""
    found = nearby.nearest(shipped_sites, 39.84917, 116.21306)
    table = nearby.nearest_table(found, 1005)
    assert list(table.columns[:3]) == ["名称", "助餐", "步行圈内"]
    centre = table.loc[table["名称"] == "卢沟桥街道养老服务中心"].iloc[0]
    assert centre["步行圈内"] == "可能不在（位置近似）"


def test_in_circle_says_yes_or_no_only_when_the_position_is_good_enough_to_tell():
    assert nearby.in_circle(800, 1000, "exact") is True
    assert nearby.in_circle(1200, 1000, "exact") is False
    assert nearby.in_circle(2400, 1000, "area") is None  # up to 2 km off: could be inside
    assert nearby.in_circle(5000, 1000, "area") is False  # too far for the error to matter
    assert nearby.in_circle(1500, 1000, "street") is None
    assert nearby.in_circle(3000, 1000, "street") is False
    assert nearby.in_circle(1000, 1000, "exact") is True  # on the edge of the circle is in it
    assert nearby.in_circle(1500, 1000, "exact", origin_precision="street") is None  # the origin's error counts


def test_origin_precision_is_that_of_the_place_my_location_was_chosen_from():
    places = [nearby.Place("g:桥", "卢沟桥（近似）", 39.84917, 116.21306, "street", "src")]
    assert nearby.origin_precision(places, 39.84917, 116.21306) == "street"
    assert nearby.origin_precision(places, 39.9, 116.3) == "exact"  # a point put on the map is where it is
    assert nearby.place_at(places, 39.849174, 116.213056) == places[0]  # "my location" keeps 5 decimals
    assert nearby.place_at(places, 39.9, 116.3) is None


def test_within_circle_text_gives_a_next_step_or_says_nothing_is_placed():
    assert nearby.within_circle_text(2, 8) == "步行圈内 2 处"
    assert nearby.within_circle_text(2, 8, uncertain=1) == "步行圈内 2 处，1 处位置近似、说不准"
    assert nearby.within_circle_text(0, 8) == "步行圈内暂无站点，可把步行时间调长，或看下表中最近的几处"
    assert nearby.within_circle_text(0, 8, uncertain=2).startswith("步行圈内暂无确定的站点，2 处位置近似、说不准")
    assert nearby.within_circle_text(0, 0) == "当前筛选下没有已上图的站点"  # not "walk further" to nothing


def test_nearest_meal_text_answers_with_walking_time_reach_hours_and_caveat():
    exact = nearby.MealPoint("某助餐点", 800, "exact", hours="11:00–13:00", phone="010-12345678")
    assert nearby.nearest_meal_text(exact, 1000, 67) == (
        "最近的助餐点：某助餐点，直线约 800 米，按直线步行约 12 分钟（在步行圈内）。"
        "开放时间：11:00–13:00；电话：010-12345678。"
    )
    area = nearby.nearest_meal_text(nearby.MealPoint("某助餐点", 2400, "area"), 1000, 67)
    # An area-level position may be 2 km off: no verdict on the circle, and what is not known is said.
    # The marked positions still give the likelier answer, said first; 说不准 alone read as a fault.
    assert "（按标注位置在步行圈外，但说不准）。该点位置为近似（片区级，误差可达一两公里），距离仅供参考。" in area
    assert area.endswith("开放时间、电话：来源未给出，可向街道或社区居委会询问。")  # and whom to ask
    far = nearby.nearest_meal_text(nearby.MealPoint("某助餐点", 5000, "area", hours="三餐"), 1000, 67)
    assert "（在步行圈外）" in far and far.endswith("开放时间：三餐。电话：来源未给出，可向街道或社区居委会询问。")
    # "My location" chosen from an approximate landmark adds its own error, and the answer says so.
    from_rough = nearby.nearest_meal_text(nearby.MealPoint("某助餐点", 1800, "exact"), 1000, 67, "street")
    assert "（按标注位置在步行圈外，但说不准）" in from_rough
    assert "所选的“我的位置”也是近似位置（道路或街区级）。" in from_rough


def test_nearest_meal_text_at_my_location_and_with_what_the_source_says():
    # "My location" chosen from the meal point itself: not "约 0 米，步行约 1 分钟".
    here = nearby.MealPoint("某助餐点", 0, "exact", description="午餐均价15元，面向社会开放。")
    assert nearby.nearest_meal_text(here, 1000, 67).startswith("最近的助餐点：某助餐点，就在“我的位置”。")
    # Two sites sharing one rough position are not "here": how far apart they are is unknown.
    shared = nearby.nearest_meal_text(nearby.MealPoint("某助餐点", 0, "area"), 1000, 67, "area")
    assert "与“我的位置”标在同一处；位置近似，实际距离说不准。" in shared and "分钟" not in shared
    # What a family asks after "where": prices and who may eat there, as the source gives them.
    assert nearby.nearest_meal_text(here, 1000, 67).endswith("\n\n午餐均价15元，面向社会开放。")


def test_a_search_that_matched_nothing_is_not_read_as_no_meals_nearby():
    text = nearby.no_meal_point_text(Filters(query="大瓦窑"), 0)
    assert text.startswith("没有名称或地址含“大瓦窑”的站点，不是附近没有助餐。") and "清空侧栏的搜索框" in text
    assert "没有登记为提供助餐" in nearby.no_meal_point_text(Filters(meal="unknown"), 3)


def test_meal_points_the_filters_hide_are_named_with_the_filters_to_loosen(shipped_sites):
    meal_points = shipped_sites[shipped_sites["meal_service"] == "yes"]
    hiding = Filters(layers=frozenset({"united_front"}), query="卫生")
    text = nearby.no_meal_point_text(hiding, 2, meal_points)
    assert text == "当前筛选隐藏了登记的助餐点：卢沟桥街道养老服务中心。要看到它，请在侧栏放宽“图层、搜索”。"


def test_the_list_heading_never_suggests_walking_further_when_the_likelier_answer_is_inside():
    assert nearby.within_circle_text(0, 5, 2, 1) == "按标注位置步行圈内有 1 处，但位置近似、说不准"
    assert "可把步行时间调长" in nearby.within_circle_text(0, 5, 2, 0)
    assert nearby.within_circle_text(2, 5, 1, 1) == "步行圈内 2 处，1 处位置近似、说不准"


def test_walks_over_an_hour_are_not_counted_in_minutes():
    assert nearby.walking_minutes_text(4_000, 67) == "约 60 分钟"
    assert nearby.walking_minutes_text(13_000, 67) == "超过 1 小时"  # not "约 194 分钟"


def test_near_me_lists_care_services_and_falls_back_to_every_shown_site(shipped_sites):
    services, left_out = nearby.services_for_near_me(shipped_sites)
    assert set(services["layer"]) == {"elderly_care"} and left_out
    united_front = shipped_sites.loc[shipped_sites["layer"] == "united_front"]
    services, left_out = nearby.services_for_near_me(united_front)  # the care layer switched off
    assert len(services) == len(united_front) and not left_out


def test_nearest_heading_counts_the_circle_and_says_what_the_list_leaves_out(shipped_sites):
    services, left_out = nearby.services_for_near_me(shipped_sites)
    found = nearby.nearest(services, *CENTRE)
    verdicts = nearby.circle_verdicts(found, 1005, "exact")
    heading = nearby.nearest_heading(found, verdicts, 1005, left_out)
    assert heading.startswith(f"离“我的位置”最近的 {len(found)} 处养老服务资源（")
    assert heading.endswith("；统战阵地只在地图上标出）")


def test_the_list_says_a_site_marked_at_my_location_is_there_not_0_metres_away(shipped_sites):
    centre = shipped_sites[shipped_sites["id"] == "lgq-care-center"].iloc[0]
    table = nearby.nearest_table(nearby.nearest(shipped_sites, centre["lat"], centre["lon"]), 1005)
    first = table.iloc[0]
    assert (first["直线距离"], first["步行（按直线）"]) == ("标在同一处", "—")
    assert first["步行圈内"] == "可能在（位置近似）"  # two rough positions: being at one mark proves little
