"""Metric panels summarise what is shown; reported figures carry their source and the registry count."""

from __future__ import annotations

from dataclasses import replace

from servicemap import metrics, sitetext
from servicemap.filters import Filters, apply


def test_metrics_of_the_whole_registry(shipped_sites):
    summary = metrics.compute(shipped_sites)
    assert summary.shown == len(shipped_sites)
    assert summary.shown_by_layer == {
        "elderly_care": int((shipped_sites["layer"] == "elderly_care").sum()),
        "united_front": int((shipped_sites["layer"] == "united_front").sum()),
    }
    assert summary.meal_points == 1
    care = shipped_sites["layer"] == "elderly_care"
    assert summary.meal_unknown == int((care & (shipped_sites["meal_service"] == "unknown")).sum()) == 3
    assert summary.care_beds == 18  # the service centre's 18 托老床位, the only bed count the article gives
    assert summary.sites_with_beds == 1
    assert summary.uf_national == 5
    assert summary.uf_municipal == 2
    assert summary.placed + summary.unplaced == summary.shown
    assert summary.approximate <= summary.placed


def test_metrics_follow_the_filter(shipped_sites):
    summary = metrics.compute(apply(shipped_sites, Filters(meal="yes")))
    assert summary.shown == 1
    assert summary.shown_by_layer == {"elderly_care": 1, "united_front": 0}
    assert summary.uf_national == 0


def test_metrics_of_nothing_are_zero(shipped_sites):
    summary = metrics.compute(shipped_sites.iloc[0:0])
    assert summary.shown == summary.meal_points == summary.care_beds == 0
    assert summary.by_type == {}


def test_by_type_lists_types_in_vocabulary_order_without_zeros(shipped_sites):
    by_type = metrics.compute(shipped_sites).by_type
    assert all(count > 0 for count in by_type.values())
    assert sum(by_type.values()) == len(shipped_sites)
    assert list(by_type)[0] == "street_care_center"


def test_reported_figures_carry_source_and_date():
    figures = metrics.load_reported()
    keys = {f.key for f in figures}
    assert {"lgq_elderly_institutions_total", "fengtai_uf_national_sites", "center_meals_total"} <= keys
    for figure in figures:
        assert figure.source, figure.key
        assert len(figure.as_of) == 10, figure.key
    by_key = {f.key: f for f in figures}
    assert by_key["center_meals_total"].value == 45142
    # 45,142 meals at 248 a day is about six months: the article does not say "three months" for it.
    assert "三个月" not in by_key["center_meals_total"].label
    assert by_key["center_meals_daily_avg"].value == 248
    assert by_key["center_meal_group_members"].value == 1355
    assert by_key["fengtai_uf_municipal_sites"].value == 24
    assert by_key["center_bed_occupancy"].value_text == "72.2"


def test_reported_figures_get_listed_and_mapped_counts(shipped_sites):
    figures = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    national = figures["fengtai_uf_national_sites"]
    assert (national.value, national.listed) == (5, 5)
    assert national.mapped == int(((shipped_sites["level"] == "national") & shipped_sites["lat"].notna()).sum())
    assert figures["fengtai_uf_municipal_sites"].listed == 2
    assert figures["lgq_care_stations"].listed == 0  # the article names none of the five stations
    assert figures["center_meals_total"].listed is None  # no registry counterpart for a meal count


def test_an_offices_own_reports_count_its_own_streets_sites(shipped_sites):
    # Another office kept the shipped keys with its own street as the scope: its page said "报道 10 家，收录 0 家"
    # beside the 30 sites it drew, as only 卢沟桥街道's rows were counted (adopter review).
    own_street = shipped_sites.assign(street="新村街道")
    institutions = next(f for f in metrics.load_reported() if f.key == "lgq_elderly_institutions_total")
    (own,) = metrics.with_registry_counts([replace(institutions, scope="新村街道", value=40)], own_street)
    assert own.listed == int(own_street["type"].isin(metrics.ELDERLY_CARE_INSTITUTION_TYPES).sum()) == 2
    # No site names the report's street (街道 left blank, or written otherwise): no count, not "收录 0 家".
    (elsewhere,) = metrics.with_registry_counts([replace(institutions, scope="太平桥街道")], own_street)
    assert elsewhere.listed is None
    assert metrics.institutions_text({elsewhere.key: elsewhere}) is None
    # Its note above the map goes with a filter on its street, not on 卢沟桥's.
    figures = {own.key: own}
    assert "本图只收录 2 家" in metrics.registry_gap_text(figures, Filters(streets=frozenset({"新村街道"})))
    assert metrics.registry_gap_text(figures, Filters(streets=frozenset({"卢沟桥街道"}))) is None


def test_registry_gap_text_says_how_much_of_the_street_the_map_holds(shipped_sites):
    """A family read "助餐点 1" as "the street has one meal point"; the article counts 12 institutions,
    5 of them stations, with 2 more about to open, and names two. Said in the report's words: whether the 2
    are among the 12 it does not say."""
    figures = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    text = metrics.registry_gap_text(figures, Filters())
    assert text.startswith(
        "本图不完整：据2025年1月报道，街道现有 12 家不同类型的养老机构（其中社区养老服务驿站 5 家），"
        "另有 2 家新建养老机构即将竣工，本图只收录 2 家"
    )
    assert "向街道或社区居委会咨询" in text
    institutions = figures["lgq_elderly_institutions_total"]
    complete = {**figures, institutions.key: replace(institutions, listed=12)}
    assert metrics.registry_gap_text(complete, Filters()) is None
    assert metrics.registry_gap_text({}, Filters()) is None
    # Filters that leave the street's institutions out make the sentence beside the point.
    assert metrics.registry_gap_text(figures, Filters(layers=frozenset({"united_front"}))) is None
    assert metrics.registry_gap_text(figures, Filters(types=frozenset({"hospital"}))) is None
    assert metrics.registry_gap_text(figures, Filters(streets=frozenset({"东高地街道"}))) is None
    assert metrics.registry_gap_text(figures, Filters(types=frozenset({"care_station"}))) == text
    # Stations counted apart from, and more than, the institutions (an office's own report): not "of which".
    more_stations = {**figures, "lgq_care_stations": replace(figures["lgq_care_stations"], value=14)}
    assert "其中" not in metrics.registry_gap_text(more_stations, Filters())


def test_a_sheet_says_what_it_lacks_of_the_districts_united_front_sites(shipped_sites):
    """A printed sheet of the 2 municipal sites had no word of the 24 the article counts: a leader reads it
    as complete. The page says it under 市级阵地; a sheet has no metric row, so its caveat says it."""
    figures = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    municipal = "据2025年1月报道，丰台区有 24 个市级统战工作阵地，本图只收录 2 个"
    united_front_only = Filters(layers=frozenset({"united_front"}))
    assert metrics.united_front_gap_text(figures, united_front_only) == municipal  # all 5 national are listed
    assert metrics.sheet_caveat_text(figures, united_front_only) == f"本图不完整：{municipal}"
    everything = metrics.sheet_caveat_text(figures, Filters())
    assert everything == f"{metrics.registry_gap_text(figures, Filters())}。{municipal}"
    # Filters that leave the municipal sites out, or narrow to one street, make the total beside the point.
    assert metrics.united_front_gap_text(figures, Filters(levels=frozenset({"national"}))) is None
    assert metrics.united_front_gap_text(figures, Filters(layers=frozenset({"elderly_care"}))) is None
    assert metrics.united_front_gap_text(figures, Filters(streets=frozenset({"东高地街道"}))) is None
    assert metrics.united_front_gap_text(figures, Filters(types=frozenset({"hospital"}))) is None
    # The totals count 统战工作阵地: a sheet of 健康同心之家 only holds none of them.
    assert metrics.united_front_gap_text(figures, Filters(types=frozenset({"health_home"}))) is None
    assert metrics.united_front_gap_text(figures, Filters(types=frozenset({"uf_site", "health_home"}))) == municipal
    assert metrics.united_front_gap_text(figures, Filters(meal="yes")) is None  # no united-front site is shown
    assert (
        metrics.sheet_caveat_text(figures, Filters(types=frozenset({"hospital"}), levels=frozenset({"national"}))) == ""
    )


def test_unplaced_rows_list_the_sites_without_a_position(shipped_sites):
    rows = metrics.unplaced_rows(shipped_sites)
    unplaced = shipped_sites.loc[shipped_sites["lat"].isna()]
    assert rows["名称"] == list(unplaced["name"])
    assert all(rows["类型"]) and len(rows["已知线索"]) == len(unplaced)
    # Why each is off the map, from the source's 坐标 part: a leader asked why a known address was not on it.
    why = dict(zip(rows["名称"], rows["为何未上图"], strict=True))
    assert why["首科大厦"] == "地址来自公开名录，未找到坐标"
    assert why["中央音乐学院附中"] == "未找到其丰台校区的坐标"
    assert why["丰台区“健康同心之家”（区级）"] == "来源未给出位置"  # its source has no 坐标 part


def test_a_position_note_is_the_sources_coordinate_part():
    assert sitetext.position_note("区报；坐标：公开资料调研（仅知所在街道）") == "仅知所在街道"
    assert sitetext.position_note("区报; 坐标:高德地图拾取") == "高德地图拾取"
    assert sitetext.position_note("区报2025年1月报道") == sitetext.POSITION_NOT_GIVEN
    assert sitetext.position_note("区报；坐标：") == sitetext.POSITION_NOT_GIVEN


def test_reported_rows_split_compared_figures_from_the_rest(shipped_sites):
    figures = metrics.with_registry_counts(metrics.load_reported(), shipped_sites)
    compared, other = metrics.reported_rows(figures)
    assert len(compared) + len(other) == len(figures)
    municipal = next(row for row in compared if row["指标"] == "市级统战工作阵地")
    assert (municipal["范围"], municipal["报道数"]) == ("丰台区", "24 个")  # the district's figure, said so
    assert all("截至" in row for row in other)
    assert {row["范围"] for row in other} >= {"卢沟桥街道", "卢沟桥街道养老服务中心", "丰台区"}
    # A percentage is written as Chinese text writes it, with no space: 72.2%, not "72.2 %".
    occupancy = next(row for row in other if row["指标"].startswith("托老床位入住率"))
    assert occupancy["数值"] == "72.2%"


def test_placement_text_says_what_is_on_the_map_and_what_is_not(shipped_sites):
    summary = metrics.compute(shipped_sites)
    gap = "本图不完整：……"
    assert metrics.placement_text(summary, gap) == (
        f"共 16 处，8 处已上图（7 处为近似位置，虚线边），8 处位置待核实，见地图下方清单。{gap}。"
    )
    museum_only = metrics.compute(shipped_sites[shipped_sites["id"] == "uf-kangzhan-museum"])
    assert metrics.placement_text(museum_only, None) == (
        "共 1 处，1 处已上图。以上是本图收录的数字，报道给出的总数见下方“统计与报道”。"
    )


def test_institutions_text_pairs_the_reported_total_with_its_registered_count(shipped_sites):
    reported = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    assert metrics.institutions_text(reported) == "街道养老机构：报道\u00a012\u00a0家，收录\u00a02\u00a0家"
    assert metrics.institutions_text({}) is None


def test_what_the_registry_lacks_beside_the_reports(shipped_sites):
    figures = metrics.with_registry_counts(metrics.load_reported(), shipped_sites)
    assert metrics.missing_from_registry(figures) == [  # whose count each is: the street's or the district's
        "卢沟桥街道辖区养老机构总数（各类型）：报道 12 家，本图收录 2 家",
        "卢沟桥街道社区养老服务驿站：报道 5 家，本图收录 0 家",
        "丰台区市级统战工作阵地：报道 24 个，本图收录 2 个",
    ]  # 5 national sites reported, 5 listed: not a gap; a meal count has no registry counterpart
    assert metrics.unstated_facts(shipped_sites) == (
        "养老服务资源 4 处中，来源给出电话的 0 处、开放时间的 1 处，说明是否助餐的 1 处"
    )
    assert metrics.unstated_facts(shipped_sites.loc[shipped_sites["layer"] == "united_front"]) is None


def test_the_reports_counts_of_places_they_do_not_name(shipped_sites):
    reported = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    assert metrics.unnamed_in_reports(reported) == [
        "卢沟桥街道中高端养老机构：报道 3 家，未点名",
        "卢沟桥街道即将竣工的新建养老机构：报道 2 家，未点名",
        "丰台区基层新联会、侨联组织：报道 36 个，未点名",
    ]
    assert metrics.unnamed_in_reports({}) == []


def test_the_nearest_meal_answer_says_nearer_ones_may_be_missing_while_the_map_lacks_institutions(shipped_sites):
    """A family read "3.6 公里" as "no lunch nearer"; that most institutions were missing stood in another box."""
    figures = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    caveat = metrics.nearest_meal_caveat(figures)
    assert caveat == "本图只收录了报道中街道 12 家养老机构里的 2 家，附近可能还有本图没有的助餐点，请向社区居委会询问"
    institutions = figures["lgq_elderly_institutions_total"]
    assert metrics.nearest_meal_caveat({**figures, institutions.key: replace(institutions, listed=12)}) is None
    assert metrics.nearest_meal_caveat({}) is None  # another office's registry, without the reports


def test_the_figures_of_a_printed_sheet_are_the_pages(shipped_sites):
    summary = metrics.compute(shipped_sites)
    care, united_front = summary.shown_by_layer["elderly_care"], summary.shown_by_layer["united_front"]
    assert metrics.figures_text(summary) == (
        f"本图收录：养老服务资源 {care} 处，其中助餐点 1 处，托老床位 18 张（1 处有床位数）；"
        f"统战阵地及平台 {united_front} 处（国家级阵地 {summary.uf_national} 个，市级阵地 {summary.uf_municipal} 个）"
    )
    # A registry with no united-front site (an office's care-only list) has no zeros for it.
    assert "统战" not in metrics.figures_text(summary, ["elderly_care"])
    # A 统战 briefing's sheet read "养老服务资源 0 处…托老床位 0 张" at its head.
    united_front_only = metrics.compute(shipped_sites[shipped_sites["layer"] == "united_front"])
    assert metrics.figures_text(united_front_only, ["united_front"]) == (
        f"本图收录：统战阵地及平台 {united_front} 处（国家级阵地 {summary.uf_national} 个，"
        f"市级阵地 {summary.uf_municipal} 个）"
    )
    assert metrics.figures_text(summary, []) == ""
    # A level the filters leave out is not given as 0 (the page drops its figure too).
    national = metrics.figures_text(summary, ["united_front"], levels=["national"])
    assert f"国家级阵地 {summary.uf_national} 个" in national and "市级阵地" not in national
    assert "（" not in metrics.figures_text(summary, ["united_front"], levels=["district"]).split("统战阵地及平台")[1]


def test_beds_no_site_gives_are_unknown_not_none(shipped_sites):
    """A search that found one station without a bed count showed 托老床位 "0 张", read as "no beds"."""
    without_beds = metrics.compute(shipped_sites[shipped_sites["beds"].isna()])
    assert metrics.beds_figure(without_beds) == "不详"
    assert "托老床位不详（没有站点登记床位数）" in metrics.figures_text(without_beds)
    assert metrics.beds_figure(metrics.compute(shipped_sites)) == "18 张"
    # A site registered with 0 beds is a figure the registry gives: 0 张.
    zero = shipped_sites.assign(beds=[0.0] + [float("nan")] * (len(shipped_sites) - 1))
    assert metrics.beds_figure(metrics.compute(zero)) == "0 张"


def test_the_other_reported_figures_come_one_report_at_a_time(shipped_sites):
    """The 统战 report's 36 organisations and 10 cases sat after 22 rows of the care centre's meals."""
    figures = metrics.with_registry_counts(metrics.load_reported(), shipped_sites)
    groups = metrics.other_figures_by_report(figures)
    assert len(groups) == 2 and sum(len(rows) for _, rows in groups) == len(metrics.reported_rows(figures)[1])
    by_source = {source: [row["指标"] for row in rows] for source, rows in groups}
    united_front = next(rows for source, rows in by_source.items() if "统一战线" in source)
    assert "基层新联会、侨联组织" in united_front and "托老床位" not in united_front


def test_the_reports_sources_are_named_each_once(shipped_sites):
    # The page named 区报's two articles whatever the figures were: an office's own came from its own report.
    text = metrics.sources_text(metrics.load_reported())
    assert text.count("区报2025年1月报道（卢沟桥街道养老服务中心1月22日揭牌") == 1
    assert "统一战线十大实践创新案例" in text
    own = replace(metrics.load_reported()[0], source="新村街道2026年工作总结")
    assert metrics.sources_text([own]) == "来源：新村街道2026年工作总结。数字是报道当时的情况。"


def test_a_street_written_otherwise_than_the_reports_scope_is_named(shipped_sites):
    # One row's 街道 read 太平桥, the report's scope 太平桥街道: the row dropped out of the comparison unsaid.
    institutions = next(f for f in metrics.load_reported() if f.key == "lgq_elderly_institutions_total")
    own = replace(institutions, scope="太平桥街道")
    registry = shipped_sites.assign(street=["太平桥"] + ["太平桥街道"] * (len(shipped_sites) - 1))
    assert metrics.street_mismatches([own], registry) == [
        "1 处站点的街道写作“太平桥”，与报道范围“太平桥街道”不一致，没有计入对照；"
        "如是同一街道，请在登记表里写成“太平桥街道”"
    ]
    assert metrics.street_mismatches(metrics.load_reported(), shipped_sites) == []  # 卢沟桥街道 as reported
    other_place = registry.assign(street="太平桥乡")  # neither part of the scope nor containing it
    assert metrics.street_mismatches([own], other_place) == []


def test_a_search_that_finds_none_of_a_reported_kind_says_what_the_reports_count(shipped_sites):
    # 驿站 found no site, and a family took it that the street has none; the report counts 5 (staff review).
    reported = {f.key: f for f in metrics.with_registry_counts(metrics.load_reported(), shipped_sites)}
    assert metrics.reported_but_not_registered_text("驿站", reported) == (
        "据2025年1月报道，卢沟桥街道“社区养老服务驿站”为 5 家，本图收录 0 家，请向街道或社区居委会询问。"
    )
    assert metrics.reported_but_not_registered_text("张仪村路", reported) == ""  # no reported kind of that name
    assert metrics.reported_but_not_registered_text("国家级", reported) == ""  # all 5 registered
    assert metrics.reported_but_not_registered_text(" ", reported) == ""
