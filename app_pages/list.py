"""资源清单: the filtered sites as a table people can sort (on a phone, written out site by site) and take
away (CSV or Excel)."""

from functools import partial

import pandas as pd
import streamlit as st

from servicemap import export, metrics, nearby, nearby_text, sitetext
from servicemap import filters as filtering
from servicemap.textsafe import markdown_literal
from ui import data, files, frame, state


def _csv_bytes(sites: pd.DataFrame) -> bytes:
    return export.reader_csv_text(sites).encode("utf-8")


def _registry_csv_bytes(sites: pd.DataFrame) -> bytes:
    return export.to_csv_text(sites).encode("utf-8")


FIRST_COLUMNS = ("名称", "类型", "助餐", "位置")  # the grid's first columns on screen: what it is, meals, how exact
PHONE_LIST_LIMIT = 200  # sites written out on a phone; beyond, the filters or a download serve better

ctx = state.context()
shown = ctx.shown
near = state.near_point()

st.title("资源清单")
# What the list lacks, as the map page and the print-outs say it: a list of 2 municipal sites said nothing of 24.
caveat = metrics.sheet_caveat_text(data.reported_by_key(), ctx.filters)
st.caption(
    markdown_literal(
        f"当前筛选下共 {len(shown)} 处（全部登记 {len(ctx.registry.sites)} 处）。"
        + ("按离“我的位置”由近到远排列（直线距离），未上图的在最后。" if near else "")
        + (f"{caveat}。" if caveat else "")
    )
)

if shown.empty:
    # Said in words, not as an empty grid reading "empty": a search for 吃饭 is sent to the meal filter.
    nothing = "当前筛选下没有站点。请在侧栏放宽筛选。"
    if ctx.filters.query:
        nothing = nearby_text.no_meal_point_text(ctx.filters, 0)
    st.info(markdown_literal(nothing), icon=":material/search_off:")

# From a 我附近 link: what is nearest first, with how far, as the family asks it.
table = export.reader_table(shown) if near is None else export.reader_table_nearest_first(shown, *near)
# Two forms of one list; the page's CSS shows the one that fits the screen. A grid to sort and search on a
# computer; on a phone its columns ran off the right edge (only 名称 and 类型 showed), so there each site is
# a short block of text instead.
in_table_order = shown if near is None else nearby.by_distance(shown, *near)
if not shown.empty and state.large_mode():
    # 大字模式 enlarges text, which the grid's cells are not: its rows stayed small (staff review). The blocks of
    # text a phone shows instead grow with the page.
    st.markdown(export.reader_cards_markdown(table, PHONE_LIST_LIMIT, in_table_order))
elif not shown.empty:
    with st.container(key=frame.WIDE_SCREEN_ONLY):
        st.caption("点击列标题排序；要查找，用侧栏的“搜索名称、地址或介绍”。")
        # How exact a position is, in short words and right after the meals: in full and after 床位 it ran off a
        # laptop's right edge ("近", "位"), and whether a place is where the map puts it is read before its address.
        # 来源 in short ("区报2025年1月报道"): in full it ran two screens wide, and pushed 级别, 床位 and itself off a
        # laptop's right edge (staff review); the downloads and the site's details keep it whole.
        on_screen = table.assign(位置=export.short_positions(table), 来源=table["来源"].map(sitetext.facts_source))
        st.dataframe(
            on_screen,
            hide_index=True,
            width="stretch",
            height=min(38 + 35 * max(len(table), 1), 640),
            # Not 图层 (the type says it) nor 整理日期 (one date for every row) on the screen, where they pushed 床位,
            # 位置 and 来源 off a laptop's right edge; the downloads keep both.
            column_order=[*FIRST_COLUMNS, *(c for c in table.columns if c not in (*FIRST_COLUMNS, "图层", "整理日期"))],
            column_config={
                "名称": st.column_config.TextColumn(width="medium"),
                "位置": st.column_config.TextColumn(
                    help="准确：与来源一致；近似（街区级）：道路或街区级；近似（片区级）：误差可达一两公里；"
                    "待核实：来源未给出位置，不在地图上"
                ),
                "来源": st.column_config.TextColumn(
                    help="报道或资料的简称；完整出处（含坐标出处）见站点详情和下载文件"
                ),
            },
            key="site_table",
        )
    with st.container(key=frame.NARROW_SCREEN_ONLY):
        st.markdown(export.reader_cards_markdown(table, PHONE_LIST_LIMIT, in_table_order))

# For staff handing the list on: the columns and words of the table above. The registry's own format (codes,
# re-importable with SERVICEMAP_DATA) is a third button, for whoever keeps the registry.
READER_HELP = "与清单相同的中文列名和内容（另有图层和整理日期），再加打印版地图的图上编号、开放时间、介绍和经纬度"
whose = data.current_edition()  # 卢沟桥's, or another office's registry (servicemap/edition.py)
list_title = whose.file_title(export.XLSX_PRINT_TITLE, " · 资源清单")
notes = export.list_notes(filtering.describe(ctx.filters), len(shown), caveat, list_title, whose.sources)


def _xlsx_bytes(sites: pd.DataFrame) -> bytes:
    return export.reader_xlsx_bytes(sites, notes=notes, title=list_title)


DOWNLOADS = (
    # label, file builder, file name stem, suffix, MIME type, widget key, help, icon
    ("下载 CSV", _csv_bytes, f"{whose.file_stem}_养老服务资源清单", ".csv", "text/csv", "download_csv",
     f"{READER_HELP}；UTF-8 带 BOM 编码，Excel 可直接打开", ":material/download:"),
    ("下载 Excel", _xlsx_bytes, f"{whose.file_stem}_养老服务资源清单", ".xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "download_xlsx",
     f"{READER_HELP}；另有“说明”页：筛选条件、本图缺了什么、来源；打印时只印到“位置”一列",
     ":material/download:"),
    ("登记表格式", _registry_csv_bytes, f"{whose.file_stem}_站点登记表", ".csv", "text/csv", "download_registry_csv",
     "当前筛选下的站点，英文列名和类型代码，可修改后作为登记表重新导入；有问题未读入的行不在其中，"
     "在“关于数据”的登记表检查里另行下载", ":material/database:"),
)  # fmt: skip
for column, (label, build, stem, suffix, mime, key, help_text, icon) in zip(
    st.columns([1, 1, 1, 2])[:3], DOWNLOADS, strict=True
):
    column.download_button(
        label,
        files.download_data(partial(build, shown), len(shown)),
        file_name=filtering.file_name(stem, ctx.filters, suffix),
        mime=mime,
        key=key,
        help=help_text,
        icon=icon,
    )
# Not "the coordinates most maps use": 高德, 腾讯 and 百度 do not, and pasted there a site lands ~500 m off.
st.caption(
    "下载文件里的经纬度是 GPS 和 OpenStreetMap 用的 WGS-84 坐标；高德、腾讯地图（GCJ-02）和百度地图（BD-09）"
    "用的是另一套坐标，直接粘贴过去会偏约 500 米。位置待核实的站点经纬度留空。"
)

frame.share_link_box(ctx.filters)  # no view or selection on this page: the sidebar's link stays right
