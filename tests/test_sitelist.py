"""资源清单's list as readers read it: the grid's columns on a computer, the cards on a phone, nearest first."""

from __future__ import annotations

import pandas as pd

from servicemap import nearby, nearby_text, sitelist, vocab


def test_a_phone_column_is_kept_when_some_site_has_a_number(shipped_sites: pd.DataFrame) -> None:
    with_phone = shipped_sites.assign(phone=["010-12345678", *[""] * (len(shipped_sites) - 1)])
    assert sitelist.reader_table(with_phone)["电话"].tolist()[0] == "010-12345678"


def test_the_grid_on_screen_says_when_and_for_how_much_where_the_source_does(shipped_sites: pd.DataFrame) -> None:
    """A family on a laptop asked when the canteen opens and what it costs, which only the downloads and a
    phone's cards said."""
    screen = sitelist.reader_screen_table(sitelist.reader_table(shipped_sites), shipped_sites)
    assert list(screen.columns[:6]) == ["名称", "类型", "助餐", "位置", "开放时间", "价格"]
    assert not {"图层", "整理日期"} & set(screen.columns)  # one date for every row; the type says the layer
    centre = screen.set_index("名称").loc["卢沟桥街道养老服务中心"]
    assert centre["价格"] == "早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元"
    assert centre["开放时间"].startswith("早、午、晚三餐") and centre["来源"] == "区报2025年1月报道"
    assert centre["位置"] == vocab.PRECISIONS_SHORT["area"]
    # No column empty on every row: the united-front sites give neither hours nor prices.
    united_front = shipped_sites[shipped_sites["layer"] == "united_front"]
    assert not {"开放时间", "价格"} & set(
        sitelist.reader_screen_table(sitelist.reader_table(united_front), united_front)
    )
    # Ordered from "my location": how far stays next to the name, and every row keeps its own hours.
    nearest = sitelist.reader_table_nearest_first(shipped_sites, 39.84917, 116.21306)
    on_screen = sitelist.reader_screen_table(nearest, shipped_sites)
    assert list(on_screen.columns[:3]) == ["名称", sitelist.NEAR_COLUMN, sitelist.NEAR_KM_COLUMN]
    assert on_screen.set_index("名称").loc["卢沟桥街道养老服务中心", "开放时间"] == centre["开放时间"]


def test_phone_list_writes_each_site_out_and_keeps_data_literal(shipped_sites: pd.DataFrame) -> None:
    table = sitelist.reader_table(shipped_sites)
    cards = sitelist.reader_cards_markdown(table, limit=100)
    items = cards.split("\n- ")
    assert len(items) == len(shipped_sites)
    centre = items[0].splitlines()
    assert centre[0] == "- **卢沟桥街道养老服务中心**  "
    assert "提供助餐" in centre[1] and "床位 18 张" in centre[1]
    # A united-front site's 不适用 meals and missing beds are not written out; its level is.
    museum = next(item for item in items if "中国人民抗日战争纪念馆" in item)
    assert "国家级" in museum and "不适用" not in museum and "床位" not in museum


def test_phone_list_says_how_many_are_left_out_and_escapes_markdown(shipped_sites: pd.DataFrame) -> None:
    hostile = shipped_sites.assign(name=["<img src=x onerror=alert(1)> **粗** [链](http://x)"] * len(shipped_sites))
    cards = sitelist.reader_cards_markdown(sitelist.reader_table(hostile), limit=3)
    assert cards.count("\n- ") == 2 and cards.endswith(
        f"另有 {len(shipped_sites) - 3} 处未列出：请用侧栏的筛选或搜索缩小范围，或下载完整清单。"
    )
    assert "\\<img src\\=x onerror\\=alert\\(1\\)\\> \\*\\*粗\\*\\* \\[链\\]\\(http\\:\\/\\/x\\)" in cards


def test_phone_list_of_no_sites_says_so(shipped_sites: pd.DataFrame) -> None:
    assert (
        sitelist.reader_cards_markdown(sitelist.reader_table(shipped_sites.head(0)), limit=10) == "当前筛选下没有站点。"
    )


def test_phone_list_from_my_location_says_how_far(shipped_sites: pd.DataFrame) -> None:
    table = sitelist.reader_table(shipped_sites).assign(**{sitelist.NEAR_COLUMN: "2.4 公里"})
    first = sitelist.reader_cards_markdown(table, limit=1).splitlines()
    assert first[1].strip() == "离我的位置：2\\.4 公里"  # right under the name


def test_list_from_my_location_is_nearest_first_with_how_far_second(shipped_sites: pd.DataFrame) -> None:
    table = sitelist.reader_table_nearest_first(shipped_sites, 39.84917, 116.21306)
    assert list(table.columns[:3]) == ["名称", sitelist.NEAR_COLUMN, sitelist.NEAR_KM_COLUMN]
    assert len(table) == len(shipped_sites)  # nothing dropped: the unplaced are listed too
    placed = int(shipped_sites["lat"].notna().sum())
    how_far = table[sitelist.NEAR_COLUMN].tolist()
    assert all(text != sitelist.NOT_APPLICABLE for text in how_far[:placed])
    assert how_far[placed:] == [sitelist.NOT_APPLICABLE] * (len(shipped_sites) - placed)  # no position, no distance
    # The distance as a number too, which sorts as one: the grid's heading sorted the words as text, "10.8 公里"
    # before "2.7 公里" (staff review).
    kilometres = table[sitelist.NEAR_KM_COLUMN]
    assert kilometres.dtype == float and kilometres.iloc[:placed].is_monotonic_increasing
    assert kilometres.iloc[placed:].isna().all()
    assert table["名称"].iloc[0] == nearby.by_distance(shipped_sites, 39.84917, 116.21306)["name"].iloc[0]
    # A site whose position may be off by half its distance or more is said as the answer at the top says it: the
    # range first, the marked figure after it.
    by_name = dict(zip(table["名称"], how_far, strict=True))
    assert by_name["卢沟桥街道养老服务中心"] == "约 400 米至 4.5 公里（标注约 2.4 公里）"
    assert by_name["中国人民抗日战争纪念馆"] == "1.1 公里"  # an exact position: the distance plainly
    km_by_name = dict(zip(table["名称"], kilometres, strict=True))
    assert (km_by_name["卢沟桥街道养老服务中心"], km_by_name["中国人民抗日战争纪念馆"]) == (2.4, 1.1)  # to the pin
    # From a rough "my location" (a road's whole length), its error counts too, as in the answer at the top: the
    # list had said "标注约 610 米" beside the answer's "3.7 公里以内" (phone review).
    from_road = sitelist.reader_table_nearest_first(shipped_sites, 39.85856, 116.23614, "street")
    from_road_by_name = dict(zip(from_road["名称"], from_road[sitelist.NEAR_COLUMN], strict=True))
    assert from_road_by_name["卢沟桥街道养老服务中心"] == "3.7 公里以内（标注约 610 米）"
    assert from_road_by_name["中国人民抗日战争纪念馆"] == "约 100 米至 2.2 公里（标注约 1.1 公里）"
    # From 宛平城, which takes the museum's position: not "1 米" to the museum.
    museum = shipped_sites.loc[shipped_sites["id"] == "uf-kangzhan-museum"].iloc[0]
    from_museum = sitelist.reader_table_nearest_first(shipped_sites, museum["lat"] + 0.00001, museum["lon"])
    assert from_museum[sitelist.NEAR_COLUMN].iloc[0] == nearby_text.SAME_SPOT_TEXT


def test_a_grid_on_screen_says_how_exact_a_position_is_in_short_words(shipped_sites: pd.DataFrame) -> None:
    table = sitelist.reader_table(shipped_sites)
    short = dict(zip(table["名称"], sitelist.short_positions(table), strict=True))
    assert short["卢沟桥街道养老服务中心"] == "近似（片区级）"
    assert short["中国人民抗日战争纪念馆"] == "准确"
    assert short["卢沟桥社会福利中心"] == "待核实，未上图"


def test_phone_list_says_a_meal_points_hours_and_prices(shipped_sites: pd.DataFrame) -> None:
    """A daughter on a phone found the meal point in the list, but not when it opens or what lunch costs."""
    cards = sitelist.reader_cards_markdown(sitelist.reader_table(shipped_sites), 100, shipped_sites).split("\n- ")
    centre = next(card for card in cards if "卢沟桥街道养老服务中心**" in card)
    assert "开放时间：早、午、晚三餐时段" in centre
    # The price on its own line, as the answer at the top has it, and not again in 介绍 (phone review).
    assert "价格：早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元" in centre
    assert "介绍：社区餐厅面向社会开放，米饭汤品免费续加" in centre
    museum = next(card for card in cards if "中国人民抗日战争纪念馆" in card)
    assert "介绍：" not in museum  # only a meal point's: the cards stay short


def test_the_list_can_be_put_in_the_orders_residents_ask(shipped_sites):
    names = shipped_sites["name"].tolist()

    def ordered(order):
        return [names[position] for position in sitelist.order_positions(shipped_sites, order)]

    assert ordered(sitelist.REGISTRY_ORDER) == names
    assert ordered(sitelist.NEAREST_FIRST) == names  # the nearest-first order the page has made already
    meals = vocab.meal_labels(shipped_sites["layer"], shipped_sites["meal_service"])
    by_meals = [meals[position] for position in sitelist.order_positions(shipped_sites, sitelist.MEALS_FIRST)]
    assert by_meals[0] == "提供助餐" and by_meals[-1] == vocab.MEAL_NOT_APPLICABLE
    assert by_meals == sorted(by_meals, key=["提供助餐", "助餐情况不明", "不提供助餐", vocab.MEAL_NOT_APPLICABLE].index)
    types = [shipped_sites.iloc[p]["type"] for p in sitelist.order_positions(shipped_sites, sitelist.BY_TYPE)]
    assert types == sorted(types, key=list(vocab.SITE_TYPES).index)
    # Stable: sites of one type keep the registry's order among themselves.
    united_front = [
        n for n in ordered(sitelist.BY_TYPE) if n in set(shipped_sites.loc[shipped_sites["type"] == "uf_site", "name"])
    ]
    assert united_front == shipped_sites.loc[shipped_sites["type"] == "uf_site", "name"].tolist()
    exact_first = sitelist.order_positions(shipped_sites, sitelist.EXACT_FIRST)
    precisions = [
        "unplaced" if pd.isna(shipped_sites.iloc[p]["lat"]) else shipped_sites.iloc[p]["precision"] for p in exact_first
    ]
    assert precisions == sorted(precisions, key=["exact", "street", "area", "unplaced"].index)
    assert precisions[0] == "exact" and precisions[-1] == "unplaced"
