"""The near-me answers in words: distances, walking times, the circle's verdicts, the list and its heading."""

from __future__ import annotations

import re

import pandas as pd

from servicemap import nearby, nearby_text, sitetext
from servicemap.filters import Filters

CENTRE = (39.863782, 116.233965)  # the service centre as loaded (WGS-84)


def test_walking_minutes_at_an_older_adults_pace():
    # Timed along the straight line: the least it takes, said so.
    assert nearby_text.walking_text(2_400, 67) == "步行 36 分钟以上"
    assert nearby_text.walking_text(10, 67) == "步行 1 分钟以上"  # never "0 分钟"


def test_nearest_table_leaves_out_the_phone_column_only_when_no_site_has_one(shipped_sites):
    found = nearby.nearest(shipped_sites, 39.84917, 116.21306)
    table = nearby_text.nearest_table(found, nearby.circle_verdicts(found, 1000), 1000)
    assert "电话" not in table.columns  # the shipped sources give no numbers
    with_phone = found.assign(phone=["010-12345678", *[""] * (len(found) - 1)])
    table = nearby_text.nearest_table(with_phone, nearby.circle_verdicts(with_phone, 1000), 1000)
    assert table["电话"].tolist()[0] == "010-12345678"


def test_nearest_table_puts_meal_and_the_circle_next_to_the_name_and_doubts_rough_positions(shipped_sites):
    """A phone shows only the first columns, and 助餐 is what families ask. The centre's area-level position
    (up to 2 km off) 2.4 km from the bridge may be inside a 1 km circle: the table does not say 否."""
    found = nearby.nearest(shipped_sites, 39.84917, 116.21306)
    table = nearby_text.nearest_table(found, nearby.circle_verdicts(found, 1005), 1005)
    assert list(table.columns) == ["名称", "助餐", "步行圈内", "距离（直线）"]  # four: all fit on a phone
    centre = table.loc[table["名称"] == "卢沟桥街道养老服务中心"].iloc[0]
    assert centre["步行圈内"] == "可能不在（位置近似）"


def test_within_circle_text_gives_a_next_step_or_says_nothing_is_placed():
    assert nearby_text.within_circle_text(2, 8) == "步行圈内 2 处"
    assert nearby_text.within_circle_text(2, 8, uncertain=1) == "步行圈内 2 处，1 处位置近似、说不准"
    assert nearby_text.within_circle_text(0, 8) == "步行圈内暂无站点，可把步行时间调长，或看下表中最近的几处"
    assert nearby_text.within_circle_text(0, 8, uncertain=2).startswith("步行圈内暂无确定的站点，2 处位置近似、说不准")
    assert nearby_text.within_circle_text(0, 0) == "当前筛选下没有已上图的站点"  # not "walk further" to nothing


def test_nearest_meal_text_answers_in_short_labelled_lines():
    """A phone shows the answer at a glance: one fact a line (one long paragraph was hard to read)."""
    exact = nearby.MealPoint("某助餐点", 800, "exact", hours="11:00–13:00", phone="010-12345678")
    assert nearby_text.nearest_meal_text(exact, 1000, 67).split("  \n") == [
        "**最近的助餐点：某助餐点**",
        # when it opens right after where: in 大字模式 on a phone it was on the second screen (phone review)
        r"开放时间：11\:00–13\:00",  # the data as text: Markdown's marks escaped
        "多远：直线约 800 米，步行 12 分钟以上，在步行圈内",  # timed along the straight line: the least
        "从哪里算：地图上红点标出的“我的位置”",  # a sheet or a forwarded link named no starting point
        r"电话：010\-12345678",
    ]


def test_a_description_cut_short_is_escaped_after_the_cut():
    r"""Escaped first, the cut fell between a backslash and its mark: the page showed "…10\-15元\……"."""
    long_description = "住在10-15号楼-" * 20  # no sentence end: cut at SUMMARY_MAX_CHARS
    point = nearby.MealPoint("某助餐点", 800, "exact", description=long_description)
    text = nearby_text.nearest_meal_text(point, 1000, 67)
    summary = text.split("来源介绍：")[1]
    assert not re.search(r"(?<!\\)(\\\\)*\\……", summary), summary  # no mark left half-escaped before the ……
    assert summary.replace("\\", "").startswith(long_description[: sitetext.SUMMARY_MAX_CHARS])


def test_nearest_meal_text_doubts_rough_positions_and_says_whom_to_ask():
    area = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 2400, "area"), 1000, 67).split("  \n")
    # An area-level position may be 2 km off: the range it may be comes first (the marked 2.4 km alone was
    # passed on to a caller as fact), the marked figure and its answer beside it, the reason on its own line.
    assert area[2] == (
        "多远：位置近似，说不准。直线约 400 米至 4.4 公里，步行 6 分钟至 1 小时以上"
        "（按地图标注约 2.4 公里，可能不在步行圈内）"
    )
    assert area[4] == "注意：该点位置为近似（片区级，误差可达一两公里），距离仅供参考"
    # What the sources do not give is said, with a number a family can call with one tap.
    call = "电话：来源未给出；可拨打 [12345](tel:12345) 市民服务热线，或向社区居委会询问"
    assert (area[1], area[5:]) == ("开放时间：来源未给出", [call])
    far = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 5000, "area", hours="三餐"), 1000, 67)
    assert "步行超过 1 小时，在步行圈外" in far and "开放时间：三餐" in far
    # "My location" chosen from an approximate landmark adds its own error, and the answer says so.
    rough_landmark = nearby.Place("g:某路口", "某路口（近似）", 39.85, 116.22, "street", "公开资料")
    from_rough = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 1800, "exact"), 1000, 67, rough_landmark)
    landmark = nearby.Place("g:卢沟桥（古桥）", "卢沟桥（古桥）", 39.849, 116.213, "exact", "维基百科")
    named = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 1800, "exact"), 1000, 67, origin=landmark)
    assert "从哪里算：卢沟桥（古桥）" in named
    assert "直线约 800 米至 2.8 公里，步行 12至 42 分钟（按地图标注约 1.8 公里，可能不在步行圈内）" in from_rough
    # Where the positions may be off by less than half the distance, the marked distance stands, with its doubt.
    street = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 2400, "street"), 1000, 67)
    assert "多远：直线约 2.4 公里，步行 36 分钟以上，在步行圈外" in street
    near_edge = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 2200, "street"), 1500, 67)
    assert "按地图标注在步行圈外（位置近似，说不准）" in near_edge
    # Marked 215 m away, at the same spot or 2 km off: "within 2.3 km", not "3 minutes".
    close = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 215, "area"), 1000, 67)
    assert "直线 2.3 公里以内，步行 34 分钟以内（按地图标注约 215 米，可能在步行圈内）" in close
    assert "注意：所选的“我的位置”也是近似位置（道路或街区级），距离仅供参考" in from_rough


def test_the_nearest_list_gives_rough_distances_as_ranges():
    found = pd.DataFrame(
        {"name": ["中心", "医院"], "layer": ["elderly_care"] * 2, "meal_service": ["yes", "unknown"],
         "distance_m": [1400.0, 800.0], "precision": ["area", "exact"], "phone": ["", ""]}
    )  # fmt: skip
    table = nearby_text.nearest_table(found, [None, True], 1000, 67)
    rough, exact = table["距离（直线）"].tolist()
    assert (rough, exact) == ("3.4 公里以内，步行 51 分钟以内（标注约 1.4 公里）", "800 米，步行 12 分钟以上")
    # "My location" from a rough landmark makes every distance rough.
    from_rough = nearby_text.nearest_table(found, [None, None], 1000, 67, origin_precision="street")
    assert from_rough["距离（直线）"].tolist()[1] == "1.8 公里以内，步行 27 分钟以内（标注约 800 米）"
    # Beyond an hour's walk no bound is said: "步行 1 小时以上以内" said more and less than an hour at once.
    assert nearby_text.range_text(2100, 3000, 67) == "5.1 公里以内，步行可能超过 1 小时"


def test_a_meal_point_many_kilometres_off_is_not_given_as_the_place_to_go():
    # A point tapped in another district was told, first and in bold, that the nearest meal was 17 km away.
    far = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 17_100, "area"), 1000, 67).split("  \n")
    assert far[0] == "**5 公里内没有本图收录的助餐点，最近的是：某助餐点**"
    assert far[2].startswith("多远：直线约 17.1 公里")
    # Only when it is surely that far: an area-level position 6 km off may be 4 km away.
    maybe = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 6000, "area"), 1000, 67)
    assert maybe.startswith("**最近的助餐点：某助餐点**")
    exact = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 5100, "exact"), 1000, 67)
    assert exact.startswith("**5 公里内没有本图收录的助餐点")


def test_nearest_meal_text_at_my_location_and_with_what_the_source_says():
    # "My location" chosen from the meal point itself: not "约 0 米，步行约 1 分钟".
    here = nearby.MealPoint("某助餐点", 0, "exact", description="午餐均价15元，面向社会开放。送餐60人次。")
    assert "多远：就在“我的位置”" in nearby_text.nearest_meal_text(here, 1000, 67)
    # Two sites sharing one rough position are not "here": how far apart they are is unknown.
    area_site = nearby.Place("s:某助餐点", "某助餐点（近似）", 39.85, 116.22, "area", "区报")
    shared = nearby_text.nearest_meal_text(nearby.MealPoint("某助餐点", 0, "area"), 1000, 67, area_site)
    assert "多远：与“我的位置”标在同一处；位置近似，实际距离说不准" in shared and "分钟" not in shared
    # What a family asks after "where": prices and who may eat there, the description's first sentence.
    lines = nearby_text.nearest_meal_text(here, 1000, 67).split("  \n")
    assert lines[2] == "价格：午餐均价15元" and lines[-1] == "来源介绍：面向社会开放。"  # the price by the hours
    # No phone in the sources: the hotline is a link a phone dials with one tap.
    assert "可拨打 [12345](tel:12345) 市民服务热线" in nearby_text.nearest_meal_text(here, 1000, 67)


def test_the_answer_gives_the_price_and_how_old_its_facts_are():
    # A family asks the price first: in the description it was a clause after "社区餐厅面向社会开放：". And the
    # report's date: the prices and hours were read as today's.
    point = nearby.MealPoint(
        "某助餐点", 800, "exact",
        description="社区餐厅面向社会开放：早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元，米饭汤品免费续加。",
        source="区报2025年1月报道（揭牌）；坐标：公开资料调研（估计位置）",
    )  # fmt: skip
    lines = nearby_text.nearest_meal_text(point, 1000, 67).split("  \n")
    assert r"价格：早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元" in lines
    assert "信息来自：区报2025年1月报道，价格和时间以现场为准" in lines  # not the coordinates' source
    assert "来源介绍：社区餐厅面向社会开放，米饭汤品免费续加。" in lines  # the prices said once, above
    # No price in the description, no price line; no source, no line either.
    plain = nearby.MealPoint("某助餐点", 800, "exact", description="面向社会开放。")
    bare = nearby_text.nearest_meal_text(plain, 1000, 67)
    assert "价格：" not in bare and "信息来自" not in bare


def test_prices_are_found_in_the_sources_words():
    assert sitetext.price_text("午餐10-15元；送餐另收2元") == "午餐10-15元，送餐另收2元"
    assert sitetext.price_text("2025年1月揭牌，面向社会开放。") == ""  # a year is not a price


def test_a_search_that_matched_nothing_is_not_read_as_no_meals_nearby():
    text = nearby_text.no_meal_point_text(Filters(query="大瓦窑"), 0)
    assert text.startswith("没有名称、地址或介绍含“大瓦窑”的站点，不是附近没有助餐。") and "清空侧栏的搜索框" in text
    assert "没有登记为提供助餐" in nearby_text.no_meal_point_text(Filters(meal="unknown"), 3)
    # A search for meals is sent to the meal filter: residents searched 吃饭 and 食堂 and found nothing.
    for words in ("吃饭", "食堂", "老年餐桌"):
        assert "在侧栏“助餐”一项选“提供助餐”" in nearby_text.no_meal_point_text(Filters(query=words), 0)


def test_meal_points_the_filters_hide_are_named_with_the_filters_to_loosen(shipped_sites):
    meal_points = shipped_sites[shipped_sites["meal_service"] == "yes"]
    hiding = Filters(layers=frozenset({"united_front"}), query="卫生")
    text = nearby_text.no_meal_point_text(hiding, 2, meal_points)
    assert text == (
        "当前筛选隐藏了登记的助餐点：卢沟桥街道养老服务中心。要看到它，请在侧栏放宽“图层”、“搜索名称、地址或介绍”。"
    )
    # The print and offline files say the same, without the sidebar paper has not (they had said "none on the
    # map" of a meal point the filters hid).
    on_paper = nearby_text.no_meal_point_text(hiding, 2, meal_points, on_paper=True)
    assert on_paper == "当前筛选隐藏了登记的助餐点：卢沟桥街道养老服务中心。"
    searched = nearby_text.no_meal_point_text(Filters(query="大瓦窑"), 0, on_paper=True)
    assert searched == "没有名称、地址或介绍含“大瓦窑”的站点，不是附近没有助餐。"


def test_the_list_heading_never_suggests_walking_further_when_the_likelier_answer_is_inside():
    assert nearby_text.within_circle_text(0, 5, 2, 1) == "按标注位置步行圈内有 1 处，但位置近似、说不准"
    assert "可把步行时间调长" in nearby_text.within_circle_text(0, 5, 2, 0)
    assert nearby_text.within_circle_text(2, 5, 1, 1) == "步行圈内 2 处，1 处位置近似、说不准"


def test_walks_over_an_hour_are_not_counted_in_minutes():
    assert nearby_text.walking_text(4_000, 67) == "步行 60 分钟以上"
    assert nearby_text.walking_text(13_000, 67) == "步行超过 1 小时"  # not "约 194 分钟"


def test_nearest_heading_counts_the_circle_and_says_what_the_list_leaves_out(shipped_sites):
    services, left_out = nearby.services_for_near_me(shipped_sites)
    found = nearby.nearest(services, *CENTRE)
    verdicts = nearby.circle_verdicts(found, 1005, "exact")
    heading, under_it = nearby_text.nearest_heading(found, verdicts, 1005, left_out)
    assert heading == f"离“我的位置”最近的 {len(found)} 处养老服务资源"  # short: the rest on the next line
    assert under_it.endswith("。统战阵地只在地图上标出。")


def test_the_list_says_a_site_marked_at_my_location_is_there_not_0_metres_away(shipped_sites):
    centre = shipped_sites[shipped_sites["id"] == "lgq-care-center"].iloc[0]
    found = nearby.nearest(shipped_sites, centre["lat"], centre["lon"])
    table = nearby_text.nearest_table(found, nearby.circle_verdicts(found, 1005), 1005)
    first = table.iloc[0]
    assert first["距离（直线）"] == "标在同一处"
    assert first["步行圈内"] == "可能在（位置近似）"  # two rough positions: being at one mark proves little


def test_a_coverage_ratio_from_one_meal_point_says_what_it_does_not_mean():
    # "2 / 2" were the meal point itself and a site marked at its spot: read as "every site covered".
    one = nearby_text.coverage_scope_text(nearby.Coverage(places=2, reached=2, meal_points=1))
    assert one.startswith("当前筛选下只有 1 个助餐点") and "不代表整个街道的助餐覆盖情况" in one
    assert nearby_text.coverage_scope_text(nearby.Coverage(places=40, reached=30, meal_points=5)) == ""
    assert nearby_text.coverage_scope_text(nearby.Coverage(places=4, reached=0, meal_points=0)) == ""
