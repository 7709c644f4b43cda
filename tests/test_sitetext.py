"""A site's facts in readers' words (servicemap/sitetext.py)."""

from __future__ import annotations

from servicemap import sitetext


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
