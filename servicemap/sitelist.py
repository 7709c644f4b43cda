"""The sites as a list readers read: the columns and words of 资源清单 (the grid on a computer, the written-out
cards on a phone and in 大字模式, nearest first from "my location"), which the CSV and Excel downloads share."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from servicemap import nearby, nearby_text, sitedata, sitetext, vocab
from servicemap.textsafe import markdown_literal

NOT_APPLICABLE = "—"  # a care site has no level, some sites no street or beds: a dash, not "None"


def _labels(codes: pd.Series, labels: Mapping[str, str]) -> list[str]:
    # Plain strings: a categorical column with an empty category shows its empty cells as "None".
    return [labels.get(code, code) or NOT_APPLICABLE for code in codes.astype(str)]


def short_positions(table: pd.DataFrame) -> pd.Series:
    """reader_table's 位置 in the short words of a grid on screen (vocab.PRECISIONS_SHORT); others as given."""
    short_of_long = {vocab.PRECISIONS[code]: short for code, short in vocab.PRECISIONS_SHORT.items()}
    short_of_long[vocab.UNPLACED] = vocab.UNPLACED_SHORT
    return table["位置"].map(lambda label: short_of_long.get(label, label))


def reader_table(sites: pd.DataFrame, *, for_download: bool = False) -> pd.DataFrame:
    """The sites as readers see them: Chinese columns and labels, what residents ask first (name, type,
    meals, phone where any site has one, address) leading and provenance last. `for_download` adds what a
    file handed on needs and a screen has no room for: the map number, id, opening hours, description, and
    WGS-84 latitude and longitude (blank where unplaced)."""
    columns: dict[str, object] = {
        "名称": sites["name"].astype(str).tolist(),
        "类型": [vocab.type_label(code) for code in sites["type"].astype(str)],
        "助餐": vocab.meal_labels(sites["layer"], sites["meal_service"]),
        "电话": sites["phone"].astype(str).tolist(),
        "地址": sites["address"].astype(str).tolist(),
        "街道": _labels(sites["street"], {}),
        "级别": _labels(sites["level"], vocab.LEVELS),
        "图层": _labels(sites["layer"], vocab.LAYERS),
        "床位": [sitetext.beds_text(beds) or NOT_APPLICABLE for beds in sites["beds"]],
        "位置": [
            vocab.UNPLACED if pd.isna(lat) else vocab.PRECISIONS.get(p, p)
            for lat, p in zip(sites["lat"], sites["precision"].astype(str), strict=True)
        ],
        "来源": sites["source"].astype(str).tolist(),
        "整理日期": sites["updated"].astype(str).tolist(),
    }
    if for_download:
        # The printed map's numbers, so a list handed on matches the sheet; numbers as numbers (beds can be
        # summed, positions read by GIS tools), blank where unknown.
        map_numbers = {label: number for number, label in enumerate(sitedata.numbered_sites(sites).index, start=1)}
        provenance = {key: columns.pop(key) for key in ("位置", "来源", "整理日期")}
        # The layer after the position, outside the printed columns: the type says it (the grid on screen leaves it
        # out), and the printed list had no room for 价格 beside it.
        layers = columns.pop("图层")
        del columns["床位"]
        columns = {
            # A number where the printed map has one, blank where the site is not on it.
            "图上编号": pd.array([map_numbers.get(label) for label in sites.index], dtype="Int64"),
            **columns,
            "床位（张）": sites["beds"].astype("Float64").round(0).astype("Int64").tolist(),
            "开放时间": sites["hours"].astype(str).tolist(),
            # As the grid on screen has it: a family asks the price first, and in the files it was one clause of
            # 介绍 (staff review).
            "价格": [sitetext.price_text(text) for text in sites["description"].astype(str)],
            "介绍": sites["description"].astype(str).tolist(),
            **provenance,
            "图层": layers,
            "登记编号": sites["id"].astype(str).tolist(),
            # Six decimals, about 0.1 m: the positions are no finer, and the 位置 column says how rough.
            "纬度（WGS-84）": [None if pd.isna(v) else round(float(v), 6) for v in sites["lat"]],
            "经度（WGS-84）": [None if pd.isna(v) else round(float(v), 6) for v in sites["lon"]],
        }
    table = pd.DataFrame(columns, index=sites.index)
    # The registry format keeps the field; a reader's list leaves an empty one out.
    return table if sitetext.any_phone(sites) else table.drop(columns="电话")


def reader_cards_markdown(table: pd.DataFrame, limit: int, sites: pd.DataFrame | None = None) -> str:
    """The list of `reader_table` as a phone reads it: one short block a site (name; how far from "my
    location" when the table has NEAR_COLUMN; type, level, meals and beds; address; phone; opening hours and,
    for a meal point, the first sentence of what the source says, from `sites`, the rows of `table` in its
    order; the position when it is not exact) instead of a grid whose columns run off a narrow screen. Every
    value is literal Markdown text. Beyond `limit` sites, says how many are left out."""
    if table.empty:
        return "当前筛选下没有站点。"
    blocks = []
    rows = sites.head(limit).to_dict("records") if sites is not None else [{}] * min(limit, len(table))
    for site, row in zip(table.head(limit).to_dict("records"), rows, strict=True):
        # What a family asks of a meal point after where: when, and what it costs (a daughter found neither).
        hours = str(row.get("hours") or "")
        description = str(row.get("description") or "")
        # The price on a line of its own, as the answer at the top and the print-outs have it: in the cards it was
        # a clause of 介绍 (phone review), which then goes without it.
        price = sitetext.price_text(description)
        summary = sitetext.source_summary(description, more="……")
        summary = sitetext.without_prices(summary) if price else summary
        serves_meals = row.get("meal_service") == vocab.SERVES_MEALS
        facts = [site["类型"], site["级别"], site["助餐"], site["床位"] not in _NOT_SAID and f"床位 {site['床位']}"]
        # How far, when the list is ordered from "my location" (a family on a phone asks that first).
        how_far = site.get(NEAR_COLUMN)
        lines = [
            f"**{markdown_literal(site['名称'])}**",
            f"{NEAR_COLUMN}：{markdown_literal(how_far)}" if how_far not in _NOT_SAID else "",
            " · ".join(markdown_literal(fact) for fact in facts if fact and fact not in _NOT_SAID),
            *(f"{column}：{markdown_literal(site[column])}" for column in ("地址", "电话") if site.get(column)),
            f"开放时间：{markdown_literal(hours)}" if hours else "",
            f"价格：{markdown_literal(price)}" if price else "",
            f"介绍：{markdown_literal(summary)}" if serves_meals and summary else "",
            markdown_literal(site["位置"]) if site["位置"] != vocab.PRECISIONS["exact"] else "",
        ]
        # A Markdown list item whose lines break where written ("  \n"), indented to stay in the item.
        blocks.append("- " + "  \n  ".join(line for line in lines if line))
    if len(table) > limit:
        blocks.append(f"\n另有 {len(table) - limit:,} 处未列出：请用侧栏的筛选或搜索缩小范围，或下载完整清单。")
    return "\n".join(blocks)


# The columns a list ordered from "my location" adds after 名称: the distance in words, with the range a rough
# position leaves, and the distance to the site's pin as a number. A grid sorts words as text, and its heading put
# "10.8 公里" before "2.7 公里" (staff review); the number sorts, and a spreadsheet can filter on it.
NEAR_COLUMN = "离我的位置"
NEAR_KM_COLUMN = "直线距离（公里）"
NEAR_KM_HELP = "到站点在地图上标注位置的直线距离，可点列标题按它排序；位置近似的站点，实际距离以“离我的位置”为准"


def reader_table_nearest_first(
    sites: pd.DataFrame,
    lat: float,
    lon: float,
    origin_precision: str = "exact",
    *,
    for_download: bool = False,
) -> pd.DataFrame:
    """reader_table (`for_download` as there) ordered by straight-line distance from (lat, lon), the unplaced last,
    with how far each is after 名称 (NEAR_COLUMN, NEAR_KM_COLUMN): the list as a family opening it from a 我附近
    link asks it. `origin_precision` is that of "my location" (nearby.origin_precision), whose error adds to each
    site's, as in the answer at the top."""
    ordered = nearby.by_distance(sites, lat, lon)
    table = reader_table(ordered, for_download=for_download)
    how_far = [
        NOT_APPLICABLE
        if pd.isna(metres)
        # In the words of the answer at the top and the nearest-services list: the same site had been "约 400 米至
        # 4.5 公里" there and a plain "2.4 公里" here (tablet review), then "标注约 610 米" beside "3.7 公里以内".
        else nearby_text.distance_said(metres, nearby.distance_error_m(precision, origin_precision))
        for metres, precision in zip(ordered["distance_m"], ordered["precision"].astype(str), strict=True)
    ]
    after_name = table.columns.get_loc("名称") + 1
    table.insert(after_name, NEAR_COLUMN, how_far)
    table.insert(after_name + 1, NEAR_KM_COLUMN, (ordered["distance_m"] / 1000).round(1).to_numpy())  # NaN: unplaced
    return table


NearOrigin = tuple[float, float, str]  # "my location": latitude, longitude, precision (nearby.origin_precision)


def download_table(sites: pd.DataFrame, near: NearOrigin | None = None) -> pd.DataFrame:
    """The list as the CSV and Excel files carry it: reader_table for download, in the order of `sites` (the list's
    on screen); from "my location" (`near`: its latitude, longitude and precision), with how far each is, as the
    list on screen has it. The files of a 我附近 list had no distance at all (staff review)."""
    if near is None:
        return reader_table(sites, for_download=True)
    return reader_table_nearest_first(sites, *near, for_download=True).loc[sites.index]


# The grid's first columns on screen: what it is, how far when ordered from "my location", meals, how exact,
# then when and for how much where given.
SCREEN_FIRST_COLUMNS = ("名称", NEAR_COLUMN, NEAR_KM_COLUMN, "类型", "助餐", "位置", "开放时间", "价格")
# Not on screen, where they pushed 床位, 位置 and 来源 off a laptop's right edge: 图层 (the type says it) and
# 整理日期 (one date for every row). The downloads keep both.
_DOWNLOADS_ONLY = ("图层", "整理日期")


def reader_screen_table(table: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """`table` (reader_table's, rows in any order) as the grid on a computer screen shows it, in
    SCREEN_FIRST_COLUMNS' order: 位置 and 来源 in short words, and 开放时间 and 价格 (in the source's words,
    sitetext.price_text) where any of `sites` (the same rows) gives them. A family on a laptop asked when and
    for how much, which only the downloads and a phone's cards said (review); a column empty on every row is
    left out, as 电话 is."""
    ordered = sites.loc[table.index]
    screen = table.assign(
        位置=short_positions(table),
        # The range alone beside the number: "（标注约 1.1 公里）" after it cut the range off a laptop's screen.
        **({NEAR_COLUMN: table[NEAR_COLUMN].map(nearby_text.without_marked)} if NEAR_COLUMN in table else {}),
        来源=table["来源"].map(sitetext.facts_source),
        开放时间=ordered["hours"].astype(str).str.strip().tolist(),
        价格=[sitetext.price_text(text) for text in ordered["description"].astype(str)],
    )
    empty = [column for column in ("开放时间", "价格") if not screen[column].astype(bool).any()]
    first = [column for column in SCREEN_FIRST_COLUMNS if column in screen.columns and column not in empty]
    rest = [column for column in table.columns if column not in (*first, *_DOWNLOADS_ONLY)]
    return screen[first + rest]


# Said in a card only when it tells something: a dash or 不适用 (a united-front site's meals) is left out.
_NOT_SAID = frozenset({"", NOT_APPLICABLE, vocab.MEAL_NOT_APPLICABLE, None})


# How the list can be put in order besides by the grid's own headings, which only a mouse can sort by, and which
# the phone's blocks of text do not have (accessibility review): the office's own order, and what residents ask.
REGISTRY_ORDER = "登记顺序"
NEAREST_FIRST = "由近到远"  # the only order with "my location", and its first: reader_table_nearest_first's
MEALS_FIRST = "提供助餐的在前"
BY_TYPE = "按类型"
EXACT_FIRST = "位置准确的在前"
ORDERS = (REGISTRY_ORDER, MEALS_FIRST, BY_TYPE, EXACT_FIRST)
ORDERS_FROM_MY_LOCATION = (NEAREST_FIRST, MEALS_FIRST, BY_TYPE, EXACT_FIRST)
# Each order's code in the share link (urlstate takes its codes from here): a link to a list put 提供助餐的在前 had
# opened on 登记顺序.
ORDER_CODES = {
    REGISTRY_ORDER: "registry", NEAREST_FIRST: "near", MEALS_FIRST: "meal", BY_TYPE: "type", EXACT_FIRST: "exact",
}  # fmt: skip

_MEAL_RANK = {
    vocab.MEAL_SERVICE["yes"]: 0,
    vocab.MEAL_SERVICE["unknown"]: 1,
    vocab.MEAL_SERVICE["no"]: 2,
}  # then 不适用 (a united-front site), last
_TYPE_RANK = {code: rank for rank, code in enumerate(vocab.SITE_TYPES)}
_PRECISION_RANK = {code: rank for rank, code in enumerate(vocab.PRECISIONS)}  # then the unplaced, last


def order_positions(sites: pd.DataFrame, order: str) -> list[int]:
    """The positions of `sites` rows in `order` (one of ORDERS or ORDERS_FROM_MY_LOCATION): a stable sort, so
    rows that rank alike keep the order they came in (the registry's, or nearest first). REGISTRY_ORDER and
    NEAREST_FIRST keep that order itself."""
    if order == MEALS_FIRST:
        ranks = [_MEAL_RANK.get(label, 3) for label in vocab.meal_labels(sites["layer"], sites["meal_service"])]
    elif order == BY_TYPE:
        ranks = [_TYPE_RANK.get(code, len(_TYPE_RANK)) for code in sites["type"].astype(str)]
    elif order == EXACT_FIRST:
        ranks = [
            len(_PRECISION_RANK) if pd.isna(lat) else _PRECISION_RANK.get(str(precision), len(_PRECISION_RANK))
            for lat, precision in zip(sites["lat"], sites["precision"], strict=True)
        ]
    else:
        return list(range(len(sites)))
    return sorted(range(len(sites)), key=ranks.__getitem__)  # sorted() is stable
