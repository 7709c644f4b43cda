"""下载与打印, the map page's part for taking the map away: a file that opens offline, and print layouts with a
numbered list; with "my location" set, both carry it, its walking circle and the answer about its nearest meal
point."""

from __future__ import annotations

from functools import partial

import streamlit as st

from servicemap import basemaps, mapexport
from servicemap import filters as filtering
from servicemap.edition import Edition
from servicemap.textsafe import markdown_literal
from ui import files, frame, state


def show(ctx: state.PageContext, basemap: basemaps.Basemap, whose: Edition, mine: mapexport.NearbyPrint | None) -> None:
    """The download buttons for the sites `ctx` shows on `basemap` (the offline file's tiles, if asked for), named
    and titled as `whose` files are, with `mine`, "my location" and its answer, when set."""
    # Two kinds of file, each under its own name with what it is for: the print layouts side by side, the offline
    # map beside them, and the one option (their streets) under both. Spread over three columns the option had
    # stood between the two print buttons (meeting-room review: "scattered").
    say_if_in_wechat()
    with_tiles = st.session_state.get(state.EXPORT_TILES_KEY, False)
    tiles = basemap if with_tiles else basemaps.BASEMAPS["none"]
    large = state.large_mode()
    paper_column, offline_column = st.columns(2, gap="medium")
    with paper_column:
        st.markdown("**打印版**：地图、图例和编号清单，纸张横向")
        with st.container(horizontal=True):
            for paper in ("A4", "A3"):
                st.download_button(
                    f"{paper} 打印版",
                    files.download_data(
                        partial(files.exported_map, ctx.filters, paper, tiles, mine, large), len(ctx.shown)
                    ),
                    file_name=filtering.file_name(
                        f"{whose.file_stem}_养老服务资源分布图_{paper}", ctx.filters, ".html"
                    ),
                    mime="text/html",
                    key=f"download_print_{paper}",
                    icon=":material/print:",
                    help=f"{paper} 横向；用浏览器打开后按 Ctrl+P 打印：地图、图例和编号清单",
                )
    with offline_column:
        st.markdown("**离线地图**：一个网页文件，断网也能打开")
        # Short labels: at 150% zoom the longer ones were cut to "下载离线地图（HTML…" and "打印…" twice.
        st.download_button(
            "离线地图",
            files.download_data(partial(files.exported_map, ctx.filters, None, tiles, mine, large), len(ctx.shown)),
            file_name=filtering.file_name(f"{whose.file_stem}_养老服务资源分布图", ctx.filters, ".html"),
            mime="text/html",
            key="download_map_html",
            icon=":material/download:",
            help="一个网页文件，断网也能打开：站点、图例、筛选条件和数据来源",
        )
    # For both kinds: a print-out without streets showed numbered dots on a blank district, and nobody could find
    # a place from it (staff review). Off by default, so a file opened offline draws no grey tiles.
    st.checkbox(
        "文件附带在线底图（街道）",
        key=state.EXPORT_TILES_KEY,
        persist_state=state.KEEP_FOR_SESSION,
        # The explanation in the tooltip: in the label it was cut off with "…" in its column.
        help="打印版和离线地图联网打开时显示当前底图的街道；不联网时只显示站点和区界",
    )
    # How to print, in the open: it was only in the buttons' tooltips, which a phone never shows. A phone has no
    # Ctrl+P, and a tick on 附带在线底图 changed nothing to be seen: both said here.
    st.caption(
        "打印版是网页文件：下载后用浏览器打开，按 Ctrl+P（苹果电脑 ⌘+P；手机用浏览器菜单里的“打印”）打印，"
        "纸张选横向。当前的筛选条件、数据来源和登记表整理日期会印在文件上"
        + ("；已选“我的位置”，文件上也有它的步行圈和最近的助餐点（开放时间、电话、价格）。" if mine else "。")
        + (f"文件附带“{markdown_literal(basemap.label)}”底图：联网打开，等街道显示出来再打印。" if with_tiles else "")
        + ("大字模式下，文件上的字也更大。" if large else ("要更大的字：先打开大字模式再下载。" if mine else ""))
    )
    # Staff preparing a briefing looked here for the Excel list and did not find it (staff review).
    st.page_link(
        frame.pages()[1],
        label="要表格？到“资源清单”下载 Excel 或 CSV",  # longer, it ran off a phone's edge
        icon=":material/table_view:",
    )


def say_if_in_wechat() -> None:
    """Above a page's downloads, in WeChat's own browser (its user agent says MicroMessenger), which often saves
    no file: a family tapped 下载 and nothing came (phone review)."""
    if "MicroMessenger" in (st.context.headers.get("User-Agent") or ""):
        st.info(
            "在微信里打开的页面可能下载不了文件：请点右上角“···”，选“在浏览器打开”，再下载。",
            icon=":material/open_in_browser:",
        )
