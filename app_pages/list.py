"""资源清单: the filtered sites as a table people can sort (on a phone, written out site by site) and take
away (CSV or Excel)."""

import zlib
from collections.abc import Callable
from functools import partial

import pandas as pd
import streamlit as st

from servicemap import export, metrics, nearby, nearby_text, sitelist
from servicemap import filters as filtering
from servicemap.textsafe import markdown_literal
from ui import data, downloads, files, frame, sitecard, state


def _csv_bytes(sites: pd.DataFrame, near: sitelist.NearOrigin | None) -> bytes:
    return export.reader_csv_text(sites, near).encode("utf-8")


def _registry_csv_bytes(sites: pd.DataFrame) -> bytes:
    return export.to_csv_text(sites).encode("utf-8")


PHONE_LIST_LIMIT = 200  # sites written out on a phone; beyond, the filters or a download serve better
GRID_ROW_PX = 35  # Streamlit's own row height at the page's usual type size

ORDER_BOX_PX = 320  # the longest order's words and the arrow: the page's width was a long way to look across
TABLE_IDS_KEY = "site_table_ids"  # the grid's site ids in its row order, for the row-click callback


# The site shown in full below the list, however it was chosen (a grid row, or the picker above the blocks of
# text), by id: the grid is drawn anew for another list or order, and a row's number then names another site, so
# its tick is dropped; the details stayed gone with it when a save or 排列顺序 changed the list (regression review).
LIST_PICKED_KEY = "list_site_picked"
CARD_PICK_KEY = "list_card_pick"  # the picker above the blocks of text (a phone, 大字模式)


def _choose(site_id: str | None) -> None:
    """`site_id` shown in full below the list, and the site selected, as a pick on the map page is: 在地图上查看
    then shows it there, with its details in view."""
    st.session_state[LIST_PICKED_KEY] = site_id
    if site_id is not None:
        state.select_site(site_id)
        st.session_state[state.FLY_TO_SITE_KEY] = site_id  # as a pick from the map page's own list does
        st.session_state[state.DETAIL_ANEW_KEY] = True  # and the map page opens on its details


def _row_picked(table_key: str) -> None:
    """A grid row ticked, or unticked (its box, or Esc)."""
    rows = st.session_state[table_key].selection.rows
    _choose(st.session_state[TABLE_IDS_KEY][rows[0]] if rows else None)


def _card_picked() -> None:
    _choose(st.session_state[CARD_PICK_KEY])


def _site_in_full(site: pd.Series, shown: pd.DataFrame, key: str) -> None:
    """A site of `shown` in full (the grid cuts long text), with a way to it on the map."""
    with st.container(border=True, key=key):
        sitecard.show(site, shown)
        if pd.notna(site["lat"]):
            # A link, not a button calling st.switch_page: that drops the sidebar's filters on the way.
            st.page_link(frame.pages()[0], label="在地图上查看", icon=":material/map:")


def _cards(table: pd.DataFrame, sites: pd.DataFrame, picked: pd.Series | None, shown: pd.DataFrame) -> None:
    """The list written out site by site, with a picker above it that shows one of them in full (`picked`) and on
    the map: the blocks of text could not be opened, where the grid's rows can (accessibility review); below
    them, the picker was screens away from the site being read (regression review)."""
    listed = sites.head(PHONE_LIST_LIMIT)
    names = dict(zip(listed["id"], listed["name"], strict=True))
    picked_id = None if picked is None else picked["id"]
    state.mirror_choice(CARD_PICK_KEY, picked_id if picked_id in names else None)
    st.selectbox(
        "查看其中一处的全部信息，或在地图上查看",
        [None, *names],
        format_func=lambda site_id: "—— 请选择 ——" if site_id is None else names[site_id],
        key=CARD_PICK_KEY,
        on_change=_card_picked,
        filter_mode=frame.NAME_FILTER,
    )
    if picked is not None:
        _site_in_full(picked, shown, key="list_site_detail_cards")
    st.markdown(sitelist.reader_cards_markdown(table, PHONE_LIST_LIMIT, sites))


def _order_from_my_location_text(orders: tuple[str, ...], origin: nearby.Place | None) -> str:
    """What the caption above the list says of its order from "my location" (`orders` are those 排列顺序 offers
    then; `origin` the place it was chosen from, None for a point on the map): nearest first, or the order chosen
    instead (it said 由近到远 above a list put 按类型; regression review), and from where. Read before 排列顺序 is
    drawn below it."""
    chosen = st.session_state.get(state.LIST_ORDER_KEY)
    # From where, by name: the list never said the distances were from 宛平城 (phone review). Not the grid's number
    # column by name, which a phone's cards do not have (its heading's help says what it measures).
    from_where = f"“{origin.label}”" if origin else nearby_text.TAPPED_ORIGIN
    ranges = f"直线距离，从{from_where}算；位置近似的，“{sitelist.NEAR_COLUMN}”给出可能的范围。"
    if chosen in orders and chosen != sitelist.NEAREST_FIRST:
        return f"排列顺序：{chosen}；{ranges}"
    return f"由近到远排列，未上图的在最后；{ranges}"


ctx = state.context()
shown = ctx.shown
near = state.near_point()
origin = None if near is None else data.near_origin(shown, near)  # the place "my location" was chosen from, if any
orders = sitelist.ORDERS if near is None else sitelist.ORDERS_FROM_MY_LOCATION

frame.page_title("资源清单")
st.title("资源清单")
# What the list lacks, as the map page and the print-outs say it: a list of 2 municipal sites said nothing of 24.
caveat = metrics.sheet_caveat_text(data.reported_by_key(), ctx.filters)
st.caption(
    markdown_literal(
        f"当前筛选下共 {len(shown)} 处（全部登记 {len(ctx.registry.sites)} 处）。"
        + (_order_from_my_location_text(orders, origin) if near else "")
        + (f"{caveat}。" if caveat else "")
    )
)

if shown.empty:
    # Said in words, not as an empty grid reading "empty": a search for 吃饭 is sent to the meal filter.
    nothing = "当前筛选下没有站点。请在侧栏放宽筛选。"
    if ctx.registry.sites.empty:  # not the filters: the registry has no site (the notice above says why)
        nothing = "登记表里还没有站点。"
    elif ctx.filters.query:
        nothing = nearby_text.no_meal_point_text(ctx.filters, 0)
        nothing += metrics.reported_but_not_registered_text(ctx.filters.query, data.reported_by_key())
    st.info(markdown_literal(nothing), icon=":material/search_off:")

# From a 我附近 link: what is nearest first, with how far, as the family asks it.
if near is None:
    table = sitelist.reader_table(shown)
else:
    origin_precision = nearby.origin_precision(origin)
    table = sitelist.reader_table_nearest_first(shown, *near, origin_precision)
# The files from "my location" say how far each site is, as the list does (sitelist.download_table).
near_origin = None if near is None else (*near, origin_precision)
# Two forms of one list; the page's CSS shows the one that fits the screen. A grid to sort and search on a
# computer; on a phone its columns ran off the right edge (only 名称 and 类型 showed), so there each site is
# a short block of text instead.
in_table_order = shown if near is None else nearby.by_distance(shown, *near)
if len(shown) > 1:
    # An order to choose from the keyboard and on a phone: only a mouse sorts by the grid's headings, and the
    # phone's blocks of text had no order but the registry's (accessibility review).
    order = st.selectbox(
        "排列顺序",
        orders,
        key=state.LIST_ORDER_KEY,
        filter_mode=frame.typing_filter(len(sitelist.ORDERS)),  # chosen by looking: no typing
        width=ORDER_BOX_PX,
        persist_state=state.KEEP_FOR_SESSION,  # through a visit to the map, which had put it back to the first
    )
    positions = sitelist.order_positions(in_table_order, order)
    table, in_table_order = table.iloc[positions], in_table_order.iloc[positions]
# On the list's first showing in a session, the site the map or the link has selected: a list link naming a site
# (site=, which a pick here writes) opened with none in full, the picker empty (phone review).
picked_id = st.session_state.setdefault(LIST_PICKED_KEY, state.selected_site())
in_list = in_table_order.loc[in_table_order["id"] == picked_id]
picked = None if in_list.empty else in_list.iloc[0]  # the site shown in full, while the list has it
if not shown.empty and state.large_mode():
    # 大字模式 enlarges text, which the grid's cells are not: its rows stayed small (staff review). The blocks of
    # text a phone shows instead grow with the page.
    _cards(table, in_table_order, picked, shown)
elif not shown.empty:
    with st.container(key=frame.WIDE_SCREEN_ONLY):
        st.caption("也可点击列标题排序；要查找，用侧栏的“搜索名称、地址或介绍”。")
        # Short words for 位置 and 来源 (in full they pushed 级别 and 床位 off a laptop's right edge), with when and
        # for how much after them where the source says; the downloads and the site's details keep all in full.
        on_screen = sitelist.reader_screen_table(table, shown)
        # A grid of other sites is another grid: a row picked in the last one must not select a site here.
        table_key = f"site_table_{zlib.crc32(' '.join(in_table_order['id']).encode())}"
        st.session_state[TABLE_IDS_KEY] = list(in_table_order["id"])
        farthest_km = float(table[sitelist.NEAR_KM_COLUMN].max()) if sitelist.NEAR_KM_COLUMN in table else 0.0
        farthest_km = farthest_km if farthest_km > 0 else 1.0  # none placed, or all at one spot: a scale all the same
        st.dataframe(
            on_screen,
            hide_index=True,
            width="stretch",
            # Rows of a fixed height, so the grid's height holds every row (up to 640 px): on a meeting room's wide
            # screen the page's larger type made Streamlit's rows taller, and the 16th row fell off the grid's foot.
            height=min(38 + GRID_ROW_PX * max(len(table), 1), 640),
            row_height=GRID_ROW_PX,
            column_config={
                # Not pinned, though at 1366 px the grid scrolls sideways to 价格 and 来源: Streamlit draws a pinned
                # column's text grey (3.8:1 against white), and the names looked disabled (verification review).
                "名称": st.column_config.TextColumn(width="medium"),
                # A bar as long as the distance, the farthest the longest: it sorts as a number, and an unplaced site's
                # cell is blank where a number column wrote "None".
                sitelist.NEAR_KM_COLUMN: st.column_config.ProgressColumn(
                    format="%.1f", min_value=0, max_value=farthest_km, help=sitelist.NEAR_KM_HELP
                ),
                "开放时间": st.column_config.TextColumn(width="medium"),
                "价格": st.column_config.TextColumn(
                    width="medium", help="来源报道中的价格，以现场为准；完整的见站点详情"
                ),
                "位置": st.column_config.TextColumn(
                    help="准确：与来源一致；近似（街区级）：道路或街区级；近似（片区级）：误差可达一两公里；"
                    "待核实：还没有可靠的坐标出处，不在地图上（原因见站点详情）"
                ),
                "来源": st.column_config.TextColumn(
                    help="报道或资料的简称；完整出处（含坐标出处）见站点详情和下载文件"
                ),
            },
            key=table_key,
            # A row clicked shows the site in full below: the grid cuts long names, hours and prices.
            on_select=partial(_row_picked, table_key),
            selection_mode="single-row",
        )
        if picked is not None:
            _site_in_full(picked, shown, key="list_site_detail")
        else:
            # Said for the keyboard too: the grid selects a row with Shift+Space, which nothing told (keyboard review).
            st.caption(
                "点击一行最左侧的方框（键盘：Tab 进入表格，上下键选行，Shift+空格选中；Esc 离开表格，也会取消选中），"
                "在下方查看该站点的全部信息，并可在地图上查看。"
            )
    with st.container(key=frame.NARROW_SCREEN_ONLY):
        _cards(table, in_table_order, picked, shown)

# For staff handing the list on: the columns and words of the table above. The registry's own format (codes,
# re-importable with SERVICEMAP_DATA) is a third button, for whoever keeps the registry.
READER_HELP = "与清单相同的中文列名和内容（另有图层和整理日期），再加打印版地图的图上编号、开放时间、价格、介绍和经纬度"
if near is not None:
    READER_HELP += f"；按清单的排列顺序，带“{sitelist.NEAR_COLUMN}”和“{sitelist.NEAR_KM_COLUMN}”两列"
whose = data.current_edition()  # 卢沟桥's, or another office's registry (servicemap/edition.py)
list_title = whose.file_title(export.XLSX_PRINT_TITLE, " · 资源清单")
notes = export.list_notes(
    filtering.describe(ctx.filters), len(shown), caveat, list_title, whose.sources, whose.standing
)


def _xlsx_bytes(sites: pd.DataFrame, near: sitelist.NearOrigin | None) -> bytes:
    figures = export.reported_figures_frame(data.reported_by_key().values())
    return export.reader_xlsx_bytes(sites, notes=notes, title=list_title, figures=figures, near=near)


# label, file builder, file name stem, suffix, MIME type, widget key, help, icon
Download = tuple[str, Callable[[pd.DataFrame], bytes], str, str, str, str, str, str]
DOWNLOADS: tuple[Download, ...] = (
    ("下载 CSV", partial(_csv_bytes, near=near_origin), f"{whose.file_stem}_养老服务资源清单", ".csv", "text/csv",
     "download_csv",
     f"{READER_HELP}；UTF-8 带 BOM 编码，Excel 可直接打开", ":material/download:"),
    ("下载 Excel", partial(_xlsx_bytes, near=near_origin), f"{whose.file_stem}_养老服务资源清单", ".xlsx",
     "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "download_xlsx",
     f"{READER_HELP}；另有“说明”页（筛选条件、本图缺了什么、来源）和“报道中的数字”页；打印时只印到“位置”一列",
     ":material/download:"),
    ("登记表格式", _registry_csv_bytes, f"{whose.file_stem}_站点登记表", ".csv", "text/csv", "download_registry_csv",
     "当前筛选下的站点，英文列名和类型代码，可修改后作为登记表重新导入；有问题未读入的行不在其中，"
     "在“关于数据”的登记表检查里另行下载", ":material/database:"),
)  # fmt: skip
downloads.say_if_in_wechat()  # as above the map page's files (regression review)
for column, (label, build, stem, suffix, mime, key, help_text, icon) in zip(
    st.columns([1, 1, 1, 2])[:3], DOWNLOADS, strict=True
):
    column.download_button(
        label,
        # In the list's order on screen (排列顺序), not the registry's.
        files.download_data(partial(build, in_table_order), len(shown)),
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
