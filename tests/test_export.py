"""Tests for servicemap.export: the CSV (for Excel), XLSX and GeoJSON files people download, all in WGS-84."""

from __future__ import annotations

import csv
import io
import json
import math
import zipfile
from datetime import datetime
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from servicemap import export, geo, metrics, sitedata, sitelist
from servicemap.registry import COLUMNS, LoadResult, load_registry, validate_records

FIXTURES = Path(__file__).resolve().parent / "fixtures"
MIXED = FIXTURES / "encodings" / "sites_utf8.csv"  # GCJ-02, WGS-84, BD-09 and one unplaced row
SHIPPED = Path(__file__).resolve().parent.parent / "data" / "sites.csv"


@pytest.fixture(scope="module")
def loaded() -> LoadResult:
    result = load_registry(MIXED)
    assert result.ok
    return result


def by_id(frame: pd.DataFrame) -> dict[str, pd.Series]:
    return {row["id"]: row for _, row in frame.iterrows()}


# --- CSV --------------------------------------------------------------------------------------------


def test_csv_starts_with_bom_so_excel_reads_chinese(loaded: LoadResult) -> None:
    text = export.to_csv_text(loaded.sites)
    assert text.startswith("\ufeff")
    assert "卢沟桥街道养老服务中心" in text
    assert text.count("\ufeff") == 1


def test_csv_uses_windows_line_endings(loaded: LoadResult) -> None:
    text = export.to_csv_text(loaded.sites)
    assert text.count("\r\n") == len(loaded.sites) + 1
    assert "\n" not in text.replace("\r\n", "")


def test_csv_has_registry_columns_in_order(loaded: LoadResult) -> None:
    frame = pd.read_csv(io.StringIO(export.to_csv_text(loaded.sites)), dtype=str, keep_default_na=False)
    assert list(frame.columns) == list(COLUMNS)


def test_csv_positions_are_wgs84_and_say_so(loaded: LoadResult) -> None:
    frame = pd.read_csv(io.StringIO(export.to_csv_text(loaded.sites)), dtype=str, keep_default_na=False)
    rows = by_id(frame)

    assert rows["enc-museum"]["lat"] == "39.852276" and rows["enc-museum"]["lon"] == "116.225807"
    converted = geo.gcj02_to_wgs84(39.865, 116.24)
    assert float(rows["enc-care-center"]["lat"]) == pytest.approx(converted[0], abs=1e-7)
    assert float(rows["enc-care-center"]["lon"]) == pytest.approx(converted[1], abs=1e-7)
    converted = geo.bd09_to_wgs84(39.915, 116.404)
    assert float(rows["enc-bd-station"]["lat"]) == pytest.approx(converted[0], abs=1e-7)

    assert [rows[i]["crs"] for i in ("enc-care-center", "enc-museum", "enc-bd-station")] == ["WGS84"] * 3
    unplaced = rows["enc-unplaced"]
    assert (unplaced["lat"], unplaced["lon"], unplaced["crs"], unplaced["precision"]) == ("", "", "", "")


def test_csv_writes_no_nan_or_float_beds(loaded: LoadResult) -> None:
    frame = pd.read_csv(io.StringIO(export.to_csv_text(loaded.sites)), dtype=str, keep_default_na=False)
    cells = set(frame.to_numpy().ravel())
    assert not cells & {"nan", "NaN", "<NA>", "None"}
    assert list(frame["beds"]) == ["18", "", "", ""]


def test_csv_round_trip_gives_same_sites(loaded: LoadResult, tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(export.to_csv_text(loaded.sites), encoding="utf-8", newline="")

    again = load_registry(path)

    assert again.ok, [str(issue) for issue in again.issues]
    assert list(again.sites["id"]) == list(loaded.sites["id"])
    for before, after in zip(loaded.sites.itertuples(), again.sites.itertuples(), strict=True):
        if math.isnan(before.lat):
            assert math.isnan(after.lat) and math.isnan(after.lon)
        else:
            assert abs(after.lat - before.lat) < 1e-6 and abs(after.lon - before.lon) < 1e-6
    for column in ("name", "description", "meal_service", "source", "updated", "precision"):
        assert list(again.sites[column]) == list(loaded.sites[column]), column


def test_shipped_data_round_trips_through_csv(tmp_path: Path) -> None:
    original = load_registry(SHIPPED)
    path = tmp_path / "shipped_export.csv"
    path.write_text(export.to_csv_text(original.sites), encoding="utf-8", newline="")

    again = load_registry(path)

    assert again.ok
    assert list(again.sites["id"]) == list(original.sites["id"])
    pd.testing.assert_series_equal(again.sites["lat"], original.sites["lat"], atol=1e-6, rtol=0)
    pd.testing.assert_series_equal(again.sites["lon"], original.sites["lon"], atol=1e-6, rtol=0)


def test_empty_registry_exports_header_only() -> None:
    empty = validate_records(list(COLUMNS), []).sites
    assert export.to_csv_text(empty) == "\ufeff" + ",".join(COLUMNS) + "\r\n"


# --- XLSX -------------------------------------------------------------------------------------------


def test_xlsx_round_trip_gives_same_sites(loaded: LoadResult, tmp_path: Path) -> None:
    path = tmp_path / "export.xlsx"
    path.write_bytes(export.to_xlsx_bytes(loaded.sites))

    again = load_registry(path)

    assert again.ok, [str(issue) for issue in again.issues]
    assert list(again.sites["id"]) == list(loaded.sites["id"])
    pd.testing.assert_series_equal(again.sites["lat"], loaded.sites["lat"], atol=1e-6, rtol=0)
    pd.testing.assert_series_equal(again.sites["lon"], loaded.sites["lon"], atol=1e-6, rtol=0)
    assert list(again.sites["name"]) == list(loaded.sites["name"])


def test_xlsx_sheet_has_a_chinese_name(loaded: LoadResult) -> None:
    sheets = pd.read_excel(io.BytesIO(export.to_xlsx_bytes(loaded.sites)), sheet_name=None)
    assert list(sheets) == ["养老服务资源"]


# --- GeoJSON ----------------------------------------------------------------------------------------


def test_geojson_is_a_feature_collection_of_every_site(loaded: LoadResult) -> None:
    collection = export.to_geojson(loaded.sites)
    assert collection["type"] == "FeatureCollection"
    assert [f["id"] for f in collection["features"]] == list(loaded.sites["id"])
    assert all(f["type"] == "Feature" for f in collection["features"])


def test_geojson_points_are_lon_lat(loaded: LoadResult) -> None:
    features = {f["id"]: f for f in export.to_geojson(loaded.sites)["features"]}
    assert features["enc-museum"]["geometry"] == {"type": "Point", "coordinates": [116.225807, 39.852276]}
    lon, lat = features["enc-care-center"]["geometry"]["coordinates"]
    assert (lat, lon) == pytest.approx(geo.gcj02_to_wgs84(39.865, 116.24), abs=1e-7)


def test_geojson_keeps_unplaced_sites_with_null_geometry(loaded: LoadResult) -> None:
    features = {f["id"]: f for f in export.to_geojson(loaded.sites)["features"]}
    assert features["enc-unplaced"]["geometry"] is None
    assert features["enc-unplaced"]["properties"]["name"] == "位置待核实的健康同心之家"


def test_geojson_properties_hold_the_attributes_not_the_coordinates(loaded: LoadResult) -> None:
    properties = {f["id"]: f["properties"] for f in export.to_geojson(loaded.sites)["features"]}
    care = properties["enc-care-center"]
    assert set(care) == set(COLUMNS) - {"lat", "lon", "crs"}
    assert care["beds"] == 18
    assert care["meal_service"] == "yes"
    assert properties["enc-museum"]["beds"] == ""


def test_geojson_text_is_valid_json_with_readable_chinese(loaded: LoadResult) -> None:
    text = export.to_geojson_text(loaded.sites)
    assert "中国人民抗日战争纪念馆" in text
    assert "\\u" not in text
    assert json.loads(text) == export.to_geojson(loaded.sites)


def test_geojson_of_shipped_data_serialises() -> None:
    sites = load_registry(SHIPPED).sites
    collection = json.loads(export.to_geojson_text(sites))
    assert len(collection["features"]) == len(sites)


# --- what readers download ----------------------------------------------------------------------------


def test_reader_downloads_read_as_the_list_page_does(shipped_sites: pd.DataFrame) -> None:
    frame = pd.read_csv(io.StringIO(export.reader_csv_text(shipped_sites)), dtype=str, keep_default_na=False)
    assert list(frame.columns[:4]) == ["图上编号", "名称", "类型", "助餐"]
    assert list(frame.columns[-2:]) == ["纬度（WGS-84）", "经度（WGS-84）"]
    # A file handed on carries the hours and what the source says; the screen has no room for them.
    assert {"开放时间", "介绍", "登记编号"} <= set(frame.columns)
    assert not {"开放时间", "介绍", "图上编号"} & set(sitelist.reader_table(shipped_sites).columns)
    centre = frame.loc[frame["登记编号"] == "lgq-care-center"].iloc[0]
    assert (centre["类型"], centre["助餐"], centre["床位（张）"]) == ("街道（区域）养老服务中心", "提供助餐", "18")
    # The price in a column of its own, as on screen: in the files it was one clause of 介绍 (staff review).
    assert centre["价格"] == "早餐均价6元，午晚餐均价15元，60岁以上老人每道菜优惠1元"
    assert list(frame.columns).index("价格") < list(frame.columns).index(export.XLSX_PRINTED_UP_TO)  # printed
    assert centre["位置"].startswith("近似位置") and centre["纬度（WGS-84）"].startswith("39.86")
    # The printed map's numbers: 1 to 8 for the placed sites, blank for the others.
    numbered = sitedata.numbered_sites(shipped_sites)
    expected = {site_id: str(n) for n, site_id in enumerate(numbered["id"], start=1)}
    assert dict(zip(frame["登记编号"], frame["图上编号"], strict=True)) == {
        site_id: expected.get(site_id, "") for site_id in shipped_sites["id"]
    }
    assert "电话" not in frame.columns  # the sources give no numbers: no empty column, as on the screen
    unplaced = frame.loc[frame["位置"] == "位置待核实（未上图）"]
    assert len(unplaced) == int(shipped_sites["lat"].isna().sum()) and (unplaced["纬度（WGS-84）"] == "").all()
    assert "None" not in frame.to_numpy() and "nan" not in frame.to_numpy()  # a dash or blank, never "None"
    # In Excel, beds and positions are numbers: a staffer can sum beds, a GIS tool read positions.
    sheet = openpyxl.load_workbook(io.BytesIO(export.reader_xlsx_bytes(shipped_sites))).active
    header = [cell.value for cell in sheet[1]]
    centre_row = next(row for row in sheet.iter_rows(min_row=2, values_only=True) if "lgq-care-center" in row)
    assert centre_row[header.index("床位（张）")] == 18
    assert isinstance(centre_row[header.index("纬度（WGS-84）")], float)
    assert isinstance(centre_row[header.index("图上编号")], int)  # sortable as a number
    assert sheet.title == "站点清单" and sheet.max_row == len(shipped_sites) + 1


def test_a_list_from_my_location_downloads_with_how_far_in_the_lists_order(shipped_sites: pd.DataFrame) -> None:
    # The files of a 我附近 list had no distance at all (staff review). They keep the order they are given (the list's
    # on screen, which 排列顺序 may have put meals first) and say how far each site is in words and as a number.
    near = (39.84917, 116.21306, "exact")
    in_list_order = shipped_sites.iloc[::-1]
    frame = pd.read_csv(io.StringIO(export.reader_csv_text(in_list_order, near)), dtype=str, keep_default_na=False)
    assert list(frame.columns[:4]) == ["图上编号", "名称", sitelist.NEAR_COLUMN, sitelist.NEAR_KM_COLUMN]
    assert list(frame["登记编号"]) == list(in_list_order["id"])
    on_screen = sitelist.reader_table_nearest_first(shipped_sites, *near)
    said = dict(zip(on_screen["名称"], on_screen[sitelist.NEAR_COLUMN], strict=True))
    assert dict(zip(frame["名称"], frame[sitelist.NEAR_COLUMN], strict=True)) == said  # the words on screen
    museum = frame.loc[frame["登记编号"] == "uf-kangzhan-museum"].iloc[0]
    assert (museum[sitelist.NEAR_COLUMN], museum[sitelist.NEAR_KM_COLUMN]) == ("1.1 公里", "1.1")
    assert (frame.loc[frame["位置"] == "位置待核实（未上图）", sitelist.NEAR_KM_COLUMN] == "").all()
    sheet = openpyxl.load_workbook(io.BytesIO(export.reader_xlsx_bytes(in_list_order, near=near))).active
    header = [cell.value for cell in sheet[1]]
    kilometres = [row[header.index(sitelist.NEAR_KM_COLUMN)] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert sum(isinstance(km, (int, float)) for km in kilometres) == int(shipped_sites["lat"].notna().sum())  # sortable
    # Without "my location", no such columns.
    assert sitelist.NEAR_COLUMN not in export.reader_csv_text(shipped_sites)


def test_the_excel_list_opens_ready_to_read(shipped_sites: pd.DataFrame) -> None:
    """A staffer opening the file sees whole names, a header that stays put and filters on it, not
    Excel's default narrow columns."""
    sheet = openpyxl.load_workbook(io.BytesIO(export.reader_xlsx_bytes(shipped_sites))).active
    header = {cell.value: cell for cell in sheet[1]}
    assert sheet.freeze_panes == "A2" and sheet.auto_filter.ref == sheet.dimensions
    assert all(cell.font.bold for cell in header.values())
    widths = {name: sheet.column_dimensions[cell.column_letter].width for name, cell in header.items()}
    assert widths["助餐"] >= 2 * len("助餐情况不明")  # a Chinese character is two of Excel's widths
    assert widths["介绍"] == widths["名称"] == export.XLSX_MAX_COLUMN_WIDTH  # the longest wrap instead
    assert sheet.cell(row=2, column=header["介绍"].column).alignment.wrap_text
    # Printed: A4 landscape, one page wide, the header row on every page, titled and numbered.
    setup = sheet.page_setup
    assert setup.orientation == "landscape" and str(setup.paperSize) == sheet.PAPERSIZE_A4
    assert sheet.sheet_properties.pageSetUpPr.fitToPage and (setup.fitToWidth, setup.fitToHeight) == (1, 0)
    assert sheet.print_title_rows == "$1:$1"
    assert sheet.oddHeader.center.text == export.XLSX_PRINT_TITLE and "&P" in sheet.oddFooter.center.text
    # It prints the columns a reader reads, up to 位置: all seventeen on one page wide came out at a third of
    # their size. 来源, 登记编号 and the coordinates stay on screen.
    printed_up_to = header[export.XLSX_PRINTED_UP_TO].column_letter
    assert sheet.print_area == f"'站点清单'!$A$1:${printed_up_to}${len(shipped_sites) + 1}"
    printed_width = sum(sheet.column_dimensions[cell.column_letter].width for cell in header.values()
                        if cell.column <= header[export.XLSX_PRINTED_UP_TO].column)  # fmt: skip
    assert printed_width <= 220  # A4 landscape at 11 pt holds about 150: printed at two thirds or more


def test_the_excel_list_says_what_it_is_and_what_it_lacks(shipped_sites: pd.DataFrame) -> None:
    """A printed list of the 2 municipal sites said nothing of the 24 the district counts."""
    notes = export.list_notes(
        "级别：市级", 2, "本图不完整：据2025年1月报道，丰台区有 24 个市级统战工作阵地，本图只收录 2 个"
    )
    book = openpyxl.load_workbook(io.BytesIO(export.reader_xlsx_bytes(shipped_sites, notes=notes)))
    assert book.sheetnames == ["站点清单", export.NOTES_SHEET]
    said = {row[0]: row[1] for row in book[export.NOTES_SHEET].iter_rows(min_row=2, values_only=True)}
    assert said["筛选"] == "级别：市级（共 2 处）" and "24 个市级统战工作阵地" in said["本图不完整"]
    assert "“位置”一列" in said["打印"]
    # What it is: handed out under the 卢街颐养 name, it was taken for the street's own published map.
    assert "不是街道发布的“卢街颐养”资源分布图" in said["性质"] and "不作为权威地图" in said["性质"]
    assert openpyxl.load_workbook(io.BytesIO(export.reader_xlsx_bytes(shipped_sites))).sheetnames == ["站点清单"]


def test_the_excel_list_carries_the_reports_figures(shipped_sites: pd.DataFrame) -> None:
    """A briefing needs the reported 12 institutions and 248 meals a day in hand; only the page had them."""
    figures = metrics.with_registry_counts(metrics.load_reported(), shipped_sites)
    book = openpyxl.load_workbook(
        io.BytesIO(export.reader_xlsx_bytes(shipped_sites, figures=export.reported_figures_frame(figures)))
    )
    assert book.sheetnames == ["站点清单", export.REPORTED_SHEET]
    rows = list(book[export.REPORTED_SHEET].iter_rows(values_only=True))
    assert rows[0] == ("指标", "范围", "报道数", "单位", "本图收录 / 上图", "截至", "来源")
    assert len(rows) == len(figures) + 1
    by_label = {row[0]: row for row in rows[1:]}
    institutions = by_label["辖区养老机构总数（各类型）"]
    assert institutions[1:6] == ("卢沟桥街道", 12, "家", "2 / 1", "2025-01-22") and "区报2025年1月" in institutions[6]
    assert by_label["日均助餐"][2:5] == (248, "份/日", "—")  # no registry counterpart
    assert by_label["托老床位入住率（试运营三个月）"][2:4] == (72.2, "%")  # numbers, to sum and chart (staff review)


def test_the_excel_list_with_its_other_sheets_still_loads_back(shipped_sites: pd.DataFrame, tmp_path: Path) -> None:
    """A clerk keeps the registry in the list downloaded from 资源清单: its 说明 and 报道中的数字 sheets must not get
    in the way of loading it back."""
    figures = export.reported_figures_frame(metrics.with_registry_counts(metrics.load_reported(), shipped_sites))
    workbook = tmp_path / "清单.xlsx"
    workbook.write_bytes(
        export.reader_xlsx_bytes(shipped_sites, notes=export.list_notes("全部", 16, ""), figures=figures)
    )
    loaded = load_registry(workbook)
    assert not loaded.rejected_rows and list(loaded.sites["id"]) == list(shipped_sites["id"])


def test_the_check_names_each_rejected_row_by_its_name() -> None:
    """The page's problem list gave 行号, 列 and 问题, and the clerk counted rows in Excel to find each one."""
    invalid = Path(__file__).resolve().parent / "fixtures" / "invalid"
    table = export.issue_table(load_registry(invalid / "bad_beds.csv"))
    assert list(table.columns) == ["行号", "名称", "列", "问题"]
    assert "床位写汉字的养老院" in set(table["名称"]) and len(table) == 4
    chinese = load_registry(FIXTURES / "encodings" / "sites_utf8.csv")  # valid: nothing to list
    assert export.issue_table(chinese).empty


def test_the_rows_left_out_come_back_as_the_file_had_them_with_their_problems(tmp_path: Path) -> None:
    invalid = Path(__file__).resolve().parent / "fixtures" / "invalid"
    result = load_registry(invalid / "bad_beds.csv")
    text = export.rejected_rows_csv_text(result)
    assert text.startswith(export.UTF8_BOM)
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[0] == ["行号", "问题", *result.header]
    by_name = {row[2 + result.header.index("name")]: row for row in rows[1:]}
    assert len(by_name) == len(result.rejected_rows) == 4  # the fifth, 120 beds, was read
    # Each as written (十八 stays 十八), with where and why; a leading minus kept from running as a formula.
    words = by_name["床位写汉字的养老院"]
    assert words[2 + result.header.index("beds")] == "十八"
    assert words[1] == "beds：床位数 '十八' 不是整数：请写 0 到 99999 的数字，不知道就留空"
    assert by_name["床位为负的养老院"][2 + result.header.index("beds")] == "'-5"
    # Fixed and pasted back (the apostrophe before -5 is taken off on load), the rows are read.
    fixed = [row[2:] for row in rows[1:]]
    for row in fixed:
        row[result.header.index("beds")] = "30"
    path = tmp_path / "fixed.csv"
    path.write_text("\n".join(",".join(cells) for cells in [list(result.header), *fixed]) + "\n", encoding="utf-8")
    assert load_registry(path).ok


def test_nothing_left_out_gives_no_rows_file(loaded: LoadResult) -> None:
    assert loaded.ok and export.rejected_rows_csv_text(loaded) == ""


def test_a_file_missing_a_column_comes_back_whole(tmp_path: Path) -> None:
    path = tmp_path / "no_source.csv"
    path.write_text("id,name\ns1,甲\ns2,乙\n", encoding="utf-8")
    result = load_registry(path)
    rows = list(csv.reader(io.StringIO(export.rejected_rows_csv_text(result)[1:])))
    assert [row[2:] for row in rows[1:]] == [["s1", "甲"], ["s2", "乙"]]
    assert [row[0] for row in rows[1:]] == ["2", "3"]
    assert rows[1][1].startswith("表头缺少必填列 layer（图层）；表头缺少必填列 type（类型）")


@pytest.mark.parametrize("build", [export.reader_xlsx_bytes, export.to_xlsx_bytes])
def test_the_same_rows_give_the_same_excel_file_whenever_it_is_built(shipped_sites: pd.DataFrame, build) -> None:
    """openpyxl stamps the clock into a workbook: the list page, which builds it on every rerun, offered a
    new file (and a new link) every second, and a click landing as a rerun finished found nothing. The only
    times left in the file are the rows' newest 整理日期."""
    workbook = build(shipped_sites)
    newest = datetime.fromisoformat(str(shipped_sites["updated"].max()))
    with zipfile.ZipFile(io.BytesIO(workbook)) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {newest.timetuple()[:6]}
    properties = openpyxl.load_workbook(io.BytesIO(workbook)).properties
    assert properties.created == properties.modified == newest
    undated = shipped_sites.assign(updated="")
    with zipfile.ZipFile(io.BytesIO(build(undated))) as archive:
        assert {entry.date_time for entry in archive.infolist()} == {export.ZIP_EPOCH}


def test_a_files_date_spans_its_rows_dates(shipped_sites: pd.DataFrame) -> None:
    """A sheet said 2026-11-28 while a site on it said 2026-11-27."""
    two_dates = shipped_sites.assign(updated=["2026-11-27", "2026-11-28"] * (len(shipped_sites) // 2))
    assert export.updated_span(two_dates) == "2026-11-27 至 2026-11-28"
    assert export.updated_span(shipped_sites.assign(updated="2026-11-28")) == "2026-11-28"
    assert export.updated_span(shipped_sites.iloc[0:0]) == "—"
