"""The pages as Streamlit runs them (AppTest): widgets drive the metrics, the link seeds the widgets,
bad links and bad files give notices instead of crashes."""

from __future__ import annotations

import csv
import json
import os
import re
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from servicemap import metrics
from servicemap.filters import Filters, apply
from tests.maphtml import drawn_sites

APP = str(Path(__file__).resolve().parent.parent / "app.py")
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TIMEOUT = 60


def start(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if query:
        at.query_params.update(query)
    return at.run()


def metric_values(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def drawn_markers(at: AppTest) -> int:
    """Sites in the feature groups sent to the st_folium component."""
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    return len(drawn_sites(args.get("feature_group") or ""))


def table_with(at: AppTest, column: str):
    """The first grid or plain table that has `column` (AppTest does not expose their keys)."""
    return next(df.value for df in [*at.dataframe, *at.table] if column in df.value.columns)


def expected(shipped_sites, filters: Filters) -> metrics.Metrics:
    return metrics.compute(apply(shipped_sites, filters))


def test_map_page_shows_both_layers_and_metrics(shipped_sites):
    at = start()
    assert not at.exception
    assert at.title[0].value == "卢街颐养 · 养老服务资源分布图"
    summary = expected(shipped_sites, Filters())
    values = metric_values(at)
    assert values["养老服务资源"] == str(summary.shown_by_layer["elderly_care"])
    assert values["统战阵地及平台"] == str(summary.shown_by_layer["united_front"])
    assert values["助餐点"] == str(summary.meal_points)
    # The report gives no count of the street's meal points: "1" was quoted as the street's.
    assert next(m for m in at.metric if m.label == "助餐点").delta == "全街总数：不详"
    assert values["托老床位"] == f"{summary.care_beds} 张"
    assert drawn_markers(at) == summary.placed
    assert "位置待核实" in at.info[0].value
    # Whose figures they are: the street's care services, the district's united-front work.
    headings = [c.value for c in at.caption]
    assert "卢沟桥街道 · 养老服务 · 本图收录" in headings
    assert "丰台区 · 统战工作阵地及平台（全区） · 本图收录" in headings
    assert "本图不完整" in at.info[0].value  # the street's other institutions are not in the registry
    at.checkbox(key="f_layer_elderly_care").uncheck().run()
    assert "本图不完整" not in at.info[0].value  # nothing about care services is shown now


def test_meal_filter_changes_metrics_markers_and_link(shipped_sites):
    at = start()
    at.radio(key="f_meal").set_value("yes").run()
    summary = expected(shipped_sites, Filters(meal="yes"))
    values = metric_values(at)
    assert values["助餐点"] == str(summary.meal_points)
    # No united-front site shown: their figures give way (0 / 0 / 0 pushed the map and the answer down).
    assert "统战阵地及平台" not in values and "国家级阵地" not in values
    assert "丰台区 · 统战工作阵地及平台（全区） · 本图收录" not in [c.value for c in at.caption]
    assert drawn_markers(at) == summary.placed
    assert at.query_params["meal"] == "yes"


def test_layer_and_type_filters_combine(shipped_sites):
    at = start()
    at.checkbox(key="f_layer_elderly_care").uncheck().run()
    at.multiselect(key="f_types").set_value(["health_home"]).run()
    summary = expected(shipped_sites, Filters(layers=frozenset({"united_front"}), types=frozenset({"health_home"})))
    assert metric_values(at)["统战阵地及平台"] == str(summary.shown)
    # The care layer switched off: its figures give way (0 / 0 / 0 张 beside "报道 12 家" said nothing).
    assert "养老服务资源" not in metric_values(at)
    assert "卢沟桥街道 · 养老服务 · 本图收录" not in [c.value for c in at.caption]
    assert at.query_params["layer"] == "united_front"
    assert at.query_params["type"] == "health_home"


def test_care_count_carries_the_reported_institutions_and_how_many_are_registered():
    at = start()
    care = next(m for m in at.metric if m.label == "养老服务资源")
    assert care.value == "4"
    # Its own subject, not a share of the number above: "其中机构 2 家" read as "2 of 1" under 提供助餐.
    assert care.delta == "街道养老机构：报道\u00a012\u00a0家，收录\u00a02\u00a0家"
    at.radio(key="f_meal").set_value("yes").run()
    assert next(m for m in at.metric if m.label == "养老服务资源").delta == care.delta  # not a filter figure
    # The district's totals say whose they are, in the group's heading: "0" above "报道 5 个" read as "0 of 5"
    # under a filter without it.
    at.radio(key="f_meal").set_value("all").run()
    at.multiselect(key="f_types").set_value(["health_home"]).run()
    national = next(m for m in at.metric if m.label == "国家级阵地")
    assert (national.value, national.delta) == ("0", "报道 5 个")
    assert "丰台区 · 统战工作阵地及平台（全区） · 本图收录" in [c.value for c in at.caption]
    # A level with sites off the map says how many are on it, on a line of its own.
    municipal = next(m for m in start().metric if m.label == "市级阵地")
    assert municipal.delta == "报道 24 个  \n图上 1 个"
    beds = next(m for m in start().metric if m.label == "托老床位")
    assert (beds.value, beds.delta) == ("18 张", metrics.beds_note(1))  # one centre's beds, not the street's


def test_meal_filter_says_where_the_sites_it_does_not_apply_to_are():
    at = start()
    assert "另有 12 处统战阵地及平台来源未说明助餐（不适用）" in at.radio(key="f_meal").help
    # The options add up: 1 + 0 + 3 and the 12 not applicable make the 16.
    assert at.radio(key="f_meal").options[0] == "全部（16，含不适用 12）"
    at.checkbox(key="f_layer_united_front").uncheck().run()
    assert "另有" not in at.radio(key="f_meal").help  # no "另有 0 处" once that layer is off
    assert at.radio(key="f_meal").options[0] == "全部（4）"


def test_option_labels_show_counts():
    at = start()
    labels = at.radio(key="f_meal").options
    assert labels[0].startswith("全部（") and labels[1].startswith("提供助餐（1）")
    # The layers carry theirs too, and they follow the other filters: meal points are all care services.
    assert at.checkbox(key="f_layer_elderly_care").label == "养老服务资源（4）"
    assert at.checkbox(key="f_layer_united_front").label == "统战阵地及平台（12）"
    at.radio(key="f_meal").set_value("yes").run()
    assert at.checkbox(key="f_layer_elderly_care").label == "养老服务资源（1）"
    assert at.checkbox(key="f_layer_united_front").label == "统战阵地及平台（0）"


def test_link_seeds_every_widget_selection_and_view():
    at = start(
        {
            "meal": "yes",
            "layer": "elderly_care",
            "type": "street_care_center",
            "q": "张仪村",
            "site": "lgq-care-center",
            "view": "39.86378,116.23397,15",
        }
    )
    assert not at.exception
    assert at.radio(key="f_meal").value == "yes"
    assert at.checkbox(key="f_layer_united_front").value is False
    assert at.multiselect(key="f_types").value == ["street_care_center"]
    assert at.text_input(key="f_query").value == "张仪村"
    assert at.selectbox(key="site_picker").value == "lgq-care-center"
    assert any("卢沟桥街道养老服务中心" in md.value for md in at.markdown)
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    # The map opens on the link's view: its centre and its zoom, not just any "15" in the script.
    assert re.search(r'center: \[39\.86378, 116\.23397\],.*?"zoom": 15,', args["script"], re.DOTALL)
    assert at.query_params["view"] == "39.86378,116.23397,15"
    assert not [w for w in at.warning if "链接" in w.value]  # only the "approximate position" note


def test_a_link_naming_a_site_but_no_view_opens_on_the_site():
    # Written by hand or cut short in a chat: it opened on the district, the site at a phone's very edge.
    args = json.loads(start({"meal": "yes", "site": "lgq-care-center"}).get("component_instance")[0].proto.json_args)
    # The centre's position is area-level: the map opens at the zoom a pick of it flies to (13), on it.
    assert re.search(r'center: \[39\.86378, 116\.23397\],.*?"zoom": 13,', args["script"], re.DOTALL)


def test_a_link_naming_a_site_its_own_filters_hide_does_not_open_on_an_empty_map():
    # 只看助餐 and the museum (no meals): the map had flown to the museum, with no pin there.
    at = start({"meal": "yes", "site": "uf-kangzhan-museum"})
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "center: [39.85228, 116.22581]" not in args["script"]


def test_the_share_link_leaves_large_print_to_the_reader():
    # A daughter's link opened in 大字模式 on her brother's phone.
    code = next(c.value for c in start({"large": "1", "meal": "yes"}).code)
    assert "meal=yes" in code and "large" not in code


def test_the_type_chart_keeps_the_streets_care_and_the_districts_united_front_apart():
    # In one chart the district's 统战工作阵地 7 was the longest bar beside the street's care types, and read in a
    # briefing as the street's make-up: one chart each, under the figures' own headings.
    at = start({"section": "stats"})
    assert [h.value for h in at.subheader] == ["卢沟桥街道 · 养老服务", "丰台区 · 统战工作阵地及平台（全区）"]
    care, united_front = (json.loads(chart.proto.spec)["description"] for chart in at.get("vega_lite_chart"))
    assert "街道（区域）养老服务中心 1 处" in care and "统战" not in care
    assert "统战工作阵地 7 处" in united_front and "养老" not in united_front


def test_tampered_link_gives_notices_not_a_crash(shipped_sites):
    at = start({"meal": "<script>alert(1)</script>", "foo": "bar", "view": "abc", "site": "nope"})
    assert not at.exception
    notices = " ".join(w.value for w in at.warning)
    assert "foo" in notices and "已忽略" in notices and "无效" in notices and "不存在" in notices
    assert "<script>" not in notices  # quoted with Markdown escapes, never as live markup
    assert drawn_markers(at) == int(shipped_sites["lat"].notna().sum())
    # The bad values are dropped from the link the page now shows.
    assert "foo" not in at.query_params and "meal" not in at.query_params


def test_selecting_a_site_shows_details_and_enters_the_link():
    at = start()
    at.selectbox(key="site_picker").set_value("uf-kangzhan-museum").run()
    assert any("中国人民抗日战争纪念馆" in md.value for md in at.markdown)
    assert at.query_params["site"] == "uf-kangzhan-museum"
    details = " ".join(md.value for md in at.markdown)
    assert "丰台区宛平城内街101号" in details and "**助餐**" not in details  # 统战: no "助餐：不适用"
    assert "**电话**" not in details  # a museum: no care service to call about
    assert "去之前请先向站点或社区确认" not in details
    at.selectbox(key="site_picker").set_value("lgq-care-center").run()
    details = " ".join(md.value for md in at.markdown)
    # A family calls before going: a care service's missing phone is said, and the hours the article gives.
    assert "**电话**：来源未给出；可拨打 [12345](tel:12345) 市民服务热线，或向社区居委会询问" in details
    assert "**开放时间**：早、午、晚三餐时段" in details
    assert "为来源发布时的情况，去之前请先向站点或社区确认" in details  # prices and beds as reported
    at.button(key="clear_selection").click().run()
    assert "site" not in at.query_params


def test_a_picked_site_hidden_by_a_filter_stays_picked_when_a_late_rerun_still_names_it():
    # On a slow machine the map's view report, sent before the browser had redrawn the picker for 提供助餐, reached
    # the server after the filter's run: its picker still held the museum, which the browser sends by its name.
    # Streamlit gives a name that is not among the options back as it is, and the page had taken it for a site id
    # (none), then dropped the selection as a site gone from the registry: the details went back to 请选择站点.
    at = start()
    at.selectbox(key="site_picker").set_value("uf-kangzhan-museum").run()
    at.radio(key="f_meal").set_value("yes").run()
    picker = at.selectbox(key="site_picker")
    assert "中国人民抗日战争纪念馆" not in picker.options and picker.value is None
    late = at._tree.get_widget_states()  # what the browser sends, with the picker as it held it a run ago
    next(w for w in late.widgets if w.id == picker.id).string_value = "中国人民抗日战争纪念馆"
    at._run(late)
    assert not at.exception
    assert at.session_state["selected_site"] == "uf-kangzhan-museum"
    assert any(md.value == "### 中国人民抗日战争纪念馆" for md in at.markdown)
    assert any(c.value == "该站点不在当前筛选结果中：侧栏的“助餐服务”筛掉了它。" for c in at.caption)
    assert at.query_params["site"] == "uf-kangzhan-museum"
    assert at.selectbox(key="site_picker").value is None


def test_a_picked_site_a_filter_hides_comes_back_by_loosening_only_that_filter():
    # Picked, then hidden by 提供助餐 and a search: the details said it was filtered out and not which filter, the
    # picker went blank and the pin was gone (regression review).
    at = start()
    at.selectbox(key="site_picker").set_value("uf-kangzhan-museum").run()
    at.radio(key="f_meal").set_value("yes").run()
    at.multiselect(key="f_types").set_value(["uf_site", "street_care_center"]).run()
    assert any(c.value == "该站点不在当前筛选结果中：侧栏的“助餐服务”筛掉了它。" for c in at.caption)
    at.button(key="loosen_to_show").click().run()
    assert not at.exception
    assert at.radio(key="f_meal").value == "all"
    assert at.multiselect(key="f_types").value == ["street_care_center", "uf_site"]  # the reader's other choice
    assert at.selectbox(key="site_picker").value == "uf-kangzhan-museum"
    assert not any("不在当前筛选结果中" in c.value for c in at.caption)
    assert "meal" not in at.query_params and at.query_params["site"] == "uf-kangzhan-museum"


def test_loosened_filters_stay_loosened_when_a_late_rerun_still_holds_the_old_ones():
    # On a busy machine the map's first view report, sent 40 ms after the tap on 放宽, reached the server with the
    # sidebar's old values, which Streamlit took over the button's: the site stayed hidden (1 tap in 20 with two
    # CPU-bound loops beside).
    at = start({"layer": "elderly_care", "site": "uf-kangzhan-museum"})
    at.button(key="loosen_to_show").click().run()
    assert at.checkbox(key="f_layer_united_front").value is True
    # The late run interrupts the button's and its widget states replace the session's: what the session then
    # holds (a late run after the button's had finished is not taken over it, so AppTest cannot send one).
    at.session_state["f_layer_united_front"] = False
    at.run()
    assert not at.exception
    assert at.checkbox(key="f_layer_united_front").value is True
    assert not any("不在当前筛选结果中" in c.value for c in at.caption)
    # A reader unticking the layer again, later, is a choice.
    replaced, chosen, _ = at.session_state["filters_replaced"]
    at.session_state["filters_replaced"] = (replaced, chosen, 0.0)  # as if set long ago
    at.checkbox(key="f_layer_united_front").uncheck().run()
    assert at.checkbox(key="f_layer_united_front").value is False


def test_a_cleared_selection_stays_cleared_when_a_late_rerun_still_names_the_site():
    # On a busy machine a run the browser sent before it had the emptied picker (the map's view report) reached the
    # server after 清除选择's, with the picker still on the site: its callback took that for a new choice, and the
    # details came back (1 browser run in 8 with three CPU-bound loops beside).
    at = start()
    at.selectbox(key="site_picker").set_value("uf-kangzhan-museum").run()
    late = at._tree.get_widget_states()  # what the browser held before 清除选择 (AppTest has no public way)
    at.button(key="clear_selection").click().run()
    assert at.session_state["selected_site"] is None and at.selectbox(key="site_picker").value is None
    at._run(late)
    assert not at.exception
    assert at.session_state["selected_site"] is None
    assert not any(md.value == "### 中国人民抗日战争纪念馆" for md in at.markdown)
    assert at.selectbox(key="site_picker").value is None
    # A reader choosing the site again, later, is a choice.
    at.session_state["site_picker_replaced"] = ("uf-kangzhan-museum", 0.0)  # as if set long ago
    at.selectbox(key="site_picker").set_value("uf-kangzhan-museum").run()
    assert at.session_state["selected_site"] == "uf-kangzhan-museum"


def test_the_mark_that_focuses_the_picker_stands_through_the_run_that_follows():
    # Drawn by one run alone, the mark was gone again before a busy browser had drawn it when the map's view report
    # followed close behind, and the picker never took the focus after 清除选择 (1 browser run in 10 under load).
    def marks(at: AppTest) -> int:
        return sum(1 for html in at.get("html") if "sm-run-mark" in html.proto.body)

    at = start({"site": "uf-kangzhan-museum"})
    at.button(key="clear_selection").click().run()
    assert marks(at) == 1
    at.run()  # the next run, straight after
    assert marks(at) == 1
    at.session_state["picker_to_focus"] = 0.0  # as if first drawn long ago
    at.run()
    assert marks(at) == 0 and "picker_to_focus" not in at.session_state


def test_a_selected_site_names_the_sites_sharing_its_position_only_if_shown():
    at = start({"site": "lgq-care-center"})
    assert any(c.value == "同一位置还有：卢沟桥第二社区卫生服务中心" for c in at.caption)
    at.radio(key="f_meal").set_value("yes").run()  # the health centre gives no meals: no longer shown
    assert not any("同一位置还有" in c.value for c in at.caption)


def test_near_me_answers_where_the_nearest_meal_is(shipped_sites):
    at = start({"near": "39.84917,116.21306"})
    assert at.success[0].value.split("  \n")[:5] == [
        "**最近的助餐点：卢沟桥街道养老服务中心**",
        "地址：丰台区张仪村路227号院1号楼",
        # when and for how much right after where: in 大字模式 on a phone they were on the second screen
        "开放时间：早、午、晚三餐时段（具体时间报道未给出）",
        "价格：早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元",
        "多远：位置近似，说不准。直线约 400 米至 4.5 公里，步行 6 分钟至 1 小时以上"
        "（按地图标注约 2.4 公里，可能不在步行圈内）",
    ]
    assert "距离仅供参考" in at.success[0].value  # the centre's position is approximate (片区级)
    assert "从哪里算：卢沟桥（古桥）" in at.success[0].value  # the landmark the link's location is
    # What a family asks next: when it is open, and how to call (the sources give no number).
    assert "开放时间：早、午、晚三餐时段" in at.success[0].value
    assert "电话：来源未给出" in at.success[0].value
    # In the same box, not in another further down: nearer meal points may be missing from the map.
    assert at.success[0].value.split("  \n")[-1].startswith("另：本图只收录了报道中街道 12 家养老机构里的 2 家")
    # No care service lies inside a 15-minute circle from the bridge: the page says what to try, and
    # lists care services, not the museum that is nearer (it stays on the map).
    heading = next(m.value for m in at.markdown if "离“我的位置”最近的" in m.value)
    assert "处养老服务资源" in heading and "步行圈内暂无确定的站点" in heading and "可把步行时间调长" in heading
    care_names = set(shipped_sites.loc[shipped_sites["layer"] == "elderly_care", "name"])
    assert set(table_with(at, "距离（直线）")["名称"]) <= care_names
    # Its gist again in 我附近, where the reader is when choosing a place (the top is out of view then).
    assert any(
        m.value.startswith("最近的助餐点：卢沟桥街道养老服务中心，位置近似，说不准。直线约 400 米至 4\\.5 公里")
        and "见页面最上方" in m.value
        for m in at.markdown
    )
    # The answer comes first, before the figures: a shared 我附近 link on a phone showed six figures first.
    shown = [  # not the page's style and scripts, nor the notices' container, empty here
        child
        for child in at.main.children.values()
        if child.type != "html" and not (child.type == "flex_container" and not child.children)
    ]
    page_top = list(shown[1].children.values())  # after the title: the first lines, 大字模式, then the answer
    assert [child.type for child in page_top[:2]] == ["caption", "button"]
    assert page_top[2].type == "success" and "最近的助餐点" in page_top[2].value
    assert shown[2].type == "flex_container"  # the figures, after it
    # A filter that hides the meal point says so, and which filter to loosen, instead of "no meals".
    at.radio(key="f_meal").set_value("unknown").run()
    assert any(
        i.value.startswith("当前筛选隐藏了登记的助餐点：卢沟桥街道养老服务中心") and "放宽“助餐服务”" in i.value
        for i in at.info
    )


def test_meal_coverage_counts_by_the_marked_positions_and_says_which_are_unsure():
    at = start({"cover": "1"})
    # Care services only (a museum "covered" by a canteen meant nothing): the centre and its next-door
    # health centre, both placed roughly at one spot, so the neighbour might be outside.
    assert any(c.value.startswith("按标注位置，圈内 2 处中有 1 处说不准") for c in at.caption)
    # One meal point: "2 / 2" is not the street's coverage. Not a big figure then, but a sentence with its caveat
    # (a big "2 / 2" over small grey words still read as "all covered").
    assert not any(m.label.startswith("在助餐点步行圈内") for m in at.metric)
    said = next(i.value for i in at.info if i.value.startswith("在助餐点步行圈内的已上图养老服务资源：2 / 2"))
    assert "当前筛选下只有 1 个助餐点" in said and "不代表整个街道的助餐覆盖情况" in said


def test_a_tapped_location_is_undone_beside_its_answer():
    # In 大字模式 any tap on the open map sets it: a tap in the wrong place is undone by the answer it brought.
    at = start({"near": "39.852,116.23", "large": "1"})
    at.button(key="clear_near_top").click().run()
    assert "near" not in at.query_params and not at.success
    # A place chosen from the list is changed in the list: no such button beside its answer.
    assert not [b for b in start({"near": "39.84917,116.21306"}).button if b.key == "clear_near_top"]


def test_the_share_box_says_which_my_location_the_link_carries():
    # A place chosen from the list is a public place, kept exactly: the box names it. A tapped or located
    # point is often the reader's home, kept to about 100 m: the box warns before it goes to a group.
    from_list = [c.value for c in start({"near": "39.84917,116.21306"}).caption]
    assert "链接里有“我的位置”：卢沟桥（古桥）。" in " ".join(from_list)
    assert not any("100 米" in text for text in from_list)
    tapped = [c.value for c in start({"near": "39.852,116.23"}).caption]
    assert any("**链接里有“我的位置”**（精确到约 100 米）" in text for text in tapped)
    assert not any("链接里有" in c.value for c in start().caption)


def test_a_shared_walking_circle_opens_as_shared():
    # A 3 km circle once opened as 300 m, and the link was rewritten to say so.
    at = start({"near": "39.84917,116.21306", "radius": "3000"})
    assert not at.exception
    assert (at.number_input(key="walk_minutes").value, at.number_input(key="walk_speed").value) == (50, 60)
    assert any("步行圈半径约 3,000 米" in c.value for c in at.caption)
    assert at.query_params["radius"] == "3000"


def test_a_search_that_finds_nothing_says_so_instead_of_no_meals():
    # A daughter typed her mother's neighbourhood; the article names it, the registry has no site there.
    at = start({"q": "大瓦窑"})
    assert not at.exception
    assert any(w.value.startswith("没有名称、地址或介绍含“大瓦窑”的站点，不是附近没有助餐") for w in at.warning)
    with_location = start({"q": "大瓦窑", "near": "39.84917,116.21306"})
    assert any("不是附近没有助餐" in i.value for i in with_location.info)


def test_list_page_table_follows_filters_and_offers_downloads(shipped_sites):
    at = start({"meal": "unknown"})
    at.switch_page("app_pages/list.py").run()
    assert not at.exception
    table = table_with(at, "位置")
    assert len(table) == len(apply(shipped_sites, Filters(meal="unknown")))
    assert {"名称", "助餐", "位置", "来源"} <= set(table.columns)
    # Each row still cites its source, in short on screen (in full it pushed columns off a laptop's edge).
    assert set(table["来源"]) == {"区报2025年1月报道"}
    assert at.get("download_button")


def test_a_list_link_naming_a_site_opens_on_it_in_full():
    # /list?site=… (written by a pick in the list) opened with no site in full and the picker empty (phone review).
    at = start({"site": "lgq-care-center"})
    at.switch_page("app_pages/list.py").run()
    assert not at.exception
    assert "### 卢沟桥街道养老服务中心" in [m.value for m in at.markdown]
    assert at.selectbox(key="list_card_pick").value == "lgq-care-center"
    # Unticked, it stays so through the next run.
    at.selectbox(key="list_card_pick").set_value(None).run()
    assert "### 卢沟桥街道养老服务中心" not in [m.value for m in at.markdown]


def test_the_list_in_large_text_is_text_that_grows_not_a_grid(shipped_sites):
    # 大字模式 enlarged the page but not the grid's rows (staff review): the list is blocks of text there.
    at = start({"large": "1"})
    at.switch_page("app_pages/list.py").run()
    assert not at.exception and not at.dataframe
    cards = " ".join(m.value for m in at.markdown)
    assert all(name in cards for name in shipped_sites["name"])


def test_about_page_explains_sources_and_precision():
    at = start()
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    headers = [h.value for h in at.main.header]
    assert "位置为近似是什么意思" in headers and any(e.label.startswith("各站点来源（") for e in at.expander)
    # First, what the map leaves out: a leader must not take it for the street's whole.
    assert headers[0] == "本图没有收录什么"
    gaps = next(m.value for m in at.markdown if "与报道的数字相比" in m.value)
    assert (
        "社区养老服务驿站：报道 5 家，本图收录 0 家" in gaps
        and "丰台区市级统战工作阵地：报道 24 个，本图收录 2 个" in gaps
    )
    assert "来源给出电话的 0 处" in gaps and "[12345](tel:12345)" in gaps
    assert "丰台区基层新联会、侨联组织：报道 36 个，未点名" in gaps
    assert "卢沟桥街道公众号可下载电子版" in gaps  # the street's own map, which this one was not copied from
    assert "助餐情况怎么读" in headers  # why museums read 不适用 and are not counted as 情况不明
    assert at.success and "全部通过校验" in at.success[0].value


def test_rejected_rows_are_reported_and_good_rows_still_shown(monkeypatch):
    monkeypatch.setenv("SERVICEMAP_DATA", str(FIXTURES / "invalid" / "duplicate_id.csv"))
    at = start()
    assert not at.exception
    assert any("行有问题" in w.value for w in at.warning)
    at.switch_page("app_pages/about.py").run()
    rejected = table_with(at, "问题")
    assert len(rejected) >= 1 and "id" in set(rejected["列"])
    # The rows themselves go back to the office to fix: they are in no other download.
    assert [button.proto.label for button in at.get("download_button")] == ["下载有问题的行（原样，附问题说明）"]


def test_columns_not_read_are_noted_on_the_about_page(monkeypatch, tmp_path):
    """An office's 备注 column was left out without a word (adopter review): 关于数据 says so, rejecting nothing."""
    with open(FIXTURES / "encodings" / "sites_utf8.csv", encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    path = tmp_path / "with_remarks.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([[*rows[0], "备注"], *([*row, "内部"] for row in rows[1:])])
    monkeypatch.setenv("SERVICEMAP_DATA", str(path))
    at = start()
    at.switch_page("app_pages/about.py").run()
    assert not at.exception
    assert at.success and "全部通过校验" in at.success[0].value
    assert any("未识别的列「备注」，已忽略" in i.value for i in at.info)


@pytest.mark.parametrize("name", ["missing.csv", "empty.csv"])
def test_unreadable_registry_gives_an_error_page(monkeypatch, tmp_path, name):
    path = tmp_path / name
    if name == "empty.csv":
        path.write_text("", encoding="utf-8")
    monkeypatch.setenv("SERVICEMAP_DATA", str(path))
    at = start()
    assert not at.exception
    assert at.error and "无法读取站点登记表" in at.error[0].value


def test_a_registry_saved_in_a_bad_state_leaves_the_last_good_version_on_the_map(monkeypatch, tmp_path, shipped_sites):
    # A title row typed above the header, saved while the map was live, took the map down for every reader until
    # it was mended; a save with the columns renamed left it empty (adopter review).
    import ui.data

    monkeypatch.setattr(ui.data, "MTIME_RECHECK_S", 0.0)  # each run looks at the file, as a second later would
    registry = tmp_path / "登记表.csv"
    good = (Path(__file__).resolve().parent.parent / "data" / "sites.csv").read_text(encoding="utf-8-sig")
    registry.write_text(good, encoding="utf-8")
    monkeypatch.setenv("SERVICEMAP_DATA", str(registry))
    at = start()
    on_the_map = drawn_markers(at)
    assert on_the_map == int(shipped_sites["lat"].notna().sum())

    def save(text: str, seconds_later: int) -> None:
        registry.write_text(text, encoding="utf-8")
        saved_at = registry.stat().st_mtime + seconds_later
        os.utime(registry, (saved_at, saved_at))

    for broken, problem in (
        ("新村街道养老服务资源清单,,,\n" + good, "第一行不是表头"),
        (good.replace("name,", "名字,", 1).replace(",lat,", ",纬,", 1), "缺少必填列"),
    ):
        save(broken, 10)
        at.run()
        assert not at.exception and not at.error
        assert drawn_markers(at) == on_the_map
        (said,) = [w.value for w in at.warning if "最近保存的版本无法使用" in w.value]
        assert problem in said and "上一版" in said and str(tmp_path) not in said
    save(good.replace("卢沟桥街道养老服务中心", "卢沟桥街道养老服务中心（新址）", 1), 20)
    at.run()
    assert not [w for w in at.warning if "最近保存的版本无法使用" in w.value]
    assert "卢沟桥街道养老服务中心（新址）" in at.selectbox(key="site_picker").options


def test_basemap_comes_from_the_link_and_converts_positions():
    at = start({"basemap": "amap"})
    assert not at.exception
    assert at.selectbox(key="f_basemap").value == "amap"
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "autonavi" in args["script"]
    assert at.query_params["basemap"] == "amap"


def test_custom_basemap_without_configuration_falls_back_with_a_notice(monkeypatch):
    monkeypatch.delenv("SERVICEMAP_TILES_URL", raising=False)
    at = start({"basemap": "custom"})
    assert not at.exception
    assert any("未配置内网瓦片服务" in w.value for w in at.warning)
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "tile.openstreetmap.org" in args["script"]


def test_the_intranet_basemap_is_offered_only_where_it_is_set_up(monkeypatch):
    monkeypatch.delenv("SERVICEMAP_TILES_URL", raising=False)
    assert "内网瓦片服务" not in start().selectbox(key="f_basemap").options  # it led to a notice about setup
    monkeypatch.setenv("SERVICEMAP_TILES_URL", "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png")
    assert "内网瓦片服务" in start().selectbox(key="f_basemap").options


def test_custom_basemap_from_environment(monkeypatch):
    monkeypatch.setenv("SERVICEMAP_TILES_URL", "http://127.0.0.1:9/tiles/{z}/{x}/{y}.png")
    monkeypatch.setenv("SERVICEMAP_TILES_ATTRIBUTION", "区政务网瓦片")
    at = start({"basemap": "custom"})
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    assert "http://127.0.0.1:9/tiles/" in args["script"]
    # folium writes the attribution as a JSON string, Chinese as \\uXXXX escapes.
    assert json.dumps("区政务网瓦片")[1:-1] in args["script"]
    assert not any("未配置" in w.value for w in at.warning)


def test_filters_and_selection_never_remount_the_map():
    """st_folium re-mounts (and the map flickers) when its key changes; filters only swap site layers."""
    at = start()
    keys = [json.loads(at.get("component_instance")[0].proto.json_args)["key"]]
    at.radio(key="f_meal").set_value("yes").run()
    keys.append(json.loads(at.get("component_instance")[0].proto.json_args)["key"])
    at.radio(key="f_meal").set_value("all").run()
    at.selectbox(key="site_picker").set_value("uf-kangzhan-museum").run()
    keys.append(json.loads(at.get("component_instance")[0].proto.json_args)["key"])
    assert len(set(keys)) == 1


def test_pages_are_built_once_a_session_and_navigation_still_works():
    at = start()
    pages = at.session_state["app_pages"]
    at.radio(key="f_meal").set_value("yes").run()
    assert at.session_state["app_pages"] is pages  # not rebuilt (each build checks the files on disk)
    at.switch_page("app_pages/list.py").run()
    assert not at.exception and at.title[0].value == "资源清单"
    at.switch_page("app_pages/map.py").run()
    assert not at.exception and at.title[0].value.startswith("卢街颐养")


def test_an_edited_registry_is_seen_within_a_second(monkeypatch, tmp_path):
    """File times are looked at once a second (a stat per cached lookup cost a tenth of a rerun)."""
    from ui import data

    clock = [1000.0]
    monkeypatch.setattr(data.time, "monotonic", lambda: clock[0])
    registry = tmp_path / "sites.csv"
    registry.write_text("id\n", encoding="utf-8")
    first = data.file_mtime_ns(registry)  # the memo under test
    os.utime(registry, ns=(first + 5_000_000_000, first + 5_000_000_000))
    clock[0] += data.MTIME_RECHECK_S / 2
    assert data.file_mtime_ns(registry) == first  # still the remembered time
    clock[0] += data.MTIME_RECHECK_S
    assert data.file_mtime_ns(registry) == first + 5_000_000_000  # the edit is seen
    assert data.file_mtime_ns(tmp_path / "missing.csv") == 0  # no file: no crash


def test_large_text_mode_keeps_the_figures_older_readers_come_for():
    """A 78-year-old read 统战 / 国家级 / 市级 before any meal: 大字模式 keeps the care figures, bigger."""
    normal = metric_values(start())
    assert list(normal) == ["养老服务资源", "助餐点", "托老床位", "统战阵地及平台", "国家级阵地", "市级阵地"]
    large = metric_values(start({"large": "1"}))
    assert large == {label: normal[label] for label in ("养老服务资源", "助餐点", "托老床位")}


def test_large_text_mode_is_one_tap_from_the_top_of_the_map_page():
    # On a phone the sidebar's switch is folded away: the page's own button turns it on, and back off.
    at = start()
    at.button(key="large_mode_top").click().run()
    assert at.sidebar.toggle(key="f_large").value is True and at.query_params["large"] == "1"
    assert at.button(key="large_mode_top").label == "恢复正常字号"
    at.button(key="large_mode_top").click().run()
    assert at.sidebar.toggle(key="f_large").value is False and "large" not in at.query_params


def test_filters_hidden_in_large_text_mode_come_back_after_it():
    """A staffer showed a resident the large print and lost the briefing view she had built: the type and
    level filters, hidden and paused in 大字模式, were gone when she switched back."""
    at = start({"level": "municipal", "type": "uf_site"})
    briefing = metric_values(at)
    assert briefing["市级阵地"] == "2" and briefing["养老服务资源"] == "0"
    at.toggle(key="f_large").set_value(True).run()
    assert any(c.value.startswith("设施类型、统战阵地级别筛选在大字模式下暂不生效") for c in at.sidebar.caption)
    assert metric_values(at)["养老服务资源"] == "4"  # paused: nothing hidden narrows the map
    at.toggle(key="f_large").set_value(False).run()
    assert metric_values(at) == briefing and at.query_params["level"] == "municipal"


def test_clearing_the_place_box_clears_my_location():
    # The box's × had left "my location" set, and the next run showed the place in the box again.
    at = start({"near": "39.84917,116.21306"})
    assert at.selectbox(key="near_place").value is not None and at.success
    at.selectbox(key="near_place").set_value(None).run()
    assert not at.exception
    assert not at.success and "near" not in at.query_params
    assert at.selectbox(key="near_place").value is None


def test_a_link_opens_with_its_site_in_view_wherever_the_senders_popup_had_slid_the_map(shipped_sites):
    """On a phone a site's popup slides the map to make room (here 15 km north); the link then carried that
    view, and the receiver's map opened empty, the site under its bottom edge and no popup open."""
    at = start({"site": "lgq-care-center", "view": "39.99553,116.23397,11"})
    assert not at.exception
    site = shipped_sites.set_index("id").loc["lgq-care-center"]
    args = json.loads(at.get("component_instance")[0].proto.json_args)
    centre = re.search(r"center: \[([\d.]+), ([\d.]+)\],.*?\"zoom\": (\d+),", args["script"], re.DOTALL)
    assert centre is not None
    assert (float(centre[1]), float(centre[2]), int(centre[3])) == (round(site.lat, 5), round(site.lon, 5), 11)


def test_an_empty_list_says_why_and_sends_a_meal_search_to_the_meal_filter():
    """/list?q=吃饭 showed an empty grid reading "empty", and no word of the meal filter."""
    at = start({"q": "吃饭"})
    at.switch_page("app_pages/list.py").run()
    assert not at.exception
    assert any("在侧栏“助餐”一项选“提供助餐”" in i.value for i in at.info)
    assert not at.get("arrow_data_frame") and not at.dataframe


def test_a_search_for_a_canteen_finds_the_centre_that_runs_one():
    # 食堂 is in no name or address, but in what the source says of the centre (staff review).
    at = start({"q": "食堂"})
    at.switch_page("app_pages/list.py").run()
    assert table_with(at, "位置")["名称"].tolist() == ["卢沟桥街道养老服务中心"]


def test_a_level_filtered_out_has_no_figure():
    """With 国家级 chosen, "市级阵地 0 · 全区报道 24 个" read as no municipal site at all."""
    figures = metric_values(start({"level": "national"}))
    assert figures["国家级阵地"] == "5" and "市级阵地" not in figures
    both = metric_values(start({"level": "national,municipal"}))
    assert both["国家级阵地"] == "5" and both["市级阵地"] == "2"


def test_an_unplaced_site_says_why_it_is_off_the_map():
    """A leader asked why 首科大厦, whose address the page shows, was not on the map: the panel blamed the
    source for giving no coordinates, while the address came from a public directory and no coordinate was
    found there."""
    at = start({"site": "uf-shouke-building"})
    assert any(w.value == "位置待核实（地址来自公开名录，未找到坐标），所以未在地图上标注。" for w in at.warning), [
        w.value for w in at.warning
    ]


def test_a_link_with_my_location_and_its_nearest_meal_point_says_that_site_once():
    """A link with "my location" and the centre picked opened on a phone with two boxes, the answer and the
    linked site's gist, each with the centre's address, hours, phone and price (phone review)."""
    at = start({"site": "lgq-care-center", "near": "39.84917,116.21306"})
    assert any(s.value.startswith("**最近的助餐点：卢沟桥街道养老服务中心") for s in at.success)
    assert not any("链接分享的站点" in i.value for i in at.info)
    # Another site picked still gets its gist.
    at = start({"site": "uf-kangzhan-museum", "near": "39.84917,116.21306"})
    assert any("链接分享的站点：中国人民抗日战争纪念馆" in i.value for i in at.info)


def test_the_page_scripts_hold_nothing_a_browser_reads_as_a_tag():
    """A comment in static/announce.js quoting "<title>" kept the whole script from running: the page's scripts
    go in through st.html, which reads them as HTML first."""
    from ui import frame, publish

    for name in frame.PAGE_SCRIPT_FILES:
        text = (publish.STATIC_DIR / name).read_text(encoding="utf-8")
        assert not re.search(r"<[A-Za-z/!?]", text), name


def test_the_page_css_and_scripts_go_out_without_their_comments():
    """They are sent on every rerun, for every reader; the comments were a third of them."""
    from ui import frame

    sent = frame.as_sent("/* why */\n  a { color: red; }\n  // a line comment\n  b(); /* more\n why */ c();\n")
    assert sent == "a { color: red; }\nb();  c();"
    for text in (frame.PAGE_CSS_SENT, frame.LARGE_MODE_CSS_SENT, frame.PAGE_SCRIPTS_SENT):
        assert "/*" not in text and "*/" not in text
    sent_size = len(frame.PAGE_CSS_SENT) + len(frame.PAGE_SCRIPTS_SENT)
    assert sent_size < 0.75 * (len(frame.PAGE_CSS) + len(frame.PAGE_SCRIPTS))


def test_a_search_for_a_kind_the_map_lacks_says_what_the_reports_count():
    # 驿站 found no site, and a family took it that the street has none: the report counts 5 (staff review).
    at = start()
    at.text_input(key="f_query").set_value("驿站").run()
    assert not at.exception
    said = [w.value for w in at.warning if "驿站" in w.value]
    assert said and "卢沟桥街道“社区养老服务驿站”为 5 家，本图收录 0 家" in said[0]
