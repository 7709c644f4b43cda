"""资源清单: the filtered sites as a table people can sort, search and take away (CSV or Excel)."""

from collections.abc import Mapping
from functools import partial

import pandas as pd
import streamlit as st

from servicemap import export, vocab
from ui import data, frame, state


def _csv_bytes(sites: pd.DataFrame) -> bytes:
    return export.to_csv_text(sites).encode("utf-8")


ctx = state.context()
shown = ctx.shown

st.title("资源清单")
st.caption(
    f"当前筛选下共 {len(shown)} 处（全部登记 {len(ctx.registry.sites)} 处）。"
    "点击列标题排序；表格右上角的放大镜可在表内搜索。"
)

NOT_APPLICABLE = "—"  # a care site has no level, some sites no street: a dash, not an empty or "None" cell


def _labels(codes: pd.Series, labels: Mapping[str, str]) -> list[str]:
    # Plain strings: a categorical column with an empty category shows its empty cells as "None".
    return [labels.get(code, code) or NOT_APPLICABLE for code in codes.astype(str)]


# What residents ask first (name, type, meals, phone, address) leads; provenance follows.
table = pd.DataFrame(
    {
        "名称": shown["name"],
        "类型": [vocab.type_label(code) for code in shown["type"].astype(str)],
        "助餐": vocab.meal_labels(shown["layer"], shown["meal_service"]),
        "电话": shown["phone"],
        "地址": shown["address"],
        "街道": _labels(shown["street"], {}),
        "级别": _labels(shown["level"], vocab.LEVELS),
        "图层": _labels(shown["layer"], vocab.LAYERS),
        "床位": shown["beds"],
        "位置": [
            "待核实（未上图）" if pd.isna(lat) else vocab.PRECISIONS.get(p, p)
            for lat, p in zip(shown["lat"], shown["precision"], strict=True)
        ],
        "来源": shown["source"],
        "整理日期": shown["updated"],
    }
)
# An all-blank 电话 column looked unfinished and took the width names and addresses need; the downloads
# keep it, as the registry's format.
if not shown["phone"].astype(bool).any():
    table = table.drop(columns="电话")
st.dataframe(
    table,
    hide_index=True,
    width="stretch",
    height=min(38 + 35 * max(len(table), 1), 640),
    column_config={
        "名称": st.column_config.TextColumn(width="medium"),
        "床位": st.column_config.NumberColumn(format="%d 张"),
        "来源": st.column_config.TextColumn(width="large"),
    },
    key="site_table",
)

left, right, _ = st.columns([1, 1, 3])
left.download_button(
    "下载 CSV",
    data.download_data(partial(_csv_bytes, shown), len(shown)),
    file_name="卢街颐养_养老服务资源清单.csv",
    mime="text/csv",
    key="download_csv",
    help="UTF-8 带 BOM 编码，Excel 可直接打开",
    icon=":material/download:",
)
right.download_button(
    "下载 Excel",
    data.download_data(partial(export.to_xlsx_bytes, shown), len(shown)),
    file_name="卢街颐养_养老服务资源清单.xlsx",
    mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    key="download_xlsx",
    icon=":material/download:",
)
st.caption("下载的坐标为 WGS-84（GPS/OpenStreetMap 坐标系）；位置待核实的站点坐标留空。")

frame.share_link_box(ctx.filters)  # no view or selection on this page: the sidebar's link stays right
