"""统计与报道, the map page's part for a briefing: the shown sites by type, and the reports' figures against the
registry's counts."""

from __future__ import annotations

import streamlit as st

from servicemap import charts, metrics, vocab
from servicemap.edition import Edition
from servicemap.textsafe import markdown_literal
from ui import data, state


def show(summary: metrics.Metrics, has_reports: bool, whose: Edition) -> None:
    """The charts of `summary` (the shown sites) by type, under `whose` headings; then, `has_reports`, the
    reports' figures (data.reported_tables), which do not change with the filters."""
    # One above the other, not side by side: in a column the chart's labels took all of its width at 1024 px
    # (no bars left) and the tables' dates and scopes broke mid-word ("2025-01-/22", "卢沟桥街/道").
    # "本图收录": the bars count registered sites, and 统战工作阵地 7 beside the reported 5 + 24 was misread.
    st.header("按类型统计（本图收录）")
    if not summary.by_type:
        st.caption("当前筛选下没有站点。")
    # One chart per layer, under the headings of the figures above: in one chart the district's 统战工作阵地 7
    # was the longest bar beside the street's care types, and read in a briefing as the street's make-up.
    for layer, heading in (
        (vocab.CARE_LAYER, whose.care_figures_heading),
        (vocab.UNITED_FRONT_LAYER, whose.united_front_figures_heading),
    ):
        counts = {code: n for code, n in summary.by_type.items() if vocab.SITE_TYPES[code].layer == layer}
        if counts:
            st.subheader(heading)
            st.vega_lite_chart(spec=charts.type_chart_spec(counts, large=state.large_mode()), width="stretch")

    if not has_reports:  # another office's registry with no reports beside it (servicemap/edition.py)
        return
    st.header("报道中的数字")
    # Plain tables, whose cells wrap: on a phone a grid cut 已收录 / 已上图 and 截至 off at the right edge.
    compared, by_report = data.reported_tables()
    reported = data.reported_by_key().values()
    with st.container(key="reported_figures"):
        # Only with figures the registry can count: an office's own reports under keys of its own drew an empty
        # table reading "empty" (adopter review).
        if compared.num_rows:
            st.caption("报道给出的总数，与登记表中“已收录 / 已上图”的站点数对照（按全部登记数据计，不随筛选变化）。")
            st.table(compared, hide_index=True)
            for mismatch in metrics.street_mismatches(reported, state.context().registry.sites):
                st.warning(markdown_literal(mismatch), icon=":material/warning:")
        # In the open and at full height: the centre's meals, beds and satisfaction are what a briefing quotes,
        # and folded away in a scrolling box they were found last. One table per report, under its source.
        for source, table in by_report:
            st.markdown(f"**其他数字 · {source}**")
            st.table(table, hide_index=True)
    # The reports' own sources, not a sentence about 卢沟桥's: another office's figures come from its own.
    st.caption(markdown_literal(metrics.sources_text(reported)))
