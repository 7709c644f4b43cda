"""The map as one standalone HTML file: opens offline (Leaflet and our code inlined, no CDN), for
residents to keep, and a print layout (A4/A3 landscape) with numbered markers and a numbered list.

Every string from the data is HTML-escaped here, and inside the map it is drawn through textContent.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path
from typing import cast

import pandas as pd
from branca.element import Element, Figure, MacroElement
from jinja2 import Template

from servicemap import basemaps, edition, mapview, sitedata, sitetext, viewport, vocab
from servicemap.textsafe import script_safe_json

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
SENTINEL = "servicemap-static/"  # asset URLs to inline; never requested
TITLE = "卢街颐养 养老服务资源分布图"  # as issue 6 names the file's title
# One site alone opens with about 3 km around it: enough to see the district line and where it lies, not a
# blank square of one building (the reviewer's "one dot on grey" at ±1 km).
MIN_HALF_SPAN_DEG = 0.03  # about 3.3 km of latitude
PAPER_MM = {"A4": (297, 210), "A3": (420, 297)}  # landscape width, height


@dataclass(frozen=True)
class NearbyPrint:
    """ "My location" on the file: where it is (WGS-84), its walking circle, and the answer about its nearest
    meal point in plain lines. A 居委会 worker prints it for a resident at the counter, who takes home where
    to eat, not only the district's map."""

    lat: float
    lon: float
    radius_m: int
    answer: tuple[str, ...]


@dataclass(frozen=True)
class ExportInfo:
    filters_text: str  # the filters used, in words
    data_date: str  # when the registry's rows were tidied (export.updated_span: a date, or the first and last)
    # The figures date from the reports, not from the day the registry was last tidied: said first.
    sources: str = edition.SHIPPED.sources  # where the facts come from (the edition's words)
    standing: str = edition.SHIPPED.standing  # what the file is (the edition's words)
    # The page's figures (metrics.figures_text) and what the map lacks (metrics.sheet_caveat_text): a printed
    # sheet handed to leaders has no metric row, and must not look complete.
    figures: str = ""
    caveat: str = ""
    near: NearbyPrint | None = None
    title: str = TITLE  # another office's registry has its own (servicemap/edition.py)
    # 大字模式's files: larger type all through. The sheet a 居委会 prints for an older resident had its answer
    # at 13 px and the list at 11 px (8 pt on paper), whatever the page's mode (phone review).
    large: bool = False


class FitToSites(MacroElement):
    """Frames the sites for the width the map has when it opens, and again when it is printed.

    A wide map keeps room on the right for the open legend, as wide as the legend is drawn (measured once the page
    has loaded: a fixed 300 px left an A4 file's site 4 under its 400 px legend on a laptop's screen, and a leader
    saw seven numbers of the eight listed); a narrow one
    (mapview.NARROW_MAP_PX, where the legend starts folded) keeps a small margin: a fixed 300 px left a
    390 px phone 50 px of sites.
    Printing lays the page out again at the paper's width, so the map is fitted again then: fitted to a
    1920 px window, the printed map had cut off its easternmost site. The print media can arrive before the
    paper's width does, so a resize while printing fits it again too. No animation, so the page opens and
    prints at its final view.
    """

    _template = Template(
        "{% macro script(this, kwargs) %}"
        "(function(){var map = {{ this._parent.get_name() }}, bounds = L.latLngBounds({{ this.bounds_json }});"
        "function fit(){map.invalidateSize({animate: false}); var wide = map.getSize().x >= {{ this.narrow_px }};"
        "var legend = map.getContainer().querySelector('.sm-legend');"
        "var right = legend && legend.offsetWidth ? legend.offsetWidth + 24 : 300;"
        "map.fitBounds(bounds, {animate: false, paddingTopLeft: wide ? [40, 40] : [16, 16],"
        " paddingBottomRight: wide ? [right, 40] : [16, 16]});}"
        "fit(); window.addEventListener('load', fit);"
        " window.addEventListener('beforeprint', fit); window.addEventListener('afterprint', fit);"
        "if (window.matchMedia) { var printing = window.matchMedia('print');"
        " if (printing.addEventListener) { printing.addEventListener('change', fit); }"
        " else if (printing.addListener) { printing.addListener(fit); }"
        " window.addEventListener('resize', function(){ if (printing.matches) { fit(); } }); }"
        "})();"
        "{% endmacro %}"
    )

    def __init__(self, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FitToSites"
        self.bounds_json = script_safe_json(bounds)
        self.narrow_px = mapview.NARROW_MAP_PX


def standalone_html(
    sites: pd.DataFrame,
    info: ExportInfo,
    *,
    view: viewport.View = viewport.DEFAULT_VIEW,
    basemap: basemaps.Basemap = basemaps.BASEMAPS["none"],
    boundary: dict | None = None,
    paper: str | None = None,
) -> str:
    """One self-contained HTML document. `sites` are WGS-84 and already filtered. With `paper`
    ("A4"/"A3") it is the print layout: markers numbered, and the numbered list printed below."""
    displayed = basemaps.sites_for_display(sites, basemap.crs)
    placed = sitedata.placed(displayed)
    # On paper the list prints from the second sheet on, and the map takes what the heading leaves of the first
    # (_FIRST_SHEET): sized by a guess at the heading's height, it spilled onto a sheet of its own once the answer
    # about "my location" grew a line or two (three sheets for one map, staff review).
    height = "84vh" if paper is None else "100%"
    fmap = mapview.build_map(
        sites,
        view,
        basemap=basemap,
        boundary=boundary,
        static_base=SENTINEL,
        height=height,
        numbered_from=1 if paper else None,
    )
    if not placed.empty:
        # At least MIN_HALF_SPAN_DEG (~3 km) each way: one site (or sites on one spot) would otherwise zoom
        # to the maximum and the legend padding would push it into a corner.
        lat_mid, lon_mid = (
            (placed["lat"].min() + placed["lat"].max()) / 2,
            (placed["lon"].min() + placed["lon"].max()) / 2,
        )
        lat_half = max((placed["lat"].max() - placed["lat"].min()) / 2, MIN_HALF_SPAN_DEG)
        lon_half = max((placed["lon"].max() - placed["lon"].min()) / 2, MIN_HALF_SPAN_DEG)
        bounds = [[lat_mid - lat_half, lon_mid - lon_half], [lat_mid + lat_half, lon_mid + lon_half]]
    if info.near is not None:
        point = basemaps.to_display(info.near.lat, info.near.lon, basemap.crs)
        reach = mapview.build_reach_layer(point, info.near.radius_m)
        if reach is not None:
            reach.add_to(fmap)
        # The whole walking circle in the frame, and the sites' frame around it.
        sites_frame = () if placed.empty else (tuple(bounds[0]), tuple(bounds[1]))
        bounds = viewport.reach_bounds(point, info.near.radius_m, sites_frame)
    if not placed.empty or info.near is not None:
        FitToSites(bounds).add_to(fmap)
    figure = cast(Figure, fmap.get_root())
    figure.header.add_child(Element(f"<title>{html.escape(info.title)}</title>"), name="title")
    figure.header.add_child(
        Element(_page_css(paper, large=info.large, answer_sheet=info.large and info.near is not None)),
        name="page_css",
    )
    figure.html.add_child(Element(_heading_html(info, len(sites), len(placed))), name="heading", index=0)
    document = _inline_assets(figure.render())
    if paper:
        document = _FIRST_SHEET.sub(r'<div class="sm-first-sheet">\1\2</div>', document, count=1)
    # After the map: folium adds the map's own element while rendering, so the list goes in afterwards.
    after_map = _numbered_list_html(displayed, info) if paper else _unplaced_list_html(displayed)
    document = document.replace("</body>", after_map + "\n</body>", 1)
    return document


def _heading_html(info: ExportInfo, listed: int, placed: int) -> str:
    return (
        '<header class="sm-export-head">'
        f"<h1>{html.escape(info.title)}</h1>"
        f'<p class="sm-export-meta">筛选：{html.escape(info.filters_text)}　｜　共 {listed} 处，{placed} 处已上图'
        f"　｜　登记表整理于：{html.escape(info.data_date)}</p>"
        f'<p class="sm-export-meta">数据来源：{html.escape(info.sources)}；位置为近似的站点以虚线边标出。</p>'
        f'<p class="sm-export-meta sm-export-standing">{html.escape(edition.standing_text(info.standing))}</p>'
        + (f'<p class="sm-export-meta sm-export-figures">{html.escape(info.figures)}。</p>' if info.figures else "")
        + (f'<p class="sm-export-meta sm-export-caveat">{html.escape(info.caveat)}。</p>' if info.caveat else "")
        + (_near_box_html(info.near) if info.near else "")
        + "</header>"
    )


def _near_box_html(near: NearbyPrint) -> str:
    """The answer about "my location", beside the map's red dot and circle: its first line bold."""
    first, *rest = [html.escape(line) for line in near.answer] or [""]
    lines = "".join(f"<br>{line}" for line in rest)
    legend = f"红点为“我的位置”，红圈为约 {near.radius_m:,} 米的步行圈（直线距离）。"
    return (
        f'<div class="sm-export-near"><strong>{first}</strong>{lines}'
        f'<br><span class="sm-export-meta">{legend}</span></div>'
    )


UNPLACED_NUMBER = "—"  # listed sites that have no pin on the map: no number to look for


def _list_row(  # noqa: ANN001 - a row of the sites frame
    site,
    with_phone: bool,
    number: str | None = None,
    position: str | None = None,
    with_level: bool = False,
    with_meals: bool = True,
) -> str:
    """A listed site as a table row: its number, level, meals and position where the list has those columns."""
    # (text, short): a short label stays on one line; the table squeezed them to "国家 / 级" and "助餐情况不 / 明".
    cells = [
        *([(number, True)] if number is not None else []),
        (site.name, False),
        (vocab.type_label(site.type), False),
        *([(vocab.LEVELS.get(site.level, ""), True)] if with_level else []),
        (site.address, False),
        *([(vocab.meal_label(site.layer, site.meal_service), True)] if with_meals else []),
        *([(site.phone, True)] if with_phone else []),
        *([(position, False)] if position is not None else []),
    ]
    short_cell = '<td class="sm-short">'
    return (
        "<tr>"
        + "".join(f"{short_cell if short else '<td>'}{html.escape(str(cell))}</td>" for cell, short in cells)
        + "</tr>"
    )


def _with_meals(sites: pd.DataFrame) -> bool:
    """Whether a list of `sites` has a 助餐 column: not for 统战 sites alone, where it read 不适用 on every row."""
    return bool((sites["layer"] == vocab.CARE_LAYER).any() or (sites["meal_service"] != "unknown").any())


def _numbered_list_html(sites: pd.DataFrame, info: ExportInfo) -> str:
    """Every listed site: the pinned ones by their map numbers, then those whose position is unknown,
    so the printed list holds as many sites as the heading's "共 N 处"."""
    with_phone = sitetext.any_phone(sites)
    # 国家级 or 市级: a 统战部 reader could not tell them apart on the sheet (one 阵 marker for both).
    with_level = bool(sitetext.given(sites["level"]).any())
    with_meals = _with_meals(sites)
    rows = [
        _list_row(
            site, with_phone, str(number), vocab.PRECISIONS.get(site.precision, site.precision), with_level, with_meals
        )
        for number, site in enumerate(sitedata.numbered_sites(sites).itertuples(index=False), start=1)
    ]
    rows += [
        _list_row(site, with_phone, UNPLACED_NUMBER, vocab.UNPLACED, with_level, with_meals)
        for site in sites.loc[sites["lat"].isna()].itertuples(index=False)
    ]
    headers = ["编号", "名称", "类型", *(["级别"] if with_level else []), "地址", *(["助餐"] if with_meals else [])]
    headers += [*(["电话"] if with_phone else []), "位置"]
    # The list prints on its own sheet: it carries the title and the filters, in case the sheets are parted.
    title = f"{info.title} · 编号清单（筛选：{info.filters_text}；登记表整理于：{info.data_date}）"
    return _list_section_html(title, headers, rows, "sm-export-list")


def _unplaced_list_html(sites: pd.DataFrame) -> str:
    """The sites the offline map lists but cannot pin, named below it: its heading counts them ("共 16 处，8 处
    已上图") and a reader had no way to learn which the other 8 were. "" when every site is pinned."""
    unplaced = sites.loc[sites["lat"].isna()]
    if unplaced.empty:
        return ""
    with_phone, with_meals = sitetext.any_phone(sites), _with_meals(sites)
    headers = ["名称", "类型", "地址", *(["助餐"] if with_meals else []), *(["电话"] if with_phone else [])]
    rows = [_list_row(site, with_phone, with_meals=with_meals) for site in unplaced.itertuples(index=False)]
    title = f"位置待核实、未在图上标注的站点（{len(unplaced)} 处）"
    return _list_section_html(title, headers, rows, "sm-export-list sm-export-unplaced")


def _list_section_html(title: str, headers: list[str], rows: list[str], class_name: str) -> str:
    """A titled table of listed sites (rows from _list_row), as the print and offline files place it after
    the map. The title is escaped here; the headers are the files' own words."""
    return (
        f'<section class="{class_name}"><h2 class="sm-export-list-title">{html.escape(title)}</h2>'
        "<table><thead><tr>"
        + "".join(f"<th>{header}</th>" for header in headers)
        + "</tr></thead><tbody>"
        + "".join(rows)
        + "</tbody></table></section>"
    )


# The heading and the map, which share the first sheet: the map in the height the heading leaves.
_FIRST_SHEET = re.compile(
    r'(<header class="sm-export-head">.*?</header>)(\s*<div class="folium-map" id="map_\w+" ></div>)', re.S
)
PAGE_MARGIN_MM = 8


# 大字模式's files, and any A3 sheet: about 11 pt for the sheet's small print and the list, 15 pt for the answer.
# At A4's sizes an A3 sheet's title was small and its list 8 pt, with half the sheet empty (staff review).
_LARGER_TYPE_CSS = (
    ".sm-export-head h1 { font-size: 28px; }"
    ".sm-export-meta { font-size: 15px; color: #111; }"
    ".sm-export-near { font-size: 20px; line-height: 1.4; }"
    ".sm-export-list table { font-size: 15px; }"
    ".sm-export-list-title { font-size: 18px; }"
)


def _page_css(paper: str | None, *, large: bool = False, answer_sheet: bool = False) -> str:
    """The file's styles: with `paper`, the sheets it prints on; `large` for 大字模式's type; `answer_sheet` for
    the answer about "my location" on a sheet of its own, the map on the next (see below)."""
    page = ""
    if paper:
        sheet_mm = PAPER_MM[paper][1] - 2 * PAGE_MARGIN_MM
        page = (
            f"@page {{ size: {paper} landscape; margin: {PAGE_MARGIN_MM}mm; }}"
            # The body's own 8 px margins, top and bottom, and a hair for rounding, come off the sheet.
            f".sm-first-sheet {{ display: flex; flex-direction: column; height: calc({sheet_mm}mm - 18px); }}"
            ".sm-first-sheet > .folium-map { flex: 1 1 auto; min-height: 40mm; height: auto !important; }"
            ".sm-first-sheet > .sm-export-head { flex: none; }"
        )
        if answer_sheet:
            # In large type the answer filled most of the sheet and left the map a strip under it, its legend cut
            # off: the answer has the first sheet, the map the whole of the second.
            page += (
                ".sm-first-sheet { display: block; height: auto; }"
                f".sm-first-sheet > .folium-map {{ break-before: page; height: calc({sheet_mm}mm - 18px) !important; }}"
            )
    return (
        "<style>"
        f"{page}"
        "html, body { height: auto; }"
        "body { font-family: 'Noto Sans CJK SC', 'Microsoft YaHei', 'PingFang SC', sans-serif; margin: 8px; }"
        ".folium-map { position: relative !important; border: 1px solid #999; }"
        ".sm-export-head h1 { font-size: 20px; margin: 0 0 4px; }"
        ".sm-export-meta { font-size: 12px; color: #333; margin: 0 0 4px; }"
        ".sm-export-caveat { color: #7b241c; font-weight: bold; }"
        ".sm-export-figures { color: #222; font-weight: bold; }"
        # The answer a resident takes home a size up from the sheet's small print (13 px had been 10 pt; phone
        # review), and no more: at 16 px it left the map under it a strip, most of it under the legend (regression
        # review). Larger still from 大字模式, where the answer has a sheet of its own.
        ".sm-export-near { font-size: 14px; line-height: 1.45; border: 2px solid #c0392b; border-radius: 4px;"
        " padding: 4px 8px; margin: 4px 0 6px; }"
        ".sm-export-list table { border-collapse: collapse; width: 100%; font-size: 11px; margin-top: 6px; }"
        ".sm-export-list th, .sm-export-list td { border: 1px solid #bbb; padding: 2px 4px; text-align: left; }"
        # Headings and short labels whole ("编 / 号" and "国家 / 级" on the printed list; staff review).
        ".sm-export-list th, .sm-export-list td.sm-short { white-space: nowrap; }"
        ".sm-export-list tr { break-inside: avoid; }"
        ".sm-export-list-title { font-size: 14px; margin: 8px 0 2px; }"
        # The map and its heading fill the first sheet, the numbered list starts the next: half a list
        # spilling onto page 2 read as a printing fault.
        "@media print { .leaflet-control-zoom, .sm-locate { display: none; } .sm-export-list { break-before: page; } }"
        # The legend's ▶/▼ is for a screen: printed, it was a stray triangle before 图例 (staff review).
        + "@media print { .sm-legend summary { list-style: none; } .sm-legend summary::-webkit-details-marker"
        " { display: none; } }" + (_LARGER_TYPE_CSS if large or paper == "A3" else "") + "</style>"
    )


_ASSET = re.compile(
    r'<script src="'
    + re.escape(SENTINEL)
    + r'([^"]+)"></script>|<link rel="stylesheet" href="'
    + re.escape(SENTINEL)
    + r'([^"]+)"/>'
)


def _inline_assets(document: str) -> str:
    def inline(match: re.Match[str]) -> str:
        script, style = match.group(1), match.group(2)
        text = (STATIC_DIR / (script or style)).read_text(encoding="utf-8")
        if script:
            return "<script>" + text.replace("</script", "<\\/script") + "</script>"
        return "<style>" + text.replace("</style", "<\\/style") + "</style>"

    inlined = _ASSET.sub(inline, document)
    if SENTINEL in inlined:
        raise ValueError("an asset was left un-inlined")
    return inlined
