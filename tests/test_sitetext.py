"""A site's facts in readers' words (servicemap/sitetext.py)."""

from __future__ import annotations

import pandas as pd

from servicemap import sitetext, vocab
from servicemap.textsafe import markdown_literal


def test_a_summary_is_the_descriptions_first_sentence_or_a_short_cut():
    assert sitetext.source_summary("没有句号的介绍") == "没有句号的介绍"
    assert sitetext.source_summary("可以去吗？可以。") == "可以去吗？"
    # No sentence end early on: cut short, pointing to where the rest is.
    long = sitetext.source_summary("长" * 200)
    assert long == "长" * sitetext.SUMMARY_MAX_CHARS + "……（详见站点详情）"


def test_a_linked_sites_gist_says_what_a_family_asks_first(shipped_sites):
    centre = shipped_sites.loc[shipped_sites["id"] == "lgq-care-center"].iloc[0]
    lines = sitetext.linked_site_text(centre).split("  \n")
    assert lines[0] == "**链接分享的站点：卢沟桥街道养老服务中心**"
    assert [line.split("：")[0] for line in lines[1:]] == ["类型", "地址", "助餐", "开放时间", "电话", "价格"]
    assert lines[-1] == "价格：早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元"


def meal_points_of(sites):
    return sites[sites["meal_service"] == vocab.SERVES_MEALS]


def test_the_meal_points_are_named_with_where_and_when(shipped_sites):
    text = sitetext.meal_points_text(meal_points_of(shipped_sites))
    entry = text.split("\n\n")
    assert entry[0] == "**助餐点（1 处）**"
    assert entry[1].split("  \n") == [
        "**卢沟桥街道养老服务中心**",
        "地址：丰台区张仪村路227号院1号楼",
        "开放时间：早、午、晚三餐时段（具体时间报道未给出）",
        "价格：早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元",
    ]
    assert entry[-1].startswith("在上方选择它，")


def test_many_meal_points_are_counted_not_listed(shipped_sites):
    centre = meal_points_of(shipped_sites)
    many = pd.concat([centre] * (sitetext.MEAL_POINTS_LISTED + 1), ignore_index=True)
    assert sitetext.meal_points_text(many).startswith(f"**当前筛选下有 {sitetext.MEAL_POINTS_LISTED + 1} 处助餐点**")
    two = sitetext.meal_points_text(pd.concat([centre] * 2, ignore_index=True))
    assert two.startswith("**助餐点（2 处）**") and "在上方选择站点，" in two
    # Not "choose 提供助餐" to a reader who has.
    assert "选“提供助餐”" in sitetext.meal_points_text(many)
    assert "选“提供助餐”" not in sitetext.meal_points_text(many, meal_points_only=True)


def test_a_meal_point_not_on_the_map_says_so(shipped_sites):
    unplaced = meal_points_of(shipped_sites).assign(lat=float("nan"), lon=float("nan"))
    assert sitetext.meal_points_text(unplaced).split("\n\n")[1].endswith(vocab.UNPLACED)
    assert vocab.UNPLACED not in sitetext.meal_points_text(meal_points_of(shipped_sites))


def test_no_meal_point_says_nothing(shipped_sites):
    assert sitetext.meal_points_text(meal_points_of(shipped_sites).iloc[0:0]) == ""


def test_a_meal_points_facts_go_through_the_escaper(shipped_sites):
    centre = meal_points_of(shipped_sites).copy()
    centre["name"] = "<b>x</b>"
    text = sitetext.meal_points_text(centre, markdown_literal)
    assert "<b>" not in text and markdown_literal("<b>x</b>") in text


def test_a_sites_details_in_full_give_its_price_a_line_after_its_hours(shipped_sites: pd.DataFrame) -> None:
    # The details in full said the price only inside 介绍; the answer at the top and the print-outs give it a line.
    centre = shipped_sites.loc[shipped_sites["id"] == "lgq-care-center"].iloc[0]
    details = sitetext.site_details_priced(centre)
    labels = list(details)
    assert labels[labels.index("开放时间") + 1] == "价格"
    assert details["价格"] == "早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元"
    assert {label: value for label, value in details.items() if label != "价格"} == sitetext.site_details(centre)
    museum = shipped_sites.loc[shipped_sites["id"] == "uf-kangzhan-museum"].iloc[0]
    assert "价格" not in sitetext.site_details_priced(museum)  # no price given, no line
