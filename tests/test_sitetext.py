"""A site's facts in readers' words (servicemap/sitetext.py)."""

from __future__ import annotations

from servicemap import sitetext


def test_a_summary_is_the_descriptions_first_sentence_or_a_short_cut():
    assert sitetext.source_summary("没有句号的介绍") == "没有句号的介绍"
    assert sitetext.source_summary("可以去吗？可以。") == "可以去吗？"
    # No sentence end early on: cut short, pointing to where the rest is.
    long = sitetext.source_summary("长" * 200)
    assert long == "长" * sitetext.SUMMARY_MAX_CHARS + "……（详见站点详情）"
